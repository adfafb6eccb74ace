import { parseOrThrow } from '@firegov/kit';
import type { z } from 'zod';

export { fromDomain, isDuplicateKeyError as isDuplicateKey } from '@firegov/kit';

/** Validates an outside input; every bad field is named with its JSON path. */
export const parseInput = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => parseOrThrow(schema, input);
