import fs from 'node:fs';
import path from 'node:path';
import { PLATFORM_SERVICES } from '../../infra/src/services.ts';
import { harnessEnvSchema, harnessUrlEnv } from '../env.ts';
import { agencyPushStorm, pushBody, pushOf, RETRY_EVERY } from '../scenarios/agency-push-storm.ts';
import { citizenAddress, citizenReports } from '../scenarios/citizen-reports.ts';
import { examDay, QUESTIONS } from '../scenarios/exam-day.ts';
import { scenarios } from '../scenarios/index.ts';
import { BATCH, sensorIngest } from '../scenarios/sensor-ingest.ts';
import {
  accessToken,
  answerFailed,
  callFor,
  k6Options,
  keepFrom,
  ownerOf,
  picker,
  requestsPerIteration,
  runValues,
  targetOf,
  TARGETS,
  targetUrlEnv,
  tokenRequest,
} from '../scenarios/types.ts';

// The k6 scripts and the harness must load the same scenario definitions: one script per scenario,
// importing that scenario's module and deriving its options from it; the harness from the registry.

const dir = __dirname;
const k6Dir = path.join(dir, '..', 'k6');
const kebab = (name: string) => name.replaceAll('_', '-');
const scripts = fs.readdirSync(k6Dir).filter((f) => f.endsWith('.ts') && f !== 'common.ts');
const START = Date.parse('2026-11-30T04:00:00.000Z');
const values = (found: Record<string, string[]>) => runValues(found, START);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a request body, for the test to look into
const json = (body: string) => JSON.parse(body) as Record<string, any>;

test('every scenario has a k6 script that imports its definition and derives options, setup and requests from it', () => {
  expect(scripts.sort()).toEqual(scenarios.map((s) => `${kebab(s.name)}.ts`).sort());
  for (const s of scenarios) {
    const source = fs.readFileSync(path.join(k6Dir, `${kebab(s.name)}.ts`), 'utf8');
    expect(source).toContain(`from '../scenarios/${kebab(s.name)}.ts'`);
    expect(source).toContain('export const options = k6Options(scenario);');
    expect(source).toContain('setupFor(scenario)');
    expect(source).toContain('iterate(scenario, data)');
  }
});

test('the harness runs the registry and builds, judges and chains requests like the k6 scripts do', () => {
  const harness = fs.readFileSync(path.join(dir, '..', 'run.ts'), 'utf8');
  const common = fs.readFileSync(path.join(k6Dir, 'common.ts'), 'utf8');
  expect(harness).toContain("from './scenarios/index.ts'");
  for (const source of [harness, common])
    for (const shared of [
      'callFor(',
      'answerFailed(',
      'keepFrom(',
      'runValues(',
      'requestsPerIteration(',
      'tokenRequest(',
      'accessToken(',
    ])
      expect(source).toContain(shared);
});

test('k6 options carry the scenario’s rate and thresholds', () => {
  for (const s of scenarios) {
    const o = k6Options(s);
    expect(o.scenarios[s.name]).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: s.load.ratePerSecond,
      duration: `${s.load.durationS}s`,
    });
    expect(o.thresholds.http_req_failed).toEqual([`rate<${s.thresholds.failedRate}`]);
    expect(o.thresholds.http_req_duration).toEqual([`p(95)<${s.thresholds.p95Ms}`, `p(99)<${s.thresholds.p99Ms}`]);
  }
});

test('each scenario goes to one target, whose base URL both runners read from the environment', () => {
  const services = PLATFORM_SERVICES.map((s) => s.name);
  const harnessVars = Object.keys(harnessEnvSchema.shape);
  for (const t of TARGETS) {
    if (t !== 'gateway') expect(services).toContain(t);
    expect(harnessVars).toContain(harnessUrlEnv(t));
  }
  expect(targetUrlEnv('gateway')).toBe('BASE_URL');
  expect(targetUrlEnv('assessment')).toBe('ASSESSMENT_URL');
  expect(Object.fromEntries(scenarios.map((s) => [s.name, targetOf(s)]))).toEqual({
    county_dashboard: 'gateway',
    unit_lookups: 'gateway',
    hazard_queue: 'gateway',
    agency_push_storm: 'assessment',
    citizen_reports: 'inspections',
    sensor_ingest: 'sensors',
    exam_day: 'gateway',
  });
  const mixed = { ...citizenReports, requests: [...citizenReports.requests, ...examDay.requests] };
  expect(() => targetOf(mixed)).toThrow('requests go to inspections and gateway');
});

