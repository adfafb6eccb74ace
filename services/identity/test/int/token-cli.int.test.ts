import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEMO_PASSWORD, startHarness, type Harness } from '../harness.ts';

// `npm run token` as a separate process: it signs a demo person in at this provider (code + PKCE)
// and prints the access token; it signs nothing itself.

const run = promisify(execFile);
const cli = path.join(__dirname, '..', '..', '..', '..', 'gateway', 'src', 'token-cli.ts');
let h: Harness;

beforeAll(async () => {
  h = await startHarness('identity-cli');
}, 60_000);
afterAll(() => h?.stop());

const token = (args: string[]) =>
  run(process.execPath, [cli, '--issuer', h.issuer, '--password', DEMO_PASSWORD, ...args], {
    env: { ...process.env, NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning' },
  });
const refusal = (args: string[]) =>
  token(args).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );

test('prints the access token of the demo person with that role and jurisdiction', async () => {
  const { stdout } = await token(['--role', 'township_officer', '--jurisdiction', '500230213000']);
  const { payload } = await jwtVerify(stdout.trim(), createRemoteJWKSet(new URL(`${h.issuer}/jwks`)), {
    issuer: h.issuer,
    audience: 'firegov',
  });
  expect(payload).toMatchObject({ sub: 'demo-township', role: 'township_officer', jur: '500230213000' });
});

test('--all prints one token per demo person', async () => {
  const { stdout } = await token(['--all']);
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  expect(lines.map(([role, jur]) => `${role} ${jur}`)).toEqual([
    'county_admin 500230000000',
    'township_officer 500230213000',
    'village_grid_manager 500230213201',
    'department_officer 500230000000',
    'fire_brigade 500230000000',
  ]);
  expect(lines.every((l) => l[2]!.split('.').length === 3)).toBe(true);
});

test('refuses what it cannot get, naming the flag', async () => {
  expect(await refusal(['--role', 'agency', '--jurisdiction', '500230000000'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('not a person'),
  });
  expect(await refusal(['--role', 'township_officer', '--jurisdiction', '500230214000'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('--jurisdiction: no demo township_officer in 500230214000'),
  });
  expect(await refusal(['--role', 'fire_brigade', '--jurisdiction', '500230000000', '--secret', 'x'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('--secret: no longer taken'),
  });
  const wrong = await run(process.execPath, [cli, '--issuer', h.issuer, '--password', 'wrong-password', '--all']).catch(
    (e: { code: number; stderr: string }) => e,
  );
  expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining('the username or password is wrong') });
});
