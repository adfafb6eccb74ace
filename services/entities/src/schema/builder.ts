import { createSubgraphBuilder } from '@firegov/service';
import type { GraphContext } from './context.ts';

export const builder = createSubgraphBuilder<GraphContext>();
