import { segment } from './transport.js';

/** `/v1/queues`: queue figures and flow-control settings; a queue no task named and no settings were put for is a 404. */
export class Queues {
  constructor(transport) {
    this.transport = transport;
  }

  /** Every queue that has tasks or settings, by name. */
  async list() {
    return (await this.transport.request('GET', '/v1/queues')).body.queues;
  }

  async get(name) {
    return (await this.transport.request('GET', path(name))).body;
  }

  /**
   * Replaces all six settings, `{concurrency, ratePerSecond, burst, paused, retainSucceeded,
   * retainFailed}` (absent or null: no limit, or the server's retention), and answers the queue;
   * the limits hold across every node at once.
   */
  async put(name, settings) {
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
      throw new TypeError('queue settings must be an object such as { concurrency, ratePerSecond, burst, paused }');
    }
    return (await this.transport.request('PUT', path(name), { body: settings })).body;
  }

  /** The queue's last hour in 60 one-minute buckets, oldest first (created, finished, depth, attempt durations). */
  async history(name) {
    return (await this.transport.request('GET', `${path(name)}/history`)).body;
  }
}

function path(name) {
  return `/v1/queues/${segment(name, 'queue name')}`;
}
