import { z } from 'zod';
import {
  ALWAYS_ON_ARRAYS,
  checkUnique,
  divisionCodeSchema,
  DomainError,
  parseInput,
  stringFirst,
  textField,
  typeError,
  UnitCategory,
} from '@firegov/contracts';
import { calendarDateSchema, campaignKeySchema, factorCodeSchema, itemCodeSchema, listedOnce } from './fields.ts';

// 专项行动: a campaign names the kinds of premises it targets, when it runs and what inspectors
// check there. The three of the seed plan ship as data; townships define their own with the same shape.

export interface ChecklistItem {
  code: string;
  zh: string;
  en: string;
  /** Optional GB 35181 factor code this item usually maps to; a default for the grader, never a verdict. */
  factorCode?: string;
}

/**
 * Flags entities derives from a unit's building rather than its category: 高层建筑 (height and
 * use, GB 50016) and 经营性自建房 of 10 or more people. A 12-storey, 39.6 m hotel is a hotel by
 * category and high-rise by flag; the high-rise campaign is about the building, so it must reach it.
 */
export const TARGET_FLAGS = ['highRise', 'selfBuiltTarget'] as const;
export type TargetFlag = (typeof TARGET_FLAGS)[number];
export const TARGET_FLAG_LABELS: Record<TargetFlag, { zh: string; en: string }> = {
  highRise: { zh: '高层建筑（按建筑高度认定）', en: 'High-rise building (by height and use)' },
  selfBuiltTarget: { zh: '10人以上经营性自建房', en: 'Self-built house used for business, 10 or more people' },
};

export interface CampaignDef {
  key: string;
  name: { zh: string; en: string };
  /** A unit is targeted when its category is listed or it carries one of `targetFlags`. */
  targetCategories: UnitCategory[];
  targetFlags: TargetFlag[];
  /** Calendar dates (YYYY-MM-DD, Beijing time), both days included. */
  period: { from: string; to: string };
  checklist: ChecklistItem[];
  /** The document and task the campaign carries out. */
  basis: string;
}

const SEED_PLAN = '《青龙乡2023年消防工作要点》';
// The plan is for 2023 and sets no dates of its own, so each campaign runs the whole year.
const SEED_YEAR = { from: '2023-01-01', to: '2023-12-31' };

// Factor hints only where the item is plainly one GB 35181 comprehensive factor (tested against the
// catalogue); elsewhere the inspector names the factors, because a wrong hint would pre-fill the
// grader with a wrong clause.
const HIGH_RISE: CampaignDef = {
  key: 'high_rise_risk_clearance',
  name: { zh: '高层建筑消防安全“除险清患”专项行动', en: 'High-rise buildings: fire risk clearance campaign (除险清患)' },
  targetCategories: ['high_rise'],
  targetFlags: ['highRise'],
  period: SEED_YEAR,
  // The plan's four "突出问题" of high-rise buildings, in its order.
  checklist: [
    {
      code: 'fire_engine_access',
      factorCode: 'C-3.11',
      zh: '消防车到不了：消防车道、登高操作场地（登高作业面）被占用或堵塞',
      en: 'Fire engines cannot get there: fire lanes or aerial-ladder operating areas occupied or blocked',
    },
    {
      code: 'water_supply_top_floor',
      zh: '消防用水上不去：消防给水压力、水量不能满足最高楼层',
      en: 'Fire water does not reach the top floor: pressure or flow insufficient',
    },
    {
      code: 'electrical_fire',
      zh: '电气火灾防不住：电气线路老化、私拉乱接，电动车违规停放充电',
      en: 'Electrical fires not prevented: aged or improvised wiring, e-bikes parked or charged in the building',
    },
    {
      code: 'smart_fire_protection',
      zh: '智慧消防不到位：远程监控、物联网监测、电气火灾智能预警未建或未接入',
      en: 'Smart fire protection not in place: remote monitoring, IoT sensors or electrical fire alerts missing or not connected',
    },
  ],
  basis: `${SEED_PLAN}第8项：开展高层建筑消防安全“除险清患”专项行动`,
};

