import { z } from 'zod';
import { SEED_CAMPAIGNS } from '../../src/domain/campaigns.ts';
import type { CampaignDef } from '../../src/domain/campaigns.ts';
import { DomainError, jsonPath, parseInput } from '@firegov/contracts';
import { evidenceSchema } from '../../src/domain/fields.ts';
import { hazardCandidates, InspectionKind, validateInspection } from '../../src/domain/inspection.ts';

const NOW = new Date('2023-06-01T04:00:00Z'); // 12:00 in Beijing
const SHA = 'ab'.repeat(32);
const FACTORY = SEED_CAMPAIGNS.find((c) => c.key === 'factory_warehouse_review') as CampaignDef;

function validInspection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unitId: 'unit_0lhx2k3p4a1b2c3d4e5',
    kind: 'village_screening',
    campaignKey: 'factory_warehouse_review',
    inspectedAt: '2023-06-01T10:30:00+08:00',
    inspectors: ['张三', '李四'],
    results: [
      {
        itemCode: 'exit_locked',
        outcome: 'fail',
        note: '北侧安全出口上锁',
        evidence: [{ url: 'https://files.example.cn/a.jpg', sha256: SHA }],
      },
      { itemCode: 'fire_lane_occupied', outcome: 'pass' },
      { itemCode: 'residence', outcome: 'not_applicable' },
    ],
    ...overrides,
  };
}

/** The details of the DomainError `fn` throws, as "path: reason". */
function details(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.details.map((d) => `${d.path}: ${d.reason}`);
  }
  throw new Error('expected a DomainError');
}

