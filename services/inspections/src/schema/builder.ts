import { createSubgraphBuilder } from '@firegov/subgraph';
import type { GraphContext } from './context.ts';

export const builder = createSubgraphBuilder<GraphContext>();
