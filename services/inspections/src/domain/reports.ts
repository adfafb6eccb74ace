import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  ALWAYS_ON_OBJECTS,
  defineEnum,
  DomainError,
  idSchema,
  invalidTransition,
  mobileSchema,
  parseInput,
  stringFirst,
  textField,
  typeError,
} from '@firegov/contracts';
import { evidenceSchema, requireActor, type Evidence } from './fields.ts';
import { recordHazardInput } from './hazards.ts';

// 举报投诉 and 吹哨人 (seed task 12): anyone may report a fire hazard without an account. The public
// API follows Open311 GeoReport v2 (service_code, description, lat/long, address_string) so generic
// civic-reporting apps can submit; the reporter follows the case with a tracking token.

// Open311 service_code values; the labels are the service names shown to the public.
export const ReportCategory = defineEnum({
  blocked_exit: { zh: '安全出口堵塞/锁闭', en: 'Safety exit blocked or locked' },
  fire_lane_occupied: { zh: '占用消防车通道', en: 'Fire lane occupied' },
  ebike_indoor: { zh: '电动车违规停放充电', en: 'E-bikes parked or charged indoors' },
  illegal_residence: { zh: '违规住人', en: 'People living in a factory, warehouse or shop' },
  facilities_broken: { zh: '消防设施损坏停用', en: 'Fire protection equipment broken or switched off' },
  illegal_welding: { zh: '违规动火', en: 'Welding or other hot work without precautions' },
  dangerous_goods: { zh: '违规储存易燃易爆', en: 'Flammable or explosive goods stored illegally' },
  other: { zh: '其他', en: 'Other fire hazard' },
});
export type ReportCategory = (typeof ReportCategory.values)[number];

// Open311 `description` of each service: what the citizen should pick it for.
const CATEGORY_HINTS: Record<ReportCategory, string> = {
  blocked_exit: '安全出口、疏散通道、楼梯间被堵塞、上锁或封闭',
  fire_lane_occupied: '消防车通道、登高操作场地被车辆、摊位或杂物占用',
  ebike_indoor: '电动自行车或其电池在楼道、室内停放或充电，私拉电线充电',
  illegal_residence: '厂房、库房、商铺等场所内住人，“三合一”场所',
  facilities_broken: '灭火器、消火栓、喷淋、报警等消防设施损坏、被关闭或挪用',
  illegal_welding: '未经审批或无防护措施进行电焊、气割等动火作业',
  dangerous_goods: '在居住或人员密集场所违规储存、销售易燃易爆物品',
  other: '其他火灾隐患',
};

/** One entry of GET /services (Open311). Reports need no extra attributes, so metadata is false. */
export interface Open311Service {
  service_code: ReportCategory;
  service_name: string;
  description: string;
  metadata: false;
  type: 'realtime';
  keywords: string;
  group: string;
}

export function open311Services(): Open311Service[] {
  return ReportCategory.values.map((code) => ({
    service_code: code,
    service_name: ReportCategory.label(code),
    description: CATEGORY_HINTS[code],
    metadata: false,
    type: 'realtime',
    keywords: ReportCategory.label(code, 'en'),
    group: '火灾隐患举报',
  }));
}

// Mainland China's extreme latitudes and longitudes (rounded outward): a point outside is a swapped
// or mistyped pair.
const latSchema = z
  .number({ error: typeError('a number') })
  .min(3, 'must be at least 3')
  .max(54, 'must be at most 54');
const longSchema = z
  .number({ error: typeError('a number') })
  .min(73, 'must be at least 73')
  .max(136, 'must be at most 136');

const contactSchema = z.strictObject(
  {
    name: textField(1, 50).optional(),
    phone: stringFirst(mobileSchema),
  },
  { error: typeError('an object') },
);

const bool = () => z.boolean({ error: typeError('true or false') });

