import {
  assessRectification,
  closeCase,
  closeIncident,
  concludeInvestigation,
  decideCase,
  EnforcementMeasure,
  incidentObligations,
  incidentSeverity,
  IncidentSeverity,
  needsUpwardNotice,
  notifyUpward,
  obligationsOf,
  openCase,
  recordIncident,
  startInvestigation,
} from '../../src/domain/cases.ts';
import type { EnforcementCaseState, IncidentState } from '../../src/domain/cases.ts';
import { DomainError } from '@firegov/contracts';

const T0 = new Date('2023-06-01T04:00:00Z');
const T1 = new Date('2023-06-10T04:00:00Z');
const T2 = new Date('2023-07-01T04:00:00Z');
const T3 = new Date('2024-05-20T04:00:00Z');
const ACTOR = '乡执法中队 钱七';

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const paths = (fn: () => unknown) => thrown(fn).details.map((d) => `${d.path}: ${d.reason}`);

function opened(): EnforcementCaseState {
  return openCase({ hazardId: 'hz_1', unitId: 'unit_1', basis: '《中华人民共和国消防法》第六十条' }, { now: T0, actor: ACTOR });
}

describe('EnforcementMeasure', () => {
  test('has the measures with their Chinese names', () => {
    expect(EnforcementMeasure.values.map((m) => EnforcementMeasure.label(m))).toEqual([
      '警告',
      '罚款',
      '责令停产停业',
      '查封',
      '拘留',
      '其他',
    ]);
  });
});

describe('enforcement cases', () => {
  test('open, decide with a fine, close', () => {
    const open = opened();
    expect(open).toEqual({
      hazardId: 'hz_1',
      unitId: 'unit_1',
      basis: '《中华人民共和国消防法》第六十条',
      status: 'opened',
      measures: [],
      openedAt: '2023-06-01T04:00:00.000Z',
      openedBy: ACTOR,
    });
    const decided = decideCase(open, { measures: ['warning', 'fine'], fineYuan: 5000, decidedBy: '青龙乡人民政府' }, T1);
    expect(decided).toMatchObject({
      status: 'decided',
      measures: ['warning', 'fine'],
      fineYuan: 5000,
      decidedBy: '青龙乡人民政府',
      decidedAt: '2023-06-10T04:00:00.000Z',
    });
    const closed = closeCase(decided, { outcome: '罚款已缴纳，隐患已整改' }, T2);
    expect(closed).toMatchObject({ status: 'closed', outcome: '罚款已缴纳，隐患已整改', closedAt: '2023-07-01T04:00:00.000Z' });
    // Each step returns a new state; the previous one is unchanged.
    expect(open.status).toBe('opened');
    expect(decided.status).toBe('decided');
  });

  test('opening validates the input and the actor', () => {
    expect(paths(() => openCase({ hazardId: '', unitId: 'unit_1' }, { now: T0, actor: ACTOR }))).toEqual([
      '$.hazardId: must be an id of 1-64 letters, digits, "_" or "-"',
      '$.basis: is required',
    ]);
    expect(paths(() => openCase({ hazardId: 'hz_1', unitId: 'u', basis: '消防法' }, { now: T0, actor: '' }))).toEqual([
      '$.actor: must name who acted',
    ]);
  });

  test('a fine needs an amount, and an amount needs a fine', () => {
    expect(paths(() => decideCase(opened(), { measures: ['fine'], decidedBy: '乡政府' }, T1))).toEqual([
      '$.fineYuan: is required when the measures include "fine"',
    ]);
    expect(paths(() => decideCase(opened(), { measures: ['warning'], fineYuan: 100, decidedBy: '乡政府' }, T1))).toEqual([
      '$.fineYuan: must be left out unless the measures include "fine"',
    ]);
  });

  test('the fine is a positive whole number of yuan', () => {
    const decide = (fineYuan: unknown) => () => decideCase(opened(), { measures: ['fine'], fineYuan, decidedBy: '乡政府' }, T1);
    expect(paths(decide(0))).toEqual(['$.fineYuan: must be at least 1']);
    expect(paths(decide(99.5))).toEqual(['$.fineYuan: must be a whole number']);
    expect(paths(decide('500'))).toEqual(['$.fineYuan: must be a number, got string']);
    expect(decide(1)().fineYuan).toBe(1);
  });

  test('measures are known, listed once, and "other" is explained', () => {
    expect(paths(() => decideCase(opened(), { measures: ['warning', 'flogging'], decidedBy: '乡政府' }, T1))).toEqual([
      expect.stringMatching(/^\$\.measures\[1\]: "flogging" is not a known value/),
    ]);
    expect(
      paths(() => decideCase(opened(), { measures: ['warning', 'fine', 'warning'], fineYuan: 200, decidedBy: '乡政府' }, T1)),
    ).toEqual(['$.measures[2]: "warning" is listed twice']);
    expect(paths(() => decideCase(opened(), { measures: [], decidedBy: '乡政府' }, T1))).toEqual([
      '$.measures: must list at least one measure',
    ]);
    expect(paths(() => decideCase(opened(), { measures: ['other'], decidedBy: '乡政府' }, T1))).toEqual([
      '$.note: is required when the measures include "other": say which measure',
    ]);
    expect(decideCase(opened(), { measures: ['other'], note: '责令限期改正', decidedBy: '乡政府' }, T1).note).toBe(
      '责令限期改正',
    );
  });

  test('detention is recorded as a police referral', () => {
    expect(EnforcementMeasure.label('detention', 'en')).toContain('police');
    expect(decideCase(opened(), { measures: ['detention', 'seal_up'], decidedBy: '县消防救援大队' }, T1).measures).toEqual([
      'detention',
      'seal_up',
    ]);
  });

  test('transitions happen in order, once', () => {
    const decided = decideCase(opened(), { measures: ['warning'], decidedBy: '乡政府' }, T1);
    const again = thrown(() => decideCase(decided, { measures: ['warning'], decidedBy: '乡政府' }, T1));
    expect(again.code).toBe('INVALID_TRANSITION');
    expect(again.details).toEqual([{ path: '$.status', reason: 'is "decided"; decide needs "opened"' }]);
    expect(thrown(() => closeCase(opened(), { outcome: '已整改' }, T2)).code).toBe('INVALID_TRANSITION');
    const closed = closeCase(decided, { outcome: '已整改' }, T2);
    expect(thrown(() => closeCase(closed, { outcome: '已整改' }, T2)).code).toBe('INVALID_TRANSITION');
  });

  test('closing needs an outcome', () => {
    const decided = decideCase(opened(), { measures: ['warning'], decidedBy: '乡政府' }, T1);
    expect(paths(() => closeCase(decided, {}, T2))).toEqual(['$.outcome: is required']);
  });
});

