/** The version of `module` a go.mod requires (the one the requiring module was built and tested with). */
export function requiredModuleVersion(goMod: string, module: string): string {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  // A line of a `require ( … )` block, or a one-line `require module version`.
  const m = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!m?.[1]) throw new Error(`go.mod requires no version of ${module}`);
  return m[1];
}