test('API-client scenarios name credentials the harness reads, and a setup user when they look ids up', () => {
  const harnessVars = Object.keys(harnessEnvSchema.shape);
  for (const s of scenarios) {
    if (s.auth.kind !== 'client') continue;
    expect(harnessVars).toEqual(expect.arrayContaining([s.auth.clientIdEnv, s.auth.clientSecretEnv]));
    if (s.setup) expect(s.setup.as).toBeDefined();
  }
});

test('requests cycle through the scenario with named operations and the setup’s values', () => {
  const lookups = scenarios.find((s) => s.name === 'unit_lookups')!;
  const v = { unitId: ['u1', 'u2'], namePart: ['青龙'] };
  const bodies = [0, 1, 2].map((n) => json(callFor(lookups, n, 0, v).body));
  expect([
    bodies[0]!.operationName,
    bodies[0]!.variables.id,
    bodies[1]!.operationName,
    bodies[1]!.variables.q,
    bodies[2]!.variables.id,
  ]).toEqual(['Unit', 'u1', 'UnitSearch', '青龙', 'u1']);
  expect(callFor(lookups, 0, 0, v)).toMatchObject({
    target: 'gateway',
    method: 'POST',
    path: '/graphql',
    expect: { graphql: true },
  });
  expect(() => callFor(lookups, 0, 0, {})).toThrow('the setup found no unitId');
  for (const s of scenarios)
    for (const r of s.requests) if ('graphql' in r) expect(r.graphql.query).toContain(r.graphql.operationName);
});

test('a picker gives the nth value, or the ith when asked; run values add the run and its start', () => {
  const pick = picker({ k: ['a', 'b', 'c'] }, 4);
  expect([pick('k'), pick('k', 0), pick('k', 2)]).toEqual(['b', 'a', 'c']);
  expect(values({ k: ['a'] })).toEqual({ k: ['a'], run: [START.toString(36)], startedAt: ['2026-11-30T04:00:00.000Z'] });
});

test('a GraphQL answer fails on a status other than 200, on errors, on MutationError or on a body that is not JSON', () => {
  const gql = { statuses: [200], graphql: true };
  expect(answerFailed(gql, 200, {}, '{"data":{"x":1}}')).toBe(false);
  expect(answerFailed(gql, 200, {}, '{"errors":[{"message":"no"}],"data":null}')).toBe(true);
  expect(answerFailed(gql, 429, {}, '{"data":{}}')).toBe(true);
  expect(answerFailed(gql, 200, {}, '<html>')).toBe(true);
  expect(answerFailed(gql, 200, {}, '{"data":{"startExamAttempt":{"__typename":"MutationError","code":"CONFLICT"}}}')).toBe(true);
  expect(answerFailed(gql, 200, {}, '{"data":{"startExamAttempt":{"__typename":"MutationStartExamAttemptSuccess"}}}')).toBe(
    false,
  );
});

test('a REST answer fails outside its statuses, headers (any case) or body fields', () => {
  const replay = { statuses: [201], headers: { 'idempotent-replayed': 'true' }, body: { unitId: 'u1', version: 1 } };
  const body = '{"id":"as_1","version":1,"unitId":"u1","receipt":{}}';
  expect(answerFailed(replay, 201, { 'Idempotent-Replayed': 'true' }, body)).toBe(false);
  expect(answerFailed(replay, 201, { 'idempotent-replayed': ['true'] }, body)).toBe(false);
  expect(answerFailed(replay, 201, {}, body)).toBe(true);
  expect(answerFailed(replay, 200, { 'idempotent-replayed': 'true' }, body)).toBe(true);
  expect(answerFailed(replay, 201, { 'idempotent-replayed': 'true' }, body.replace('"u1"', '"u2"'))).toBe(true);
  const batch = { statuses: [202], body: { refused: [] } };
  expect(answerFailed(batch, 202, {}, '{"accepted":2,"refused":[]}')).toBe(false);
  expect(answerFailed(batch, 202, {}, '{"accepted":1,"refused":[{"index":1,"code":"UNKNOWN_DEVICE"}]}')).toBe(true);
  expect(answerFailed({ statuses: [204] }, 204, {}, '')).toBe(false);
});

