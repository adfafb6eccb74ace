import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, toAppError } from './errors.ts';
import { runReadiness, type ReadinessCheck } from './health.ts';
import { httpMetrics, metricsHandler } from './metrics.ts';

export interface HttpAppOptions {
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Largest accepted JSON body. */
  bodyLimit?: string;
  /** Becomes false when shutdown starts: /readyz then answers 503 so load balancers stop sending. */
  isAccepting?: () => boolean;
  /** Bearer token `GET /metrics` requires (METRICS_TOKEN); open when absent. */
  metricsToken?: string | undefined;
}

/**
 * An express app with the platform's conventions: JSON bodies, request ids, /healthz, /readyz and /metrics,
 * and one error shape `{ error: { code, message, details[] } }`. Mount routes with `app.use`, then
 * call `finishApp(app)` to add the 404 and error handlers last.
 */
export function createHttpApp(opts: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId());
  app.use(httpMetrics());
  // Prometheus scrapes here (kit/metrics.ts); like the probes, it serves operators, not callers.
  app.get('/metrics', metricsHandler(opts.metricsToken));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const accepting = opts.isAccepting?.() ?? true;
    const report = await runReadiness(opts.readiness);
    const ready = accepting && report.ready;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : accepting ? 'not ready' : 'shutting down', checks: report.checks });
  });
  app.use(express.json({ limit: opts.bodyLimit ?? '1mb', strict: true }));
  return app;
}

export function finishApp(app: Express, logger: Logger): Express {
  app.use((req, _res, next) => {
    next(new AppError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(logger));
  return app;
}

function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header('x-request-id');
    const id = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    next();
  };
}

interface BodyParserError {
  type?: string;
  status?: number;
  message: string;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const bp = err as BodyParserError;
    let appErr: AppError;
    if (bp?.type === 'entity.parse.failed') {
      appErr = new AppError('MALFORMED_REQUEST', 'request body is not valid JSON', {
        details: [{ path: '$', reason: bp.message }],
      });
    } else if (bp?.type === 'entity.too.large') {
      appErr = new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
    } else if (bp?.type === 'charset.unsupported' || bp?.type === 'encoding.unsupported') {
      appErr = new AppError('MALFORMED_REQUEST', bp.message);
    } else if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500 && !(err instanceof AppError)) {
      // Any other refusal from the body parser or router (a corrupt gzip/br body, a bad charset):
      // the request's fault, said as such rather than a 500.
      appErr = new AppError(bp.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_REQUEST', bp.message);
    } else if (err instanceof URIError) {
      // A path with broken percent-encoding: the caller's mistake, not ours.
      appErr = new AppError('MALFORMED_REQUEST', 'request path is not valid percent-encoding');
    } else {
      appErr = toAppError(err);
    }
    if (appErr.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    else logger.debug({ code: appErr.code, method: req.method, path: req.path }, 'request refused');
    if (res.headersSent) return;
    if (appErr.code === 'UNAVAILABLE') res.setHeader('Retry-After', '5');
    res.status(appErr.status).json(appErr.toJSON());
  };
}
