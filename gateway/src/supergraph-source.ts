import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@firegov/kit';
import { composeFromSubgraphs } from './compose.ts';
import type { SubgraphEndpoint } from './env.ts';

export interface SupergraphSourceOptions {
  path: string;
  subgraphs: readonly SubgraphEndpoint[];
  logger: Logger;
  /** How long to keep trying live composition when there is no file (subgraphs may still be starting). */
  composeTimeoutMs?: number;
}

/**
 * The supergraph the gateway serves: the composed file (`npm run supergraph`) when there is one,
 * so start-up does not depend on every subgraph being up; otherwise composed from the live
 * subgraphs, retrying until they answer.
 */
export async function loadSupergraph(opts: SupergraphSourceOptions): Promise<{ sdl: string; source: string }> {
  try {
    return { sdl: await readFile(opts.path, 'utf8'), source: opts.path };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  opts.logger.info({ path: opts.path }, 'no supergraph file: composing from the live subgraphs');
  const deadline = Date.now() + (opts.composeTimeoutMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return { sdl: await composeFromSubgraphs(opts.subgraphs), source: 'live subgraphs' };
    } catch (err) {
      // A composition error will not fix itself by waiting; an unreachable subgraph may.
      if ((err as Error).message.startsWith('supergraph composition failed') || Date.now() >= deadline) throw err;
      opts.logger.warn({ attempt, err: (err as Error).message }, 'subgraphs not ready for composition; retrying');
      await sleep(Math.min(5000, 500 * attempt));
    }
  }
}
