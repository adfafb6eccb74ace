import { createHash } from 'node:crypto';
import { DomainError } from '@firegov/contracts';
import {
  agencyInputSchema,
  amendmentSchema,
  AssessmentMethod,
  beijingDate,
  bodyHash,
  canonicalBody,
  contentHash,
  contractInputSchema,
  daysBetween,
  engineerInputSchema,
  FindingCategory,
  gradeForScore,
  isCalendarDate,
  submissionSchema,
  validateAmendment,
  validateSubmission,
  withdrawalSchema,
} from '../../src/domain/inputs.ts';
import type { SubmissionInput } from '../../src/domain/inputs.ts';

const NOW = new Date('2024-03-10T04:00:00Z'); // 12:00 in Beijing
const SHA = 'ab'.repeat(32);
const USCC = '91110000802100433B';

function finding(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'f-1',
    category: 'evacuation',
    severity: 'major',
    description: '北侧安全出口上锁',
    location: '一层北侧',
    factorCodes: ['A-3', 'B-2.1'],
    evidence: [{ url: 'https://files.example.cn/a.jpg', sha256: SHA }],
    ...overrides,
  };
}

function submission(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unit: { unitId: 'unit_0lhx2k3p4a' },
    engineerLicence: 'ZC-2019-110001',
    assessedOn: '2024-03-01',
    method: 'on_site',
    score: 72.5,
    grade: 'B',
    findings: [finding(), finding({ id: 'f-2', category: 'extinguishers', severity: 'general', factorCodes: undefined })],
    report: { url: 'https://files.example.cn/report.pdf', sha256: SHA },
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

/** Issues of a plain safeParse as "path: message" (paths joined with dots). */
function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): string[] {
  return (result.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

describe('dates', () => {
  test('isCalendarDate accepts real dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-04-31')).toBe(false);
    expect(isCalendarDate('2024-4-01')).toBe(false);
    expect(isCalendarDate('0050-01-01')).toBe(false);
  });

  test('beijingDate turns over at 16:00 UTC', () => {
    expect(beijingDate(new Date('2024-03-16T15:59:59Z'))).toBe('2024-03-16');
    expect(beijingDate(new Date('2024-03-16T16:00:00Z'))).toBe('2024-03-17');
  });

  test('daysBetween counts calendar days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
  });
});

describe('enums', () => {
  test('methods and categories carry their Chinese names', () => {
    expect(AssessmentMethod.values.map((m) => AssessmentMethod.label(m))).toEqual(['现场评估', '资料审查', '检测', '综合']);
    expect(FindingCategory.values).toHaveLength(11);
    expect(FindingCategory.label('smoke_control')).toBe('防烟排烟');
    expect(FindingCategory.label('fire_lane')).toBe('消防车通道');
  });
});

describe('gradeForScore', () => {
  test.each([
    [100, 'A'],
    [85, 'A'],
    [84.9, 'B'],
    [70, 'B'],
    [69.9, 'C'],
    [60, 'C'],
    [59.9, 'D'],
    [0, 'D'],
  ])('%s is grade %s', (score, grade) => {
    expect(gradeForScore(score)).toBe(grade);
  });
});

