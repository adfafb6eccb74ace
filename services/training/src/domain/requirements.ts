import { defineEnum, idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import type { TrainingRole } from './people.ts';

// Required training as data (应训规则): which role at which premises needs which course how often,
// with how well the rule is confirmed. A county changes them; nothing here is presented as law
// beyond what the fact sheet (shared/standards/training-and-fire-forces.md) confirms. Pure: no I/O.

/** Premises a rule applies to; the most specific matching rule wins. */
export const Premises = defineEnum({
  any: { zh: '所有单位/村（社区）', en: 'Any premises' },
  key_unit: { zh: '消防安全重点单位', en: 'Key fire-safety unit' },
  public_gathering: { zh: '公众聚集场所', en: 'Public gathering place' },
  large_commercial_complex: { zh: '大型商业综合体', en: 'Large commercial complex' },
});
export type Premises = (typeof Premises.values)[number];

/** How well the rule is confirmed: [C] article seen, [C2] secondary only, [L] local rule, [U] unconfirmed. */
export const Confidence = defineEnum({
  C: { zh: '已核对条文', en: 'Article text seen' },
  C2: { zh: '仅见二手资料', en: 'Secondary sources only' },
  L: { zh: '地方规定', en: 'Local rule' },
  U: { zh: '未证实（本地政策）', en: 'Unconfirmed (local policy)' },
});
export type Confidence = (typeof Confidence.values)[number];

export interface Requirement {
  _id: string;
  version: number;
  role: TrainingRole;
  premises: Premises;
  /** Any one of these courses (or certificates for them) satisfies the rule. */
  courseIds: string[];
  /** Re-training interval; null: valid as long as the certificate itself is. */
  intervalMonths: number | null;
  confidence: Confidence;
  source: string;
  /** True when the interval (or the rule) is the platform's or county's policy, not a confirmed national rule. */
  localPolicy: boolean;
  active: boolean;
  changedAt: string;
  changedBy: string;
}

// 公众聚集场所 (消防法 Art.73: hotels, restaurants, shops and markets, public entertainment venues).
const PUBLIC_GATHERING: ReadonlySet<string> = new Set([
  'hotel',
  'restaurant',
  'supermarket',
  'internet_cafe',
  'escape_room',
  'esports_hotel',
  'large_commercial_complex',
  'tourist_site',
]);

/** The premises kinds a unit is, most specific first; villages are only `any`. */
export function premisesOf(unit: { keyUnit: boolean; category: string } | null): Premises[] {
  if (!unit) return ['any'];
  return [
    ...(unit.category === 'large_commercial_complex' ? (['large_commercial_complex'] as const) : []),
    ...(PUBLIC_GATHERING.has(unit.category) ? (['public_gathering'] as const) : []),
    ...(unit.keyUnit ? (['key_unit'] as const) : []),
    'any',
  ];
}

/** The rule for a role at premises: the most specific active one, or none. */
export function ruleFor(rules: readonly Requirement[], role: TrainingRole, premises: readonly Premises[]): Requirement | null {
  for (const kind of premises) {
    const rule = rules.find((r) => r.active && r.role === role && r.premises === kind);
    if (rule) return rule;
  }
  return null;
}

const SOURCE_POLICY = '；间隔为平台默认政策，县级可修改 (interval: platform policy, county may change)';

type Seed = Omit<Requirement, 'version' | 'changedAt' | 'changedBy' | 'active'>;

/**
 * The rules seeded on start-up (idempotent by id). Course ids are the platform's standard course
 * codes; a county points a rule at its own courses by changing it.
 */
export const DEFAULT_REQUIREMENTS: readonly Seed[] = [
  {
    _id: 'req_responsible_person_any',
    role: 'responsible_person',
    premises: 'any',
    courseIds: ['course_responsible_person'],
    intervalMonths: 12,
    confidence: 'C',
    source: `61号令 Art.38(1) [C]: 消防安全责任人 接受消防安全专门培训${SOURCE_POLICY} (R4)`,
    localPolicy: true,
  },
  {
    _id: 'req_safety_manager_any',
    role: 'safety_manager',
    premises: 'any',
    courseIds: ['course_safety_manager'],
    intervalMonths: 12,
    confidence: 'C',
    source: `61号令 Art.38(1) [C]; 87号 Art.16 [U wording]: 消防安全管理人 专门培训${SOURCE_POLICY} (R4)`,
    localPolicy: true,
  },
  {
    _id: 'req_responsible_person_large_commercial_complex',
    role: 'responsible_person',
    premises: 'large_commercial_complex',
    courseIds: ['course_responsible_person'],
    intervalMonths: 6,
    confidence: 'C2',
    source: '应急消〔2019〕314号 → XF/T 3019-2023 [C2]: 大型商业综合体 责任人 每半年至少一次培训',
    localPolicy: false,
  },
  {
    _id: 'req_safety_manager_large_commercial_complex',
    role: 'safety_manager',
    premises: 'large_commercial_complex',
    courseIds: ['course_safety_manager'],
    intervalMonths: 6,
    confidence: 'C2',
    source: '应急消〔2019〕314号 → XF/T 3019-2023 [C2]: 大型商业综合体 管理人 每半年至少一次培训',
    localPolicy: false,
  },
  {
    _id: 'req_fire_officer_any',
    role: 'fire_officer',
    premises: 'any',
    courseIds: ['course_fire_officer'],
    intervalMonths: 12,
    confidence: 'C',
    source: `61号令 Art.38(2) [C]: 专、兼职消防管理人员 专门培训${SOURCE_POLICY}`,
    localPolicy: true,
  },
  {
    _id: 'req_control_room_operator_any',
    role: 'control_room_operator',
    premises: 'any',
    courseIds: ['course_control_room_operator'],
    intervalMonths: null,
    confidence: 'C2',
    source:
      '61号令 Art.38(3) [C]; 消防法 Art.21, GB 25506-2010 §4.2 [C2]: 持证上岗 (消防设施操作员); 证书有效期有争议 [U], 以证书本身有效期为准',
    localPolicy: false,
  },
  {
    _id: 'req_micro_station_member_any',
    role: 'micro_station_member',
    premises: 'any',
    courseIds: ['course_micro_station_induction'],
    intervalMonths: null,
    confidence: 'C2',
    source: '微型消防站建设标准（试行）公消〔2015〕301号 [C2]: 队员上岗前培训 (岗前培训记录); 复训间隔无全国规定 [U]',
    localPolicy: false,
  },
  {
    _id: 'req_grid_manager_any',
    role: 'grid_manager',
    premises: 'any',
    courseIds: ['course_grid_manager'],
    intervalMonths: 12,
    confidence: 'U',
    source: '无全国依据 [U]: 网格员消防培训为平台/县级政策 (local policy)',
    localPolicy: true,
  },
  {
    _id: 'req_village_team_member_any',
    role: 'village_team_member',
    premises: 'any',
    courseIds: ['course_village_team'],
    intervalMonths: 12,
    confidence: 'L',
    source: `109号令 Art.5(4) [C]: 志愿消防队由消防救援机构定期培训, 无间隔${SOURCE_POLICY}`,
    localPolicy: true,
  },
];

export function seededRequirement(seed: Seed, now: Date): Requirement {
  return { ...seed, version: 1, active: true, changedAt: now.toISOString(), changedBy: 'system:seed' };
}

export const changeRequirementInput = z.strictObject(
  {
    id: idSchema,
    courseIds: z
      .array(idSchema, { error: typeError('an array') })
      .min(1, 'must name at least one course')
      .max(10, 'must have at most 10 entries')
      .optional(),
    intervalMonths: z
      .number({ error: typeError('a number') })
      .int('must be a whole number of months')
      .min(1, 'must be at least 1')
      .max(120, 'must be at most 120')
      .nullable()
      .optional(),
    active: z.boolean({ error: typeError('a boolean') }).optional(),
    /** Why the county changes it (a local document number); recorded in the source. */
    reason: textField(2, 300),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type ChangeRequirementInput = z.output<typeof changeRequirementInput>;

/** The rule after a county's change: a county decision is local policy, recorded with its reason. */
export function changedRequirement(
  current: Requirement,
  input: ChangeRequirementInput,
  meta: { now: Date; actor: string },
): Requirement {
  return {
    ...current,
    ...(input.courseIds ? { courseIds: [...new Set(input.courseIds)] } : {}),
    ...(input.intervalMonths !== undefined ? { intervalMonths: input.intervalMonths } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    localPolicy: true,
    source: `${current.source} | 县级修改 ${meta.now.toISOString().slice(0, 10)}: ${input.reason}`,
    version: current.version + 1,
    changedAt: meta.now.toISOString(),
    changedBy: meta.actor,
  };
}
