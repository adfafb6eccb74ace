import type { Identity } from '@firegov/auth';
import { countyAdmin, mutate, registerUnit, seedTree, TOWNSHIP_A, townshipA } from './county.ts';
import { startServices, type RunningServices } from './harness.ts';

// Sensors with the services it feeds, each a real process, and the gateway in front: a device
// gateway's readings raise an alarm that a subscriber sees live through the gateway (server-sent
// events), that counts in the unit's risk grade in entities, and that the supergraph joins to the
// unit; a controller fault that lasts becomes a hazard in inspections and is closed by the device
// itself when it reports healthy again.

let s: RunningServices;

beforeAll(async () => {
  s = await startServices('sensors', ['entities', 'inspections', 'sensors'], {
    gateway: true,
    env: { sensors: { HEALTH_SWEEP_MS: '1000', DEVICE_CACHE_TTL_MS: '0' } },
  });
  try {
    await seedTree(s);
  } catch (err) {
    await s.stop();
    throw err;
  }
}, 120_000);

afterAll(() => s?.stop(), 60_000);

/** A subscription through the gateway as server-sent events; `events` fills as they arrive. */
async function subscribe(query: string, who: Identity) {
  const abort = new AbortController();
  const res = await fetch(`${s.url('gateway')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await s.token(who)}` },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: Array<Record<string, unknown>> = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = chunk
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('');
          if (data) events.push(JSON.parse(data) as Record<string, unknown>);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return { events, close: () => abort.abort() };
}

async function gatewayToken(): Promise<{ gatewayId: string; token: string }> {
  const reg = await mutate<{ gateway: { id: string }; clientId: string; clientSecret: string }>(
    s,
    'sensors',
    'registerDeviceGateway',
    `mutation($input: RegisterDeviceGatewayInput!) { registerDeviceGateway(input: $input) {
      __typename ... on MutationRegisterDeviceGatewaySuccess { data { gateway { id } clientId clientSecret } } ... on MutationError { code message } } }`,
    {
      input: {
        name: '某物联网平台',
        vendor: '某厂商',
        jurisdictionCode: TOWNSHIP_A,
        contact: { name: '李工', phone: '13800138000' },
      },
    },
    townshipA,
  );
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: reg.clientId,
    client_secret: reg.clientSecret,
  }).toString();
  const res = await s.http('sensors', 'POST', '/oauth/token', { form });
  expect(res.status).toBe(200);
  return { gatewayId: reg.gateway.id, token: (res.json as { access_token: string }).access_token };
}

test('a smoke alarm reaches a subscriber through the gateway, counts in the unit’s risk grade, and joins to the unit', async () => {
  const unit = await registerUnit(s, { name: '青龙场镇烟感测试餐馆' });
  const { token } = await gatewayToken();
  // The unit reaches sensors through the registry topic: registration is refused until it has.
  const device = await s.eventually(
    async () => {
      const res = await s.http('sensors', 'POST', '/v1/devices', {
        token,
        body: { serial: 'SD-E2E-0001', kind: 'smoke_detector', name: '厨房烟感', unitId: unit.id, place: '厨房' },
      });
      expect(res.status).toBe(201);
      return res.json as { _id: string };
    },
    { timeoutMs: 30_000 },
  );

  const live = await subscribe(`subscription { alarmEvents { event alarmId deviceId unitId type severity } }`, townshipA);
  const elsewhere = await subscribe(`subscription { alarmEvents { alarmId } }`, {
    subject: 'b',
    role: 'township_officer',
    jurisdiction: '500230214000',
  });
  try {
    // Longer than the gateway's upstream timeout (2 s here): a subscription outlives it.
    await new Promise((r) => setTimeout(r, 3000));
    const at = new Date(Date.now() - 5000).toISOString();
    const sent = await s.http('sensors', 'POST', '/v1/telemetry', {
      token,
      body: { readings: [{ deviceId: device._id, at, values: { alarm: true, batteryPercent: 88 } }] },
    });
    expect(sent.status).toBe(202);

    const raised = await s.eventually(
      () => {
        const e = live.events.find((x) => JSON.stringify(x).includes('sensors.alarm.raised'));
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 30_000 },
    );
    expect(raised).toMatchObject({
      data: { alarmEvents: { deviceId: device._id, unitId: unit.id, type: 'smoke', severity: 'critical' } },
    });
    expect(elsewhere.events).toEqual([]);

    // entities counts it; the supergraph joins devices, alarms and the grade in one query.
    const joined = await s.eventually(
      async () => {
        const res = await fetch(`${s.url('gateway')}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await s.token(townshipA)}` },
          body: JSON.stringify({
            query: `query($id: ID!) { unit(id: $id) { name devices { id online } activeAlarms { type status } risk { factors { code } } } }`,
            variables: { id: unit.id },
          }),
        });
        const body = (await res.json()) as {
          data: { unit: { devices: Array<{ online: boolean }>; risk: { factors: Array<{ code: string }> } } };
        };
        expect(body.data.unit.risk.factors.map((f) => f.code)).toContain('active_alarms');
        // Online once the evaluator's next checkpoint (READING_CHECKPOINT_MS) has written the device.
        expect(body.data.unit.devices.map((d) => d.online)).toEqual([true]);
        return body.data.unit;
      },
      { timeoutMs: 30_000 },
    );
    expect(joined).toMatchObject({
      devices: [{ id: device._id, online: true }],
      activeAlarms: [{ type: 'smoke', status: 'raised' }],
    });
  } finally {
    live.close();
    elsewhere.close();
  }
}, 120_000);