describe('submissionSchema', () => {
  test('accepts a valid submission and normalises licence and hashes', () => {
    const parsed = validateSubmission(
      submission({ engineerLicence: ' zc-2019-110001 ', report: { url: 'https://x.cn/r.pdf', sha256: SHA.toUpperCase() } }),
      NOW,
    );
    expect(parsed.engineerLicence).toBe('ZC-2019-110001');
    expect(parsed.report.sha256).toBe(SHA);
    expect(parsed.unit).toEqual({ unitId: 'unit_0lhx2k3p4a' });
    expect(parsed.findings).toHaveLength(2);
  });

  test('a unit can be named by credit code, normalised to upper case', () => {
    const parsed = validateSubmission(submission({ unit: { creditCode: ` ${USCC.toLowerCase()} ` } }), NOW);
    expect(parsed.unit).toEqual({ creditCode: USCC });
  });

  test('the unit needs exactly one of unitId and creditCode, reported at $.unit', () => {
    expect(details(() => validateSubmission(submission({ unit: {} }), NOW))).toEqual([
      '$.unit: must name the unit by exactly one of unitId or creditCode, got neither',
    ]);
    expect(details(() => validateSubmission(submission({ unit: { unitId: 'u1', creditCode: USCC } }), NOW))).toEqual([
      '$.unit: must name the unit by exactly one of unitId or creditCode, got both',
    ]);
    expect(details(() => validateSubmission(submission({ unit: 'u1' }), NOW))).toEqual(['$.unit: must be an object, got string']);
  });

  test('a bad credit code and an unknown unit key are named', () => {
    const found = details(() => validateSubmission(submission({ unit: { creditCode: '91110000802100433C', name: 'x' } }), NOW));
    expect(found).toContain('$.unit.creditCode: check character is "C", expected "B"');
    expect(found).toContain('$.unit: has unknown field(s) "name": check the spelling');
  });

  test('names every bad field of a broken submission in one error', () => {
    const found = details(() =>
      validateSubmission(
        submission({
          engineerLicence: 'ab',
          assessedOn: '2024-02-30',
          method: 'guess',
          score: 72.55,
          findings: [
            finding(),
            finding({ severity: 'big', factorCodes: ['a-1'], evidence: [{ url: 'ftp://x', sha256: 'x' }] }),
            finding({ id: 'bad id', description: 'x', location: ' ' }),
          ],
          report: { url: 'http://x.cn/r.pdf', sha256: SHA },
          extra: true,
        }),
        NOW,
      ),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        '$.engineerLicence: must be a licence number of 6-32 letters, digits or "-"',
        '$.assessedOn: must be a real date written YYYY-MM-DD, e.g. 2024-03-01',
        '$.method: "guess" is not a known value; expected one of: on_site, document_review, testing, combined',
        '$.score: must have at most one decimal, e.g. 72.5',
        '$.findings[1].severity: "big" is not a known value; expected one of: general, major',
        '$.findings[1].factorCodes[0]: must be a factor code such as "A-3" or "B-2.1"',
        '$.findings[1].evidence[0].url: must be an absolute http(s) URL',
        '$.findings[1].evidence[0].sha256: must be a SHA-256 digest: 64 hexadecimal characters',
        '$.findings[1].id: finding id "f-1" is used twice',
        '$.findings[2].id: must be a finding id of 1-40 letters, digits, "_" or "-"',
        '$.findings[2].description: must be at least 2 characters',
        '$.findings[2].location: must not be empty',
        '$.report.url: must be an absolute https URL',
        '$: has unknown field(s) "extra": check the spelling',
      ]),
    );
    expect(found).toHaveLength(14);
  });

  test('the grade must agree with the score, naming the expected grade', () => {
    expect(details(() => validateSubmission(submission({ score: 85, grade: 'B' }), NOW))).toEqual([
      '$.grade: is "B" but a score of 85 is grade "A" (A ≥ 85, B ≥ 70, C ≥ 60, D < 60)',
    ]);
    expect(details(() => validateSubmission(submission({ score: 59.9, grade: 'C' }), NOW))[0]).toContain('grade "D"');
    expect(validateSubmission(submission({ score: 60, grade: 'C' }), NOW).grade).toBe('C');
  });

  test('the grade is still checked when another field failed', () => {
    expect(details(() => validateSubmission(submission({ score: 90, grade: 'C', method: 1 }), NOW))).toEqual([
      '$.method: must be a string, got number',
      '$.grade: is "C" but a score of 90 is grade "A" (A ≥ 85, B ≥ 70, C ≥ 60, D < 60)',
    ]);
  });

  test('score bounds', () => {
    expect(details(() => validateSubmission(submission({ score: 100.1, grade: 'A' }), NOW))).toEqual([
      '$.score: must be at most 100',
    ]);
    expect(details(() => validateSubmission(submission({ score: -1, grade: 'D' }), NOW))).toEqual([
      '$.score: must be at least 0',
    ]);
    expect(details(() => validateSubmission(submission({ score: '80' }), NOW))).toEqual([
      '$.score: must be a number, got string',
    ]);
    expect(validateSubmission(submission({ score: 0, grade: 'D' }), NOW).score).toBe(0);
    expect(validateSubmission(submission({ score: 0.3, grade: 'D' }), NOW).score).toBe(0.3);
  });

  test('findings may be empty but not more than 200, and evidence is required', () => {
    expect(validateSubmission(submission({ findings: [] }), NOW).findings).toEqual([]);
    const many = Array.from({ length: 201 }, (_, i) => finding({ id: `f${i}` }));
    expect(details(() => validateSubmission(submission({ findings: many }), NOW))).toEqual([
      '$.findings: must have at most 200 entries',
    ]);
    expect(details(() => validateSubmission(submission({ findings: [finding({ evidence: undefined })] }), NOW))).toEqual([
      '$.findings[0].evidence: is required',
    ]);
    const tooMuch = Array.from({ length: 21 }, () => ({ url: 'https://x.cn/a', sha256: SHA }));
    expect(details(() => validateSubmission(submission({ findings: [finding({ evidence: tooMuch })] }), NOW))).toEqual([
      '$.findings[0].evidence: must have at most 20 entries',
    ]);
  });

  test('an assessment dated after today in Beijing is refused', () => {
    // 2024-03-10 20:00 UTC is already 03-11 in Beijing.
    const evening = new Date('2024-03-10T20:00:00Z');
    expect(validateSubmission(submission({ assessedOn: '2024-03-11' }), evening).assessedOn).toBe('2024-03-11');
    expect(details(() => validateSubmission(submission({ assessedOn: '2024-03-11' }), NOW))).toEqual([
      '$.assessedOn: is after today (2024-03-10, Beijing time)',
    ]);
  });

  test('the plain schema does not know today', () => {
    expect(submissionSchema.safeParse(submission({ assessedOn: '2099-01-01' })).success).toBe(true);
  });
});

