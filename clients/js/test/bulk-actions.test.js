import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Offload, OffloadError } from '@offload/client';
import { startOffload } from './support/offload-server.js';
import { startTarget } from './support/target.js';

const T = { timeout: 60_000 };
const server = await startOffload();
let healthy = false;
const target = await startTarget((call) => (call.path === '/flaky' && !healthy ? { status: 400, json: { error: 'down' } } : { status: 200, json: { ok: true } }));
const offload = new Offload({ baseUrl: server.url });
after(async () => {
  await target.close();
  await server.stop();
});

let queues = 0;
const freshQueue = () => `js-bulk-${++queues}`;

describe('bulk actions', () => {
  test('count, start and awaitFinished retry every failed task of a queue, and they succeed', T, async () => {
    const queue = freshQueue();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await offload.tasks.create({ callbackUrl: target.url('/flaky'), queue, retries: 0 })).taskId);
    for (const id of ids) assert.equal((await offload.tasks.wait(id, { timeoutMs: 20_000 })).status, 'failed');
    healthy = true;
    const filter = { queue, status: 'failed' };

    const matched = await offload.bulkActions.count(filter);
    const started = await offload.bulkActions.start('retry', filter);
    const seen = [];
    const finished = await offload.bulkActions.awaitFinished(started.actionId, { timeoutMs: 30_000, onProgress: (a) => seen.push(a.status) });

    assert.equal(matched, 3);
    assert.match(started.actionId, /\S/);
    assert.deepEqual([started.action, started.filter], ['retry', filter]);
    assert.deepEqual([finished.status, finished.matched, finished.done, finished.failed], ['succeeded', 3, 3, 0]);
    assert.ok(finished.finishedAt);
    assert.equal(seen.at(-1), 'succeeded');
    for (const id of ids) assert.equal((await offload.tasks.wait(id, { timeoutMs: 20_000 })).status, 'succeeded');
    assert.deepEqual(await offload.bulkActions.get(started.actionId), finished);
    assert.equal((await offload.bulkActions.list({ limit: 5 }))[0].actionId, started.actionId);
    await assert.rejects(offload.bulkActions.cancel(started.actionId), (e) => e instanceof OffloadError && e.status === 409);
  });

  test('cancel stops the unfinished tasks of a queue, delete removes them, and matches it cannot apply to count as failed', T, async () => {
    const queue = freshQueue();
    const waiting = [];
    for (let i = 0; i < 2; i++) waiting.push((await offload.tasks.create({ callbackUrl: target.url('/later'), queue, delay: '1h', metadata: { batch: 'b1' } })).taskId);
    const done = (await offload.tasks.create({ callbackUrl: target.url('/now'), queue, metadata: { batch: 'b1' } })).taskId;
    await offload.tasks.wait(done, { timeoutMs: 20_000 });

    const cancelled = await offload.bulkActions.awaitFinished(
      (await offload.bulkActions.start('cancel', { queue, metadata: { batch: 'b1' } })).actionId, { timeoutMs: 30_000 });
    const deleted = await offload.bulkActions.awaitFinished(
      (await offload.bulkActions.start('delete', { queue, createdAfter: new Date(Date.now() - 3_600_000) })).actionId, { timeoutMs: 30_000 });

    assert.deepEqual([cancelled.status, cancelled.matched, cancelled.done, cancelled.failed], ['succeeded', 3, 2, 1]);
    assert.deepEqual([deleted.status, deleted.matched, deleted.done, deleted.failed], ['succeeded', 3, 3, 0]);
    for (const id of [...waiting, done]) {
      await assert.rejects(offload.tasks.get(id), (e) => e instanceof OffloadError && e.status === 404);
    }
  });

  test('a filter without fields or an unknown action is refused before any request, a bad field by the server', T, async () => {
    await assert.rejects(offload.bulkActions.count({}), TypeError);
    await assert.rejects(offload.bulkActions.count({ queue: 'q', colour: 'red' }), TypeError);
    await assert.rejects(offload.bulkActions.start('explode', { queue: 'q' }), TypeError);

    await assert.rejects(offload.bulkActions.count({ status: 'sleeping' }),
      (e) => e instanceof OffloadError && e.status === 400 && e.errors.some((f) => f.field.includes('status')));
    await assert.rejects(offload.bulkActions.get('bulk_nothing'), (e) => e instanceof OffloadError && e.status === 404);
  });
});
