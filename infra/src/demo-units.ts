// How many demo units `npm start` loads: `--units N` or DEMO_UNITS, 2,000 by default. Above the
// limit a local FerretDB takes too long to load (and to list) for a demo to be useful.
export const DEFAULT_DEMO_UNITS = 2000;
export const MAX_DEMO_UNITS = 200_000;

export function parseDemoUnits(argv: readonly string[], fromEnv: string | undefined): number {
  let raw = fromEnv;
  let source = 'DEMO_UNITS';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--units') {
      raw = argv[i + 1];
      source = '--units';
      i++;
    } else if (arg.startsWith('--units=')) {
      raw = arg.slice('--units='.length);
      source = '--units';
    } else {
      throw new Error(`unknown option ${arg} (npm start takes --units N)`);
    }
  }
  if (raw === undefined) {
    if (source === '--units') throw new Error('--units needs a number, e.g. --units 50000');
    return DEFAULT_DEMO_UNITS;
  }
  const text = raw.replace(/[_,]/g, '');
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_DEMO_UNITS) {
    throw new Error(`${source} must be a whole number from 1 to ${MAX_DEMO_UNITS}, not ${JSON.stringify(raw)}`);
  }
  return n;
}
