import { alarmPlacement } from '../../src/store/alarm-counts.ts';

const alarm = {
  _id: 'a1',
  scope: ['500230000000', '500230213000', '500230213201'],
  raisedAt: '2026-03-01T17:30:00.000Z', // 2026-03-02 in Beijing
  steps: [{ action: 'raised' }],
};

test('an alarm counts as open and unacknowledged under every code of its scope while raised', () => {
  expect(alarmPlacement({ ...alarm, open: true, status: 'raised' })).toEqual({ codes: alarm.scope, cells: ['open', 'unack'] });
  expect(
    alarmPlacement({ ...alarm, open: true, status: 'acknowledged', steps: [...alarm.steps, { action: 'acknowledge' }] })?.cells,
  ).toEqual(['open']);
});

test('a judged alarm counts by the Beijing day it was raised; a closed unjudged one counts nowhere', () => {
  expect(
    alarmPlacement({ ...alarm, open: false, status: 'cleared', steps: [...alarm.steps, { action: 'mark_false_alarm' }] })?.cells,
  ).toEqual(['false|2026-03-02']);
  expect(
    alarmPlacement({ ...alarm, open: true, status: 'confirmed', steps: [...alarm.steps, { action: 'confirm' }] })?.cells,
  ).toEqual(['open', 'confirmed|2026-03-02']);
  expect(alarmPlacement({ ...alarm, open: false, status: 'cleared' })).toBeNull();
});
