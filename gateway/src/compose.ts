import { composeServices } from '@theguild/federation-composition';
import { parse, type DocumentNode } from 'graphql';
import { fetchSubgraphSdl } from './subgraph-sdl.ts';

export interface SubgraphSource {
  name: string;
  /** Where the gateway will send this subgraph's part of a query (recorded in the supergraph). */
  url: string;
  /** The subgraph's federation SDL, as `_service { sdl }` returns it. */
  typeDefs: string;
}

/**
 * Composes subgraphs into a supergraph SDL. Throws one Error listing every composition error (with
 * its code), so a broken subgraph change is explained in full at once, in CI or at start-up.
 */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  if (subgraphs.length === 0) throw new Error('supergraph composition needs at least one subgraph');
  const services = subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parseSdl(s) }));
  const result = composeServices(services);
  if (result.errors) {
    const lines = result.errors.map((e) => {
      const code = typeof e.extensions.code === 'string' ? `[${e.extensions.code}] ` : '';
      return `  - ${code}${e.message}`;
    });
    throw new Error(`supergraph composition failed with ${result.errors.length} error(s):\n${lines.join('\n')}`);
  }
  return result.supergraphSdl;
}

function parseSdl(subgraph: SubgraphSource): DocumentNode {
  try {
    return parse(subgraph.typeDefs);
  } catch (err) {
    throw new Error(`subgraph "${subgraph.name}" SDL does not parse: ${(err as Error).message}`, { cause: err });
  }
}

export { fetchSubgraphSdl };

/** Fetches every subgraph's SDL and composes them: what `npm run supergraph` and a cold start do. */
export async function composeFromSubgraphs(endpoints: ReadonlyArray<{ name: string; url: string }>): Promise<string> {
  const subgraphs = await Promise.all(endpoints.map(async (s) => ({ ...s, typeDefs: await fetchSubgraphSdl(s.url) })));
  return composeSupergraph(subgraphs);
}