describe('DomainError and parseInput', () => {
  test('jsonPath writes array indexes in brackets', () => {
    expect(jsonPath(['results', 3, 'evidence', 0, 'sha256'])).toBe('$.results[3].evidence[0].sha256');
    expect(jsonPath([])).toBe('$');
  });

  test('parseInput returns the parsed data', () => {
    expect(parseInput(z.object({ a: z.string().trim() }), { a: ' x ' })).toEqual({ a: 'x' });
  });

  test('parseInput lists every bad field, not just the first', () => {
    const schema = z.object({ a: z.string(), b: z.array(z.object({ c: z.number() })) });
    let error: unknown;
    try {
      parseInput(schema, { a: 1, b: [{ c: 1 }, { c: 'x' }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DomainError', code: 'VALIDATION_FAILED' });
    expect((error as DomainError).details.map((d) => d.path)).toEqual(['$.a', '$.b[1].c']);
  });
});

describe('InspectionKind', () => {
  test('has the five kinds with their Chinese names', () => {
    expect(InspectionKind.values.map((k) => `${k}:${InspectionKind.label(k)}`)).toEqual([
      'self_check:自查',
      'village_screening:排查',
      'department_verification:核查',
      'unannounced_visit:明查暗访',
      'joint_inspection:联合检查',
    ]);
  });
});

describe('evidenceSchema', () => {
  test('lowercases the digest so one file has one spelling', () => {
    expect(evidenceSchema.parse({ url: 'http://a.example/x.jpg', sha256: ` ${SHA.toUpperCase()} ` })).toEqual({
      url: 'http://a.example/x.jpg',
      sha256: SHA,
    });
  });

  test('accepts only http(s) URLs and 64-hex digests', () => {
    const result = evidenceSchema.safeParse({ url: 'ftp://a.example/x.jpg', sha256: 'ab' });
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'url: must be an absolute http(s) URL',
      'sha256: must be a SHA-256 digest: 64 hexadecimal characters',
    ]);
    expect(evidenceSchema.safeParse({ url: 'javascript:alert(1)', sha256: SHA }).success).toBe(false);
  });
});

describe('validateInspection', () => {
  test('accepts an inspection and trims names', () => {
    const inspection = validateInspection(validInspection({ inspectors: [' 张三 '] }), NOW, FACTORY);
    expect(inspection.inspectors).toEqual(['张三']);
    expect(inspection.results).toHaveLength(3);
    expect(inspection.results[0]?.evidence).toEqual([{ url: 'https://files.example.cn/a.jpg', sha256: SHA }]);
  });

  test('accepts an inspection outside any campaign with free item codes', () => {
    const input = validInspection({ campaignKey: undefined, results: [{ itemCode: 'GB35181-7.1.1', outcome: 'pass' }] });
    expect(validateInspection(input, NOW).results[0]?.itemCode).toBe('GB35181-7.1.1');
  });

  test('allows 5 minutes of clock skew, not more', () => {
    expect(() => validateInspection(validInspection({ inspectedAt: '2023-06-01T04:05:00Z' }), NOW)).not.toThrow();
    expect(details(() => validateInspection(validInspection({ inspectedAt: '2023-06-01T04:05:01Z' }), NOW))).toEqual([
      '$.inspectedAt: is 6 minutes in the future (now is 2023-06-01T04:00:00.000Z); at most 5 minutes of clock skew is allowed',
    ]);
    // Beijing noon written with its offset is the same instant as NOW, not 8 hours ahead.
    expect(() => validateInspection(validInspection({ inspectedAt: '2023-06-01T12:00:00+08:00' }), NOW)).not.toThrow();
  });

  test('needs a date-time with an offset', () => {
    expect(details(() => validateInspection(validInspection({ inspectedAt: '2023-06-01 10:30' }), NOW))).toEqual([
      '$.inspectedAt: must be an ISO 8601 date-time with seconds and an offset, e.g. 2023-05-01T09:30:00+08:00',
    ]);
  });

  test('a failed item needs a note', () => {
    const results = [{ itemCode: 'exit_locked', outcome: 'fail' }];
    expect(details(() => validateInspection(validInspection({ results }), NOW))).toEqual([
      '$.results[0].note: is required when the outcome is "fail": say what is wrong',
    ]);
  });

  test('each item is reported once', () => {
    const results = [
      { itemCode: 'exit_locked', outcome: 'pass' },
      { itemCode: 'exit_locked', outcome: 'pass' },
    ];
    expect(details(() => validateInspection(validInspection({ results }), NOW))).toEqual([
      '$.results[1].itemCode: item code "exit_locked" is used twice',
    ]);
  });

  test('checks the list sizes', () => {
    const result = (i: number) => ({ itemCode: `i${i}`, outcome: 'pass' });
    expect(
      details(() => validateInspection(validInspection({ campaignKey: undefined, inspectors: [], results: [] }), NOW)),
    ).toEqual(['$.inspectors: must name at least one inspector', '$.results: must have at least one result']);
    expect(
      details(() =>
        validateInspection(
          validInspection({
            campaignKey: undefined,
            inspectors: Array.from({ length: 21 }, (_, i) => `检查员${i}`),
            results: Array.from({ length: 201 }, (_, i) => result(i)),
          }),
          NOW,
        ),
      ),
    ).toEqual(['$.inspectors: must have at most 20 entries', '$.results: must have at most 200 entries']);
    const max = validInspection({ campaignKey: undefined, results: Array.from({ length: 200 }, (_, i) => result(i)) });
    expect(validateInspection(max, NOW).results).toHaveLength(200);
  });

  test('names the kind, unit id, outcome and evidence problems in one error', () => {
    const input = validInspection({
      unitId: 'unit 1',
      kind: 'audit',
      results: [
        {
          itemCode: 'exit_locked',
          outcome: 'broken',
          evidence: [{ url: 'not a url', sha256: SHA }],
        },
      ],
      extra: true,
    });
    expect(details(() => validateInspection(input, NOW))).toEqual([
      '$.unitId: must be an id of 1-64 letters, digits, "_" or "-"',
      expect.stringMatching(/^\$\.kind: "audit" is not a known value/),
      expect.stringMatching(/^\$\.results\[0\]\.outcome: "broken" is not a known value/),
      '$.results[0].evidence[0].url: must be an absolute http(s) URL',
      '$: Unrecognized key: "extra"',
    ]);
  });

  test('against a campaign, every item must be on its checklist', () => {
    const results = [
      { itemCode: 'exit_locked', outcome: 'pass' },
      { itemCode: 'smart_fire_protection', outcome: 'pass' },
    ];
    expect(details(() => validateInspection(validInspection({ results }), NOW, FACTORY))).toEqual([
      '$.results[1].itemCode: "smart_fire_protection" is not on the checklist of campaign factory_warehouse_review',
    ]);
  });

  test('against a campaign, the inspection must name that campaign', () => {
    expect(details(() => validateInspection(validInspection({ campaignKey: 'high_rise_risk_clearance' }), NOW, FACTORY))).toEqual(
      ['$.campaignKey: must be "factory_warehouse_review", the campaign checked against'],
    );
  });

  test('reports field, clock and checklist problems together', () => {
    const input = validInspection({
      inspectedAt: '2023-06-02T04:00:00Z',
      results: [
        { itemCode: 'exit_locked', outcome: 'fail' },
        { itemCode: 'unknown_item', outcome: 'pass' },
      ],
    });
    expect(details(() => validateInspection(input, NOW, FACTORY)).map((d) => d.split(':')[0])).toEqual([
      '$.results[0].note',
      '$.inspectedAt',
      '$.results[1].itemCode',
    ]);
  });

  test('does not crash on input that is not an object', () => {
    expect(details(() => validateInspection(null, NOW, FACTORY))).toEqual(['$: must be an object, got null']);
    expect(details(() => validateInspection(validInspection({ results: 'none' }), NOW, FACTORY))).toEqual([
      '$.results: must be an array, got string',
    ]);
  });
});

describe('hazardCandidates', () => {
  test('one candidate per failed item, titled by the checklist, with its factor hint', () => {
    const inspection = validateInspection(validInspection(), NOW, FACTORY);
    expect(hazardCandidates(inspection, FACTORY)).toEqual([
      {
        itemCode: 'exit_locked',
        title: '锁闭安全出口',
        description: '北侧安全出口上锁',
        factorCodes: ['C-3.3'],
        evidence: [{ url: 'https://files.example.cn/a.jpg', sha256: SHA }],
      },
    ]);
  });

  test('without a campaign the note is the title, shortened to one line of 80 characters', () => {
    const longNote = `${'仓库内堆放大量可燃物'.repeat(10)}\n第二行`;
    const inspection = validateInspection(
      validInspection({
        campaignKey: undefined,
        results: [
          { itemCode: 'a', outcome: 'fail', note: '灭火器过期' },
          { itemCode: 'b', outcome: 'fail', note: longNote },
          { itemCode: 'c', outcome: 'pass' },
        ],
      }),
      NOW,
    );
    const [short, long] = hazardCandidates(inspection);
    expect(short).toMatchObject({ title: '灭火器过期', description: '灭火器过期', evidence: [] });
    expect(Array.from(long!.title)).toHaveLength(80);
    expect(long!.title.endsWith('…')).toBe(true);
    expect(long!.description).toBe(longNote);
    expect(hazardCandidates(inspection)).toHaveLength(2);
  });

  test('factor codes: the inspector wins over the checklist hint, which is the default', () => {
    const campaign: Pick<CampaignDef, 'key' | 'checklist'> = {
      key: 'custom_check',
      checklist: [
        { code: 'lane', zh: '消防车道被占用', en: 'Fire lane occupied', factorCode: '7.1.1' },
        { code: 'exit', zh: '安全出口被封堵', en: 'Exit blocked', factorCode: '7.3.3' },
      ],
    };
    const inspection = validateInspection(
      validInspection({
        campaignKey: 'custom_check',
        results: [
          { itemCode: 'lane', outcome: 'fail', note: '货车占用' },
          { itemCode: 'exit', outcome: 'fail', note: '铁链锁闭', factorCodes: ['6.5'] },
        ],
      }),
      NOW,
      campaign,
    );
    expect(hazardCandidates(inspection, campaign).map((c) => c.factorCodes)).toEqual([['7.1.1'], ['6.5']]);
  });

  test('candidates are copies: changing one does not change the inspection', () => {
    const inspection = validateInspection(validInspection(), NOW, FACTORY);
    const [candidate] = hazardCandidates(inspection, FACTORY);
    candidate!.evidence[0]!.url = 'https://evil.example/';
    expect(inspection.results[0]?.evidence?.[0]?.url).toBe('https://files.example.cn/a.jpg');
  });
});
