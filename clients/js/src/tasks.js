import { OffloadTimeoutError } from './errors.js';
import { followEvents, streamOptions } from './events.js';
import { segment } from './transport.js';
import { taskToWire } from './wire.js';

export const TERMINAL_STATUSES = Object.freeze(['succeeded', 'failed', 'cancelled']);
/** The longest long-poll the server holds (README: API: `?wait=` and `Prefer: wait=` are capped at 60 s). */
const MAX_SERVER_WAIT_MS = 60_000;
const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

/** `/v1/tasks`: create, read, list and act on tasks (README: API). */
export class Tasks {
  constructor(transport) {
    this.transport = transport;
  }

  /**
   * Creates a task. With `wait` (seconds, 1 to 60) the server holds the answer until the task
   * finishes or the time is up; `task` is then the whole finished task. `task` is also set when an
   * `idempotencyKey` was seen before (`replayed: true`).
   */
  async create(task, { idempotencyKey, wait } = {}) {
    const headers = {};
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    if (wait !== undefined) {
      if (!Number.isInteger(wait) || wait < 1 || wait > 60) throw new RangeError(`wait must be whole seconds from 1 to 60, got ${wait}`);
      headers.Prefer = `wait=${wait}`;
    }
    const answer = await this.transport.request('POST', '/v1/tasks', {
      body: taskToWire(task), headers, extraTimeoutMs: (wait ?? 0) * 1000,
    });
    if (answer.status === 202) return { ...answer.body, replayed: false };
    const full = answer.body;
    return {
      taskId: full.taskId,
      status: full.status,
      statusUrl: answer.headers.get('location') ?? `/v1/tasks/${full.taskId}`,
      replayed: answer.headers.get('idempotent-replayed') === 'true',
      task: full,
    };
  }

  /** Creates 1 to 1,000 tasks at once, all or none; answers `[{taskId, status}]` in the order given. */
  async createBatch(tasks) {
    if (!Array.isArray(tasks)) throw new TypeError('createBatch takes an array of tasks');
    const answer = await this.transport.request('POST', '/v1/tasks/batch', { body: { tasks: tasks.map(taskToWire) } });
    return answer.body.tasks;
  }

  async get(taskId) {
    return (await this.transport.request('GET', `/v1/tasks/${segment(taskId, 'taskId')}`)).body;
  }

  /**
   * Long-polls until the task is finished (succeeded, failed or cancelled) and returns it; throws
   * `OffloadTimeoutError` (with the task as last seen) when it is not finished after `timeoutMs`.
   */
  async wait(taskId, { timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
    if (!(timeoutMs >= 0)) throw new RangeError(`timeoutMs must be a number of milliseconds, got ${timeoutMs}`);
    const path = `/v1/tasks/${segment(taskId, 'taskId')}`;
    const deadline = Date.now() + timeoutMs;
    let task;
    do {
      const waitMs = Math.max(0, Math.min(deadline - Date.now(), MAX_SERVER_WAIT_MS));
      task = (await this.transport.request('GET', path, { query: { wait: `${waitMs}ms` }, extraTimeoutMs: waitMs })).body;
      if (TERMINAL_STATUSES.includes(task.status)) return task;
    } while (Date.now() < deadline);
    throw new OffloadTimeoutError(task, timeoutMs);
  }

  /** One page, newest first: `{tasks, nextCursor}`; pass `nextCursor` back as `cursor` for the next page. */
  async list({ queue, status, scheduleName, limit, cursor } = {}) {
    return (await this.transport.request('GET', '/v1/tasks', { query: { queue, status, scheduleName, limit, cursor } })).body;
  }

  /** Every task matching the filter, newest first, fetching page after page as the loop goes on. */
  async *iterate(filter = {}) {
    let cursor = filter.cursor;
    do {
      const page = await this.list({ ...filter, cursor });
      yield* page.tasks;
      cursor = page.nextCursor;
    } while (cursor);
  }

  async attempts(taskId) {
    return (await this.transport.request('GET', `/v1/tasks/${segment(taskId, 'taskId')}/attempts`)).body;
  }

  /** Cancels a task that is not finished (a running call is aborted); a finished task is a 409 `OffloadError`. */
  async cancel(taskId) {
    return (await this.transport.request('POST', `/v1/tasks/${segment(taskId, 'taskId')}/cancel`)).body;
  }

  /** Deletes a finished task with its attempts, events and result; an unfinished one is a 409 `OffloadError` (cancel it first). */
  async delete(taskId) {
    await this.transport.request('DELETE', `/v1/tasks/${segment(taskId, 'taskId')}`);
  }

  /** Queues a failed or cancelled task again with a fresh retry budget. */
  async retry(taskId) {
    return (await this.transport.request('POST', `/v1/tasks/${segment(taskId, 'taskId')}/retry`)).body;
  }

  /**
   * The task's live events from its creation on (or after `lastEventId`), as an async iterable
   * that ends after the task's final event; a dropped connection is resumed without loss or
   * repeat, and aborting `signal` ends the iteration. An unknown task throws a 404 `OffloadError`.
   */
  events(taskId, options) {
    const path = `/v1/tasks/${segment(taskId, 'taskId')}/events`;
    return followEvents(this.transport, path, { ...streamOptions(options), endsWithTask: true });
  }

  /**
   * Reports progress from inside the endpoint Offload is calling, with the `Offload-Task-Token` that
   * call carried (`verify` returns it as `taskToken`); `progress` is any JSON.
   */
  async progress(taskId, taskToken, progress) {
    return (await this.transport.request('POST', `/v1/tasks/${segment(taskId, 'taskId')}/progress`, {
      headers: { 'Offload-Task-Token': taskToken }, body: { progress },
    })).body;
  }
}
