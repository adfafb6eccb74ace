import { redisRateLimit, type Logger, type Redis } from '@firegov/kit';
import { Router, type Response } from 'express';
import type { DeviceActor, DeviceService } from '../service/devices.ts';
import type { GatewayTokens } from '../service/gateway-tokens.ts';
import { gatewayOf, requireGateway } from './oauth.ts';
import type { IngestService } from '../service/ingest.ts';
import { telemetryOpenApi } from './telemetry-openapi.ts';

/**
 * The device gateways' REST API (their tokens come from /oauth/token): batches of readings, and
 * the registration of the devices a gateway speaks for. Documented by the OpenAPI 3.1 document it serves.
 */
export function telemetryRouter(opts: {
  tokens: GatewayTokens;
  ingest: IngestService;
  devices: DeviceService;
  redis: Redis;
  logger: Logger;
  perMinute: number;
  keyPrefix: string;
}): Router {
  const router = Router();
  router.get('/v1/openapi.json', (req, res) => {
    res.json(telemetryOpenApi({ serverUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}` }));
  });

  const authenticated = Router();
  authenticated.use(requireGateway(opts.tokens));
  authenticated.use(
    redisRateLimit({
      redis: opts.redis,
      limit: opts.perMinute,
      logger: opts.logger,
      keyPrefix: `${opts.keyPrefix}rate:telemetry`,
      keyOf: (_req, res) => gatewayOf(res).gatewayId,
      scopeLabel: 'per device gateway',
    }),
  );
  const actorOf = (res: Response): DeviceActor => {
    const g = gatewayOf(res);
    return { subject: `gateway:${g.clientId}`, jurisdiction: g.jurisdictionCode, gatewayId: g.gatewayId };
  };

  authenticated.post('/telemetry', async (req, res) => {
    const result = await opts.ingest.accept(gatewayOf(res).gatewayId, req.body);
    // 202: on Kafka, not yet evaluated. Nothing accepted (every reading refused) is a 422.
    res.status(result.accepted > 0 ? 202 : 422).json(result);
  });
  authenticated.post('/devices', async (req, res) => {
    const body = { ...(req.body as Record<string, unknown>), gatewayId: gatewayOf(res).gatewayId };
    res.status(201).json(await opts.devices.register(actorOf(res), body));
  });
  authenticated.post('/devices/:id/retirement', async (req, res) => {
    res.json(await opts.devices.retire(actorOf(res), String(req.params.id)));
  });
  router.use('/v1', authenticated);
  return router;
}
