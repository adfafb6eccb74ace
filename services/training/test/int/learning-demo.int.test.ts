import { loadLearningDemo } from '../../src/demo/learning.ts';
import { COUNTY, countyAdmin, startHarness, type Harness } from '../harness.ts';

// The learning demo through the real services: courses under the standard ids, real questions,
// and certificates of demo people, some expiring within 30 days.

let h: Harness;

beforeAll(async () => {
  h = await startHarness('training-learning-demo', []);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

test('loads once: standard courses, a bank, certificates with some expiring soon', async () => {
  const now = h.clock.now();
  const summary = await loadLearningDemo({ models: h.models, relay: h.relay, countyCode: COUNTY, now, certifiedPeople: 10 });
  expect(summary).toEqual({ courses: 6, questions: 16, certificates: 10, expiringSoon: 2, skipped: false });
  expect((await loadLearningDemo({ models: h.models, relay: h.relay, countyCode: COUNTY, now })).skipped).toBe(true);

  const course = await h.services.courses.byId(countyAdmin, 'course_safety_manager');
  expect(course.title).toBe('消防安全管理人专门培训');
  const valid = await h.services.certificates.validFor(['p_demo_1', 'p_demo_2', 'p_demo_11'], undefined, now);
  expect(valid.map((c) => [c.personId, c.courseId]).sort()).toEqual([
    ['p_demo_1', 'course_responsible_person'],
    ['p_demo_2', 'course_safety_manager'],
  ]);
  const expiring = await h.services.certificates.expiring(countyAdmin, 30);
  expect(expiring.nodes.map((c) => c.personId).sort()).toEqual(['p_demo_10', 'p_demo_5']);
}, 120_000);
