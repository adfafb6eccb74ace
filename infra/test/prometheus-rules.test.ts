import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testEnv } from '@firegov/testing';
import { prometheusConfig } from '../src/prometheus-config.ts';
import { loadStackEnv } from '../src/env.ts';

// The alert rules Prometheus evaluates under `npm start` (infra/prometheus/alerts.yml): promtool
// accepts them, and its unit test fires each alert on purpose (and holds it back where it must not).

const dir = path.join(__dirname, '..', 'prometheus');
const promtool = (...args: string[]) => {
  if (!testEnv.PROMTOOL) throw new Error('PROMTOOL is not set: run the tests with `npm test`, which builds promtool first');
  return spawnSync(testEnv.PROMTOOL, args, { cwd: dir, encoding: 'utf8' });
};

test('promtool accepts the alert rules', () => {
  const res = promtool('check', 'rules', 'alerts.yml');
  expect(res.stdout + res.stderr).toContain('SUCCESS: 5 rules found');
  expect(res.status).toBe(0);
});

test('every alert fires on purpose in the rule unit tests', () => {
  const res = promtool('test', 'rules', 'alerts.test.yml');
  expect(res.stdout + res.stderr).toContain('SUCCESS');
  expect(res.status).toBe(0);
  const tests = fs.readFileSync(path.join(dir, 'alerts.test.yml'), 'utf8');
  for (const alert of [
    'FiregovServiceDown',
    'FiregovConsumerLag',
    'FiregovDeadLetters',
    'FiregovOutboxBehind',
    'FiregovErrorRate',
  ])
    expect(tests).toContain(`alertname: ${alert}`);
});

test('Prometheus scrapes the gateway and every service with the rules loaded, and sends the scrape token when set', () => {
  const env = loadStackEnv(path.join(__dirname, '..', '..'), {});
  const config = prometheusConfig(env);
  for (const port of [4000, 4001, 4002, 4003, 4004, 4005]) expect(config).toContain(`'127.0.0.1:${port}'`);
  expect(config).toContain(path.join('infra', 'prometheus', 'alerts.yml'));
  expect(config).not.toContain('authorization');
  expect(prometheusConfig({ ...env, METRICS_TOKEN: 'scrape-token-0123456789' })).toContain(
    "credentials: 'scrape-token-0123456789'",
  );
});
