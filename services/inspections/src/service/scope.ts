/**
 * The scope list of a jurisdiction code: itself and every level above it (county 6 digits +
 * 000000, township 9 digits + 000, village 12 digits), so "everything under X" is one equality.
 */
export function scopeOf(code: string): string[] {
  const county = `${code.slice(0, 6)}000000`;
  if (code.endsWith('000000')) return [code];
  if (code.endsWith('000')) return [county, code];
  return [county, `${code.slice(0, 9)}000`, code];
}