const FACTORY_WAREHOUSE: CampaignDef = {
  key: 'factory_warehouse_review',
  name: { zh: '厂房库房整治“回头看”行动', en: 'Factories and warehouses: follow-up review of rectification (回头看)' },
  // 现代物流 is the plan's new business form that runs warehouses.
  targetCategories: ['factory', 'warehouse', 'logistics'],
  targetFlags: [],
  period: SEED_YEAR,
  // The plan's "9类突出问题", in its order and wording.
  checklist: [
    { code: 'change_of_use', zh: '违规改变使用性质', en: 'Use of the building changed without approval' },
    { code: 'subletting', zh: '违规分租转租', en: 'Premises sublet or split among tenants in breach of the rules' },
    { code: 'illegal_construction', zh: '违规搭建', en: 'Illegal structures built on or against the building' },
    { code: 'facilities_disabled', zh: '违规停用消防设施', en: 'Fire protection systems switched off' },
    { code: 'illegal_hot_work', zh: '违规动焊作业', en: 'Welding or other hot work without permit or precautions' },
    { code: 'residence', zh: '违规住人', en: 'People living on the premises', factorCode: 'C-1.3' },
    { code: 'fire_separation', zh: '防火分隔不到位', en: 'Fire separation missing or inadequate' },
    { code: 'fire_lane_occupied', zh: '占用消防车道', en: 'Fire lane occupied', factorCode: 'C-1.1' },
    { code: 'exit_locked', zh: '锁闭安全出口', en: 'Safety exit locked', factorCode: 'C-3.3' },
  ],
  basis: `${SEED_PLAN}第9项：开展厂房库房整治“回头看”行动（企业自查、属地排查、部门核查，“六个一律”）`,
};

const SELF_BUILT: CampaignDef = {
  key: 'business_self_built_house',
  name: { zh: '经营性自建房消防安全整治', en: 'Self-built houses used for business: fire safety rectification' },
  // Every business self-built house; the flag (10 or more people, the plan's 重点核查) lies within
  // the category today, and keeps targeting them if entities ever derives it from use as well.
  targetCategories: ['business_self_built_house'],
  targetFlags: ['selfBuiltTarget'],
  period: SEED_YEAR,
  // The plan's list, in its order; 违法违规建设 is on it too, so it is checked as well.
  checklist: [
    { code: 'illegal_construction', zh: '违法违规建设', en: 'Built or extended illegally' },
    { code: 'ebike_indoor', zh: '电动自行车入室停放充电', en: 'E-bikes parked or charged indoors' },
    { code: 'fire_separation', zh: '未按规定进行防火分隔', en: 'No fire separation as required' },
    { code: 'evacuation_blocked', zh: '占堵疏散通道', en: 'Evacuation routes occupied or blocked' },
    { code: 'illegal_electricity_gas', zh: '违规用电用气', en: 'Electricity or gas used in breach of the rules' },
    {
      code: 'window_bars_billboards',
      zh: '外窗设置铁栅栏、广告牌',
      en: 'Windows closed off by iron bars or billboards',
      factorCode: 'C-3.10',
    },
  ],
  basis: `${SEED_PLAN}第10项：深化经营性自建房消防安全整治（重点核查10人以上经营性自建房）`,
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The seed plan's three campaigns (tasks 8, 9 and 10). Frozen: they are shared by every request. */
export const SEED_CAMPAIGNS: readonly CampaignDef[] = deepFreeze([HIGH_RISE, FACTORY_WAREHOUSE, SELF_BUILT]);

const checklistItemSchema = z.strictObject(
  {
    code: itemCodeSchema,
    zh: textField(1, 200),
    en: textField(1, 300),
    factorCode: factorCodeSchema.optional(),
  },
  { error: typeError('an object') },
);

/** A campaign a township or county defines; it applies within `jurisdictionCode`. */
export const campaignInputSchema = z
  .strictObject(
    {
      key: campaignKeySchema,
      name: z.strictObject({ zh: textField(1, 100), en: textField(1, 200) }, { error: typeError('an object') }),
      targetCategories: z.array(UnitCategory.schema, { error: typeError('an array') }).superRefine(listedOnce, ALWAYS_ON_ARRAYS),
      targetFlags: z
        .array(z.enum(TARGET_FLAGS, { error: `must be one of ${TARGET_FLAGS.join(', ')}` }), { error: typeError('an array') })
        .superRefine(listedOnce)
        .default([]),
      jurisdictionCode: stringFirst(divisionCodeSchema),
      period: z
        .strictObject({ from: calendarDateSchema, to: calendarDateSchema }, { error: typeError('an object') })
        .superRefine((period, ctx) => {
          // Both are YYYY-MM-DD, so string order is date order.
          if (typeof period.from === 'string' && typeof period.to === 'string' && period.to < period.from) {
            ctx.addIssue({ code: 'custom', path: ['to'], message: `is ${period.to}, before the start ${period.from}` });
          }
        }),
      checklist: z
        .array(checklistItemSchema, { error: typeError('an array') })
        .min(1, 'must have at least one item')
        .max(100, 'must have at most 100 items')
        .superRefine(checkUnique('code', 'item code'), ALWAYS_ON_ARRAYS),
      basis: textField(1, 200).optional(),
    },
    { error: typeError('an object') },
  )
  .superRefine((c, ctx) => {
    if (Array.isArray(c.targetCategories) && c.targetCategories.length === 0 && c.targetFlags.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetCategories'],
        message: 'must name at least one unit category or target flag',
      });
    }
  });
