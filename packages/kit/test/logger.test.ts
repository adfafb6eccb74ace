import { createLogger } from '../src/index.ts';

// Credentials and personal data are censored wherever a caller puts them: a whole record, a request
// body, a token endpoint's answer.

function logged(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger({ service: 'test', destination: { write: (line: string) => void lines.push(line) } });
  logger.info(fields, 'x');
  return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
}

test.each(['clientSecret', 'client_secret', 'privateJwk', 'access_token', 'refresh_token', 'code_verifier', 'password'])(
  '%s is censored at the top level and one level down',
  (field) => {
    const line = logged({ [field]: 'sensitive-value', body: { [field]: 'sensitive-value', kept: 'visible' } });
    expect(line[field]).toBe('[redacted]');
    expect(line.body).toEqual({ [field]: '[redacted]', kept: 'visible' });
    expect(JSON.stringify(line)).not.toContain('sensitive-value');
  },
);

test('the Authorization header of a logged request is censored, other fields are kept', () => {
  const line = logged({ req: { headers: { authorization: 'Bearer abc', host: 'h' } }, kid: 'key_1' });
  expect(line.req).toEqual({ headers: { authorization: '[redacted]', host: 'h' } });
  expect(line.kid).toBe('key_1');
});