test('client credentials: the token request is a form, and a refusal carries the endpoint’s reason', () => {
  const auth = {
    kind: 'client' as const,
    target: 'sensors' as const,
    tokenPath: '/oauth/token',
    clientIdEnv: 'X',
    clientSecretEnv: 'Y',
  };
  expect(tokenRequest(auth, 'gw_demo.demo', 'a+b/c=')).toEqual({
    method: 'POST',
    target: 'sensors',
    path: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=gw_demo.demo&client_secret=a%2Bb%2Fc%3D',
  });
  expect(accessToken(200, '{"access_token":"t0k","expires_in":900}')).toBe('t0k');
  expect(() => accessToken(401, '{"error":"invalid_client","error_description":"unknown client"}')).toThrow(
    'token refused: 401 unknown client',
  );
  expect(ownerOf('ag_0mx2.demo')).toBe('ag_0mx2');
  expect(ownerOf('nodot')).toBe('');
});

test('agency push storm: one push in ten repeats an earlier push with the same key and body, and must be a replay', () => {
  const n = 2_000;
  const retries = Array.from({ length: n }, (_, i) => i).filter((i) => pushOf(i) !== i);
  expect(retries.length / n).toBeCloseTo(1 / RETRY_EVERY, 2);
  for (const i of retries) {
    expect(pushOf(i)).toBeLessThan(i);
    expect(pushOf(pushOf(i))).toBe(pushOf(i));
  }
  const v = values({ unitId: ['u1', 'u2', 'u3'], licence: ['CQ-1'] });
  const retry = retries[0]!;
  const [original, again] = [callFor(agencyPushStorm, pushOf(retry), 0, v), callFor(agencyPushStorm, retry, 0, v)];
  expect(again.headers['idempotency-key']).toBe(original.headers['idempotency-key']);
  expect(original.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_.:-]{8,100}$/);
  expect(again.body).toBe(original.body);
  expect(original.expect).toEqual({ statuses: [201], body: { unitId: json(original.body).unit.unitId } });
  expect(again.expect).toMatchObject({ headers: { 'idempotent-replayed': 'true' }, body: { version: 1 } });
  const fresh = callFor(agencyPushStorm, retry + 1, 0, v);
  expect(fresh.headers['idempotency-key']).not.toBe(original.headers['idempotency-key']);
  // Valid for the push API: the grade the score earns, dated the run's day in Beijing.
  for (let m = 0; m < 100; m++) {
    const b = pushBody(picker(v, m), m) as { score: number; grade: string; assessedOn: string; findings: unknown[] };
    const expected = b.score >= 85 ? 'A' : b.score >= 70 ? 'B' : b.score >= 60 ? 'C' : 'D';
    expect([b.grade, b.assessedOn]).toEqual([expected, '2026-11-30']);
  }
  const setup = agencyPushStorm.setup!.extract(
    {
      units: { nodes: [{ id: 'u1' }] },
      agencies: [
        { id: 'ag_x', engineers: [{ licenceNo: 'X-1' }] },
        { id: 'ag_me', engineers: [{ licenceNo: 'ME-1' }] },
      ],
    },
    { clientId: 'ag_me.demo' },
  );
  expect(setup).toEqual({ unitId: ['u1'], licence: ['ME-1'] });
});