/** POST /requests body. Strict: an unknown key is more likely a typo than something to ignore. */
export const reportInputSchema = z
  .strictObject(
    {
      service_code: ReportCategory.schema,
      description: textField(10, 2000),
      lat: latSchema.optional(),
      long: longSchema.optional(),
      address_string: textField(1, 200).optional(),
      media: z
        .array(evidenceSchema, { error: typeError('an array') })
        .max(5, 'must have at most 5 entries')
        .optional(),
      anonymous: bool().default(false),
      contact: contactSchema.optional(),
      // 吹哨人: an insider reporting their own workplace; the flag tells staff to protect their identity.
      whistleblower: bool().default(false),
    },
    { error: typeError('an object') },
  )
  .superRefine((value, ctx) => {
    const hasLat = value.lat !== undefined;
    const hasLong = value.long !== undefined;
    if (hasLat && !hasLong) ctx.addIssue({ code: 'custom', path: ['long'], message: 'is required when lat is given' });
    if (hasLong && !hasLat) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'is required when long is given' });
    // Without a place nobody can go and check.
    if (!hasLat && !hasLong && value.address_string === undefined) {
      ctx.addIssue({ code: 'custom', path: ['address_string'], message: 'is required when lat and long are not given' });
    }
    if (value.anonymous === true && value.contact !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['contact'],
        message: 'must be left out of an anonymous report; send anonymous: false to be contacted',
      });
    }
  }, ALWAYS_ON_OBJECTS);
export type ReportInput = z.output<typeof reportInputSchema>;
export type ReportContact = NonNullable<ReportInput['contact']>;

// The first three are stored on the report; the reporter also sees the hazard's progress
// (rectifying, awaiting re-inspection), derived when they follow the token (`followReport`).
export const ReportStatus = defineEnum({
  received: { zh: '已受理', en: 'Received' },
  triaged_hazard: { zh: '已确认为火灾隐患', en: 'Confirmed as a fire hazard' },
  rectifying: { zh: '隐患整改中', en: 'The hazard is being rectified' },
  awaiting_reinspection: { zh: '隐患待复查', en: 'Rectification reported, awaiting re-inspection' },
  closed: { zh: '已办结', en: 'Closed' },
});
export type ReportStatus = (typeof ReportStatus.values)[number];

/** A status note the reporter may read: no staff names, no internal ids. */
export interface ReportNote {
  at: string;
  status: ReportStatus;
  note: string;
}

/** The fields of a stored report the transitions read and write; stores may keep more. */
export interface ReportState {
  status: ReportStatus;
  anonymous: boolean;
  whistleblower: boolean;
  contact?: ReportContact;
  receivedAt: string;
  notes: ReadonlyArray<{ at: string; status: string; note: string }>;
  hazardId?: string;
  closeReason?: string;
  triagedBy?: string;
  triagedAt?: string;
  /** 举报奖励, once paid (eligibility is decided at triage; stores keep it beside). */
  rewardPaid?: { amountYuan: number; paidAt: string; recordedBy: string };
}

/** A new report, with the place gathered under `location` and the first public note. */
export interface NewReport extends ReportState {
  category: ReportCategory;
  description: string;
  location: { lat?: number; long?: number; address?: string };
  media: Evidence[];
  notes: ReportNote[];
}

const NOTE_RECEIVED = '已收到您的举报，我们将尽快核实处理。';
const NOTE_HAZARD = '经核实，您反映的问题已确认为火灾隐患，已交由属地督促整改。';

/** Parses a citizen report and opens it as received. */
export function receiveReport(input: unknown, ctx: { now: Date }): NewReport {
  const report = parseInput(reportInputSchema, input);
  const at = ctx.now.toISOString();
  const location: NewReport['location'] = {};
  if (report.lat !== undefined) location.lat = report.lat;
  if (report.long !== undefined) location.long = report.long;
  if (report.address_string !== undefined) location.address = report.address_string;
  return {
    category: report.service_code,
    description: report.description,
    location,
    media: report.media ?? [],
    anonymous: report.anonymous,
    whistleblower: report.whistleblower,
    ...(report.contact !== undefined ? { contact: report.contact } : {}),
    status: 'received',
    receivedAt: at,
    notes: [{ at, status: 'received', note: NOTE_RECEIVED }],
  };
}

export const triageDecisionSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('to_hazard'), hazardId: idSchema }),
    // The reason is shown to the reporter: it is written for them.
    z.strictObject({ kind: z.literal('close'), reason: textField(4, 500) }),
  ],
  {
    error: (issue) => (issue.code === 'invalid_union' ? 'must be "to_hazard" or "close"' : typeError('an object')(issue)),
  },
);
export type TriageDecision = z.output<typeof triageDecisionSchema>;