test('a controller fault that lasts becomes a hazard in inspections, closed when the controller reports healthy', async () => {
  const unit = await registerUnit(s, { name: '青龙场镇报警主机测试宾馆', category: 'hotel' });
  const { token } = await gatewayToken();
  // Faults become hazards after faultHazardDays; the county sets 0 for controllers here.
  await mutate(
    s,
    'sensors',
    'updateDeviceProfile',
    `mutation($input: DeviceProfileInput!) { updateDeviceProfile(input: $input) {
      __typename ... on MutationUpdateDeviceProfileSuccess { data { version } } ... on MutationError { code message } } }`,
    {
      input: {
        kind: 'fire_alarm_controller',
        heartbeatSeconds: 60,
        offlineAfterMissed: 10,
        faultHazardDays: 0,
        rulesJson: JSON.stringify([
          { id: 'fault', alarmType: 'fault', severity: 'major', when: { type: 'state', measurement: 'fault' } },
        ]),
      },
    },
    countyAdmin,
  );
  const device = await s.eventually(
    async () => {
      const res = await s.http('sensors', 'POST', '/v1/devices', {
        token,
        body: { serial: 'FAC-E2E-0001', kind: 'fire_alarm_controller', name: '消防报警主机', unitId: unit.id, place: '消控室' },
      });
      expect(res.status).toBe(201);
      return res.json as { _id: string };
    },
    { timeoutMs: 30_000 },
  );
  const read = (seconds: number, fault: boolean) => ({
    deviceId: device._id,
    at: new Date(Date.now() - 60_000 + seconds * 1000).toISOString(),
    point: '1-12',
    values: { fault },
  });
  expect((await s.http('sensors', 'POST', '/v1/telemetry', { token, body: { readings: [read(0, true)] } })).status).toBe(202);

  const hazardsOf = async () => {
    const data = await s.gql<{ _entities: Array<{ hazards: Array<{ id: string; source: string; status: string }> } | null> }>(
      'inspections',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { hazards(first: 10) { id source status } } } }`,
      { r: [{ __typename: 'Unit', id: unit.id }] },
      townshipA,
    );
    return data._entities[0]?.hazards ?? [];
  };
  // The fault bit's hazard (a device silent since registration may also have become an offline one).
  const isFault = (h: { id: string }) => h.id.includes('_fault_');
  const hazard = await s.eventually(
    async () => {
      const found = (await hazardsOf()).find(isFault);
      expect(found).toBeDefined();
      return found!;
    },
    { timeoutMs: 40_000 },
  );
  expect(hazard).toMatchObject({ source: 'sensor', status: 'open' });

  expect((await s.http('sensors', 'POST', '/v1/telemetry', { token, body: { readings: [read(10, false)] } })).status).toBe(202);
  await s.eventually(
    async () => {
      const faults = (await hazardsOf()).filter(isFault);
      expect(faults).toEqual([{ ...hazard, status: 'closed' }]);
    },
    { timeoutMs: 40_000 },
  );
}, 120_000);
