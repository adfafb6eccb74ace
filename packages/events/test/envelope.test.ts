import { backoffDelay, fromKafkaMessage, toKafkaMessage } from '../src/index.ts';

const envelope = {
  id: 'e-1',
  type: 'x.thing.happened',
  source: 'svc',
  time: '2026-11-28T10:00:00.000Z',
  subject: 'unit-1',
  data: { a: 1 },
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

test('binary-mode CloudEvent round trip keeps every attribute', () => {
  const msg = toKafkaMessage(envelope, 'unit-1');
  expect(msg.key).toBe('unit-1');
  expect(msg.headers).toMatchObject({
    ce_specversion: '1.0',
    ce_id: 'e-1',
    ce_type: 'x.thing.happened',
    ce_source: 'svc',
    'content-type': 'application/json',
  });
  const headers = Object.fromEntries(Object.entries(msg.headers!).map(([k, v]) => [k, Buffer.from(String(v))]));
  const back = fromKafkaMessage({ headers, value: Buffer.from(String(msg.value)) });
  expect(back).toEqual({ ok: true, envelope: { ...envelope, tracestate: undefined } });
});

test.each([
  [{ ce_id: 'x' }, '{}', /missing CloudEvents header\(s\): ce_specversion, ce_type, ce_source, ce_time/],
  [
    { ce_specversion: '0.3', ce_id: 'x', ce_type: 't.t', ce_source: 's', ce_time: '2026-01-01T00:00:00Z' },
    '{}',
    /unsupported ce_specversion 0.3/,
  ],
  [
    { ce_specversion: '1.0', ce_id: 'x', ce_type: 't.t', ce_source: 's', ce_time: 'yesterday' },
    '{}',
    /not an RFC 3339 timestamp/,
  ],
  [
    {
      ce_specversion: '1.0',
      ce_id: 'x',
      ce_type: 't.t',
      ce_source: 's',
      ce_time: '2026-01-01T00:00:00Z',
      'content-type': 'text/xml',
    },
    '{}',
    /not application\/json/,
  ],
  [
    { ce_specversion: '1.0', ce_id: 'x', ce_type: 't.t', ce_source: 's', ce_time: '2026-01-01T00:00:00Z' },
    '{oops',
    /value is not JSON/,
  ],
])('a malformed message is refused with a reason (%#)', (headers, value, reason) => {
  const res = fromKafkaMessage({ headers, value: Buffer.from(value) });
  expect(res.ok).toBe(false);
  expect(!res.ok && res.reason).toMatch(reason);
});

test('a tombstone is refused', () => {
  const res = fromKafkaMessage({
    headers: { ce_specversion: '1.0', ce_id: 'x', ce_type: 't.t', ce_source: 's', ce_time: '2026-01-01T00:00:00Z' },
    value: null,
  });
  expect(!res.ok && res.reason).toMatch(/tombstone/);
});

test('backoff grows exponentially, is capped, and jitters within [ceiling/2, ceiling]', () => {
  expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
  expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
  expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(800);
  expect(backoffDelay(30, 100, 10_000, () => 1)).toBe(10_000);
  expect(backoffDelay(30, 100, 10_000, () => 0)).toBe(5_000);
});