/**
 * triageCitizenReport as asked: the hazard to record from the report (checked in full before
 * anything is written), or the reason to close it. The hazard's id then makes the decision above.
 */
export const triageRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('to_hazard'), hazard: recordHazardInput }, { error: typeError('an object') }),
  z.strictObject(
    { kind: z.literal('close'), reason: z.string({ error: typeError('a string') }) },
    { error: typeError('an object') },
  ),
]);
export type TriageRequest = z.output<typeof triageRequestSchema>;

function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return secrets.reduce<string>((acc, secret) => (secret ? acc.split(secret).join('***') : acc), text);
}

/**
 * 分拣: a report either becomes a hazard or is closed, once. A second triage is refused, because the
 * reporter has already been told the outcome and the reward decision hangs on it.
 */
export function triageReport<S extends ReportState>(state: S, decision: unknown, ctx: { now: Date; actor: string }): S {
  if (state.status !== 'received') throw invalidTransition('triage', state.status, ['received']);
  const parsed = parseInput(triageDecisionSchema, decision);
  const actor = requireActor(ctx.actor);
  const at = ctx.now.toISOString();
  if (parsed.kind === 'to_hazard') {
    return {
      ...state,
      status: 'triaged_hazard',
      hazardId: parsed.hazardId,
      triagedBy: actor,
      triagedAt: at,
      notes: [...state.notes, { at, status: 'triaged_hazard', note: NOTE_HAZARD }],
    };
  }
  // Staff write the reason for the reporter, but may sign it; their name is not for the public.
  const publicReason = redact(parsed.reason, [actor]);
  return {
    ...state,
    status: 'closed',
    closeReason: parsed.reason,
    triagedBy: actor,
    triagedAt: at,
    notes: [...state.notes, { at, status: 'closed', note: `经核实，本举报已办结：${publicReason}` }],
  };
}

/**
 * What the reporter sees when following the token: time, status and note, copied field by field so
 * nothing a store adds to a note (or to the report) reaches the public.
 */
export function publicNotes(report: Pick<ReportState, 'notes'>): Array<{ at: string; status: string; note: string }> {
  return report.notes.map((n) => ({ at: n.at, status: n.status, note: n.note }));
}

/** The hazard's state as far as the reporter may follow it. */
export interface HazardProgress {
  status: string;
  order?: { deadline: string; issuedAt: string };
  rectifiedReportedAt?: string;
  closedAt?: string;
  dismissedAt?: string;
}

/**
 * What the reporter sees when following the token: the report's own notes, then the progress of
 * the hazard it became (order and deadline, rectification reported, closed after re-inspection),
 * so a confirmed report does not read "confirmed" forever. Notes never name staff or units.
 */
export function followReport(
  report: Pick<ReportState, 'status' | 'notes'>,
  hazard?: HazardProgress,
): { status: ReportStatus; notes: Array<{ at: string; status: string; note: string }> } {
  const notes = publicNotes(report);
  if (report.status !== 'triaged_hazard' || !hazard) return { status: report.status, notes };
  const progress: Array<{ at: string; status: ReportStatus; note: string }> = [];
  if (hazard.order) {
    progress.push({
      at: hazard.order.issuedAt,
      status: 'rectifying',
      note: `已责令限期整改，整改期限至 ${hazard.order.deadline.slice(0, 10)}。`,
    });
  }
  if (hazard.rectifiedReportedAt && hazard.status !== 'rectifying') {
    progress.push({ at: hazard.rectifiedReportedAt, status: 'awaiting_reinspection', note: '责任单位已报告整改完成，待复查。' });
  }
  if (hazard.status === 'closed' && hazard.closedAt) {
    progress.push({ at: hazard.closedAt, status: 'closed', note: '隐患已整改完毕并经复查销号，本举报已办结。' });
  }
  if (hazard.status === 'dismissed' && hazard.dismissedAt) {
    progress.push({ at: hazard.dismissedAt, status: 'closed', note: '经进一步核实，不构成火灾隐患，本举报已办结。' });
  }
  const all = [...notes, ...progress].sort((a, b) => a.at.localeCompare(b.at));
  return { status: progress.at(-1)?.status ?? report.status, notes: all };
}

