import { lateArrivals, teamChecks, uncoveredMinutes, type CallOut, type DutyShift } from '../../src/domain/team-standards.ts';

// Micro fire stations (公消〔2015〕301号 and the community standard), township team classes (GB/T 35547)
// and the three-minute arrival, per team, from ../shared/standards/training-and-fire-forces.md R8/R10.

const six = Array.from({ length: 6 }, (_, i) => ({ name: `队员${i + 1}`, role: i === 0 ? '站长' : '队员' }));
const shift = (from: string, to: string, n = 3): DutyShift => ({
  from,
  to,
  members: Array.from({ length: n }, (_, i) => `值班${i}`),
});
const failed = (checks: ReturnType<typeof teamChecks>) => checks.filter((c) => !c.ok).map((c) => c.code);
const TODAY = '2026-11-30';

describe('duty roster coverage', () => {
  test.each([
    [[shift('08:00', '20:00'), shift('20:00', '08:00')], 0],
    [[shift('00:00', '00:00')], 0],
    [[shift('08:00', '20:00')], 720],
    [[shift('08:00', '20:00'), shift('20:00', '07:30')], 30],
    [[shift('08:00', '20:00'), { from: '20:00', to: '08:00', members: [] }], 720],
  ])('%j leaves %i minutes uncovered', (roster, minutes) => {
    expect(uncoveredMinutes(roster)).toBe(minutes);
  });
});

describe('micro fire stations', () => {
  const station = {
    kind: 'micro_station',
    members: six,
    equipment: [],
    dutyRoster: [shift('08:00', '20:00'), shift('20:00', '08:00')],
  };

  test('six staff with a 站长 and a 24 h roster meet the standard', () => {
    expect(failed(teamChecks(station, TODAY))).toEqual([]);
  });

  test('five staff, no 站长, a roster with a gap: each named', () => {
    const checks = teamChecks({ ...station, members: six.slice(1), dutyRoster: [shift('08:00', '20:00')] }, TODAY);
    expect(failed(checks)).toEqual(['MS_STAFF', 'MS_HEAD', 'MS_DUTY_24H']);
    expect(checks.find((c) => c.code === 'MS_DUTY_24H')!.message).toContain('720 分钟');
  });

  test('a community station keeps at least three on every shift', () => {
    const thin = {
      ...station,
      stationType: 'community' as const,
      dutyRoster: [shift('08:00', '20:00', 3), shift('20:00', '08:00', 2)],
    };
    expect(failed(teamChecks(thin, TODAY))).toEqual(['MS_SHIFT_SIZE']);
    // The key-unit standard sets no shift size.
    expect(failed(teamChecks({ ...thin, stationType: 'key_unit' }, TODAY))).toEqual([]);
  });

  test('arrivals after three minutes in the last year are a warning, not a failure', () => {
    const callOuts: CallOut[] = [
      { at: '2026-06-01T10:00:00+08:00', arrivalMinutes: 2.5, incident: '商铺电气起火' },
      { at: '2026-07-01T10:00:00+08:00', arrivalMinutes: 4, incident: '厨房油锅起火' },
      { at: '2025-07-01T10:00:00+08:00', arrivalMinutes: 9, incident: '一年以前' },
    ];
    expect(lateArrivals(callOuts, TODAY).map((c) => c.arrivalMinutes)).toEqual([4]);
    const arrival = teamChecks({ ...station, callOuts }, TODAY).find((c) => c.code === 'ARRIVAL_3MIN')!;
    expect(arrival).toMatchObject({ ok: false, severity: 'warn' });
    expect(arrival.message).toContain('4 分钟');
  });
});

describe('township teams by class and specialist forces', () => {
  test('a class-1 team needs two vehicles (fails) and fifteen staff (warns: a local figure)', () => {
    const checks = teamChecks(
      { kind: 'full_time', townshipClass: 'class1', members: six, equipment: [{ item: '水罐消防车', quantity: 1 }] },
      TODAY,
    );
    expect(checks.filter((c) => !c.ok).map((c) => [c.code, c.severity])).toEqual([
      ['TT_VEHICLES', 'fail'],
      ['TT_STAFF', 'warn'],
    ]);
    expect(
      failed(
        teamChecks(
          { kind: 'full_time', townshipClass: 'class2', members: six, equipment: [{ item: '消防车', quantity: 1 }] },
          TODAY,
        ),
      ),
    ).toEqual(['TT_STAFF']);
  });

  test('a specialist rescue force registers its people and capabilities', () => {
    expect(failed(teamChecks({ kind: 'specialist_rescue', members: six, equipment: [], capabilities: [] }, TODAY))).toEqual([
      'SR_CAPABILITY',
    ]);
    expect(
      failed(teamChecks({ kind: 'specialist_rescue', members: six, equipment: [], capabilities: ['冲锋舟救援'] }, TODAY)),
    ).toEqual([]);
  });
});
