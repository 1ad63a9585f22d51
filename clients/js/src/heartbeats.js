/** Progress reported by handlers goes out this soon, in one heartbeat with every other task's. */
const PROGRESS_DELAY_MS = 500;
/** The server's limit of leases per heartbeat request. */
const MAX_LEASES = 1_000;

/**
 * The heartbeats of one worker: every `every` ms, one `POST /v1/workers/heartbeat` renews the
 * leases of all its running tasks and carries the progress they reported since. A task the server
 * says was cancelled, is no longer this worker's, or is gone has its signal aborted and reports
 * nothing more. A heartbeat that gets no answer is tried again at the next beat; the lease lasts
 * `leaseFor`, so a server away for less than two thirds of it loses nothing.
 */
export class Heartbeats {
  #transport;
  #leaseFor;
  #every;
  #running;
  #log;
  #timer;
  #dueAt = Infinity;
  #beating = false;
  #again = false;
  #stopped = false;

  constructor(transport, { leaseFor, every, running, log }) {
    this.#transport = transport;
    this.#leaseFor = leaseFor;
    this.#every = every;
    this.#running = running;
    this.#log = log;
  }

  start() {
    this.#schedule(this.#every);
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /**
   * Records `value` (any JSON) as the task's progress, sent with a heartbeat within half a second;
   * resolves once the server has it (or the heartbeat failed: progress is a best effort).
   */
  progress(entry, value) {
    if (value === undefined) throw new TypeError('progress needs a value (any JSON)');
    JSON.stringify(value);
    entry.progress = value;
    entry.progressPending = true;
    const sent = new Promise((resolve) => { (entry.progressSent ??= []).push(resolve); });
    this.#schedule(PROGRESS_DELAY_MS);
    return sent;
  }

  #schedule(ms) {
    if (this.#stopped) return;
    if (this.#beating) {
      if (ms < this.#every) this.#again = true;
      return;
    }
    const at = Date.now() + ms;
    if (at >= this.#dueAt) return;
    clearTimeout(this.#timer);
    this.#dueAt = at;
    this.#timer = setTimeout(() => this.#beat(), ms);
  }

  async #beat() {
    this.#dueAt = Infinity;
    this.#beating = true;
    this.#again = false;
    try {
      const entries = [...this.#running.values()].filter((entry) => !entry.stopped);
      for (let from = 0; from < entries.length; from += MAX_LEASES) await this.#send(entries.slice(from, from + MAX_LEASES));
    } finally {
      this.#beating = false;
      this.#schedule(this.#again ? 0 : this.#every);
    }
  }

  async #send(entries) {
    const waiting = entries.map((entry) => {
      const resolvers = entry.progressSent ?? [];
      entry.progressSent = undefined;
      return resolvers;
    });
    const leases = entries.map((entry) => {
      const lease = { taskId: entry.taskId, leaseToken: entry.leaseToken };
      if (entry.progressPending) lease.progress = entry.progress;
      entry.progressPending = false;
      return lease;
    });
    try {
      const answer = await this.#transport.request('POST', '/v1/workers/heartbeat', { body: { leases, leaseFor: `${this.#leaseFor}ms` } });
      answer.body.leases.forEach((state, i) => this.#apply(entries[i], state));
    } catch (error) {
      entries.forEach((entry, i) => { if (leases[i].progress !== undefined && !entry.progressPending) entry.progressPending = true; });
      this.#log.warn(`offload worker: heartbeat of ${entries.length} tasks got no answer, trying again: ${error.message}`);
    } finally {
      waiting.flat().forEach((resolve) => resolve());
    }
  }

  #apply(entry, state) {
    if (state.outcome === 'renewed') {
      entry.leaseExpiresAt = Date.parse(state.leaseExpiresAt);
      return;
    }
    // A task that finished while the heartbeat was under way is not news.
    if (entry.stopped || this.#running.get(entry.taskId) !== entry) return;
    entry.stopped = true;
    const why = state.outcome === 'cancelled' ? `task ${entry.taskId} was cancelled`
      : state.outcome === 'not_found' ? `task ${entry.taskId} is gone`
        : `task ${entry.taskId} is no longer this worker's: ${state.detail ?? 'the lease was lost'}`;
    this.#log.info?.(`offload worker: ${why}; aborting its handler`);
    entry.controller.abort(new DOMException(why, 'AbortError'));
  }
}
