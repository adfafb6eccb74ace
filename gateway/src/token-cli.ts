// `npm run -s token -- --role township_officer --jurisdiction 500230213000`: a demo person's access
// token from the identity service, which must be running (npm start). The CLI signs the person in
// as a browser would (authorization code + PKCE at the provider's sign-in page); it signs nothing
// itself. `--all` prints one per demo person.
import { parseArgs } from 'node:util';
import { isRole, isUserRole, signInWithPassword } from '@firegov/auth';
import { devSeed } from '../../infra/src/env.ts';
import { DEMO_PEOPLE, demoUserPassword, devDerive } from '../../infra/src/services.ts';
import { loadTokenCliEnv } from './env.ts';

const USAGE = `usage: npm run -s token -- --role ROLE --jurisdiction CODE [--issuer URL] [--password PASSWORD]
       npm run -s token -- --all [--issuer URL] [--password PASSWORD]
Signs in the demo person with that role and jurisdiction at the identity service (--issuer, else
AUTH_ISSUER, else http://127.0.0.1:4006) and prints their access token. The password is --password,
else DEMO_USER_PASSWORD, else the one npm start derives from DEV_SEED.
Demo people: ${DEMO_PEOPLE.map((p) => `${p.role} ${p.jurisdiction}`).join('; ')}.
--all prints "role<TAB>jurisdiction<TAB>token" lines.`;

// Options of the old CLI, which signed tokens itself; the provider decides these now.
const GONE = ['name', 'subject', 'agency', 'expires-in', 'secret'] as const;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parse() {
  return parseArgs({
    options: {
      role: { type: 'string' },
      jurisdiction: { type: 'string' },
      issuer: { type: 'string' },
      password: { type: 'string' },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...Object.fromEntries(GONE.map((g) => [g, { type: 'string' as const }])),
    },
    strict: true,
  });
}
let args: ReturnType<typeof parse>;
try {
  args = parse();
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
const { values } = args;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const gone = GONE.filter((g) => (values as Record<string, unknown>)[g] !== undefined);
if (gone.length > 0) {
  fail(
    `${gone.map((g) => `--${g}`).join(', ')}: no longer taken; tokens come from the identity service, which sets every claim\n${USAGE}`,
  );
}

const env = loadTokenCliEnv();
const issuer = values.issuer ?? env.AUTH_ISSUER;
const password = values.password ?? env.DEMO_USER_PASSWORD ?? demoUserPassword(devDerive(env.DEV_SEED ?? devSeed({})));
const tokenOf = async (username: string) => (await signInWithPassword({ issuer, username, password })).access_token;

try {
  if (values.all) {
    for (const p of DEMO_PEOPLE) process.stdout.write(`${p.role}\t${p.jurisdiction}\t${await tokenOf(p.username)}\n`);
  } else {
    if (!values.role || !values.jurisdiction) fail(`--role and --jurisdiction are required (or --all)\n${USAGE}`);
    if (!isRole(values.role)) fail(`--role: "${values.role}" is not a role\n${USAGE}`);
    if (!isUserRole(values.role)) {
      fail(`--role: ${values.role} is an outside party, not a person: it gets tokens with its own client credentials`);
    }
    const person = DEMO_PEOPLE.find((p) => p.role === values.role && p.jurisdiction === values.jurisdiction);
    if (!person) fail(`--jurisdiction: no demo ${values.role} in ${values.jurisdiction}\n${USAGE}`);
    process.stdout.write(`${await tokenOf(person.username)}\n`);
  }
} catch (err) {
  const cause = (err as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED')
    fail(`the identity service does not answer at ${issuer}: start the platform (npm start) first`, 1);
  fail(`cannot get a token: ${(err as Error).message}`, 1);
}
