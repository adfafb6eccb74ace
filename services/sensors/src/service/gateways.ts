import {
  newApiClient,
  newClientSecret,
  overlapEnd,
  ownerCache,
  ownerOfClientId,
  revokeApiClient,
  rotateApiClientSecret,
  usableSecrets,
  type Identity,
} from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { withDocumentLock } from '@firegov/events';
import { collectionOf, conflict, forbidden, fromDomain, newId, notFound } from '@firegov/kit';
import { randomBytes } from 'node:crypto';
import {
  addClientInput,
  assertMayManage,
  isGatewayManager,
  newGateway,
  registerGatewayInput,
  type DeviceGateway,
  type GatewayClient,
} from '../domain/gateways.ts';
import type { GatewayModels, StoredGateway } from '../store/gateway-model.ts';

export interface GatewayDeps {
  models: GatewayModels;
  now: () => Date;
}

/** A client secret as shown once, when issued; only its hash is kept. */
export interface IssuedSecret {
  gatewayId: string;
  clientId: string;
  clientSecret: string;
  /** After a rotation: when the secrets it replaced stop working. */
  oldSecretsValidUntil?: string;
}

/**
 * Gateways as the token endpoint and ingest see them, kept 2 s (ownerCache): a revocation made on
 * this replica is seen at once, on others within 2 s.
 */
export const gatewayCache = (models: GatewayModels, ttlMs = 2000) =>
  ownerCache((id) => models.gateways.findById(id).lean<StoredGateway>(), { ttlMs });

export type GatewayCache = ReturnType<typeof gatewayCache>;

/**
 * The only writer of device gateways (设备网关) and their OAuth clients: registration with a first
 * client, further clients, secret rotation with an overlap, revocation. County administrators and
 * township officers manage the gateways serving their jurisdiction; a gateway out of scope reads as
 * absent.
 */
export function gatewayService(deps: GatewayDeps, cache: GatewayCache) {
  const gateways = collectionOf(deps.models.gateways);

  function assertManager(who: Identity): void {
    if (!isGatewayManager(who)) throw forbidden(`role ${who.role} may not manage device gateways`);
  }

  async function inScope(who: Identity, id: string): Promise<StoredGateway> {
    assertManager(who);
    const doc = await gateways.findOne({ _id: id });
    if (!doc || !doc.scope.includes(who.jurisdiction)) throw notFound('device gateway');
    return doc;
  }

  /** The gateway a client id names; whether the caller manages it is writeClients' check. */
  function gatewayOfClient(clientId: string): string {
    const gatewayId = ownerOfClientId(clientId);
    if (!gatewayId) throw notFound(`client ${clientId}`);
    return gatewayId;
  }

  /**
   * Replaces a gateway's client list, one writer per gateway in this process and a version check
   * against other replicas, then drops the cached copy so the token endpoint sees the change.
   */
  async function writeClients(
    who: Identity,
    id: string,
    change: (clients: readonly GatewayClient[]) => GatewayClient[],
  ): Promise<StoredGateway> {
    return withDocumentLock(deps.models.gateways.collection.collectionName, id, async () => {
      const current = await inScope(who, id);
      const clients = change(current.clients);
      const set = { clients, version: current.version + 1, updatedAt: deps.now().toISOString() };
      const res = await gateways.updateOne({ _id: id, version: current.version }, { $set: set });
      if (res.matchedCount === 0) throw conflict(`device gateway ${id} changed meanwhile; read it again`);
      cache.forget(id);
      return { ...current, ...set };
    });
  }

  return {
    /** Registers a gateway with its first client; the secret is in the answer and nowhere else. */
    async register(who: Identity, raw: unknown): Promise<{ gateway: DeviceGateway } & IssuedSecret> {
      assertManager(who);
      const input = fromDomain(() => parseInput(registerGatewayInput, raw));
      fromDomain(() => assertMayManage(who, input.jurisdictionCode));
      const now = deps.now();
      const gateway = newGateway(input, { id: newId('gw'), now, actor: who.subject });
      const { client, clientSecret } = newApiClient(gateway._id, input.clientLabel, {
        now,
        secretId: newId('sk'),
        random: randomBytes,
      });
      const doc: StoredGateway = { ...gateway, clients: [client] };
      await gateways.insertOne(doc);
      return { gateway: doc, gatewayId: doc._id, clientId: client.clientId, clientSecret };
    },

    /** Gateways serving the caller's jurisdiction or below, oldest first (tens per county). */
    async list(who: Identity): Promise<DeviceGateway[]> {
      assertManager(who);
      return gateways.find({ scope: who.jurisdiction }).sort({ _id: 1 }).toArray();
    },

    byId: (who: Identity, id: string): Promise<DeviceGateway> => inScope(who, id),

    /** Another client of a gateway (a second system of the vendor, or one replacing a revoked client). */
    async addClient(who: Identity, gatewayId: string, raw: unknown): Promise<IssuedSecret> {
      assertManager(who);
      const { label } = fromDomain(() => parseInput(addClientInput, raw));
      const issued = newApiClient(gatewayId, label, { now: deps.now(), secretId: newId('sk'), random: randomBytes });
      await writeClients(who, gatewayId, (clients) => [...clients, issued.client]);
      return { gatewayId, clientId: issued.client.clientId, clientSecret: issued.clientSecret };
    },

    /** A new secret; the client's current ones keep working for `overlapHours` (1-720) so the vendor can switch without a gap. */
    async rotateSecret(who: Identity, clientId: string, overlapHours: number): Promise<IssuedSecret> {
      assertManager(who);
      const gatewayId = gatewayOfClient(clientId);
      const clientSecret = newClientSecret(randomBytes);
      const now = deps.now();
      const secretId = newId('sk');
      await writeClients(who, gatewayId, (clients) =>
        rotateApiClientSecret(clients, clientId, { secret: clientSecret, secretId, now, overlapHours }),
      );
      return { gatewayId, clientId, clientSecret, oldSecretsValidUntil: overlapEnd(now, overlapHours) };
    },

    /** Revokes a client and all its secrets now: its tokens stop at once here, within 2 s on other replicas. */
    async revokeClient(who: Identity, clientId: string): Promise<DeviceGateway> {
      assertManager(who);
      const gatewayId = gatewayOfClient(clientId);
      const now = deps.now();
      return writeClients(who, gatewayId, (clients) => revokeApiClient(clients, clientId, now));
    },

    /** Secrets of a client that authenticate now: a rotated one counts until its overlap ends. */
    usableSecretCount: (client: GatewayClient): number =>
      client.revokedAt ? 0 : usableSecrets(client.secrets, deps.now()).length,
  };
}

export type GatewayService = ReturnType<typeof gatewayService>;