describe('incidentSeverity', () => {
  test.each([
    [0, 0, 0, 'general'],
    [2, 9, 9_999_999, 'general'],
    [3, 0, 0, 'large'],
    [0, 10, 0, 'large'],
    [0, 0, 10_000_000, 'large'],
    [9, 49, 49_999_999, 'large'],
    [10, 0, 0, 'major'],
    [0, 50, 0, 'major'],
    [0, 0, 50_000_000, 'major'],
    [29, 99, 99_999_999, 'major'],
    [30, 0, 0, 'especially_major'],
    [0, 100, 0, 'especially_major'],
    [0, 0, 100_000_000, 'especially_major'],
  ] as const)('%i deaths, %i serious injuries, %i yuan -> %s', (deaths, injuries, loss, severity) => {
    expect(incidentSeverity(deaths, injuries, loss)).toBe(severity);
  });

  test('the highest band reached by any measure wins', () => {
    expect(incidentSeverity(1, 60, 0)).toBe('major');
    expect(incidentSeverity(0, 0, 2e8)).toBe('especially_major');
  });

  test('labels follow the national grading', () => {
    expect(IncidentSeverity.values.map((s) => IncidentSeverity.label(s))).toEqual(['特别重大', '重大', '较大', '一般']);
  });

  test('larger-and-above incidents are reported upward', () => {
    expect(IncidentSeverity.values.filter(needsUpwardNotice)).toEqual(['especially_major', 'major', 'large']);
  });
});

