import { completesCourse, courseIdOf, parseStatements, statementHash, type Statement } from '../../src/domain/xapi.ts';

const base = {
  id: '6f1a3c2e-9d4b-4c1e-8a7f-0b2c3d4e5f60',
  actor: { account: { homePage: 'https://xfxx.119.gov.cn', name: 'xfxx-1' } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'https://xfxx.119.gov.cn/courses/course_safety_manager' },
  timestamp: '2026-02-20T08:00:00+08:00',
};

test('a single statement and a batch parse; problems name the index and field', () => {
  expect(parseStatements(base)).toMatchObject({ ok: true, batch: false });
  expect(parseStatements([base, { ...base, actor: {} }])).toEqual({
    ok: false,
    problems: [{ path: '$[1].actor.account', reason: 'give exactly one of mbox or account' }],
  });
  expect(parseStatements([base, base])).toEqual({
    ok: false,
    problems: [{ path: '$[1].id', reason: 'repeats the id of statement 0' }],
  });
  expect(parseStatements([])).toMatchObject({ ok: false, problems: [{ path: '$' }] });
});

test('what completes a course, which course, and a fingerprint independent of key order', () => {
  const s = (parseStatements(base) as { statements: Statement[] }).statements[0]!;
  expect(completesCourse(s)).toBe(true);
  expect(completesCourse({ ...s, result: { completion: false } })).toBe(false);
  expect(completesCourse({ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, result: { success: false } })).toBe(
    false,
  );
  expect(completesCourse({ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } })).toBe(false);
  expect(courseIdOf(s.object.id)).toBe('course_safety_manager');
  expect(courseIdOf('https://xfxx.119.gov.cn/')).toBeNull();
  const reordered = { timestamp: s.timestamp, object: s.object, verb: s.verb, actor: s.actor, id: s.id };
  expect(statementHash(reordered)).toBe(statementHash(s));
});
