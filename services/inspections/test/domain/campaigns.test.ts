import { campaignInputSchema, isUnitTargeted, SEED_CAMPAIGNS, validateCampaign } from '../../src/domain/campaigns.ts';
import { factorByCode } from '../../src/domain/gb35181.ts';
import type { CampaignDef } from '../../src/domain/campaigns.ts';
import { DomainError } from '@firegov/contracts';

const TOWNSHIP = '500230213000';

function seed(key: string): CampaignDef {
  const campaign = SEED_CAMPAIGNS.find((c) => c.key === key);
  if (campaign === undefined) throw new Error(`no seed campaign ${key}`);
  return campaign;
}

function validCampaign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: 'summer_ebike_check',
    name: { zh: '夏季电动自行车专项检查', en: 'Summer e-bike check' },
    targetCategories: ['group_rental', 'rural_self_built_house'],
    jurisdictionCode: TOWNSHIP,
    period: { from: '2023-06-01', to: '2023-08-31' },
    checklist: [
      { code: 'ebike_indoor', zh: '电动自行车入室停放充电', en: 'E-bikes charged indoors' },
      { code: 'smoke_detector', zh: '未配置独立式感烟探测器', en: 'No smoke detector' },
    ],
    ...overrides,
  };
}

function issues(input: unknown): string[] {
  const result = campaignInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('SEED_CAMPAIGNS', () => {
  test('are the three campaigns of seed tasks 8, 9 and 10', () => {
    expect(SEED_CAMPAIGNS.map((c) => [c.key, c.targetCategories, c.checklist.length])).toEqual([
      ['high_rise_risk_clearance', ['high_rise'], 4],
      ['factory_warehouse_review', ['factory', 'warehouse', 'logistics'], 9],
      ['business_self_built_house', ['business_self_built_house'], 6],
    ]);
    expect(SEED_CAMPAIGNS.map((c) => /第(\d+)项/.exec(c.basis)?.[1])).toEqual(['8', '9', '10']);
    expect(SEED_CAMPAIGNS.every((c) => c.basis.startsWith('《青龙乡2023年消防工作要点》'))).toBe(true);
  });

  test('run through the plan year 2023', () => {
    for (const campaign of SEED_CAMPAIGNS) expect(campaign.period).toEqual({ from: '2023-01-01', to: '2023-12-31' });
  });

  test('the high-rise checklist covers the four problems the plan names', () => {
    const labels = seed('high_rise_risk_clearance').checklist.map((item) => item.zh.split('：')[0]);
    expect(labels).toEqual(['消防车到不了', '消防用水上不去', '电气火灾防不住', '智慧消防不到位']);
    const electrical = seed('high_rise_risk_clearance').checklist.find((i) => i.code === 'electrical_fire');
    expect(electrical?.zh).toContain('电动车');
  });

  test('the factory and warehouse checklist is the plan 9 problem categories in its wording', () => {
    expect(seed('factory_warehouse_review').checklist.map((item) => item.zh)).toEqual([
      '违规改变使用性质',
      '违规分租转租',
      '违规搭建',
      '违规停用消防设施',
      '违规动焊作业',
      '违规住人',
      '防火分隔不到位',
      '占用消防车道',
      '锁闭安全出口',
    ]);
  });

  test('the self-built house checklist follows the plan list', () => {
    expect(seed('business_self_built_house').checklist.map((item) => item.code)).toEqual([
      'illegal_construction',
      'ebike_indoor',
      'fire_separation',
      'evacuation_blocked',
      'illegal_electricity_gas',
      'window_bars_billboards',
    ]);
    expect(seed('business_self_built_house').checklist.find((i) => i.code === 'window_bars_billboards')?.zh).toBe(
      '外窗设置铁栅栏、广告牌',
    );
  });

  test('every item has both labels', () => {
    for (const item of SEED_CAMPAIGNS.flatMap((c) => c.checklist)) {
      expect(item.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(item.en).toMatch(/^[A-Z]/);
    }
  });

  test('each is a valid campaign by the schema user campaigns must meet', () => {
    for (const campaign of SEED_CAMPAIGNS) {
      expect(issues({ ...campaign, jurisdictionCode: TOWNSHIP })).toEqual([]);
    }
  });

  test('are frozen, so one request cannot change them for the next', () => {
    const campaign = seed('high_rise_risk_clearance');
    expect(() => campaign.checklist.push({ code: 'x', zh: 'x', en: 'x' })).toThrow(TypeError);
    expect(() => {
      (campaign.period as { from: string }).from = '2024-01-01';
    }).toThrow(TypeError);
    expect(campaign.period.from).toBe('2023-01-01');
  });
});

describe('campaignInputSchema', () => {
  test('accepts a user-defined campaign', () => {
    expect(issues(validCampaign())).toEqual([]);
    expect(validateCampaign(validCampaign({ basis: ' 乡消安委2023年5号 ' })).basis).toBe('乡消安委2023年5号');
  });

  test('checks the key, the names and the categories', () => {
    expect(
      issues(
        validCampaign({
          key: 'Summer',
          name: { zh: '', en: 'x' },
          targetCategories: ['group_rental', 'castle', 'group_rental'],
        }),
      ),
    ).toEqual([
      'key: must be a campaign key: a lowercase letter, then 2-40 lowercase letters, digits or "_"',
      'name.zh: must not be empty',
      expect.stringMatching(/^targetCategories\.1: "castle" is not a known value/),
      // Every problem at once: a duplicate is named even when another entry is unknown.
      'targetCategories.2: "group_rental" is listed twice',
    ]);
    expect(issues(validCampaign({ targetCategories: ['school', 'school'] }))).toEqual([
      'targetCategories.1: "school" is listed twice',
    ]);
    expect(issues(validCampaign({ targetCategories: [] }))).toEqual([
      'targetCategories: must name at least one unit category or target flag',
    ]);
    expect(issues(validCampaign({ targetCategories: [], targetFlags: ['highRise'] }))).toEqual([]);
    expect(issues(validCampaign({ targetFlags: ['highRise', 'tall'] }))).toEqual([
      'targetFlags.1: must be one of highRise, selfBuiltTarget',
    ]);
    expect(issues(validCampaign({ targetFlags: ['highRise', 'highRise'] }))).toEqual([
      'targetFlags.1: "highRise" is listed twice',
    ]);
    expect(issues(validCampaign({ key: 'k'.repeat(42) }))).toHaveLength(1);
    expect(issues(validCampaign({ key: 'k'.repeat(41) }))).toEqual([]);
  });

  test('needs a 12-digit jurisdiction code', () => {
    expect(issues(validCampaign({ jurisdictionCode: '5002302130' }))).toEqual(['jurisdictionCode: must be 12 digits, got 10']);
    expect(issues(validCampaign({ jurisdictionCode: undefined }))).toEqual(['jurisdictionCode: is required']);
  });

  test('a period ends on or after its start, on real dates', () => {
    expect(issues(validCampaign({ period: { from: '2023-06-01', to: '2023-06-01' } }))).toEqual([]);
    expect(issues(validCampaign({ period: { from: '2023-06-02', to: '2023-06-01' } }))).toEqual([
      'period.to: is 2023-06-01, before the start 2023-06-02',
    ]);
    expect(issues(validCampaign({ period: { from: '2023-02-30', to: '2023-03-01' } }))).toEqual([
      'period.from: must be a real calendar date written YYYY-MM-DD',
    ]);
  });

  test('a checklist has 1-100 items with unique codes', () => {
    const item = (code: string) => ({ code, zh: '检查项', en: 'Item' });
    expect(issues(validCampaign({ checklist: [] }))).toEqual(['checklist: must have at least one item']);
    expect(issues(validCampaign({ checklist: Array.from({ length: 100 }, (_, i) => item(`c${i}`)) }))).toEqual([]);
    expect(issues(validCampaign({ checklist: Array.from({ length: 101 }, (_, i) => item(`c${i}`)) }))).toEqual([
      'checklist: must have at most 100 items',
    ]);
    expect(issues(validCampaign({ checklist: [item('a'), item('b'), item('a')] }))).toEqual([
      'checklist.2.code: item code "a" is used twice',
    ]);
  });

  test('rejects unknown fields', () => {
    expect(issues(validCampaign({ owner: 'me' }))).toEqual([': Unrecognized key: "owner"']);
  });
});

describe('validateCampaign', () => {
  test('throws VALIDATION_FAILED naming every bad field as a JSON path', () => {
    let error: unknown;
    try {
      validateCampaign(
        validCampaign({
          jurisdictionCode: 'x',
          checklist: [
            { code: 'a', zh: '甲', en: 'A' },
            { code: 'a', zh: '', en: 'A' },
          ],
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).details.map((d) => d.path)).toEqual([
      '$.jurisdictionCode',
      '$.checklist[1].zh',
      '$.checklist[1].code',
    ]);
  });
});

describe('isUnitTargeted', () => {
  const highRise = seed('high_rise_risk_clearance');

  test('only units of a target category', () => {
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2023-06-01')).toBe(true);
    expect(isUnitTargeted(highRise, { category: 'factory' }, '2023-06-01')).toBe(false);
    expect(isUnitTargeted(seed('factory_warehouse_review'), { category: 'logistics' }, '2023-06-01')).toBe(true);
  });

  test('only within the period, both ends included', () => {
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2023-01-01')).toBe(true);
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2023-12-31')).toBe(true);
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2022-12-31')).toBe(false);
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2024-01-01')).toBe(false);
  });

  test('an instant counts on its Beijing calendar day', () => {
    // 16:00 UTC is midnight in Beijing.
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2022-12-31T16:00:00Z')).toBe(true);
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2022-12-31T15:59:59Z')).toBe(false);
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, new Date('2023-12-31T16:00:00Z'))).toBe(false);
    expect(isUnitTargeted(highRise, { category: 'high_rise' }, '2023-12-31T23:30:00+08:00')).toBe(true);
  });

  test('a derived flag reaches units of any category: the 12-storey, 39.6 m hotel is in the high-rise campaign', () => {
    const hotel = { category: 'hotel', highRise: true, selfBuiltTarget: false };
    expect(isUnitTargeted(highRise, hotel, '2023-06-01')).toBe(true);
    expect(isUnitTargeted(highRise, { ...hotel, highRise: false }, '2023-06-01')).toBe(false);
    expect(isUnitTargeted(seed('factory_warehouse_review'), hotel, '2023-06-01')).toBe(false);
    const house = { category: 'business_self_built_house', selfBuiltTarget: true };
    expect(isUnitTargeted(seed('business_self_built_house'), house, '2023-06-01')).toBe(true);
    // A view written before the flag was kept (flag absent) is targeted by category only.
    expect(isUnitTargeted(highRise, { category: 'hotel' }, '2023-06-01')).toBe(false);
    // A campaign stored before flags existed targets by category only.
    const { targetFlags: _f, ...stored } = highRise;
    expect(isUnitTargeted(stored, hotel, '2023-06-01')).toBe(false);
  });

  test('refuses a date it cannot read instead of answering false', () => {
    expect(() => isUnitTargeted(highRise, { category: 'high_rise' }, 'soon')).toThrow(DomainError);
  });
});

describe('checklist factor hints', () => {
  test('every GB 35181 factor hint on a seed checklist exists in the catalogue', () => {
    const hints = SEED_CAMPAIGNS.flatMap((c) => c.checklist.flatMap((i) => (i.factorCode ? [i.factorCode] : [])));
    expect(hints.length).toBeGreaterThanOrEqual(5);
    for (const code of hints) expect(factorByCode(code)?.kind).toBe('comprehensive');
  });
});
