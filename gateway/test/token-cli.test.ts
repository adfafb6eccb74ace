import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Role, verifyToken } from '@firegov/auth';
import { DEV_JWT_SECRET } from '@firegov/auth';

// The CLI as `npm run token` runs it: a separate node process running the TypeScript source.
const run = promisify(execFile);
const cli = path.join(__dirname, '..', 'src', 'token-cli.ts');
const env = { ...process.env, JWT_SECRET: '' };

async function token(args: string[], extraEnv: Record<string, string> = {}) {
  return run(process.execPath, [cli, ...args], { env: { ...env, ...extraEnv } });
}

test('mints a token verifyToken accepts, with the development secret by default', async () => {
  const { stdout, stderr } = await token(['--role', 'township_officer', '--jurisdiction', '500230213000', '--name', '张三']);
  expect(stderr).toMatch(/development secret/);
  expect(await verifyToken(stdout.trim(), { secret: DEV_JWT_SECRET })).toEqual({
    subject: 'dev-township-officer',
    role: 'township_officer',
    jurisdiction: '500230213000',
    name: '张三',
  });
});

test('signs with JWT_SECRET when set, and --secret over both', async () => {
  const fromEnv = (
    await token(['--role', 'fire_brigade', '--jurisdiction', '500230000000'], { JWT_SECRET: 's'.repeat(40) })
  ).stdout.trim();
  await expect(verifyToken(fromEnv, { secret: 's'.repeat(40) })).resolves.toMatchObject({ role: 'fire_brigade' });
  const fromFlag = (
    await token(['--role', 'fire_brigade', '--jurisdiction', '500230000000', '--secret', 'f'.repeat(40)])
  ).stdout.trim();
  await expect(verifyToken(fromFlag, { secret: 'f'.repeat(40) })).resolves.toMatchObject({ role: 'fire_brigade' });
});

test('--all prints one token per role for the demo county, township and village', async () => {
  const lines = (await token(['--all'])).stdout.trim().split('\n');
  expect(lines).toHaveLength(Role.values.length);
  const byRole = new Map<string, { jurisdiction: string; token: string }>();
  for (const line of lines) {
    const [role, jurisdiction, jwt] = line.split('\t');
    byRole.set(role!, { jurisdiction: jurisdiction!, token: jwt! });
    expect(await verifyToken(jwt!, { secret: DEV_JWT_SECRET })).toMatchObject({ role, jurisdiction });
  }
  expect([...byRole.keys()]).toEqual(Role.values);
  expect(byRole.get('county_admin')?.jurisdiction).toBe('500230000000');
  expect(byRole.get('township_officer')?.jurisdiction).toBe('500230213000');
  expect(byRole.get('village_grid_manager')?.jurisdiction).toBe('500230213201');
  await expect(verifyToken(byRole.get('agency')!.token, { secret: DEV_JWT_SECRET })).resolves.toMatchObject({
    agencyId: 'demo-agency',
  });
});

test('bad input exits 2 naming the flag', async () => {
  await expect(token(['--role', 'mayor', '--jurisdiction', '5002'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--role: "mayor" is not a known value.*--jurisdiction: must be 12 digits, got 4/),
  });
  await expect(token(['--role', 'agency', '--jurisdiction', '500230000000'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('--agency: required for role agency'),
  });
  await expect(token(['--jurisdiction', '500230000000'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('usage:'),
  });
});

test('the development secret is 48 characters and says what it is', () => {
  expect(DEV_JWT_SECRET).toHaveLength(48);
  expect(DEV_JWT_SECRET).toMatch(/dev-only.*NOT-FOR-PRODUCTION/);
});
