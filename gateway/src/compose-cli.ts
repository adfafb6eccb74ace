// `npm run supergraph`: fetches every subgraph's SDL (SUBGRAPHS), composes, writes SUPERGRAPH_PATH.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { composeFromSubgraphs } from './compose.ts';
import { loadComposeEnv } from './env.ts';

const env = loadComposeEnv();
try {
  const supergraph = await composeFromSubgraphs(env.SUBGRAPHS);
  await mkdir(path.dirname(env.SUPERGRAPH_PATH), { recursive: true });
  await writeFile(env.SUPERGRAPH_PATH, supergraph);
  process.stdout.write(`wrote ${env.SUPERGRAPH_PATH} from ${env.SUBGRAPHS.map((s) => `${s.name} (${s.url})`).join(', ')}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
