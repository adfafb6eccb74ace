import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@firegov/contracts';
import {
  followReport,
  hashToken,
  isWellFormedToken,
  newTrackingToken,
  normalizeToken,
  open311Services,
  publicNotes,
  receiveReport,
  recordRewardPaid,
  ReportCategory,
  reportInputSchema,
  rewardEligibility,
  triageReport,
} from '../../src/domain/reports.ts';
import type { NewReport } from '../../src/domain/reports.ts';

const NOW = new Date('2023-06-01T04:00:00Z');
const LATER = new Date('2023-06-02T01:00:00Z');
const SHA = 'cd'.repeat(32);
const MOBILE = '13812345678';

function validReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service_code: 'blocked_exit',
    description: '青龙乡场镇某超市后门安全出口长期上锁',
    address_string: '青龙乡场镇正街12号',
    ...overrides,
  };
}

function issues(input: unknown): string[] {
  const result = reportInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function received(overrides: Record<string, unknown> = {}): NewReport {
  return receiveReport(validReport(overrides), { now: NOW });
}

describe('ReportCategory and open311Services', () => {
  test('has the eight categories with Chinese names', () => {
    expect(ReportCategory.values).toEqual([
      'blocked_exit',
      'fire_lane_occupied',
      'ebike_indoor',
      'illegal_residence',
      'facilities_broken',
      'illegal_welding',
      'dangerous_goods',
      'other',
    ]);
    expect(ReportCategory.label('blocked_exit')).toBe('安全出口堵塞/锁闭');
    expect(ReportCategory.label('ebike_indoor')).toBe('电动车违规停放充电');
  });

  test('lists one Open311 service per category, realtime and without metadata', () => {
    const services = open311Services();
    expect(services.map((s) => s.service_code)).toEqual(ReportCategory.values);
    expect(services[1]).toMatchObject({
      service_code: 'fire_lane_occupied',
      service_name: '占用消防车通道',
      metadata: false,
      type: 'realtime',
    });
    for (const service of services) expect(service.description.length).toBeGreaterThan(1);
  });
});

describe('reportInputSchema', () => {
  test('accepts a report with an address and fills in the defaults', () => {
    expect(reportInputSchema.parse(validReport())).toMatchObject({ anonymous: false, whistleblower: false });
  });

  test('accepts a report with coordinates only, a contact and media', () => {
    const report = reportInputSchema.parse(
      validReport({
        address_string: undefined,
        lat: 29.88,
        long: 107.73,
        contact: { name: '王女士', phone: '+86 138-1234-5678' },
        media: [{ url: 'https://img.example.cn/1.jpg', sha256: SHA.toUpperCase() }],
        whistleblower: true,
      }),
    );
    expect(report.contact).toEqual({ name: '王女士', phone: MOBILE });
    expect(report.media).toEqual([{ url: 'https://img.example.cn/1.jpg', sha256: SHA }]);
  });

  test('lat and long come together', () => {
    expect(issues(validReport({ lat: 29.88 }))).toEqual(['long: is required when lat is given']);
    expect(issues(validReport({ long: 107.73 }))).toEqual(['lat: is required when long is given']);
  });

  test('needs a place: coordinates or an address', () => {
    expect(issues(validReport({ address_string: undefined }))).toEqual([
      'address_string: is required when lat and long are not given',
    ]);
  });

  test('coordinates must lie in China', () => {
    expect(issues(validReport({ lat: 107.73, long: 29.88 }))).toEqual(['lat: must be at most 54', 'long: must be at least 73']);
  });

  test('an anonymous report carries no contact', () => {
    expect(issues(validReport({ anonymous: true, contact: { phone: MOBILE } }))).toEqual([
      'contact: must be left out of an anonymous report; send anonymous: false to be contacted',
    ]);
    expect(issues(validReport({ anonymous: true }))).toEqual([]);
  });

  test('checks lengths, the phone and the media count', () => {
    const media = Array.from({ length: 6 }, () => ({ url: 'https://img.example.cn/1.jpg', sha256: SHA }));
    expect(issues(validReport({ description: '有隐患', contact: { phone: '12345678901' }, media }))).toEqual([
      'description: must be at least 10 characters',
      'media: must have at most 5 entries',
      'contact.phone: second digit must be 3-9, got "2"',
    ]);
    expect(issues(validReport({ description: '隐'.repeat(2001) }))).toEqual(['description: must be at most 2000 characters']);
    expect(issues(validReport({ description: '隐'.repeat(2000) }))).toEqual([]);
  });

  test('rejects unknown keys and unknown categories', () => {
    expect(issues(validReport({ email: 'a@b.cn', service_code: 'noise' }))).toEqual([
      expect.stringMatching(/^service_code: "noise" is not a known value/),
      ': Unrecognized key: "email"',
    ]);
  });
});

describe('receiveReport', () => {
  test('opens a received report with its place and a first public note', () => {
    const report = receiveReport(validReport({ lat: 29.88, long: 107.73, contact: { phone: MOBILE } }), { now: NOW });
    expect(report).toEqual({
      category: 'blocked_exit',
      description: '青龙乡场镇某超市后门安全出口长期上锁',
      location: { lat: 29.88, long: 107.73, address: '青龙乡场镇正街12号' },
      media: [],
      anonymous: false,
      whistleblower: false,
      contact: { phone: MOBILE },
      status: 'received',
      receivedAt: '2023-06-01T04:00:00.000Z',
      notes: [{ at: '2023-06-01T04:00:00.000Z', status: 'received', note: expect.stringContaining('已收到') }],
    });
  });

  test('throws VALIDATION_FAILED with JSON paths', () => {
    const error = thrown(() =>
      receiveReport(validReport({ address_string: undefined, anonymous: true, contact: { phone: MOBILE } }), { now: NOW }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toEqual(['$.address_string', '$.contact']);
  });
});

describe('triageReport', () => {
  const ctx = { now: LATER, actor: '乡消防办 赵六' };

  test('to a hazard: records the hazard and tells the reporter without naming it', () => {
    const report = received();
    const triaged = triageReport(report, { kind: 'to_hazard', hazardId: 'hz_0lhx2k3p4' }, ctx);
    expect(triaged).toMatchObject({
      status: 'triaged_hazard',
      hazardId: 'hz_0lhx2k3p4',
      triagedBy: '乡消防办 赵六',
      triagedAt: '2023-06-02T01:00:00.000Z',
    });
    expect(triaged.notes.map((n) => n.status)).toEqual(['received', 'triaged_hazard']);
    expect(report.status).toBe('received');
    expect(report.notes).toHaveLength(1);
  });

  test('closing keeps the reason and shows it without the actor name', () => {
    const triaged = triageReport(
      received(),
      { kind: 'close', reason: '现场核实出口已开启。赵六' },
      { now: LATER, actor: '赵六' },
    );
    expect(triaged).toMatchObject({ status: 'closed', closeReason: '现场核实出口已开启。赵六', triagedBy: '赵六' });
    expect(triaged.notes[1]).toEqual({
      at: '2023-06-02T01:00:00.000Z',
      status: 'closed',
      note: '经核实，本举报已办结：现场核实出口已开启。***',
    });
  });

  test('keeps fields a store adds', () => {
    const stored = { ...received(), _id: 'rp_1', jurisdictionCode: '500230213201' };
    expect(triageReport(stored, { kind: 'to_hazard', hazardId: 'hz_1' }, ctx)).toMatchObject({
      _id: 'rp_1',
      jurisdictionCode: '500230213201',
    });
  });

  test('refuses a second triage', () => {
    const once = triageReport(received(), { kind: 'to_hazard', hazardId: 'hz_1' }, ctx);
    const error = thrown(() => triageReport(once, { kind: 'close', reason: '重复举报' }, ctx));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details).toEqual([{ path: '$.status', reason: 'is "triaged_hazard"; triage needs "received"' }]);
    const closed = triageReport(received(), { kind: 'close', reason: '重复举报' }, ctx);
    expect(thrown(() => triageReport(closed, { kind: 'to_hazard', hazardId: 'hz_1' }, ctx)).code).toBe('INVALID_TRANSITION');
  });

  test('validates the decision and the actor', () => {
    expect(thrown(() => triageReport(received(), { kind: 'close', reason: '不是' }, ctx)).details).toEqual([
      { path: '$.reason', reason: 'must be at least 4 characters' },
    ]);
    expect(thrown(() => triageReport(received(), { kind: 'escalate' }, ctx)).details).toEqual([
      { path: '$.kind', reason: 'must be "to_hazard" or "close"' },
    ]);
    expect(thrown(() => triageReport(received(), { kind: 'to_hazard' }, ctx)).details).toEqual([
      { path: '$.hazardId', reason: 'is required' },
    ]);
    expect(
      thrown(() => triageReport(received(), { kind: 'to_hazard', hazardId: 'hz_1' }, { now: LATER, actor: ' ' })).details,
    ).toEqual([{ path: '$.actor', reason: 'must name who acted' }]);
  });
});

describe('publicNotes', () => {
  test('show time, status and note only: no contact, staff or hazard id', () => {
    const report = received({ contact: { name: '王女士', phone: MOBILE } });
    const triaged = triageReport(report, { kind: 'to_hazard', hazardId: 'hz_secret_42' }, { now: LATER, actor: '赵六' });
    const notes = publicNotes({ notes: triaged.notes.map((n) => ({ ...n, internal: 'x' })) });
    expect(notes.map((n) => Object.keys(n).sort())).toEqual([
      ['at', 'note', 'status'],
      ['at', 'note', 'status'],
    ]);
    const text = JSON.stringify(notes);
    for (const secret of ['hz_secret_42', '赵六', MOBILE, '王女士', 'internal']) expect(text).not.toContain(secret);
    expect(notes.map((n) => n.status)).toEqual(['received', 'triaged_hazard']);
  });
});

describe('rewardEligibility', () => {
  const ctx = { now: LATER, actor: '赵六' };
  const toHazard = (overrides: Record<string, unknown> = {}) =>
    triageReport(received(overrides), { kind: 'to_hazard', hazardId: 'hz_1' }, ctx);

  test('a report that became a hazard earns the tier of its grade', () => {
    expect(rewardEligibility(toHazard(), 'major')).toMatchObject({ eligible: true, tier: 'major' });
    expect(rewardEligibility(toHazard(), 'general')).toMatchObject({ eligible: true, tier: 'general' });
  });

  test('before grading it is eligible with the tier open', () => {
    const result = rewardEligibility(toHazard());
    expect(result.eligible).toBe(true);
    expect(result.tier).toBeUndefined();
    expect(result.reason).toContain('待隐患定级');
  });

  test('anonymous reporters are eligible and claim with their token', () => {
    const result = rewardEligibility(toHazard({ anonymous: true }), 'general');
    expect(result).toMatchObject({ eligible: true, tier: 'general' });
    expect(result.reason).toContain('匿名举报人凭举报查询码');
  });

  test('a whistleblower is flagged for the raised reward', () => {
    expect(rewardEligibility(toHazard({ whistleblower: true }), 'major').reason).toContain('吹哨人');
    expect(rewardEligibility(toHazard(), 'major').reason).not.toContain('吹哨人');
  });

  test('closed and untriaged reports are not eligible, with a reason', () => {
    const closed = triageReport(received(), { kind: 'close', reason: '未发现问题' }, ctx);
    expect(rewardEligibility(closed, 'major')).toEqual({ eligible: false, reason: '经核实未确认为火灾隐患，不予奖励' });
    expect(rewardEligibility(received())).toMatchObject({ eligible: false });
    expect(rewardEligibility(received()).tier).toBeUndefined();
  });
});

describe('tracking tokens', () => {
  test('24 Crockford base32 characters from 15 random bytes', () => {
    const { token, hash } = newTrackingToken((n) => Buffer.alloc(n, 0xff));
    expect(token).toBe(`R-${'Z'.repeat(24)}`);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    // 0x00 0x44 0x32 0x14 0xc7 encodes to 0 1 2 3 4 5 6 7 in base32.
    const counting = newTrackingToken(() => Buffer.from('00443214c700443214c700443214c7', 'hex'));
    expect(counting.token).toBe('R-012345670123456701234567');
  });

  test('asks for exactly 15 bytes and refuses fewer', () => {
    const asked: number[] = [];
    newTrackingToken((n) => {
      asked.push(n);
      return randomBytes(n);
    });
    expect(asked).toEqual([15]);
    expect(() => newTrackingToken(() => Buffer.alloc(14))).toThrow('random source returned 14 bytes, need 15');
  });

  test('random tokens are well formed and distinct', () => {
    const tokens = Array.from({ length: 50 }, () => newTrackingToken(randomBytes).token);
    expect(new Set(tokens).size).toBe(50);
    for (const token of tokens) {
      expect(isWellFormedToken(token)).toBe(true);
      expect(token).not.toMatch(/[ILOU]/);
    }
  });

  test('a token typed by hand still matches: case and look-alike letters are normalized', () => {
    const { token, hash } = newTrackingToken((n) => Buffer.alloc(n, 0));
    expect(token).toBe(`R-${'0'.repeat(24)}`);
    const typed = ` r-${'o'.repeat(24)} `;
    expect(normalizeToken(typed)).toBe(token);
    expect(hashToken(typed)).toBe(hash);
    expect(isWellFormedToken(typed)).toBe(true);
    expect(hashToken('R-1111')).toBe(hashToken('r-iLl1'));
  });

  test('malformed tokens are recognized', () => {
    for (const bad of [
      '',
      'R-',
      `R-${'0'.repeat(23)}`,
      `R-${'0'.repeat(25)}`,
      `X-${'0'.repeat(24)}`,
      `R-${'U'.repeat(24)}`,
      `R_${'0'.repeat(24)}`,
    ]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });
});

describe('followReport and recordRewardPaid (the reporter follows the hazard; 举报奖励)', () => {
  const ctx = { now: LATER, actor: '乡消防办 赵六' };
  const triaged = () => triageReport(received(), { kind: 'to_hazard', hazardId: 'hz_1' }, ctx);

  test('a report not (yet) a hazard reads as stored', () => {
    expect(followReport(received()).status).toBe('received');
    expect(followReport(triaged()).status).toBe('triaged_hazard');
    expect(followReport(triaged(), { status: 'open' }).status).toBe('triaged_hazard');
  });

  test('order, rectification reported and closure become the reporter’s notes, in time order, without names', () => {
    const order = { deadline: '2023-06-20T00:00:00+08:00', issuedAt: '2023-06-03T01:00:00.000Z' };
    expect(followReport(triaged(), { status: 'rectifying', order })).toMatchObject({
      status: 'rectifying',
      notes: [
        { status: 'received' },
        { status: 'triaged_hazard' },
        { status: 'rectifying', note: '已责令限期整改，整改期限至 2023-06-20。' },
      ],
    });
    const closed = followReport(triaged(), {
      status: 'closed',
      order,
      rectifiedReportedAt: '2023-06-10T01:00:00.000Z',
      closedAt: '2023-06-12T01:00:00.000Z',
    });
    expect(closed.status).toBe('closed');
    expect(closed.notes.map((n) => n.status)).toEqual([
      'received',
      'triaged_hazard',
      'rectifying',
      'awaiting_reinspection',
      'closed',
    ]);
    // A rectification refused at re-inspection is back to rectifying: no stale "awaiting" note.
    expect(followReport(triaged(), { status: 'rectifying', order, rectifiedReportedAt: '2023-06-10T01:00:00.000Z' }).status).toBe(
      'rectifying',
    );
    expect(followReport(triaged(), { status: 'dismissed', dismissedAt: '2023-06-04T01:00:00.000Z' }).notes.at(-1)?.note).toBe(
      '经进一步核实，不构成火灾隐患，本举报已办结。',
    );
  });

  test('a reward is paid once, in whole yuan, only for a confirmed hazard, and the reporter reads the amount', () => {
    const paid = recordRewardPaid(triaged(), { amountYuan: 300 }, ctx);
    expect(paid.rewardPaid).toEqual({ amountYuan: 300, paidAt: LATER.toISOString(), recordedBy: '乡消防办 赵六' });
    expect(publicNotes(paid).at(-1)?.note).toBe('举报奖励 300 元已发放，感谢您的举报。');
    expect(() => recordRewardPaid(paid, { amountYuan: 300 }, ctx)).toThrow(DomainError);
    expect(() => recordRewardPaid(received(), { amountYuan: 300 }, ctx)).toThrow(DomainError);
    expect(() => recordRewardPaid(triaged(), { amountYuan: 12.5 }, ctx)).toThrow('input is invalid: 1 problem(s)');
  });
});