describe('amendmentSchema and withdrawalSchema', () => {
  function amendment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const { unit: _unit, ...rest } = submission();
    return { ...rest, reason: '补充现场照片', ...overrides };
  }

  test('an amendment has no unit and needs a reason', () => {
    expect(validateAmendment(amendment(), NOW).reason).toBe('补充现场照片');
    expect(details(() => validateAmendment(amendment({ reason: undefined }), NOW))).toEqual(['$.reason: is required']);
    expect(details(() => validateAmendment(amendment({ reason: '改' }), NOW))).toEqual([
      '$.reason: must be at least 4 characters',
    ]);
    expect(details(() => validateAmendment(amendment({ unit: { unitId: 'u1' } }), NOW))).toEqual([
      '$: has unknown field(s) "unit": check the spelling',
    ]);
  });

  test('an amendment is checked like a submission', () => {
    expect(amendmentSchema.safeParse(amendment({ score: 50, grade: 'A' })).error?.issues[0]?.path).toEqual(['grade']);
    expect(details(() => validateAmendment(amendment({ assessedOn: '2024-03-12' }), NOW))).toEqual([
      '$.assessedOn: is after today (2024-03-10, Beijing time)',
    ]);
  });

  test('a withdrawal is a reason of 4-500 characters and nothing else', () => {
    expect(withdrawalSchema.parse({ reason: '  重复提交，撤回  ' })).toEqual({ reason: '重复提交，撤回' });
    expect(withdrawalSchema.safeParse({ reason: 'x'.repeat(501) }).success).toBe(false);
    expect(withdrawalSchema.safeParse({ reason: '重复提交', by: 'me' }).success).toBe(false);
  });
});

