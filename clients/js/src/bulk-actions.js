import { segment } from './transport.js';

const ACTIONS = ['retry', 'cancel', 'delete'];
const FILTER_FIELDS = ['queue', 'status', 'name', 'scheduleName', 'createdAfter', 'createdBefore', 'lastErrorContains', 'metadata'];
const FIRST_POLL_MS = 100;
const LONGEST_POLL_MS = 2_000;

/**
 * `/v1/bulk-actions`: retry, cancel or delete every task a filter matches, in the background on the
 * server (README: Bulk actions). An action that does not exist is a 404.
 */
export class BulkActions {
  constructor(transport) {
    this.transport = transport;
  }

  /** How many tasks `filter` matches now; nothing changes (a dry run). */
  async count(filter) {
    const body = { action: 'retry', filter: filterToWire(filter), dryRun: true };
    return (await this.transport.request('POST', '/v1/bulk-actions', { body })).body.matched;
  }

  /**
   * Starts `action` ('retry', 'cancel' or 'delete') on every task `filter` matches and answers the
   * running action at once; when the same action with the same filter is already running, that one.
   */
  async start(action, filter) {
    if (!ACTIONS.includes(action)) throw new TypeError(`action must be one of ${ACTIONS.join(', ')}, got ${JSON.stringify(action)}`);
    const body = { action, filter: filterToWire(filter) };
    return (await this.transport.request('POST', '/v1/bulk-actions', { body })).body;
  }

  async get(actionId) {
    return (await this.transport.request('GET', path(actionId))).body;
  }

  /** The latest actions, newest first. */
  async list({ limit } = {}) {
    return (await this.transport.request('GET', '/v1/bulk-actions', { query: { limit } })).body.actions;
  }

  /** Stops a running action; what it did so far stays. A finished one is a 409. */
  async cancel(actionId) {
    return (await this.transport.request('POST', `${path(actionId)}/cancel`)).body;
  }

  /**
   * Reads the action until it is finished (`succeeded` or `cancelled`) or `timeoutMs` (default
   * 60 s) passes, and answers it as it is then: check `status`. `onProgress` hears every read.
   */
  async awaitFinished(actionId, { timeoutMs = 60_000, onProgress } = {}) {
    const deadline = Date.now() + timeoutMs;
    let pause = FIRST_POLL_MS;
    let action = await this.get(actionId);
    onProgress?.(action);
    while (action.status === 'running' && Date.now() < deadline) {
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
      pause = Math.min(pause * 2, LONGEST_POLL_MS);
      action = await this.get(actionId);
      onProgress?.(action);
    }
    return action;
  }
}

/** The filter as the API reads it; a Date becomes RFC 3339. At least one field, so that nothing touches every task by accident. */
function filterToWire(filter) {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new TypeError('a bulk filter must be an object such as { queue, status }');
  }
  const wire = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (!FILTER_FIELDS.includes(key)) throw new TypeError(`unknown bulk filter field ${JSON.stringify(key)}; use ${FILTER_FIELDS.join(', ')}`);
    wire[key] = value instanceof Date ? value.toISOString() : value;
  }
  if (Object.keys(wire).length === 0) throw new TypeError(`a bulk filter needs at least one of ${FILTER_FIELDS.join(', ')}`);
  return wire;
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

function path(actionId) {
  return `/v1/bulk-actions/${segment(actionId, 'actionId')}`;
}
