// `npm run -s token -- --role township_officer --jurisdiction 500230213000 [--name 张三]`: prints a
// development token. `--all` prints one per role for the demo county, township and village.
import { parseArgs } from 'node:util';
import { AppError } from '@firegov/kit';
import { signToken, type Identity } from '@firegov/auth';
import { DEV_JWT_SECRET } from '@firegov/auth';
import { demoIdentities } from './dev-tokens.ts';
import { loadTokenCliEnv } from './env.ts';

const USAGE = `usage: npm run -s token -- --role ROLE --jurisdiction CODE [--name NAME] [--subject ID] [--agency ID]
                            [--expires-in 8h] [--secret SECRET]
       npm run -s token -- --all [--expires-in 8h] [--secret SECRET]
The secret is --secret, else JWT_SECRET, else the development secret (DEV_JWT_SECRET in @firegov/auth).
--all prints "role<TAB>jurisdiction<TAB>token" lines.`;

const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  subject: '--subject',
  role: '--role',
  jurisdiction: '--jurisdiction',
  name: '--name',
  agencyId: '--agency',
};

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      role: { type: 'string' },
      jurisdiction: { type: 'string' },
      name: { type: 'string' },
      subject: { type: 'string' },
      agency: { type: 'string' },
      'expires-in': { type: 'string', default: '8h' },
      secret: { type: 'string' },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}
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

const secret = values.secret ?? loadTokenCliEnv().JWT_SECRET ?? DEV_JWT_SECRET;
if (secret === DEV_JWT_SECRET)
  process.stderr.write('note: signed with the development secret (set JWT_SECRET or --secret otherwise)\n');
const sign = (identity: Identity) => signToken(identity, { secret, expiresIn: values['expires-in'] });

try {
  if (values.all) {
    for (const identity of demoIdentities()) {
      process.stdout.write(`${identity.role}\t${identity.jurisdiction}\t${await sign(identity)}\n`);
    }
  } else {
    if (!values.role || !values.jurisdiction) fail(`--role and --jurisdiction are required (or --all)\n${USAGE}`);
    const identity = {
      subject: values.subject ?? `dev-${values.role.replaceAll('_', '-')}`,
      role: values.role,
      jurisdiction: values.jurisdiction,
      ...(values.name ? { name: values.name } : {}),
      ...(values.agency ? { agencyId: values.agency } : {}),
    } as Identity;
    process.stdout.write(`${await sign(identity)}\n`);
  }
} catch (err) {
  if (err instanceof AppError) {
    const flag = (path: string) => FLAG_OF_FIELD[path.replace(/^\$\./, '')] ?? path;
    fail(`cannot sign: ${err.details.map((d) => `${flag(d.path)}: ${d.reason}`).join('; ') || err.message}`);
  }
  fail(`cannot sign: ${(err as Error).message}`, 1);
}