export type CampaignInput = z.output<typeof campaignInputSchema>;

export function validateCampaign(input: unknown): CampaignInput {
  return parseInput(campaignInputSchema, input);
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

// Periods are Beijing calendar days, so an instant is turned into its Beijing date before comparing:
// 2023-12-31T20:00:00Z is already 2024-01-01 in the township.
function beijingDate(onDate: string | Date): string {
  if (typeof onDate === 'string' && DATE_ONLY.test(onDate)) return onDate;
  const ms = typeof onDate === 'string' ? Date.parse(onDate) : onDate.getTime();
  if (Number.isNaN(ms)) {
    throw new DomainError('VALIDATION_FAILED', 'onDate is not a date', [
      { path: '$.onDate', reason: `"${String(onDate)}" is neither a YYYY-MM-DD date nor an ISO date-time` },
    ]);
  }
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** What targeting looks at in a unit: its category and derived flags (absent flags count as false). */
export interface TargetableUnit {
  category: string;
  highRise?: boolean;
  selfBuiltTarget?: boolean;
}

/** Whether the campaign's categories or flags reach the unit, whatever the date. */
export function targetsUnit(
  campaign: { targetCategories: readonly string[]; targetFlags?: readonly string[] },
  unit: TargetableUnit,
): boolean {
  if (campaign.targetCategories.includes(unit.category)) return true;
  return (campaign.targetFlags ?? []).some((flag) => unit[flag as TargetFlag] === true);
}

/**
 * Whether the unit falls under the campaign on `onDate` (a YYYY-MM-DD date, an ISO date-time or a
 * Date; both ends of the period included). Categories and flags are plain strings here so stored
 * campaigns (those stored before flags existed have none) and unit references can be passed as read.
 */
export function isUnitTargeted(
  campaign: { targetCategories: readonly string[]; targetFlags?: readonly string[]; period: CampaignDef['period'] },
  unit: TargetableUnit,
  onDate: string | Date,
): boolean {
  if (!targetsUnit(campaign, unit)) return false;
  const day = beijingDate(onDate);
  return campaign.period.from <= day && day <= campaign.period.to;
}