export const rewardPaymentSchema = z.strictObject(
  {
    amountYuan: z
      .number({ error: typeError('a number') })
      .int('must be whole yuan')
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000'),
  },
  { error: typeError('an object') },
);

/** 举报奖励 paid: recorded once, only for a report confirmed as a hazard; the reporter sees the amount. */
export function recordRewardPaid<S extends ReportState>(state: S, input: unknown, ctx: { now: Date; actor: string }): S {
  if (state.status !== 'triaged_hazard') throw invalidTransition('pay a reward for', state.status, ['triaged_hazard']);
  if (state.rewardPaid) {
    throw new DomainError('INVALID_TRANSITION', `the reward was paid already, on ${state.rewardPaid.paidAt}`, [
      { path: '$.reportId', reason: `paid ${state.rewardPaid.amountYuan} yuan on ${state.rewardPaid.paidAt}` },
    ]);
  }
  const { amountYuan } = parseInput(rewardPaymentSchema, input);
  const at = ctx.now.toISOString();
  return {
    ...state,
    rewardPaid: { amountYuan, paidAt: at, recordedBy: requireActor(ctx.actor) },
    notes: [...state.notes, { at, status: state.status, note: `举报奖励 ${amountYuan} 元已发放，感谢您的举报。` }],
  };
}

export interface RewardEligibility {
  eligible: boolean;
  reason: string;
  tier?: 'general' | 'major';
}

/**
 * 有奖举报: a report earns a reward when it led to a confirmed hazard; the tier follows the hazard's
 * grade. Anonymous reporters are eligible too: they claim with their tracking token, which only they
 * hold, so no name is needed to pay them — asking for one would deter exactly the reports an
 * anonymous channel exists for. Without the grade the report is eligible but the tier is open.
 */
export function rewardEligibility(
  report: Pick<ReportState, 'status' | 'anonymous' | 'whistleblower'>,
  hazardGrade?: 'general' | 'major',
): RewardEligibility {
  if (report.status === 'received') return { eligible: false, reason: '举报尚未核实，暂不能确定是否奖励' };
  if (report.status === 'closed') return { eligible: false, reason: '经核实未确认为火灾隐患，不予奖励' };
  const claim = report.anonymous ? '匿名举报人凭举报查询码领取奖励' : '举报人凭举报查询码及联系方式领取奖励';
  // 吹哨人 reports from inside; local rules often raise the reward, so the payer must see it.
  const insider = report.whistleblower ? '；内部知情人（吹哨人）举报，可按规定提高奖励标准' : '';
  if (hazardGrade === undefined) {
    return { eligible: true, reason: `已确认为火灾隐患，待隐患定级后确定奖励档次；${claim}${insider}` };
  }
  const graded = hazardGrade === 'major' ? '已确认为重大火灾隐患' : '已确认为一般火灾隐患';
  return { eligible: true, reason: `${graded}；${claim}${insider}`, tier: hazardGrade };
}

// Crockford's base32: no I, L, O or U, so a token read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TOKEN_CHARS = 24;
const TOKEN_BYTES = (TOKEN_CHARS * 5) / 8; // 120 bits: unguessable, and short enough to write down
const TOKEN = /^R-[0-9A-HJKMNP-TV-Z]{24}$/;

/** Uppercases and maps the letters people confuse with digits (O→0, I/L→1), as Crockford decoding does. */
export function normalizeToken(token: string): string {
  return token.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN.test(normalizeToken(token));
}

/** Only the hash is stored, so a leaked database does not let anyone read reporters' cases. */
export function hashToken(token: string): string {
  return createHash('sha256').update(normalizeToken(token)).digest('hex');
}

/** A tracking token from `random` (e.g. crypto.randomBytes) and the hash to store. */
export function newTrackingToken(random: (n: number) => Buffer): { token: string; hash: string } {
  const bytes = random(TOKEN_BYTES);
  if (bytes.length < TOKEN_BYTES) throw new Error(`random source returned ${bytes.length} bytes, need ${TOKEN_BYTES}`);
  let bits = 0;
  let value = 0;
  let body = '';
  for (const byte of bytes.subarray(0, TOKEN_BYTES)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      body += ALPHABET.charAt((value >>> bits) & 31);
    }
    value &= (1 << bits) - 1;
  }
  const token = `R-${body}`;
  return { token, hash: hashToken(token) };
}
