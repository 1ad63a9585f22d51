import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

const DEFAULT_TOLERANCE_SECONDS = 300;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks the Standard Webhooks signature Offload puts on every call to your endpoint and every
 * webhook, and reads the request: `{payload, body, taskId, attempt, …}`. Throws
 * `WebhookVerificationError` when a header is missing, the timestamp is more than
 * `toleranceSeconds` away from now, or no `v1` signature matches any of the secrets.
 *
 * @param request a web `Request` (Next.js route handlers), a Node `IncomingMessage` whose body was
 *   not read yet, or `{headers, body}` with the raw body as text or bytes (Lambda events, also with
 *   `isBase64Encoded`)
 * @param secrets `whsec_…` secrets: an array, or a comma-separated string as in `OFFLOAD_SIGNING_SECRETS`
 *   (read from the environment when omitted)
 */
export async function verify(request, secrets, { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Date.now() } = {}) {
  const keys = decodeSecrets(secrets ?? globalThis.process?.env?.OFFLOAD_SIGNING_SECRETS);
  const header = headerReader(request?.headers);
  const body = await rawBody(request);
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header: is signing on (OFFLOAD_SIGNING_SECRETS)?');
  }
  checkTimestamp(timestamp, Math.floor(Number(now) / 1000), toleranceSeconds);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]);
  const expected = keys.map((key) => createHmac('sha256', key).update(signed).digest());
  const given = signatures.split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  const matches = given.some((signature) => expected.some((mac) => signature.length === mac.length && timingSafeEqual(signature, mac)));
  if (!matches) throw new WebhookVerificationError(`no signature of webhook ${id} matches the ${keys.length} secret(s) given`);
  const text = body.toString('utf8');
  const attempt = header('offload-attempt');
  return {
    payload: parseJson(text),
    body: text,
    webhookId: id,
    timestamp: new Date(Number(timestamp) * 1000),
    taskId: header('offload-task-id'),
    attempt: attempt === undefined ? undefined : Number(attempt),
    queue: header('offload-queue'),
    scheduleName: header('offload-schedule'),
    taskToken: header('offload-task-token'),
    event: header('offload-event'),
  };
}

function decodeSecrets(secrets) {
  const list = (typeof secrets === 'string' ? secrets.split(',') : secrets ?? [])
    .map((secret) => String(secret).trim())
    .filter((secret) => secret !== '');
  if (list.length === 0) throw new TypeError('verify needs the signing secrets (whsec_…): pass them or set OFFLOAD_SIGNING_SECRETS');
  return list.map((secret) => {
    const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
    if (!BASE64.test(base64)) throw new TypeError('a signing secret must be whsec_ followed by base64');
    return Buffer.from(base64, 'base64');
  });
}

function checkTimestamp(timestamp, nowSeconds, toleranceSeconds) {
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError(`webhook-timestamp must be whole seconds since 1970, got ${timestamp}`);
  const age = nowSeconds - Number(timestamp);
  if (age > toleranceSeconds) throw new WebhookVerificationError(`webhook-timestamp is ${age}s old, more than the ${toleranceSeconds}s tolerated`);
  if (-age > toleranceSeconds) throw new WebhookVerificationError(`webhook-timestamp is ${-age}s in the future, more than the ${toleranceSeconds}s tolerated`);
}

/** Case-insensitive header lookup on a web `Headers` or a plain object (Node and Lambda headers). */
function headerReader(headers) {
  if (headers === null || typeof headers !== 'object') throw new TypeError('verify needs a Request or an object with headers and body');
  if (typeof headers.get === 'function') return (name) => headers.get(name) ?? undefined;
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => {
    const value = byName.get(name);
    return Array.isArray(value) ? value.join(' ') : value ?? undefined;
  };
}

/** The body exactly as received: the signature covers its bytes, so it must not be parsed and re-serialized first. */
async function rawBody(request) {
  if (typeof request.arrayBuffer === 'function') return Buffer.from(await request.arrayBuffer());
  const { body } = request;
  if (typeof body === 'string') return Buffer.from(body, request.isBase64Encoded ? 'base64' : 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (body === undefined && typeof request[Symbol.asyncIterator] === 'function') {
    const chunks = [];
    for await (const chunk of request) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  if (body === undefined || body === null) return Buffer.alloc(0);
  throw new TypeError('verify needs the raw body (a string or bytes), not a parsed object: the signature covers the exact bytes sent');
}

function parseJson(text) {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
