import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Offload, OffloadConnectionError, OffloadError, OffloadTimeoutError } from '@offload/client';
import { startOffload } from './support/offload-server.js';
import { startTarget } from './support/target.js';

const T = { timeout: 30_000 };
let server;
let target;
let offload;
let flakyCalls = 0;

before(async () => {
  server = await startOffload();
  offload = new Offload({ baseUrl: server.url });
  target = await startTarget(async (call) => {
    if (call.path === '/flaky' && ++flakyCalls === 1) return { status: 500, json: { error: 'first call fails' } };
    if (call.path === '/reports-progress') {
      await offload.tasks.progress(call.headers['offload-task-id'], call.headers['offload-task-token'], { percent: 50 });
    }
    return { status: 200, json: { rendered: JSON.parse(call.body || 'null') } };
  });
});

after(async () => {
  await target?.close();
  await server?.stop();
});

/** A queue of its own per test, so lists see only that test's tasks. */
let queues = 0;
const freshQueue = () => `js-${process.pid}-${++queues}`;

describe('tasks', () => {
  test('create answers the task id and status at once, and the target gets the payload', T, async () => {
    const created = await offload.tasks.create({
      callbackUrl: target.url('/render'), payload: { invoice: 42 }, retries: 3, backoff: 'exponential',
    });

    assert.match(created.taskId, /^tsk_/);
    assert.ok(['queued', 'running', 'succeeded'].includes(created.status), created.status);
    assert.equal(created.statusUrl, `/v1/tasks/${created.taskId}`);
    assert.equal(created.replayed, false);
    const call = await target.callTo('/render', (c) => c.headers['offload-task-id'] === created.taskId);
    assert.deepEqual(JSON.parse(call.body), { invoice: 42 });
  });

  test('wait returns the finished task with the target answer as its result', T, async () => {
    const { taskId } = await offload.tasks.create({ callbackUrl: target.url('/render'), payload: { invoice: 7 } });

    const task = await offload.tasks.wait(taskId, { timeoutMs: 20_000 });

    assert.equal(task.status, 'succeeded');
    assert.equal(task.attempts, 1);
    assert.deepEqual(task.result.body, { rendered: { invoice: 7 } });
    assert.deepEqual(await offload.tasks.get(taskId), task);
  });

  test('create with wait answers the whole finished task when it finishes in time', T, async () => {
    const created = await offload.tasks.create({ callbackUrl: target.url('/render'), payload: { fast: true } }, { wait: 10 });

    assert.equal(created.status, 'succeeded');
    assert.equal(created.task.taskId, created.taskId);
    assert.deepEqual(created.task.result.body, { rendered: { fast: true } });
    assert.equal(created.statusUrl, `/v1/tasks/${created.taskId}`);
  });

  test('create with wait answers only the id and status when the task is not finished in time', T, async () => {
    const created = await offload.tasks.create({ callbackUrl: target.url('/render'), delay: 120_000 }, { wait: 1 });

    assert.equal(created.status, 'scheduled');
    assert.equal(created.task, undefined);
    const task = await offload.tasks.get(created.taskId);
    const delayMs = Date.parse(task.runAt) - Date.parse(task.createdAt);
    assert.ok(Math.abs(delayMs - 120_000) < 1_000, `a number delay is milliseconds: runAt is ${delayMs}ms after createdAt`);
    await offload.tasks.cancel(created.taskId);
  });

  test('a priority is kept and shown on the task; out of range it is a 400 naming priority', T, async () => {
    const created = await offload.tasks.create({ callbackUrl: target.url('/render'), delay: '1h', priority: 90 });

    assert.equal((await offload.tasks.get(created.taskId)).priority, 90);
    await offload.tasks.cancel(created.taskId);
    await assert.rejects(offload.tasks.create({ callbackUrl: target.url('/render'), priority: 86_401 }),
      (e) => e instanceof OffloadError && e.status === 400 && e.errors.some((f) => f.field === 'priority'));
  });

  test('an idempotency key replays the original task, and the same key on another request is a 409', T, async () => {
    const key = `order-${Date.now()}`;
    const task = { callbackUrl: target.url('/render'), delay: '1m', payload: { order: 1 } };
    const first = await offload.tasks.create(task, { idempotencyKey: key });

    const again = await offload.tasks.create(task, { idempotencyKey: key });

    assert.equal(again.taskId, first.taskId);
    assert.equal(again.replayed, true);
    assert.equal(again.task.taskId, first.taskId);
    const conflict = await offload.tasks.create({ ...task, payload: { order: 2 } }, { idempotencyKey: key }).catch((e) => e);
    assert.ok(conflict instanceof OffloadError);
    assert.equal(conflict.status, 409);
    assert.deepEqual(conflict.errors.map((e) => e.field), ['idempotencyKey']);
    await offload.tasks.cancel(first.taskId);
  });

  test('createBatch creates every task and answers their ids in order', T, async () => {
    const queue = freshQueue();
    const created = await offload.tasks.createBatch([
      { callbackUrl: target.url('/render'), queue, delay: '1h', metadata: { n: 1 } },
      { callbackUrl: target.url('/render'), queue, delay: '1h', metadata: { n: 2 } },
    ]);

    assert.equal(created.length, 2);
    for (const [index, { taskId, status }] of created.entries()) {
      assert.equal(status, 'scheduled');
      assert.deepEqual((await offload.tasks.get(taskId)).metadata, { n: index + 1 });
    }
  });

  test('list answers one page newest first, and iterate walks every page', T, async () => {
    const queue = freshQueue();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await offload.tasks.create({ callbackUrl: target.url('/render'), queue, delay: '1h' })).taskId);

    const page = await offload.tasks.list({ queue, status: 'scheduled', limit: 2 });
    const all = [];
    for await (const task of offload.tasks.iterate({ queue, limit: 2 })) all.push(task.taskId);

    assert.deepEqual(page.tasks.map((t) => t.taskId), [ids[4], ids[3]]);
    assert.ok(page.nextCursor);
    assert.deepEqual(all, [...ids].reverse());
    assert.deepEqual((await offload.tasks.list({ queue, status: 'succeeded' })).tasks, []);
  });

  test('attempts lists a failed attempt and the successful retry', T, async () => {
    const { taskId } = await offload.tasks.create({
      callbackUrl: target.url('/flaky'), retries: 2, backoff: { type: 'fixed', initial: 100 },
    });

    const task = await offload.tasks.wait(taskId, { timeoutMs: 20_000 });
    const attempts = await offload.tasks.attempts(taskId);

    assert.equal(task.status, 'succeeded');
    assert.deepEqual(attempts.map((a) => [a.number, a.outcome, a.statusCode]), [[1, 'http_error', 500], [2, 'succeeded', 200]]);
  });

  test('cancel stops a waiting task, a second cancel is a 409, and retry runs it after all', T, async () => {
    const { taskId } = await offload.tasks.create({ callbackUrl: target.url('/render'), delay: '1h', payload: { late: true } });

    const cancelled = await offload.tasks.cancel(taskId);
    const again = await offload.tasks.cancel(taskId).catch((e) => e);
    const retried = await offload.tasks.retry(taskId);

    assert.equal(cancelled.status, 'cancelled');
    assert.ok(again instanceof OffloadError);
    assert.equal(again.status, 409);
    assert.match(again.message, /already cancelled/);
    assert.equal(retried.status, 'queued');
    assert.equal((await offload.tasks.wait(taskId, { timeoutMs: 20_000 })).status, 'succeeded');
  });

  test('progress sent by the target with its task token shows on the task; a wrong token is refused', T, async () => {
    const { taskId } = await offload.tasks.create({ callbackUrl: target.url('/reports-progress') });

    const task = await offload.tasks.wait(taskId, { timeoutMs: 20_000 });
    const refused = await offload.tasks.progress(taskId, 'not-the-token', { percent: 99 }).catch((e) => e);

    assert.equal(task.status, 'succeeded');
    assert.deepEqual(task.progress, { percent: 50 });
    assert.ok(refused instanceof OffloadError);
    assert.equal(refused.status, 401);
  });

  test('wait throws OffloadTimeoutError with the task as last seen when it does not finish in time', T, async () => {
    const { taskId } = await offload.tasks.create({ callbackUrl: target.url('/render'), delay: '1h' });

    const started = Date.now();
    const error = await offload.tasks.wait(taskId, { timeoutMs: 700 }).catch((e) => e);

    assert.ok(error instanceof OffloadTimeoutError, String(error));
    assert.equal(error.task.taskId, taskId);
    assert.equal(error.task.status, 'scheduled');
    assert.ok(Date.now() - started >= 700, 'waits until the deadline');
    await offload.tasks.cancel(taskId);
  });
});

