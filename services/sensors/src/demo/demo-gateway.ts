import { newApiClient, usableSecrets, verifySecret } from '@firegov/auth';
import { newId } from '@firegov/kit';
import { randomBytes } from 'node:crypto';
import { newGateway } from '../domain/gateways.ts';
import type { GatewayModels, StoredGateway } from '../store/gateway-model.ts';

/** The demo gateway's fixed ids: its devices' ids derive from it (dev_demo_<serial>). */
export const DEMO_GATEWAY_ID = 'gw_demo';
export const DEMO_CLIENT_ID = `${DEMO_GATEWAY_ID}.demo`;
const DEMO_COUNTY = '500230000000';

export interface DemoGateway {
  gatewayId: string;
  clientId: string;
  /** created: new; rekeyed: it existed with another secret (the JWT secret changed); kept: as it was. */
  outcome: 'created' | 'rekeyed' | 'kept';
}

/**
 * The demo vendor platform serving the demo county, whose client secret is the one `npm start`
 * derives (so it can be printed and used again after a restart). Written with the gateway domain's
 * own constructors: the gateway service issues random secrets only, and a demo needs a known one.
 */
export async function ensureDemoGateway(models: GatewayModels, clientSecret: string, now: Date): Promise<DemoGateway> {
  const client = () =>
    newApiClient(DEMO_GATEWAY_ID, '演示平台', {
      now,
      secretId: newId('sk'),
      random: randomBytes,
      fixed: { clientId: DEMO_CLIENT_ID, clientSecret },
    }).client;
  const existing = await models.gateways.findById(DEMO_GATEWAY_ID).lean<StoredGateway>();
  if (!existing) {
    const gateway = newGateway(
      {
        name: '演示物联网平台',
        vendor: '演示科技有限公司',
        jurisdictionCode: DEMO_COUNTY,
        contact: { name: '王工（演示）', phone: '13800138000' },
        clientLabel: '演示平台',
      },
      { id: DEMO_GATEWAY_ID, now, actor: 'demo-loader' },
    );
    await models.gateways.create({ ...gateway, clients: [client()] });
    return { gatewayId: DEMO_GATEWAY_ID, clientId: DEMO_CLIENT_ID, outcome: 'created' };
  }
  const current = existing.clients.find((c) => c.clientId === DEMO_CLIENT_ID);
  const works =
    current && !current.revokedAt && usableSecrets(current.secrets, now).some((s) => verifySecret(clientSecret, s.hash));
  if (works) return { gatewayId: DEMO_GATEWAY_ID, clientId: DEMO_CLIENT_ID, outcome: 'kept' };
  const clients = [...existing.clients.filter((c) => c.clientId !== DEMO_CLIENT_ID), client()];
  await models.gateways.updateOne(
    { _id: DEMO_GATEWAY_ID },
    { $set: { clients, version: existing.version + 1, updatedAt: now.toISOString() } },
  );
  return { gatewayId: DEMO_GATEWAY_ID, clientId: DEMO_CLIENT_ID, outcome: 'rekeyed' };
}
