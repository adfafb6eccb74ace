import { addSharedTypes, createSubgraphBuilder } from '@firegov/service';
import type { GraphContext } from './context.ts';

// The builder and the types every file of this subgraph shares.
export const builder = createSubgraphBuilder<GraphContext>();
export const { ErrorDetailRef, PageInfoRef, pageRef } = addSharedTypes(builder);
