import { hostname } from 'node:os';
import { OffloadConnectionError, OffloadError } from './errors.js';
import { Heartbeats } from './heartbeats.js';
import { segment } from './transport.js';

/** The server's limits (README: Pull workers): at most 100 tasks per lease request, a wait of at most 60 s, a lease of 1 s to 1 h. */
const MAX_LEASE_BATCH = 100;
const MAX_WAIT_MS = 60_000;
const MIN_LEASE_MS = 1_000;
const MAX_LEASE_MS = 3_600_000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;
const MAX_ERROR_CHARS = 10_000;
const STACK_LINES = 6;
const WORKER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

/** Thrown by a handler, fails the task at once: no retry could succeed (a bad payload, a customer that is gone). */
export class NonRetryableError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/**
 * A pull worker: leases tasks of the names it handles (long-polling, only as many as it has free
 * slots, so no task waits in a busy worker while another is idle), runs each handler with the
 * task's payload, renews the leases of running tasks with one heartbeat every `leaseFor / 3`, and
 * completes or fails each task with what its handler returned or threw. A task cancelled while it
 * runs, or whose lease was lost, aborts the handler's `task.signal`. While the server is away it
 * tries again with a growing pause; a worker that dies stops renewing, and its tasks go to other
 * workers once their leases expire.
 */
export class Worker {
  #transport;
  #handlers = new Map();
  #running = new Map();
  #heartbeats;
  #leasing = false;
  #started = false;
  #leaseLoop;
  #stopping = new AbortController();
  #slotFreed;
  #log;

