import { OffloadConnectionError, OffloadError } from './errors.js';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends JSON requests to one Offload server and turns every failure into an `OffloadError` or `OffloadConnectionError`. */
export class Transport {
  constructor({ baseUrl, token, timeoutMs, fetch: fetchImpl } = {}) {
    const env = globalThis.process?.env ?? {};
    this.baseUrl = (baseUrl ?? env.OFFLOAD_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.token = token ?? env.OFFLOAD_TOKEN ?? undefined;
    this.timeoutMs = timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = fetchImpl ?? globalThis.fetch;
    if (typeof this.fetch !== 'function') throw new TypeError('no fetch: run on Node 20+ or pass { fetch }');
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  }

  /**
   * @returns {Promise<{status: number, headers: Headers, body: any}>} the answer of a 2xx; `body` is the parsed JSON, or undefined when empty
   * @param {number} [options.extraTimeoutMs] added to the request timeout, for a long-poll the server may hold open
   */
  async request(method, path, { query, body, headers, extraTimeoutMs = 0 } = {}) {
    const url = this.baseUrl + path + queryString(query);
    const request = `${method} ${path}`;
    const sent = this.headers({ Accept: 'application/json', ...headers });
    if (body !== undefined) sent['Content-Type'] = 'application/json';
    const timeoutMs = this.timeoutMs + extraTimeoutMs;
    let response;
    let text;
    try {
      response = await this.fetch(url, {
        method,
        headers: sent,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      const reason = cause?.name === 'TimeoutError' ? new Error(`no answer within ${timeoutMs}ms`, { cause }) : cause;
      throw new OffloadConnectionError(request, this.baseUrl, reason);
    }
    const requestId = response.headers.get('offload-request-id') ?? undefined;
    if (response.status < 200 || response.status > 299) {
      throw OffloadError.fromAnswer(response.status, text, request, requestId);
    }
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new OffloadError({
        status: response.status, title: 'Invalid answer', detail: `expected JSON, got: ${text.slice(0, 200)}`, request, requestId,
      });
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /**
   * Opens a streaming GET and answers its 2xx response with the body unread; other statuses throw
   * `OffloadError`. Only the wait for the answer's headers is bounded by `timeoutMs`: the body
   * streams until `signal` aborts, which also ends the wait.
   */
  async stream(path, { query, headers, signal }) {
    const url = this.baseUrl + path + queryString(query);
    const request = `GET ${path}`;
    // Not AbortSignal.timeout: the fetch's signal goes on governing the body after the answer came.
    const connecting = new AbortController();
    const timer = setTimeout(() => connecting.abort(), this.timeoutMs);
    let response;
    try {
      response = await this.fetch(url, {
        headers: this.headers({ Accept: 'text/event-stream', ...headers }),
        redirect: 'manual',
        signal: AbortSignal.any([signal, connecting.signal]),
      });
    } catch (cause) {
      if (signal.aborted) throw cause;
      const reason = connecting.signal.aborted ? new Error(`no answer within ${this.timeoutMs}ms`, { cause }) : cause;
      throw new OffloadConnectionError(request, this.baseUrl, reason);
    } finally {
      clearTimeout(timer);
    }
    if (response.status >= 200 && response.status <= 299) return response;
    const text = await response.text().catch(() => '');
    throw OffloadError.fromAnswer(response.status, text, request, response.headers.get('offload-request-id') ?? undefined);
  }

  headers(headers) {
    return this.token ? { ...headers, Authorization: `Bearer ${this.token}` } : headers;
  }
}

/** A path segment, so an id or name can never change which route is called. */
export function segment(value, what) {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
