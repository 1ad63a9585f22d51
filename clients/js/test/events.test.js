import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Offload, OffloadError } from '@offload/client';
import { startOffload } from './support/offload-server.js';
import { startTarget } from './support/target.js';

const T = { timeout: 30_000 };
let server;
let target;
let offload;
const failedOnce = new Set();

before(async () => {
  server = await startOffload();
  offload = new Offload({ baseUrl: server.url });
  target = await startTarget((call) => {
    const taskId = call.headers['offload-task-id'];
    if (call.path === '/fails-once' && !failedOnce.has(taskId)) {
      failedOnce.add(taskId);
      return { status: 500, json: { error: 'first call fails' } };
    }
    return { status: 200, json: { ok: true } };
  });
});

after(async () => {
  await target?.close();
  await server?.stop();
});

let queues = 0;
const freshQueue = () => `js-events-${++queues}`;

async function collect(events) {
  const all = [];
  for await (const event of events) all.push(event);
  return all;
}

/** The first `count` events; the stream is closed after them. */
async function take(events, count) {
  const taken = [];
  for await (const event of events) {
    taken.push(event);
    if (taken.length === count) break;
  }
  return taken;
}

/** Events until the final event of `taskId`, from a stream that does not end by itself. */
async function until(iterator, taskId) {
  const taken = [];
  for (;;) {
    const { value, done } = await iterator.next();
    assert.ok(!done, 'the stream went on');
    taken.push(value);
    if (value.taskId === taskId && ['task.succeeded', 'task.failed', 'task.cancelled'].includes(value.type)) return taken;
  }
}

async function finishedTask(queue, path = '/ok') {
  const { taskId } = await offload.tasks.create({ callbackUrl: target.url(path), queue });
  await offload.tasks.wait(taskId, { timeoutMs: 20_000 });
  return taskId;
}

const ids = (events) => events.map((e) => e.eventId);

describe('task events', () => {
  test('arrive in order from task.created to the final event, and then the iteration ends', T, async () => {
    const { taskId } = await offload.tasks.create({
      callbackUrl: target.url('/fails-once'), retries: 1, backoff: { type: 'fixed', initial: 100 },
    });

    const events = await collect(offload.tasks.events(taskId));

    assert.deepEqual(events.map((e) => [e.type, e.attempt, e.outcome]), [
      ['task.created', 0, undefined],
      ['attempt.started', 1, undefined],
      ['attempt.finished', 1, 'http_error'],
      ['attempt.started', 2, undefined],
      ['attempt.finished', 2, 'succeeded'],
      ['task.succeeded', 2, undefined],
    ]);
    for (const event of events) {
      assert.deepEqual(Object.keys(event).filter((key) => key !== 'outcome'), ['eventId', 'type', 'taskId', 'queue', 'attempt', 'at', 'task']);
      assert.equal(event.taskId, taskId);
      assert.equal(event.queue, 'default');
      assert.equal(event.task.taskId, taskId);
      assert.ok(!Number.isNaN(Date.parse(event.at)));
    }
    assert.ok(ids(events).every((id, i) => i === 0 || id > events[i - 1].eventId), `increasing ids: ${ids(events)}`);
    assert.equal(events.at(-1).task.status, 'succeeded');
  });

  test('resuming after an eventId yields exactly the events after it', T, async () => {
    const taskId = await finishedTask('default');
    const all = await collect(offload.tasks.events(taskId));

    for (const [index, event] of all.slice(0, -1).entries()) {
      const rest = await collect(offload.tasks.events(taskId, { lastEventId: index % 2 ? event.eventId : String(event.eventId) }));
      assert.deepEqual(ids(rest), ids(all.slice(index + 1)), `after event ${event.eventId}`);
    }
  });

  test('resuming after the final event yields nothing and ends', T, async () => {
    const taskId = await finishedTask('default');
    const all = await collect(offload.tasks.events(taskId));

    // The server ends such a stream after one heartbeat interval (15 s) with no event.
    const rest = await collect(offload.tasks.events(taskId, { lastEventId: all.at(-1).eventId }));

    assert.deepEqual(rest, []);
  });

  test('an unknown task is a 404 OffloadError, and a bad argument a TypeError or RangeError at the call', T, async () => {
    const error = await collect(offload.tasks.events('tsk_01JD0000000000000000000000')).catch((e) => e);

    assert.ok(error instanceof OffloadError, String(error));
    assert.equal(error.status, 404);
    assert.match(error.message, /GET \/v1\/tasks\/tsk_01JD0000000000000000000000\/events/);
    assert.throws(() => offload.tasks.events(''), TypeError);
    assert.throws(() => offload.tasks.events('tsk_x', { lastEventId: -1 }), RangeError);
    assert.throws(() => offload.events({ signal: 'stop' }), TypeError);
  });
});

