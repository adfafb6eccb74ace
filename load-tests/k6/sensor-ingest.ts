// k6 run load-tests/k6/sensor-ingest.ts -e SENSORS_URL=https://sensors.example
//   -e DEVICE_GATEWAY_CLIENT_ID=<gateway id>.<…> -e DEVICE_GATEWAY_CLIENT_SECRET=… (a device gateway's
//   client: registerDeviceGateway / addDeviceGatewayClient; locally `npm start` prints the demo
//   gateway's) -e TOKEN=<a township_officer of 500230213000, for the setup lookup of the gateway's
//   smoke detectors and electrical fire monitors there> [-e BASE_URL=https://gateway.example]
import { sensorIngest as scenario } from '../scenarios/sensor-ingest.ts';
import { k6Options } from '../scenarios/types.ts';
import { iterate, setupFor, type SetupData } from './common.ts';

export const options = k6Options(scenario);
export const setup = (): SetupData => setupFor(scenario);
export default (data: SetupData): void => iterate(scenario, data);