describe('errors and options', () => {
  test('a refused request is an OffloadError with the problem fields and the request id', T, async () => {
    const error = await offload.tasks.create({ callbackUrl: 'not a url', retries: -1 }).catch((e) => e);

    assert.ok(error instanceof OffloadError);
    assert.equal(error.status, 400);
    assert.equal(error.title, 'Invalid request');
    assert.deepEqual(error.errors.map((e) => e.field).sort(), ['callbackUrl', 'retries']);
    assert.match(error.requestId, /^req_/);
    assert.match(error.message, /^400 Invalid request: .*retries: .*\(POST \/v1\/tasks, request req_/);
    const missing = await offload.tasks.get('tsk_01JD0000000000000000000000').catch((e) => e);
    assert.equal(missing.status, 404);
    assert.match(missing.detail, /no task tsk_01JD0000000000000000000000/);
    const oddId = await offload.tasks.get('tsk_grüße').catch((e) => e);
    assert.equal(oddId.detail, 'no task tsk_grüße (task ids look like tsk_01JD…)', 'problem details are UTF-8');
  });

  test('a server that is not there is an OffloadConnectionError', T, async () => {
    const port = await closedPort();
    const error = await new Offload({ baseUrl: `http://127.0.0.1:${port}` }).tasks.get('tsk_x').catch((e) => e);

    assert.ok(error instanceof OffloadConnectionError, String(error));
    assert.match(error.message, new RegExp(`GET /v1/tasks/tsk_x: no answer from http://127.0.0.1:${port}`));
  });

  test('a server that does not answer within timeoutMs is an OffloadConnectionError', T, async () => {
    const silent = createServer(() => {});
    await new Promise((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const client = new Offload({ baseUrl: `http://127.0.0.1:${silent.address().port}`, timeoutMs: 300 });
      const error = await client.tasks.list().catch((e) => e);

      assert.ok(error instanceof OffloadConnectionError, String(error));
      assert.match(error.message, /no answer within 300ms/);
    } finally {
      silent.close();
    }
  });

  test('the server address and token come from OFFLOAD_URL and OFFLOAD_TOKEN, the token as a bearer', T, async () => {
    const sent = [];
    const recordingFetch = (url, init) => {
      sent.push({ url, authorization: init.headers.Authorization });
      return fetch(url, init);
    };
    process.env.OFFLOAD_URL = `${server.url}/`;
    process.env.OFFLOAD_TOKEN = 's3cret';
    let client;
    try {
      client = new Offload({ fetch: recordingFetch });
    } finally {
      delete process.env.OFFLOAD_URL;
      delete process.env.OFFLOAD_TOKEN;
    }

    const page = await client.tasks.list({ limit: 1 });

    assert.ok(Array.isArray(page.tasks));
    assert.deepEqual(sent, [{ url: `${server.url}/v1/tasks?limit=1`, authorization: 'Bearer s3cret' }]);
  });
});

async function closedPort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}
