import { kafkaClusterId } from '../src/kafka-cluster-id.ts';

test('a KRaft cluster id never starts with "-" (the format tool would read it as an option)', () => {
  // 0xf8… encodes to "-…" in base64url: that draw is skipped, the next one taken.
  const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
  expect(draws[0]!.toString('base64url').startsWith('-')).toBe(true);
  const id = kafkaClusterId(() => draws.shift()!);
  expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  for (let i = 0; i < 2000; i += 1) expect(kafkaClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
});
