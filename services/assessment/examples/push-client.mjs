// A minimal agency client for the FireGov assessment push API (Node 18+, no dependencies).
//   FIREGOV_URL=http://127.0.0.1:4003 CLIENT_ID=… CLIENT_SECRET=… node push-client.mjs assessment.json
// It gets a token (OAuth2 client credentials), pushes with an Idempotency-Key, retries timeouts and
// 5xx with the SAME key (safe: the platform stores one), and verifies the signed receipt.
import { createHash, createPublicKey, randomUUID, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const base = process.env.FIREGOV_URL ?? 'http://127.0.0.1:4003';
const basic = Buffer.from(
  `${encodeURIComponent(process.env.CLIENT_ID)}:${encodeURIComponent(process.env.CLIENT_SECRET)}`,
).toString('base64');

async function token() {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}

// The receipt's hash covers its six fields as canonical JSON (keys sorted); the signature covers the hash.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
function receiptOk(r, pem) {
  const { hash, signature, ...body } = r;
  const recomputed = createHash('sha256').update(canonical(body)).digest('hex');
  return recomputed === hash && verify(null, Buffer.from(hash), createPublicKey(pem), Buffer.from(signature, 'base64url'));
}

const assessment = JSON.parse(await readFile(process.argv[2], 'utf8'));
const key = `push-${randomUUID()}`; // one key per intended submission, reused on every retry
let bearer = await token();
for (let attempt = 1; ; attempt += 1) {
  try {
    const res = await fetch(`${base}/v1/assessments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'idempotency-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(assessment),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.json();
    if (res.status === 401 && attempt < 5) {
      bearer = await token();
      continue;
    }
    if (res.status >= 500 || res.status === 429 || (res.status === 409 && body.error?.details?.length === 0))
      throw new Error(`retryable ${res.status}`);
    if (!res.ok) {
      console.error(res.status, JSON.stringify(body.error, null, 2));
      process.exit(1);
    }
    const pem = await (await fetch(`${base}/v1/receipt-key`)).text();
    console.log(`stored ${body.id} v${body.version}; receipt ${receiptOk(body.receipt, pem) ? 'verified' : 'DOES NOT VERIFY'}`);
    break;
  } catch (err) {
    if (attempt >= 5) throw err;
    await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
  }
}