test('citizen reports: a journey per citizen from an address of its own, following the token it was given', () => {
  expect(requestsPerIteration(citizenReports)).toBe(2);
  const v = values({});
  const submit = callFor(citizenReports, 7, 0, v);
  expect(submit).toMatchObject({ target: 'inspections', method: 'POST', expect: { statuses: [201] } });
  expect(submit.headers['x-forwarded-for']).toBe('10.0.0.7');
  const kept = keepFrom(citizenReports, 0, '{"token":"ABCD1234","status":"received"}', {});
  const follow = callFor(citizenReports, 7, 1, v, kept);
  expect(follow).toMatchObject({
    method: 'GET',
    path: '/public/v1/requests/ABCD1234',
    body: '',
    expect: { body: { token: 'ABCD1234' } },
  });
  expect(follow.headers['x-forwarded-for']).toBe('10.0.0.7');
  expect(follow.headers['content-type']).toBeUndefined();
  expect(new Set(Array.from({ length: 70_000 }, (_, i) => citizenAddress(i))).size).toBe(70_000);
  for (let n = 0; n < 6; n++) {
    const r = json(callFor(citizenReports, n, 0, v).body);
    expect(r.anonymous === true ? r.contact : r.contact.phone).toEqual(
      r.anonymous === true ? undefined : expect.stringMatching(/^1[3-9]\d{9}$/),
    );
  }
});

test('sensor ingest: batches of the gateway’s own devices, each reading at its own time, in order and in the past', () => {
  const smoke = Array.from({ length: 30 }, (_, i) => `dev_demo_SD-${i}`);
  const found = sensorIngest.setup!.extract(
    {
      smoke: { nodes: [...smoke.map((id) => ({ id, gatewayId: 'gw_demo' })), { id: 'dev_other_1', gatewayId: 'gw_other' }] },
      monitors: { nodes: [{ id: 'dev_demo_EF-1', gatewayId: 'gw_demo' }] },
    },
    { clientId: 'gw_demo.demo' },
  );
  expect(found).toEqual({ smokeDetector: smoke, monitor: ['dev_demo_EF-1'] });
  const v = values(found);
  const last = new Map<string, string>();
  for (const n of [0, 1, 2]) {
    const call = callFor(sensorIngest, n, 0, v);
    expect(call.expect).toEqual({ statuses: [202], body: { accepted: BATCH, refused: [] } });
    const readings = json(call.body).readings as Array<{ deviceId: string; at: string }>;
    expect(readings).toHaveLength(BATCH);
    for (const r of readings) {
      expect(Date.parse(r.at)).toBeLessThan(START);
      expect(r.at > (last.get(r.deviceId) ?? '')).toBe(true);
      last.set(r.deviceId, r.at);
    }
  }
});

test('exam day: each examinee starts, answers the paper the start drew, and submits that attempt', () => {
  expect(requestsPerIteration(examDay)).toBe(QUESTIONS + 2);
  const v = values({ examId: ['ex_1'] });
  const start = callFor(examDay, 3, 0, v);
  expect(json(start.body).variables).toEqual({ i: { examId: 'ex_1', personId: `p_load_${START.toString(36)}_3` } });
  const paper = {
    id: 'att_1',
    questions: Array.from({ length: QUESTIONS }, (_, i) => ({ id: `q_${i}`, options: [{ key: 'A' }, { key: 'B' }] })),
  };
  const kept = keepFrom(examDay, 0, JSON.stringify({ data: { startExamAttempt: { __typename: 'X', data: paper } } }), {});
  const second = json(callFor(examDay, 3, 2, v, kept).body);
  expect(second).toMatchObject({
    operationName: 'AnswerQuestion',
    variables: { i: { attemptId: 'att_1', questionId: 'q_1', choice: ['A'] } },
  });
  expect(json(callFor(examDay, 3, QUESTIONS + 1, v, kept).body).variables).toEqual({ id: 'att_1' });
  expect(() => callFor(examDay, 3, QUESTIONS + 2, v, kept)).toThrow('exam_day has no request 12');
  expect(
    examDay.setup!.extract(
      {
        exams: {
          nodes: [
            { id: 'ex_short', questionCount: 5 },
            { id: 'ex_1', questionCount: 10 },
          ],
        },
      },
      {},
    ),
  ).toEqual({
    examId: ['ex_1'],
  });
});
