import { idSchema, invalidInput, typeError } from '@firegov/contracts';
import { Kind, parse } from 'graphql';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { assertActive, type PlatformClient, type TrustedDocument } from './client.ts';

export type { TrustedDocument } from './client.ts';

// Trusted documents (persisted operations) of a platform client: the GraphQL documents a client
// limited to them may run, each known by the sha256 of its text, which the client sends instead of
// the text (extensions.persistedQuery.sha256Hash, or documentId). Pure rules; no I/O.

/** A document longer than this is not a query a county platform sends (the gateway's token limit is far lower). */
export const MAX_DOCUMENT_CHARS = 20_000;
export const MAX_DOCUMENTS_PER_CALL = 100;
/** Kept in the client's record, so bounded well below the store's document size. */
export const MAX_DOCUMENTS_PER_CLIENT = 300;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The hash clients compute over the exact text they registered (Apollo's persisted query convention). */
export const documentHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Why a text is not a document the gateway could run, or undefined when it is one. */
export function documentProblem(text: string): string | undefined {
  let ast;
  try {
    ast = parse(text, { noLocation: true });
  } catch (err) {
    return `does not parse as GraphQL: ${(err as Error).message}`;
  }
  // parse() accepts type definitions too; only operations and fragments can ever be executed.
  const foreign = ast.definitions.find((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION);
  if (foreign) return `must hold operations and fragments only, not ${foreign.kind}`;
  if (!ast.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) return 'holds no operation';
  return undefined;
}

const documentText = z
  .string({ error: typeError('a string') })
  .min(1, 'must not be empty')
  .max(MAX_DOCUMENT_CHARS, `must be at most ${MAX_DOCUMENT_CHARS} characters`)
  .superRefine((text, ctx) => {
    // Already refused for its length: one reason per document.
    if (text.length === 0 || text.length > MAX_DOCUMENT_CHARS) return;
    const problem = documentProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const registerDocumentsInput = z.strictObject(
  {
    clientId: idSchema,
    documents: z
      .array(documentText, { error: typeError('a list of strings') })
      .min(1, 'must hold at least one document')
      .max(MAX_DOCUMENTS_PER_CALL, `must hold at most ${MAX_DOCUMENTS_PER_CALL} documents`),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

export const removeDocumentsInput = z.strictObject(
  {
    clientId: idSchema,
    hashes: z
      .array(
        z.string({ error: typeError('a string') }).regex(SHA256_HEX, 'must be a sha256 hash in lower-case hex (64 characters)'),
        {
          error: typeError('a list of strings'),
        },
      )
      .min(1, 'must hold at least one hash')
      .max(MAX_DOCUMENTS_PER_CALL, `must hold at most ${MAX_DOCUMENTS_PER_CALL} hashes`),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

export const trustedOnlyInput = z.strictObject(
  { id: idSchema, trustedDocumentsOnly: z.boolean({ error: typeError('a boolean') }) },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

interface Change {
  now: Date;
  actor: string;
}

/**
 * The client with `texts` among its documents. Registering a document it already has changes
 * nothing (the same text has the same hash); `added` names the new ones, empty when nothing changed.
 */
export function withDocuments(
  client: PlatformClient,
  texts: readonly string[],
  meta: Change,
): { client: PlatformClient; documents: TrustedDocument[]; added: string[] } {
  assertActive(client, 'register documents for');
  const known = new Map((client.documents ?? []).map((d) => [d.hash, d]));
  const asked: TrustedDocument[] = [];
  const added: TrustedDocument[] = [];
  for (const text of texts) {
    const hash = documentHash(text);
    if (asked.some((d) => d.hash === hash)) continue;
    const doc = known.get(hash) ?? { hash, document: text, registeredAt: meta.now.toISOString(), registeredBy: meta.actor };
    if (!known.has(hash)) {
      added.push(doc);
      known.set(hash, doc);
    }
    asked.push(doc);
  }
  if (known.size > MAX_DOCUMENTS_PER_CLIENT) {
    throw invalidInput('the client would have too many documents', [
      {
        path: '$.documents',
        reason: `the client may have at most ${MAX_DOCUMENTS_PER_CLIENT} documents; it would have ${known.size}`,
      },
    ]);
  }
  if (added.length === 0) return { client, documents: asked, added: [] };
  return {
    client: { ...client, version: client.version + 1, documents: [...known.values()] },
    documents: asked,
    added: added.map((d) => d.hash),
  };
}

/** The client without the documents of `hashes`; a hash it does not have is named, and nothing changes. */
export function withoutDocuments(
  client: PlatformClient,
  hashes: readonly string[],
): { client: PlatformClient; removed: string[] } {
  const have = new Set((client.documents ?? []).map((d) => d.hash));
  const unknown = hashes.flatMap((hash, i) =>
    have.has(hash) ? [] : [{ path: `$.hashes[${i}]`, reason: 'no document of this client has this hash' }],
  );
  if (unknown.length > 0) throw invalidInput('some hashes name no document of this client', unknown);
  const removed = [...new Set(hashes)];
  return {
    client: {
      ...client,
      version: client.version + 1,
      documents: (client.documents ?? []).filter((d) => !removed.includes(d.hash)),
    },
    removed,
  };
}

/** Limits the client to its documents, or lifts the limit; unchanged when it already is so. */
export function withTrustedDocumentsOnly(client: PlatformClient, on: boolean): PlatformClient {
  assertActive(client, 'change the documents limit of');
  if ((client.trustedDocumentsOnly ?? false) === on) return client;
  return { ...client, version: client.version + 1, trustedDocumentsOnly: on };
}
