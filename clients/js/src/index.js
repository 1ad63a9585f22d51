import { Schedules } from './schedules.js';
import { Tasks } from './tasks.js';
import { Transport } from './transport.js';

export { OffloadConnectionError, OffloadError, OffloadTimeoutError, WebhookVerificationError } from './errors.js';
export { TERMINAL_STATUSES } from './tasks.js';
export { verify } from './verify.js';

/**
 * A client of one Offload server. Options default to the environment: `baseUrl` to `OFFLOAD_URL`
 * (else http://127.0.0.1:8080), `token` to `OFFLOAD_TOKEN`; `timeoutMs` (default 30 s) bounds each
 * request, plus the wait of a long-poll; `fetch` replaces the global fetch.
 */
export class Offload {
  constructor(options = {}) {
    const transport = new Transport(options);
    this.baseUrl = transport.baseUrl;
    this.tasks = new Tasks(transport);
    this.schedules = new Schedules(transport);
  }
}
