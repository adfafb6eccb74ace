import { fireForceReadiness } from '../../src/domain/readiness.ts';

const people = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `队员${i}` }));

describe('fireForceReadiness', () => {
  test('a village with 13 part-time members and no micro station has two gaps', () => {
    expect(fireForceReadiness('500230213201', [{ kind: 'part_time', members: people(13) }])).toEqual({
      villageCode: '500230213201',
      memberCount: 13,
      required: 20,
      shortBy: 7,
      hasMicroStation: false,
      ready: false,
      gaps: ['专兼职消防队员不足：差 7 人', '未建微型消防站'],
    });
  });

  test('full-time and part-time members add up; micro-station staff do not count', () => {
    const result = fireForceReadiness('500230213202', [
      { kind: 'full_time', members: people(8) },
      { kind: 'part_time', members: people(12) },
      { kind: 'micro_station', members: people(6) },
    ]);
    expect(result).toMatchObject({ memberCount: 20, shortBy: 0, hasMicroStation: true, ready: true, gaps: [] });
  });

  test('enough people without a micro station is not ready', () => {
    expect(fireForceReadiness('500230213203', [{ kind: 'part_time', members: people(25) }])).toMatchObject({
      shortBy: 0,
      ready: false,
      gaps: ['未建微型消防站'],
    });
  });

  test('the requirement can be raised to 30', () => {
    const result = fireForceReadiness(
      '500230213204',
      [
        { kind: 'part_time', members: people(25) },
        { kind: 'micro_station', members: [] },
      ],
      30,
    );
    expect(result).toMatchObject({ required: 30, shortBy: 5, ready: false, gaps: ['专兼职消防队员不足：差 5 人'] });
  });

  test('a village with no teams at all', () => {
    expect(fireForceReadiness('500230213205', [])).toMatchObject({ memberCount: 0, shortBy: 20, hasMicroStation: false });
  });
});
