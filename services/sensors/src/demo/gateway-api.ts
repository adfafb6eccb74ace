import type { PlannedDevice } from './fleet.ts';
import type { OutgoingReading } from './traffic.ts';

// The demo gateway's side of the REST API, as a vendor's IoT platform uses it: a client-credentials
// token from /oauth/token (renewed a minute before it expires, or when refused), device registration
// and telemetry batches.

export interface TelemetryAnswer {
  status: number;
  accepted: number;
  refused: Array<{ index: number; code: string; reason: string }>;
}

export class GatewayApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function gatewayApi(o: { baseUrl: string; clientId: string; clientSecret: string; timeoutMs?: number }) {
  let token: { value: string; until: number } | undefined;
  const timeout = () => AbortSignal.timeout(o.timeoutMs ?? 15_000);

  async function fetchToken(): Promise<string> {
    const res = await fetch(`${o.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
      signal: timeout(),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!res.ok || !body.access_token)
      throw new GatewayApiError(res.status, `token refused: ${body.error_description ?? res.statusText}`);
    token = { value: body.access_token, until: Date.now() + ((body.expires_in ?? 900) - 60) * 1000 };
    return token.value;
  }

  async function post(path: string, body: unknown): Promise<Response> {
    const send = async (bearer: string) =>
      fetch(`${o.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify(body),
        signal: timeout(),
      });
    const current = token && token.until > Date.now() ? token.value : await fetchToken();
    const res = await send(current);
    if (res.status !== 401) return res;
    await res.body?.cancel();
    return send(await fetchToken());
  }

  return {
    /** Checks the credentials now (the loader fails early on a wrong secret). */
    token: fetchToken,

    /** Registers a device of this gateway; false when its serial is already registered (409). */
    async register(gatewayId: string, d: PlannedDevice): Promise<boolean> {
      const res = await post('/v1/devices', { ...d, gatewayId });
      if (res.status === 201 || res.status === 409) {
        await res.body?.cancel();
        return res.status === 201;
      }
      throw new GatewayApiError(res.status, `registering ${d.serial}: ${res.status} ${await res.text()}`);
    },

    async telemetry(readings: readonly OutgoingReading[]): Promise<TelemetryAnswer> {
      const res = await post('/v1/telemetry', { readings });
      const text = await res.text();
      if (res.status !== 202 && res.status !== 422) throw new GatewayApiError(res.status, `telemetry: ${res.status} ${text}`);
      return { status: res.status, ...(JSON.parse(text) as Omit<TelemetryAnswer, 'status'>) };
    },
  };
}

export type GatewayApi = ReturnType<typeof gatewayApi>;
