import { z } from 'zod';

export type CheckResult = { ok: true; value: string } | { ok: false; reason: string };

/** A zod schema from a check function: the normalized value on success, its reason as the issue otherwise. */
export function schemaFromCheck(check: (input: string) => CheckResult) {
  return z
    .string()
    .trim()
    .transform((input, ctx) => {
      const result = check(input);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    });
}
