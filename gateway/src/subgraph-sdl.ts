// The federation SDL query every subgraph answers; the SDL describes types only, so subgraphs
// serve it without a token (the same types are visible through the gateway's introspection).
const SDL_QUERY = '{ _service { sdl } }';

/** Fetches a subgraph's federation SDL over HTTP; errors name the URL and what went wrong. */
export async function fetchSubgraphSdl(
  url: string,
  opts: { timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...opts.headers },
      body: JSON.stringify({ query: SDL_QUERY }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
  } catch (err) {
    throw new Error(`subgraph ${url} did not answer: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text();
  let body: { data?: { _service?: { sdl?: unknown } } | null; errors?: Array<{ message?: string }> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`subgraph ${url} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const sdl = body.data?._service?.sdl;
  if (typeof sdl !== 'string' || sdl.trim() === '') {
    const why = body.errors?.map((e) => e.message).join('; ') ?? 'no _service.sdl in the answer';
    throw new Error(`subgraph ${url} gave no SDL (HTTP ${res.status}): ${why}`);
  }
  return sdl;
}
