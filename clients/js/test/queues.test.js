import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Offload, OffloadError } from '@offload/client';
import { startOffload } from './support/offload-server.js';
import { startTarget } from './support/target.js';

const T = { timeout: 30_000 };
const server = await startOffload();
const target = await startTarget();
const offload = new Offload({ baseUrl: server.url });
after(async () => {
  await target.close();
  await server.stop();
});

let queues = 0;
const freshQueue = () => `js-queue-${++queues}`;

describe('queues', () => {
  test('put sets the limits, get and list show them, and a second put replaces all four', T, async () => {
    const name = freshQueue();

    const limited = await offload.queues.put(name, { concurrency: 10, ratePerSecond: 50, burst: 5, paused: true });
    const replaced = await offload.queues.put(name, { concurrency: 2 });

    assert.deepEqual(
      [limited.name, limited.concurrency, limited.ratePerSecond, limited.burst, limited.paused], [name, 10, 50, 5, true],
    );
    assert.deepEqual([replaced.concurrency, replaced.ratePerSecond, replaced.burst, replaced.paused], [2, null, null, false]);
    assert.deepEqual(await offload.queues.get(name), replaced);
    assert.deepEqual((await offload.queues.list()).find((q) => q.name === name), replaced);
  });

  test('a queue with finished tasks shows counts, throughput, attempt durations and the attempt timeout', T, async () => {
    const name = freshQueue();
    for (let i = 0; i < 2; i++) {
      const { taskId } = await offload.tasks.create({ callbackUrl: target.url('/work'), queue: name, timeout: '30s' });
      await offload.tasks.wait(taskId, { timeoutMs: 20_000 });
    }

    const queue = await offload.queues.get(name);

    assert.deepEqual(Object.keys(queue), [
      'name', 'paused', 'concurrency', 'ratePerSecond', 'burst', 'retainSucceeded', 'retainFailed', 'counts', 'inFlight',
      'oldestReadyAgeMs', 'throughput', 'attemptDurationMs', 'attemptTimeoutMs', 'attemptSamples', 'nearTimeout',
    ]);
    assert.deepEqual(queue.counts, { scheduled: 0, queued: 0, running: 0, waiting: 0, retrying: 0, succeeded: 2, failed: 0, cancelled: 0 });
    assert.equal(queue.inFlight, 0);
    assert.equal(queue.oldestReadyAgeMs, null);
    assert.deepEqual(queue.throughput, { lastMinute: 2, lastHour: 2 });
    assert.ok(Number.isInteger(queue.attemptDurationMs.p50) && queue.attemptDurationMs.p50 <= queue.attemptDurationMs.p99);
    assert.equal(queue.attemptTimeoutMs, 30_000);
    assert.equal(queue.nearTimeout, false);
  });

  test('history answers the last hour in 60 one-minute buckets that count the queue\'s tasks', T, async () => {
    const name = freshQueue();
    const { taskId } = await offload.tasks.create({ callbackUrl: target.url('/work'), queue: name, timeout: '20s' });
    await offload.tasks.wait(taskId, { timeoutMs: 20_000 });

    const history = await offload.queues.history(name);

    assert.equal(history.queue, name);
    assert.equal(history.bucketSeconds, 60);
    assert.equal(Date.parse(history.to) - Date.parse(history.from), 3_600_000);
    assert.equal(history.attemptTimeoutMs, 20_000);
    assert.equal(history.buckets.length, 60);
    assert.deepEqual(Object.keys(history.buckets[0]), [
      'at', 'created', 'finished', 'succeeded', 'failed', 'cancelled', 'depth', 'attempts', 'attemptDurationMs',
    ]);
    const total = (field) => history.buckets.reduce((sum, bucket) => sum + bucket[field], 0);
    assert.deepEqual([total('created'), total('succeeded'), total('attempts')], [1, 1, 1]);
    assert.equal(history.buckets.at(-1).depth, 0);
  });

  test('a queue never used is a 404, and a bad setting is a 400 naming the field', T, async () => {
    const missing = await offload.queues.get('js-never-used').catch((e) => e);
    const missingHistory = await offload.queues.history('js-never-used').catch((e) => e);
    const invalid = await offload.queues.put(freshQueue(), { concurrency: 0, burst: 2 }).catch((e) => e);

    assert.ok(missing instanceof OffloadError);
    assert.equal(missing.status, 404);
    assert.match(missing.detail, /no queue js-never-used/);
    assert.equal(missingHistory.status, 404);
    assert.equal(invalid.status, 400);
    assert.deepEqual(invalid.errors.map((e) => e.field).sort(), ['burst', 'concurrency']);
    await assert.rejects(offload.queues.put('q', null), TypeError);
    await assert.rejects(offload.queues.get(''), TypeError);
  });
});
