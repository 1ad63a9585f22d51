import { BackgroundFunction } from './define.js';
import { BulkActions } from './bulk-actions.js';
import { followEvents, streamOptions } from './events.js';
import { Queues } from './queues.js';
import { Schedules } from './schedules.js';
import { steps } from './steps.js';
import { Tasks } from './tasks.js';
import { Transport } from './transport.js';
import { Worker } from './worker.js';

export { OffloadConnectionError, OffloadError, OffloadTimeoutError, WebhookVerificationError } from './errors.js';
export { TERMINAL_STATUSES } from './tasks.js';
export { verify } from './verify.js';
export { CallbackTimeoutError, steps } from './steps.js';
export { NonRetryableError } from './worker.js';

/**
 * A client of one Offload server. Options default to the environment: `baseUrl` to `OFFLOAD_URL`
 * (else http://127.0.0.1:8080), `token` to `OFFLOAD_TOKEN`; `timeoutMs` (default 30 s) bounds each
 * request, plus the wait of a long-poll; `fetch` replaces the global fetch.
 */
export class Offload {
  #transport;

  constructor(options = {}) {
    this.#transport = new Transport(options);
    this.baseUrl = this.#transport.baseUrl;
    this.tasks = new Tasks(this.#transport);
    this.schedules = new Schedules(this.#transport);
    this.queues = new Queues(this.#transport);
    this.bulkActions = new BulkActions(this.#transport);
  }

  /** A route handler for long work split into calls; see `steps` (no server connection needed). */
  steps(handler, options) {
    return steps(handler, options);
  }

  /**
   * New events of every task, or of one `queue`, as an async iterable that goes on until `signal`
   * aborts; from `lastEventId` on when given (after it: nothing lost or repeated), else from now.
   * A dropped connection is resumed where it left off.
   */
  events({ queue, ...options } = {}) {
    if (queue !== undefined && (typeof queue !== 'string' || queue === '')) throw new TypeError(`queue must be a non-empty string, got ${JSON.stringify(queue)}`);
    return followEvents(this.#transport, '/v1/events', { query: { queue }, ...streamOptions(options) });
  }

  /** A pull worker of this server: `worker.handle(name, fn)` or `worker.register(defined)`, then `await worker.start()`. */
  worker(options) {
    return new Worker(this.#transport, options);
  }

  /** A background function: `enqueue(payload, options)` from a route, `worker.register(fn)` where it runs. */
  define(name, handler, options) {
    return new BackgroundFunction(this.tasks, name, handler, options);
  }
}