describe('agency, engineer and contract inputs', () => {
  test('agency: credit code checked, landline or mobile normalised', () => {
    const base = { name: '某某消防技术服务有限公司', creditCode: USCC, qualification: 'class_1' };
    expect(agencyInputSchema.parse({ ...base, contactPhone: '+86 571 8888 6666' }).contactPhone).toBe('057188886666');
    expect(agencyInputSchema.parse({ ...base, contactPhone: '(010) 1234-5678' }).contactPhone).toBe('01012345678');
    expect(agencyInputSchema.parse({ ...base, contactPhone: '138 1234 5678' }).contactPhone).toBe('13812345678');
    expect(issues(agencyInputSchema.safeParse({ ...base, contactPhone: '12345' }))).toEqual([
      'contactPhone: must be a mainland mobile (13812345678) or landline with area code (0571-88886666)',
    ]);
    expect(issues(agencyInputSchema.safeParse({ ...base, qualification: 'class_3', creditCode: '123' }))).toEqual([
      'creditCode: must be 18 characters, got 3',
      'qualification: "class_3" is not a known value; expected one of: class_1, class_2, provisional',
    ]);
  });

  test('engineer: validUntil on or after validFrom', () => {
    const base = { name: '王工', licenceNo: 'ZC-2019-110001', validFrom: '2024-01-01', validUntil: '2024-01-01' };
    expect(engineerInputSchema.parse(base).validUntil).toBe('2024-01-01');
    expect(issues(engineerInputSchema.safeParse({ ...base, validUntil: '2023-12-31' }))).toEqual([
      'validUntil: must be on or after validFrom (2024-01-01)',
    ]);
    // The period is checked even when another field failed.
    expect(issues(engineerInputSchema.safeParse({ ...base, name: 'x', validUntil: '2023-12-31' }))).toHaveLength(2);
  });

  test('contract: covers units or divisions, deduplicated, within a period', () => {
    const base = { agencyId: 'agency_1', validFrom: '2024-01-01', validUntil: '2024-12-31' };
    expect(contractInputSchema.parse({ ...base, unitIds: ['u1', 'u2', 'u1'] }).unitIds).toEqual(['u1', 'u2']);
    expect(contractInputSchema.parse({ ...base, jurisdictionCodes: ['330106000000'] }).jurisdictionCodes).toEqual([
      '330106000000',
    ]);
    expect(issues(contractInputSchema.safeParse({ ...base, unitIds: [], jurisdictionCodes: [] }))).toEqual([
      'unitIds: at least one of unitIds or jurisdictionCodes must list something',
    ]);
    expect(issues(contractInputSchema.safeParse({ ...base, jurisdictionCodes: ['990106000000'] }))).toEqual([
      'jurisdictionCodes.0: province code 99 is not valid',
    ]);
    expect(issues(contractInputSchema.safeParse({ ...base, unitIds: ['u1'], validUntil: '2023-01-01' }))).toEqual([
      'validUntil: must be on or after validFrom (2024-01-01)',
    ]);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => `u${i}`);
    expect(issues(contractInputSchema.safeParse({ ...base, unitIds: tooMany }))).toContain(
      'unitIds: must have at most 10000 entries',
    );
  });
});

describe('canonicalBody and hashes', () => {
  test('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalBody({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  test('sorts by code unit, so numeric-looking keys are not reordered numerically', () => {
    expect(canonicalBody({ 9: 'a', 10: 'b', B: 1, a: 2 })).toBe('{"10":"b","9":"a","B":1,"a":2}');
  });

  test('follows JSON for undefined, dates and strings', () => {
    expect(canonicalBody({ a: undefined, b: [undefined], c: new Date('2024-01-01T00:00:00Z'), d: '引号"\n' })).toBe(
      '{"b":[null],"c":"2024-01-01T00:00:00.000Z","d":"引号\\"\\n"}',
    );
    expect(canonicalBody(null)).toBe('null');
  });

  test('refuses what JSON would mangle', () => {
    expect(() => canonicalBody({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalBody(1n)).toThrow(TypeError);
    expect(() => canonicalBody(undefined)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalBody(cyclic)).toThrow('cycle');
  });

  test('a repeated (non-cyclic) object is fine', () => {
    const shared = { x: 1 };
    expect(canonicalBody({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  test('bodyHash is the sha256 of the canonical body and ignores key order', () => {
    const expected = createHash('sha256').update('{"a":1,"b":"汉"}', 'utf8').digest('hex');
    expect(bodyHash({ b: '汉', a: 1 })).toBe(expected);
    expect(bodyHash({ a: 1, b: '汉' })).toBe(expected);
    expect(bodyHash({ a: 2, b: '汉' })).not.toBe(expected);
  });

  test('contentHash ignores the unit and the reason but not the content', () => {
    const submitted = validateSubmission(submission(), NOW);
    const { unit: _unit, ...rest } = submission();
    const amended = validateAmendment({ ...rest, reason: '没有改动内容' }, NOW);
    expect(contentHash(amended)).toBe(contentHash(submitted));
    const other: SubmissionInput = { ...submitted, score: 73 };
    expect(contentHash(other)).not.toBe(contentHash(submitted));
    expect(contentHash(submitted)).not.toBe(bodyHash(submitted));
  });
});
