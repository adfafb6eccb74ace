/**
 * A function of a token, remembered per token: a client sends the same token with every request,
 * so what the gateway derives from it (its forward proof, the caller its claims name) is computed
 * once, not on every request. Bounded; the oldest entry goes first.
 */
export function perToken<T>(compute: (token: string) => T, maxEntries = 10_000): (token: string) => T {
  const entries = new Map<string, T>();
  return (token) => {
    if (entries.has(token)) return entries.get(token) as T;
    const value = compute(token);
    entries.set(token, value);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return value;
  };
}