  constructor(transport, options = {}) {
    const {
      queues = [], concurrency = 10, leaseFor = 60_000, heartbeatEvery, waitFor = 20_000, workerId = defaultWorkerId(),
      logger = console,
    } = options;
    if (!Array.isArray(queues) || queues.some((q) => typeof q !== 'string' || q === '')) {
      throw new TypeError(`queues must be an array of queue names, got ${JSON.stringify(queues)}`);
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${concurrency}`);
    if (!(leaseFor >= MIN_LEASE_MS && leaseFor <= MAX_LEASE_MS)) throw new RangeError(`leaseFor must be 1,000 to 3,600,000 ms, got ${leaseFor}`);
    const every = heartbeatEvery ?? Math.floor(leaseFor / 3);
    if (!(every > 0 && every < leaseFor)) throw new RangeError(`heartbeatEvery must be positive and below leaseFor (${leaseFor}), got ${every}`);
    if (!(waitFor >= 0 && waitFor <= MAX_WAIT_MS)) throw new RangeError(`waitFor must be 0 to 60,000 ms, got ${waitFor}`);
    if (typeof workerId !== 'string' || !WORKER_ID.test(workerId)) {
      throw new TypeError(`workerId must be 1-100 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or digit; got ${JSON.stringify(workerId)}`);
    }
    this.#transport = transport;
    this.#log = logger;
    this.workerId = workerId;
    this.queues = [...queues];
    this.concurrency = concurrency;
    this.leaseFor = leaseFor;
    this.waitFor = waitFor;
    this.#heartbeats = new Heartbeats(transport, { leaseFor, every, running: this.#running, log: logger });
  }

  /** Runs tasks named `name` with `handler(payload, task)`; what it returns (JSON) becomes the task's result. */
  handle(name, handler) {
    if (typeof name !== 'string' || name === '') throw new TypeError(`name must be a non-empty string, got ${JSON.stringify(name)}`);
    if (typeof handler !== 'function') throw new TypeError(`the handler of "${name}" must be a function`);
    if (this.#started) throw new Error('register handlers before start()');
    if (this.#handlers.has(name)) throw new Error(`a handler for "${name}" is registered already`);
    this.#handlers.set(name, handler);
    return this;
  }

  /** Runs background functions made with `offload.define`. */
  register(...defined) {
    for (const fn of defined) {
      if (typeof fn?.name !== 'string' || typeof fn?.handler !== 'function') {
        throw new TypeError('register takes functions made with offload.define(name, handler, options)');
      }
      if (fn.queue !== undefined && this.queues.length > 0 && !this.queues.includes(fn.queue)) {
        throw new Error(`"${fn.name}" runs on queue "${fn.queue}", which this worker does not lease from (queues: ${this.queues.join(', ')})`);
      }
      this.handle(fn.name, fn.handler);
    }
    return this;
  }

  /** Tasks whose handler is running now. */
  get running() {
    return this.#running.size;
  }

  /** Starts leasing and running tasks in the background; resolves at once. */
  async start() {
    if (this.#handlers.size === 0) throw new Error('register at least one handler before start()');
    if (this.#started) throw new Error('the worker was started already');
    this.#started = true;
    this.#leasing = true;
    this.#heartbeats.start();
    this.#leaseLoop = this.#leaseUntilStopped();
  }

  /**
   * Stops leasing, lets running handlers finish for up to `graceMs` (default 30 s), then aborts the
   * signals of the rest and releases their tasks: they are queued again at once for other workers
   * and the interrupted attempt does not count against their retries. A lease request still waiting
   * on the server is let run out (within `waitFor`): the server would go on waiting for an aborted
   * one and lease tasks to nobody, so what it brings is released at once instead.
   */
  async stop({ graceMs = 30_000 } = {}) {
    if (!this.#leasing) return;
    this.#leasing = false;
    this.#stopping.abort(new DOMException('the worker is stopping', 'AbortError'));
    this.#wakeLeaseLoop();
    await Promise.all([this.#leaseLoop, this.#finishRunning(graceMs)]);
    this.#heartbeats.stop();
  }

  async #finishRunning(graceMs) {
    const grace = new AbortController();
    const timer = setTimeout(() => grace.abort(), graceMs);
    const graceOver = new Promise((resolve) => grace.signal.addEventListener('abort', resolve, { once: true }));
    while (this.#running.size > 0 && !grace.signal.aborted) {
      await Promise.race([...this.#running.values()].map((entry) => entry.settled).concat(graceOver));
    }
    clearTimeout(timer);
    const left = [...this.#running.values()];
    await Promise.all(left.map((entry) => this.#release(entry)));
  }

  async #leaseUntilStopped() {
    const names = [...this.#handlers.keys()];
    let backoffMs = FIRST_BACKOFF_MS;
    while (this.#leasing) {
      const free = Math.min(MAX_LEASE_BATCH, this.concurrency - this.#running.size);
      if (free <= 0) {
        await new Promise((resolve) => { this.#slotFreed = resolve; });
        continue;
      }
      try {
        const answer = await this.#transport.request('POST', '/v1/workers/lease', {
          body: {
            workerId: this.workerId, queues: this.queues, names, max: free, wait: `${this.waitFor}ms`, leaseFor: `${this.leaseFor}ms`,
          },
          extraTimeoutMs: this.waitFor,
        });
        if (!this.#leasing) {
          await Promise.all(answer.body.tasks.map((leased) => this.#release({ taskId: leased.taskId, leaseToken: leased.leaseToken })));
          return;
        }
        for (const leased of answer.body.tasks) this.#run(leased);
        backoffMs = FIRST_BACKOFF_MS;
      } catch (error) {
        if (!this.#leasing) return;
        this.#log.warn(`offload worker ${this.workerId}: cannot lease tasks, trying again in ${backoffMs}ms: ${error.message}`);
        await delay(backoffMs, this.#stopping.signal);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
    }
  }

  #wakeLeaseLoop() {
    const wake = this.#slotFreed;
    this.#slotFreed = undefined;
    wake?.();
  }

  #run(leased) {
    const controller = new AbortController();
    const entry = {
      taskId: leased.taskId,
      leaseToken: leased.leaseToken,
      leaseExpiresAt: Date.parse(leased.leaseExpiresAt),
      controller,
      stopped: false,
      progress: undefined,
    };
    const task = {
      id: leased.taskId,
      name: leased.name,
      queue: leased.queue,
      attempt: leased.attempt,
      signal: controller.signal,
      leaseExpiresAt: leased.leaseExpiresAt,
      task: leased,
      progress: (value) => this.#heartbeats.progress(entry, value),
    };
    this.#running.set(entry.taskId, entry);
    entry.settled = this.#settle(entry, task, leased).catch((error) => {
      this.#log.error(`offload worker ${this.workerId}: task ${entry.taskId}:`, error);
    }).finally(() => {
      this.#running.delete(entry.taskId);
      this.#wakeLeaseLoop();
    });
  }

  async #settle(entry, task, leased) {
    const handler = this.#handlers.get(leased.name);
    const payload = leased.payload !== undefined ? leased.payload : leased.body;
    let report;
    try {
      const result = await handler(payload, task);
      report = { action: 'complete', body: { leaseToken: entry.leaseToken, result: result === undefined ? null : result } };
      JSON.stringify(report.body);
    } catch (error) {
      const retryable = !(error instanceof NonRetryableError) && report === undefined;
      const what = report === undefined ? describe(error) : `the result is not JSON: ${describe(error)}`;
      report = { action: 'fail', body: { leaseToken: entry.leaseToken, error: what, retryable } };
    }
    if (entry.stopped) return;
    try {
      await this.#report(entry, report.action, report.body);
    } catch (error) {
      if (report.action !== 'complete' || error?.status !== 413) throw error;
      await this.#report(entry, 'fail', { leaseToken: entry.leaseToken, error: `the result is too large to keep: ${error.message}`, retryable: false });
    }
  }

  /**
   * Sends what came of a task; while the server cannot be reached it tries again until the lease
   * would have run out (then the task is another worker's). A refusal means the task is not ours any
   * more (cancelled, or the lease was lost): nothing to do. Throws a 413 so a too-large result can fail the task.
   */
  async #report(entry, action, body) {
    const path = `/v1/tasks/${segment(entry.taskId, 'taskId')}/${action}`;
    let pauseMs = 200;
    for (;;) {
      try {
        await this.#transport.request('POST', path, { body });
        return;
      } catch (error) {
        if (error instanceof OffloadError) {
          if (error.status === 413) throw error;
          this.#log.info?.(`offload worker ${this.workerId}: task ${entry.taskId} was not ours to ${action} any more: ${error.message}`);
          return;
        }
        if (!(error instanceof OffloadConnectionError) || entry.stopped || Date.now() > entry.leaseExpiresAt) {
          this.#log.warn(`offload worker ${this.workerId}: gave up reporting task ${entry.taskId}: ${error.message}`);
          return;
        }
        this.#log.warn(`offload worker ${this.workerId}: cannot ${action} task ${entry.taskId}, trying again in ${pauseMs}ms: ${error.message}`);
        await delay(pauseMs);
        pauseMs = Math.min(5_000, pauseMs * 2);
      }
    }
  }

  /** Gives a task up while stopping: its signal aborts and the server queues it again for another worker. */
  async #release(entry) {
    entry.stopped = true;
    entry.controller?.abort(new DOMException(`the worker stopped before task ${entry.taskId} finished`, 'AbortError'));
    try {
      await this.#transport.request('POST', `/v1/tasks/${segment(entry.taskId, 'taskId')}/release`, { body: { leaseToken: entry.leaseToken } });
    } catch (error) {
      this.#log.warn(`offload worker ${this.workerId}: could not release task ${entry.taskId} (it runs again when its lease expires): ${error.message}`);
    }
  }
}

/** What a failed attempt records: the error's name and message, and the head of its stack. */
export function describe(error) {
  let text;
  if (error instanceof Error) {
    const stack = typeof error.stack === 'string' ? error.stack.split('\n') : [];
    const head = stack.findIndex((line) => /^\s+at /.test(line));
    const frames = head < 0 ? [] : stack.slice(head, head + STACK_LINES);
    text = [`${error.name}: ${error.message}`, ...frames].join('\n');
  } else {
    text = `thrown: ${typeof error === 'string' ? error : safeJson(error)}`;
  }
  return text.replace(/\0/g, '').slice(0, MAX_ERROR_CHARS);
}

function safeJson(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function defaultWorkerId() {
  const host = (globalThis.process?.env?.HOSTNAME || hostname() || 'worker').replace(/[^A-Za-z0-9._:@-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `${(host || 'worker').slice(0, 80)}-${globalThis.process?.pid ?? 0}`;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function delay(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
