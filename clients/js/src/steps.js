import { verify } from './verify.js';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Thrown by `step.waitForCallback` when its timeout passed before anyone posted to the callback URL. */
export class CallbackTimeoutError extends Error {
  constructor(name) {
    super(`step "${name}": no callback came before its timeout`);
    this.name = 'CallbackTimeoutError';
    this.step = name;
  }
}

/** Ends the current call with a continuation; never seen by the handler unless it catches everything. */
class Continue {
  constructor(directive) {
    this.directive = directive;
  }
}

/**
 * Turns `handler(payload, step)` into a web-standard route handler `(Request) => Response` that
 * Offload calls as many times as the work needs. The handler runs from the top on every call:
 * `step.run(name, fn)` returns the stored result of a step that finished in an earlier call and runs
 * `fn` only once; before each new step the helper checks the `budget` (ms, or "10s") and, when the
 * next step might not fit, answers with a continuation so Offload calls again at once with the state.
 * `step.sleep(name, duration)` and `step.waitForCallback(name, {timeout}, start)` end the call too and
 * resume after the sleep or when the callback URL is posted to. An error thrown by a step fails the
 * call (500), and Offload retries it from the last state. With `secret` (or OFFLOAD_SIGNING_SECRETS
 * when `secret: true`) every call's signature is checked first (403 when wrong, not retried).
 */
export function steps(handler, { budget = '10s', secret } = {}) {
  if (typeof handler !== 'function') throw new TypeError('steps needs a handler function (payload, step) => result');
  const budgetMs = toMs(budget, 'budget');
  return async function route(request) {
    const started = Date.now();
    let text;
    if (secret) {
      try {
        text = (await verify(request, secret === true ? undefined : secret)).body;
      } catch (error) {
        return Response.json({ error: error.message }, { status: 403, headers: { 'Offload-Retry': 'false' } });
      }
    } else {
      text = await request.text();
    }
    const headers = request.headers;
    const body = text === '' ? null : JSON.parse(text);
    const continued = headers.get('offload-continuation') !== null;
    const payload = continued ? body.payload : body;
    const state = (continued && body.state) || { done: {} };
    const step = new Step(state, continued ? body.callback : undefined, headers.get('offload-callback-url'), started, budgetMs);
    try {
      const result = await handler(payload, step);
      return Response.json(result === undefined ? null : result);
    } catch (error) {
      if (error instanceof Continue) {
        return new Response(JSON.stringify(state), {
          status: 200, headers: { 'Content-Type': 'application/json', 'Offload-Continue': error.directive },
        });
      }
      return Response.json({ error: String(error?.message ?? error) }, { status: 500 });
    }
  };
}

class Step {
  #state;
  #callback;
  #callbackUrl;
  #started;
  #budgetMs;
  #ranHere = 0;
  #longestMs = 0;

  constructor(state, callback, callbackUrl, started, budgetMs) {
    this.#state = state;
    this.#callback = callback;
    this.#callbackUrl = callbackUrl;
    this.#started = started;
    this.#budgetMs = budgetMs;
  }

  /** The result of step `name`: stored if it finished in an earlier call, else `await fn()` (JSON-serializable). */
  async run(name, fn) {
    const done = this.#state.done;
    if (Object.hasOwn(done, name)) return done[name];
    this.#checkBudget();
    const before = Date.now();
    const value = await fn();
    this.#longestMs = Math.max(this.#longestMs, Date.now() - before);
    this.#ranHere += 1;
    done[name] = value === undefined ? null : JSON.parse(JSON.stringify(value));
    return done[name];
  }

  /** Sleeps `duration` (ms or "30s"; up to 365 days) between calls: nothing runs or is held meanwhile. */
  async sleep(name, duration) {
    const done = this.#state.done;
    if (Object.hasOwn(done, name)) return;
    const ms = toMs(duration, 'duration');
    done[name] = true;
    throw new Continue(`after=${ms}ms`);
  }

  /**
   * Calls `start(callbackUrl)` once (start the outside work there and give it the URL), ends the call,
   * and returns the JSON body that is later POSTed to that URL. Throws `CallbackTimeoutError` when
   * nothing was posted within `timeout` (default 7 days).
   */
  async waitForCallback(name, { timeout = '7d' } = {}, start = async () => {}) {
    const done = this.#state.done;
    if (!Object.hasOwn(done, name) && this.#state.awaiting === name && this.#callback !== undefined) {
      done[name] = this.#callback.timedOut ? { timedOut: true } : { body: this.#callback.body ?? null };
      delete this.#state.awaiting;
    }
    if (Object.hasOwn(done, name)) {
      if (done[name].timedOut) throw new CallbackTimeoutError(name);
      return done[name].body;
    }
    if (!this.#callbackUrl) throw new Error('waitForCallback needs the Offload-Callback-Url header of a call from Offload');
    const ms = toMs(timeout, 'timeout');
    await start(this.#callbackUrl);
    this.#state.awaiting = name;
    throw new Continue(`await=${ms}ms`);
  }

  /** Ends the call with a continuation when the next step might not finish within the budget. */
  #checkBudget() {
    if (this.#ranHere === 0) return;
    const elapsed = Date.now() - this.#started;
    if (elapsed + this.#longestMs > this.#budgetMs) throw new Continue('');
  }
}

function toMs(value, what) {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  if (!match) throw new TypeError(`${what} must be milliseconds or a duration such as "10s", got ${JSON.stringify(value)}`);
  return Number(match[1]) * UNIT_MS[match[2]];
}
