import { DomainError } from '@firegov/contracts';
import { beijingDay, delegatedMeasures, grantDelegation, inForce, revokeDelegation } from '../../src/domain/delegations.ts';

const NOW = new Date('2026-03-01T02:00:00Z');
const input = {
  townshipCode: '500230213000',
  measures: ['warning', 'fine'],
  from: '2026-03-01',
  to: '2026-12-31',
  basis: '县政府赋权决定',
};
const paths = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).details.map((d) => `${d.path}: ${d.reason}`);
  }
  return [];
};

describe('enforcement delegations (委托/赋权执法)', () => {
  test('a grant names the township, delegable measures once each, and a period that does not end before it starts', () => {
    expect(grantDelegation(input, { now: NOW, actor: 'county' })).toEqual({
      ...input,
      grantedBy: 'county',
      grantedAt: NOW.toISOString(),
    });
    expect(
      paths(() =>
        grantDelegation({ ...input, measures: ['fine', 'detention', 'fine'], to: '2026-02-01' }, { now: NOW, actor: 'c' }),
      ),
    ).toEqual([
      '$.measures[1]: must be one of warning, fine, suspension, seal_up, other (detention is never delegated)',
      '$.measures[2]: "fine" is listed twice',
    ]);
    expect(paths(() => grantDelegation({ ...input, to: '2026-02-01' }, { now: NOW, actor: 'c' }))).toEqual([
      '$.to: is 2026-02-01, before the start 2026-03-01',
    ]);
    expect(paths(() => grantDelegation({ ...input, measures: [] }, { now: NOW, actor: 'c' }))).toEqual([
      '$.measures: must name at least one measure',
    ]);
  });

  test('in force on Beijing calendar days, both ends included, until revoked', () => {
    const d = grantDelegation(input, { now: NOW, actor: 'county' });
    expect(beijingDay(new Date('2026-02-28T16:00:00Z'))).toBe('2026-03-01');
    expect(inForce(d, new Date('2026-02-28T16:00:00Z'))).toBe(true);
    expect(inForce(d, new Date('2026-02-28T15:59:59Z'))).toBe(false);
    expect(inForce(d, new Date('2026-12-31T15:59:59Z'))).toBe(true);
    expect(inForce(d, new Date('2026-12-31T16:00:00Z'))).toBe(false);
    const revoked = revokeDelegation(d, { now: new Date('2026-06-01T00:00:00Z'), actor: 'county' });
    expect(inForce(revoked, new Date('2026-05-31T23:59:59Z'))).toBe(true);
    expect(inForce(revoked, new Date('2026-06-01T00:00:00Z'))).toBe(false);
    expect(() => revokeDelegation(revoked, { now: NOW, actor: 'county' })).toThrow(DomainError);
  });

  test('a township holds the union of the measures of its delegations in force, and nothing of another township’s', () => {
    const a = grantDelegation(input, { now: NOW, actor: 'c' });
    const later = grantDelegation({ ...input, measures: ['seal_up'], from: '2026-07-01' }, { now: NOW, actor: 'c' });
    const other = grantDelegation({ ...input, townshipCode: '500230214000', measures: ['suspension'] }, { now: NOW, actor: 'c' });
    expect([...delegatedMeasures([a, later, other], '500230213000', NOW)].sort()).toEqual(['fine', 'warning']);
    expect([...delegatedMeasures([a, later, other], '500230213000', new Date('2026-08-01T00:00:00Z'))].sort()).toEqual([
      'fine',
      'seal_up',
      'warning',
    ]);
    expect(delegatedMeasures([other], '500230213000', NOW).size).toBe(0);
  });
});
