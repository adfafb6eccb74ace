import { jsonPath, typeError } from '@firegov/contracts';
import { createHash } from 'node:crypto';
import { z } from 'zod';

// Learning records from the national learning platform (全民消防学习云平台) as xAPI 1.0.3-shaped
// statements. Pure: the shape, what a statement means for training, and its fingerprint.

export const XAPI_VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
} as const;

export const MAX_STATEMENTS_PER_BATCH = 100;

const iri = z.url({ error: 'must be an absolute IRI (http(s)://…)' }).max(2048, 'must be at most 2048 characters');
const languageMap = z.record(z.string(), z.string({ error: typeError('a string') }), {
  error: typeError('a language map object'),
});

const agentSchema = z
  .object(
    {
      objectType: z.literal('Agent', { error: 'must be "Agent"' }).optional(),
      name: z
        .string({ error: typeError('a string') })
        .max(200, 'must be at most 200 characters')
        .optional(),
      mbox: z
        .string({ error: typeError('a string') })
        .regex(/^mailto:[^@\s]+@[^@\s]+$/, 'must be a mailto: IRI (mailto:someone@example.org)')
        .optional(),
      account: z
        .object(
          {
            homePage: iri,
            name: z
              .string({ error: typeError('a string') })
              .trim()
              .min(1, 'must not be empty')
              .max(200, 'must be at most 200 characters'),
          },
          { error: typeError('an object') },
        )
        .optional(),
    },
    { error: typeError('an object') },
  )
  .superRefine((a, ctx) => {
    // xAPI: an agent has exactly one inverse functional identifier; these two are the ones we match on.
    const ids = [a.mbox, a.account].filter((x) => x !== undefined).length;
    if (ids !== 1) ctx.addIssue({ code: 'custom', path: ['account'], message: 'give exactly one of mbox or account' });
  });

export const statementSchema = z.object(
  {
    id: z.uuid({ error: 'must be a UUID' }),
    actor: agentSchema,
    verb: z.object({ id: iri, display: languageMap.optional() }, { error: typeError('an object') }),
    object: z.object(
      {
        objectType: z.literal('Activity', { error: 'must be "Activity"' }).optional(),
        id: iri,
        definition: z
          .object(
            { name: languageMap.optional(), description: languageMap.optional(), type: iri.optional() },
            { error: typeError('an object') },
          )
          .optional(),
      },
      { error: typeError('an object') },
    ),
    result: z
      .object(
        {
          score: z
            .object(
              {
                scaled: z
                  .number({ error: typeError('a number') })
                  .min(-1, 'must be at least -1')
                  .max(1, 'must be at most 1')
                  .optional(),
                raw: z.number({ error: typeError('a number') }).optional(),
                min: z.number({ error: typeError('a number') }).optional(),
                max: z.number({ error: typeError('a number') }).optional(),
              },
              { error: typeError('an object') },
            )
            .optional(),
          success: z.boolean({ error: typeError('a boolean') }).optional(),
          completion: z.boolean({ error: typeError('a boolean') }).optional(),
          duration: z.string({ error: typeError('a string') }).optional(),
        },
        { error: typeError('an object') },
      )
      .optional(),
    timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
  },
  { error: typeError('a statement object') },
);
export type Statement = z.output<typeof statementSchema>;

export interface BatchProblem {
  path: string;
  reason: string;
}

/**
 * The statements of a request body, or every problem with its statement index and field
 * (`$[2].actor.mbox`; `$.verb.id` for a single statement) so the platform fixes all in one round.
 */
export function parseStatements(
  body: unknown,
): { ok: true; statements: Statement[]; batch: boolean } | { ok: false; problems: BatchProblem[] } {
  const batch = Array.isArray(body);
  const result = (batch ? z.array(statementSchema) : statementSchema).safeParse(body);
  const sizeProblem =
    batch && (body.length === 0 || body.length > MAX_STATEMENTS_PER_BATCH)
      ? [{ path: '$', reason: `must hold 1 to ${MAX_STATEMENTS_PER_BATCH} statements` }]
      : [];
  if (!result.success || sizeProblem.length) {
    const problems = [
      ...sizeProblem,
      ...(result.success ? [] : result.error.issues.map((i) => ({ path: jsonPath(i.path), reason: i.message }))),
    ];
    return { ok: false, problems };
  }
  const statements = Array.isArray(result.data) ? result.data : [result.data];
  const ids = new Map<string, number>();
  const duplicates: BatchProblem[] = [];
  statements.forEach((s, i) => {
    const first = ids.get(s.id.toLowerCase());
    if (first !== undefined) duplicates.push({ path: `$[${i}].id`, reason: `repeats the id of statement ${first}` });
    else ids.set(s.id.toLowerCase(), i);
  });
  return duplicates.length ? { ok: false, problems: duplicates } : { ok: true, statements, batch };
}

/** The course an activity names: its IRI's last path segment (…/courses/course_safety_manager). */
export function courseIdOf(activityId: string): string | null {
  const segment = new URL(activityId).pathname.split('/').filter(Boolean).pop();
  return segment && /^[A-Za-z0-9_-]{1,64}$/.test(segment) ? segment : null;
}

/** True when the statement says the actor finished the course: completed (not failed) or passed. */
export function completesCourse(s: Statement): boolean {
  if (s.verb.id === XAPI_VERBS.passed) return s.result?.success !== false;
  if (s.verb.id === XAPI_VERBS.completed) return s.result?.success !== false && s.result?.completion !== false;
  return false;
}

/** How the statement names its actor, for matching a registered person. */
export function actorKey(s: Statement): { account: string } | { email: string } {
  if (s.actor.account) return { account: s.actor.account.name };
  return { email: (s.actor.mbox ?? '').slice('mailto:'.length).toLowerCase() };
}

// Keys sorted at every level so the same statement always hashes the same.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the statement's canonical JSON: a replay has the same, a reused id with other content not. */
export const statementHash = (s: Statement): string => createHash('sha256').update(canonical(s)).digest('hex');