describe('incidents and their investigation', () => {
  const input = {
    unitId: 'unit_1',
    occurredAt: '2023-05-31T22:10:00+08:00',
    cause: '电动自行车充电起火',
    deaths: 3,
    injuries: 1,
    directLossYuan: 1_250_000.5,
    summary: '某经营性自建房一楼电动自行车充电时起火，蔓延至二楼住宿区',
  };

  function reported(): IncidentState {
    return recordIncident(input, { now: T0, actor: ACTOR });
  }

  test('recording derives the severity', () => {
    expect(reported()).toEqual({
      ...input,
      severity: 'large',
      obligations: { investigation: true, upwardNotice: true, rectificationAssessment: true },
      status: 'reported',
      accountability: [],
      recordedBy: ACTOR,
      recordedAt: '2023-06-01T04:00:00.000Z',
    });
  });

  test('recording validates every field', () => {
    expect(
      paths(() =>
        recordIncident(
          { ...input, deaths: -1, injuries: 1.5, directLossYuan: -3, summary: '', occurredAt: 'yesterday' },
          { now: T0, actor: ACTOR },
        ),
      ),
    ).toEqual([
      '$.occurredAt: must be an ISO 8601 date-time with seconds and an offset, e.g. 2023-05-01T09:30:00+08:00',
      '$.deaths: must be at least 0',
      '$.injuries: must be a whole number',
      '$.directLossYuan: must be at least 0',
      '$.summary: must not be empty',
    ]);
  });

  test('an incident cannot happen in the future', () => {
    expect(paths(() => recordIncident({ ...input, occurredAt: '2023-06-01T04:10:00Z' }, { now: T0, actor: ACTOR }))).toEqual([
      '$.occurredAt: is after now (2023-06-01T04:00:00.000Z)',
    ]);
    expect(recordIncident({ ...input, occurredAt: '2023-06-01T04:04:00Z' }, { now: T0, actor: ACTOR }).status).toBe('reported');
  });

  test('reported -> investigating -> concluded -> closed', () => {
    const investigating = startInvestigation(reported(), { leadBy: '县消防救援大队火灾调查科' }, T1);
    expect(investigating).toMatchObject({
      status: 'investigating',
      investigation: { leadBy: '县消防救援大队火灾调查科', startedAt: '2023-06-10T04:00:00.000Z' },
    });
    const accountability = [
      { party: '房屋业主 孙某', measure: '移送司法机关' },
      { party: '村委会', measure: '警示约谈' },
    ];
    const concluded = concludeInvestigation(
      investigating,
      { findings: '电动自行车电池热失控引燃周边可燃物，一楼与住宿区未防火分隔', accountability },
      T2,
    );
    expect(concluded).toMatchObject({
      status: 'concluded',
      investigation: {
        leadBy: '县消防救援大队火灾调查科',
        startedAt: '2023-06-10T04:00:00.000Z',
        findings: expect.stringContaining('热失控'),
        concludedAt: '2023-07-01T04:00:00.000Z',
      },
      accountability,
    });
    // A 较大 fire: its rectification is assessed within a year of the conclusion.
    expect(concluded.rectificationAssessment).toEqual({ dueBy: '2024-07-01T04:00:00.000Z' });
    // ... and it is reported upward (信息通报) before it closes.
    const notYet = thrown(() => closeIncident(concluded, new Date('2023-07-15T00:00:00Z')));
    expect(notYet.details).toEqual([{ path: '$.incidentId', reason: 'not yet reported upward' }]);
    const reportedUp = notifyUpward(concluded, { to: '县消防安全委员会办公室' }, { now: T2, actor: ACTOR });
    expect(reportedUp.upwardNotice).toEqual({ to: '县消防安全委员会办公室', at: T2.toISOString(), by: ACTOR });
    const closed = closeIncident(reportedUp, new Date('2023-07-15T00:00:00Z'));
    expect(closed).toMatchObject({ status: 'closed', closedAt: '2023-07-15T00:00:00.000Z' });
    // The assessment may follow the closing, once.
    const assessed = assessRectification(closed, { findings: '全镇经营性自建房已完成防火分隔改造' }, { now: T3, actor: ACTOR });
    expect(assessed.rectificationAssessment).toEqual({
      dueBy: '2024-07-01T04:00:00.000Z',
      assessedAt: T3.toISOString(),
      by: ACTOR,
      findings: '全镇经营性自建房已完成防火分隔改造',
    });
    expect(thrown(() => assessRectification(assessed, { findings: '再次评估一二三四五' }, { now: T3, actor: ACTOR })).code).toBe(
      'INVALID_TRANSITION',
    );
  });

  test('task 7: fatal and influential fires are investigated; only 较大以上 fires are reported upward and assessed', () => {
    const minor = { ...input, deaths: 0, injuries: 0, directLossYuan: 20_000 };
    expect(incidentObligations('general', 0, false)).toEqual({
      investigation: false,
      upwardNotice: false,
      rectificationAssessment: false,
    });
    expect(incidentObligations('general', 1, false)).toEqual({
      investigation: true,
      upwardNotice: false,
      rectificationAssessment: false,
    });
    expect(incidentObligations('general', 0, true)).toEqual({
      investigation: true,
      upwardNotice: false,
      rectificationAssessment: false,
    });
    expect(incidentObligations('major', 0, false)).toEqual({
      investigation: true,
      upwardNotice: true,
      rectificationAssessment: true,
    });

    // A general fire with no death may close straight away (简易处理); it is never reported upward.
    const small = recordIncident(minor, { now: T0, actor: ACTOR });
    expect(closeIncident(small, T1).status).toBe('closed');
    expect(thrown(() => notifyUpward(small, { to: '县消安委' }, { now: T1, actor: ACTOR })).details[0]?.reason).toBe(
      'only 较大以上 (large and above) fires are reported upward',
    );
    // A fatal one, or one the public noticed, is not closed before its investigation.
    for (const must of [
      { ...minor, deaths: 1 },
      { ...minor, influential: true },
    ]) {
      const refused = thrown(() => closeIncident(recordIncident(must, { now: T0, actor: ACTOR }), T1));
      expect(refused.message).toBe('this fire must be investigated before it is closed');
    }
    // A general fire's conclusion sets no assessment; asking for one is refused.
    const concluded = concludeInvestigation(
      startInvestigation(recordIncident({ ...minor, deaths: 1 }, { now: T0, actor: ACTOR }), { leadBy: '火调科' }, T1),
      { findings: '用火不慎引发火灾，一人死亡', accountability: [] },
      T2,
    );
    expect(concluded.rectificationAssessment).toBeUndefined();
    expect(
      thrown(() => assessRectification(concluded, { findings: '一二三四五六七八九十' }, { now: T3, actor: ACTOR })).code,
    ).toBe('INVALID_TRANSITION');
    // Incidents stored before obligations were kept derive them from what they hold.
    const { obligations: _o, ...legacy } = recordIncident(input, { now: T0, actor: ACTOR });
    expect(obligationsOf(legacy).upwardNotice).toBe(true);
  });

  test('a conclusion needs findings and well-formed accountability entries', () => {
    const investigating = startInvestigation(reported(), { leadBy: '火调科' }, T1);
    expect(
      paths(() => concludeInvestigation(investigating, { findings: '起火', accountability: [{ party: '业主' }] }, T2)),
    ).toEqual(['$.findings: must be at least 10 characters', '$.accountability[0].measure: is required']);
    // No one to blame is a possible finding (lightning), so the list may be empty.
    expect(
      concludeInvestigation(investigating, { findings: '雷击引发火灾，无人员责任', accountability: [] }, T2).accountability,
    ).toEqual([]);
  });

  test('steps cannot be skipped or repeated', () => {
    const error = thrown(() => concludeInvestigation(reported(), { findings: '一二三四五六七八九十', accountability: [] }, T2));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details[0]?.reason).toBe('is "reported"; conclude needs "investigating"');
    expect(thrown(() => closeIncident(reported(), T2)).code).toBe('INVALID_TRANSITION');
    const investigating = startInvestigation(reported(), { leadBy: '火调科' }, T1);
    expect(thrown(() => startInvestigation(investigating, { leadBy: '火调科' }, T1)).code).toBe('INVALID_TRANSITION');
  });
});
