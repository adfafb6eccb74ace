import { AppError } from '@firegov/kit';
import type { Request, Response } from 'express';

// What the dashboard's read-only proxies (Prometheus, Jaeger) share: one GET to the upstream,
// passed back as it answered, or 503 saying who did not answer; other methods refused with 405.

/** Why a fetch failed, as the system said it (ECONNREFUSED, a timeout ...). */
export function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

/** Answers 405 (and returns true) for anything but GET and HEAD. */
export function refuseMethod(req: Request, res: Response, message: string): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  res
    .status(405)
    .set('allow', 'GET, HEAD')
    .json({ error: { code: 'METHOD_NOT_ALLOWED', message, details: [] } });
  return true;
}

/**
 * GETs `target` and sends its status, content type and body back unchanged (never cached); when
 * the upstream does not answer within `timeoutMs`, throws UNAVAILABLE (503) with `unavailable(why)`.
 */
export async function forward(
  res: Response,
  target: URL,
  timeoutMs: number,
  unavailable: (why: string) => string,
): Promise<void> {
  let status: number;
  let type: string;
  let body: Buffer;
  try {
    const upstream = await fetch(target, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    status = upstream.status;
    type = upstream.headers.get('content-type') ?? 'application/json';
    body = Buffer.from(await upstream.arrayBuffer());
  } catch (err) {
    throw new AppError('UNAVAILABLE', unavailable(reason(err)), { cause: err });
  }
  res.status(status).type(type).set('cache-control', 'no-store').send(body);
}

/** A base URL that keeps its path prefix when endpoints are resolved against it. */
export function baseUrl(url: string): URL {
  return new URL(url.endsWith('/') ? url : `${url}/`);
}
