import { DomainError } from '@firegov/contracts';
import {
  AlarmAction,
  AlarmStatus,
  SYSTEM_ACTOR,
  allowedFrom,
  applyStep,
  closesOnRestore,
  isFireSignal,
  onRaise,
} from '../../src/domain/alarm-lifecycle.ts';
import type { AlarmType } from '../../src/domain/rule-types.ts';

const AT = Date.parse('2026-03-01T08:00:00.000Z');

/** Every action from every status, as "status→result" (result is the new status or "refused"). */
function table(type: AlarmType): Record<string, Record<string, string>> {
  return Object.fromEntries(
    AlarmAction.values.map((action) => [
      action,
      Object.fromEntries(
        AlarmStatus.values.map((status) => {
          try {
            return [status, applyStep({ type, status }, action, 'u1', AT).status];
          } catch (e) {
            expect((e as DomainError).code).toBe('INVALID_TRANSITION');
            return [status, 'refused'];
          }
        }),
      ),
    ]),
  );
}

const R = 'refused';

test('a fire signal is judged before it closes, by hand or by the device', () => {
  expect(table('smoke')).toEqual({
    acknowledge: { raised: 'acknowledged', acknowledged: R, confirmed: R, false_alarm: R, cleared: R },
    confirm: { raised: 'confirmed', acknowledged: 'confirmed', confirmed: R, false_alarm: R, cleared: R },
    mark_false_alarm: { raised: 'false_alarm', acknowledged: 'false_alarm', confirmed: R, false_alarm: R, cleared: R },
    clear: { raised: R, acknowledged: R, confirmed: 'cleared', false_alarm: 'cleared', cleared: R },
    auto_clear: { raised: R, acknowledged: R, confirmed: 'cleared', false_alarm: 'cleared', cleared: R },
  });
  expect(table('fire')).toEqual(table('smoke'));
});

test('other alarms close by hand once acknowledged, and by themselves when the device restores', () => {
  const t = table('low_battery');
  expect(t.clear).toEqual({ raised: R, acknowledged: 'cleared', confirmed: 'cleared', false_alarm: 'cleared', cleared: R });
  expect(t.auto_clear).toEqual({
    raised: 'cleared',
    acknowledged: 'cleared',
    confirmed: 'cleared',
    false_alarm: 'cleared',
    cleared: R,
  });
  expect(t.acknowledge).toEqual(table('fire').acknowledge);
  expect(t.confirm).toEqual(table('fire').confirm);
});

test('a refusal names the status and the statuses that would allow it', () => {
  let error: DomainError | undefined;
  try {
    applyStep({ type: 'fire', status: 'acknowledged' }, 'clear', 'u1', AT);
  } catch (e) {
    error = e as DomainError;
  }
  expect(error).toBeInstanceOf(DomainError);
  expect(error!.code).toBe('INVALID_TRANSITION');
  expect(error!.message).toBe('cannot clear a record that is acknowledged');
  expect(error!.details).toEqual([{ path: '$.status', reason: 'is "acknowledged"; clear needs "confirmed" or "false_alarm"' }]);
  expect(allowedFrom('gas_leak', 'clear')).toEqual(['acknowledged', 'confirmed', 'false_alarm']);
});

test('a step records who and when, in the form alarm events carry', () => {
  expect(applyStep({ type: 'fire', status: 'raised' }, 'confirm', 'u1', AT)).toEqual({
    status: 'confirmed',
    step: { action: 'confirm', by: 'u1', at: '2026-03-01T08:00:00.000Z' },
  });
  expect(applyStep({ type: 'fault', status: 'raised' }, 'auto_clear', SYSTEM_ACTOR, AT).step.by).toBe('system');
  expect(() => applyStep({ type: 'fire', status: 'raised' }, 'acknowledge', ' ', AT)).toThrow(/needs an actor/);
});

test('a raise while an alarm is open is a repeat of it; after it is cleared, a new alarm', () => {
  expect(onRaise(undefined)).toBe('new');
  for (const status of ['raised', 'acknowledged', 'confirmed', 'false_alarm'] as const)
    expect(onRaise({ status })).toBe('repeat');
  expect(onRaise({ status: 'cleared' })).toBe('new');
});

test('the device restoring closes a judged fire signal or any other alarm, never an unjudged fire', () => {
  expect(closesOnRestore({ type: 'fire', status: 'raised' })).toBe(false);
  expect(closesOnRestore({ type: 'smoke', status: 'acknowledged' })).toBe(false);
  expect(closesOnRestore({ type: 'smoke', status: 'false_alarm' })).toBe(true);
  expect(closesOnRestore({ type: 'residual_current', status: 'raised' })).toBe(true);
  expect(closesOnRestore({ type: 'residual_current', status: 'cleared' })).toBe(false);
  expect(isFireSignal('fire') && isFireSignal('smoke') && !isFireSignal('gas_leak')).toBe(true);
});
