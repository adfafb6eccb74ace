import { Schema, type Connection, type Model } from 'mongoose';
import type { DeviceGateway } from '../domain/gateways.ts';

/**
 * A device gateway as stored, its OAuth clients embedded: the token endpoint finds a client by one
 * point read of the gateway its id names. No outbox: gateway changes are not announced.
 */
export type StoredGateway = DeviceGateway;

const gatewaySchema = new Schema<StoredGateway>(
  {
    _id: String,
    version: Number,
    name: String,
    vendor: String,
    jurisdictionCode: String,
    scope: [String],
    contact: { type: { name: String, phone: String }, _id: false },
    // Client records are @firegov/auth's and written whole; nothing for mongoose to cast.
    clients: [Schema.Types.Mixed],
    createdAt: String,
    createdBy: String,
    updatedAt: String,
  },
  { versionKey: false, minimize: false },
);
// Lists by jurisdiction in _id order (deviceGateways).
gatewaySchema.index({ scope: 1, _id: 1 });

export function gatewayModel(conn: Connection): Model<StoredGateway> {
  return conn.model<StoredGateway>('DeviceGateway', gatewaySchema, 'device_gateways');
}

/** What the gateway service needs of the models: SensorsModels has it as `gateways`. */
export interface GatewayModels {
  gateways: Model<StoredGateway>;
}
