import type { ApiClientRecord, Identity } from '@firegov/auth';
import {
  divisionCodeSchema,
  divisionLevel,
  divisionScope,
  mobileSchema,
  notPermitted,
  stringFirst,
  textField,
  typeError,
} from '@firegov/contracts';
import { z } from 'zod';

// Device gateways (设备网关): the vendors' IoT platforms that speak for devices. Each serves one
// county or township, holds its own OAuth client credentials (@firegov/auth) and may only write the
// devices it registered. Pure: the input, the new record, and who may manage one.

const objectError = typeError('an object', { namesUnknownKeys: true });

/** Only a county or a township: a gateway contract is signed by one of them, never by a village. */
const servedJurisdiction = stringFirst(divisionCodeSchema).refine(
  (code) => ['county', 'township'].includes(divisionLevel(code) ?? ''),
  'must be the code of a county or a township (a village is served through its township)',
);

export const registerGatewayInput = z.strictObject(
  {
    name: textField(1, 100),
    /** The vendor running the platform (厂商), as its contract names it. */
    vendor: textField(1, 100),
    jurisdictionCode: servedJurisdiction,
    /** Who at the vendor answers for the platform: whom the county calls when a gateway goes silent. */
    contact: z.strictObject({ name: textField(1, 50), phone: stringFirst(mobileSchema) }, { error: objectError }),
    /** Label of the first client (e.g. the vendor's production system). */
    clientLabel: textField(1, 100).default('primary'),
  },
  { error: objectError },
);
export type RegisterGatewayInput = z.output<typeof registerGatewayInput>;

/** A further client's label (a second system of the vendor, a replacement). */
export const addClientInput = z.strictObject({ label: textField(1, 100) }, { error: objectError });

/** An OAuth client of a gateway: `<gateway id>.<12 hex>`, secrets kept only as scrypt hashes. */
export type GatewayClient = ApiClientRecord;

export interface DeviceGateway {
  /** `gw_…`; device ids derive from it (deviceIdOf). */
  _id: string;
  version: number;
  name: string;
  vendor: string;
  jurisdictionCode: string;
  /** The jurisdiction's codes from its county down (divisionScope): what scoped reads filter on. */
  scope: string[];
  contact: { name: string; phone: string };
  clients: GatewayClient[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** A new gateway without clients; the service adds the first one in the same write. */
export function newGateway(input: RegisterGatewayInput, meta: { id: string; now: Date; actor: string }): DeviceGateway {
  const at = meta.now.toISOString();
  return {
    _id: meta.id,
    version: 1,
    name: input.name,
    vendor: input.vendor,
    jurisdictionCode: input.jurisdictionCode,
    scope: divisionScope(input.jurisdictionCode),
    contact: input.contact,
    clients: [],
    createdAt: at,
    createdBy: meta.actor,
    updatedAt: at,
  };
}

/**
 * Who registers and manages gateways: county administrators and township officers, for gateways
 * serving their own jurisdiction or below. The same people read them; nobody else does, because a
 * gateway's clients are credentials and its contact is personal data.
 */
export const GATEWAY_MANAGERS: readonly string[] = ['county_admin', 'township_officer'];

export const isGatewayManager = (who: Identity): boolean => GATEWAY_MANAGERS.includes(who.role);

/** Throws FORBIDDEN unless `who` may manage gateways serving `jurisdictionCode`. */
export function assertMayManage(who: Identity, jurisdictionCode: string): void {
  if (!isGatewayManager(who)) throw notPermitted(`role ${who.role} may not manage device gateways`);
  if (!divisionScope(jurisdictionCode).includes(who.jurisdiction)) {
    throw notPermitted(`${jurisdictionCode} is outside your jurisdiction ${who.jurisdiction}`);
  }
}