describe('events of a queue', () => {
  test('offload.events({queue}) sees only that queue\'s events, and resumes after lastEventId without gap or repeat', T, async () => {
    const [queue, other] = [freshQueue(), freshQueue()];
    const first = await finishedTask(queue);
    await finishedTask(other);
    const second = await finishedTask(queue);

    const seen = await take(offload.events({ queue, lastEventId: 0 }), 8);
    const rest = await take(offload.events({ queue, lastEventId: seen[2].eventId }), 5);
    const next = await finishedTask(queue);

    assert.deepEqual(seen.map((e) => e.queue), Array(8).fill(queue));
    assert.deepEqual(seen.map((e) => e.taskId), [...Array(4).fill(first), ...Array(4).fill(second)]);
    assert.deepEqual(ids(rest), ids(seen.slice(3)));
    const [following] = await take(offload.events({ queue, lastEventId: seen.at(-1).eventId }), 1);
    assert.equal(following.taskId, next);
    assert.equal(following.type, 'task.created');
  });

  test('without lastEventId the stream starts with the next event, not the retained ones', T, async () => {
    const queue = freshQueue();
    const earlier = await finishedTask(queue);
    const events = offload.events({ queue })[Symbol.asyncIterator]();
    const first = events.next();
    const created = [];

    // The subscription starts when the server takes the request, which the client cannot see:
    // create tasks until one's event arrives, each only after the last had its chance.
    let arrived;
    for (let round = 0; !arrived && round < 100; round++) {
      created.push((await offload.tasks.create({ callbackUrl: target.url('/ok'), queue, delay: '1h' })).taskId);
      arrived = await Promise.race([first, new Promise((done) => setTimeout(done, 100))]);
    }
    await events.return();

    assert.ok(arrived, 'an event arrived');
    assert.notEqual(arrived.value.taskId, earlier);
    assert.ok(created.includes(arrived.value.taskId));
    assert.equal(arrived.value.type, 'task.created');
    for (const taskId of created) await offload.tasks.cancel(taskId);
  });
});

describe('ending and resuming streams', () => {
  test('aborting the signal ends the iteration at once, without an error or an unhandled rejection', T, async () => {
    const unhandled = [];
    const record = (reason) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const { taskId } = await offload.tasks.create({ callbackUrl: target.url('/ok'), delay: '1h' });
      const controller = new AbortController();
      const events = offload.tasks.events(taskId, { signal: controller.signal })[Symbol.asyncIterator]();
      const created = await events.next();
      const pending = events.next();

      controller.abort();

      assert.equal(created.value.type, 'task.created');
      assert.deepEqual(await pending, { done: true, value: undefined });
      assert.deepEqual(await events.next(), { done: true, value: undefined });
      const idle = new AbortController();
      const waiting = collect(offload.events({ queue: freshQueue(), signal: idle.signal }));
      idle.abort();
      assert.deepEqual(await waiting, []);
      assert.deepEqual(await collect(offload.events({ signal: AbortSignal.abort() })), []);
      await new Promise((done) => setTimeout(done, 50)); // a rejection left unhandled is reported on a later turn
      await offload.tasks.cancel(taskId);
    } finally {
      process.off('unhandledRejection', record);
    }
    assert.deepEqual(unhandled, []);
  });

  test('streams broken by a server crash resume after its restart without losing or repeating an event', { timeout: 120_000 }, async () => {
    const client = new Offload({ baseUrl: server.url, timeoutMs: 60_000 }); // reconnects for as long as the restart may take
    const queue = freshQueue();
    for (let i = 0; i < 3; i++) await finishedTask(queue);
    const { taskId: waiting } = await client.tasks.create({ callbackUrl: target.url('/ok'), queue, delay: '1h' });
    const queueEvents = client.events({ queue, lastEventId: 0 })[Symbol.asyncIterator]();
    const taskEvents = client.tasks.events(waiting)[Symbol.asyncIterator]();
    const before = [(await queueEvents.next()).value, (await queueEvents.next()).value];
    const created = await taskEvents.next();
    const cancelled = taskEvents.next();

    await server.restart();
    await client.tasks.cancel(waiting);
    const last = await finishedTask(queue);
    const resumed = [...before, ...await until(queueEvents, last)];
    await queueEvents.return();

    const replay = client.events({ queue, lastEventId: 0 })[Symbol.asyncIterator]();
    const truth = await until(replay, last);
    await replay.return();
    assert.equal(truth.length, 3 * 4 + 2 + 4);
    assert.deepEqual(ids(resumed), ids(truth));
    assert.deepEqual([created.value.type, (await cancelled).value.type], ['task.created', 'task.cancelled']);
    assert.deepEqual(await taskEvents.next(), { done: true, value: undefined });
  });
});
