import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { NonRetryableError, Offload } from '@offload/client';
import { sleep, startOffload } from './support/offload-server.js';

const T = { timeout: 120_000 };
const HERE = dirname(fileURLToPath(import.meta.url));
let server;
let offload;

/** Warnings of the workers under test, kept for the failure message instead of flooding the output. */
const logs = [];
const logger = { warn: (...a) => logs.push(a.join(' ')), info: (...a) => logs.push(a.join(' ')), error: (...a) => logs.push(a.join(' ')) };

before(async () => {
  // Expired leases are looked for every quarter of --lease-timeout: 1 s here.
  server = await startOffload({ args: ['--lease-timeout', '4s'] });
  offload = new Offload({ baseUrl: server.url });
});

after(async () => {
  await server?.stop();
});

let names = 0;
const freshName = () => `js-worker-${process.pid}-${++names}`;

/** Waits until `check()` answers truthy (and answers that), or fails after `timeoutMs`. */
async function until(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not ${what} within ${timeoutMs}ms; worker log:\n${logs.slice(-20).join('\n')}`);
    await sleep(50);
  }
}

describe('workers', () => {
  // Generous deadlines: how fast a loaded machine gets through them is the benchmark's business, not this test's.
  test('1,000 tasks at concurrency 16 each run exactly once', { timeout: 600_000 }, async () => {
    const name = freshName();
    const runs = new Map();
    let inFlight = 0;
    let mostInFlight = 0;
    const worker = offload.worker({ concurrency: 16, logger, waitFor: 1_000 }).handle(name, async (payload, task) => {
      runs.set(task.id, (runs.get(task.id) ?? 0) + 1);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await sleep(payload.n % 3);
      inFlight--;
      return { doubled: payload.n * 2 };
    });
    const created = await offload.tasks.createBatch(Array.from({ length: 1_000 }, (_, n) => ({ name, payload: { n } })));
    await worker.start();

    try {
      await until(() => runs.size === 1_000 && inFlight === 0, 'all 1,000 run', 540_000);
      const last = await offload.tasks.wait(created[999].taskId, { timeoutMs: 10_000 });
      assert.deepEqual(last.result.body, { doubled: 1998 });
    } finally {
      await worker.stop();
    }
    assert.equal(runs.size, 1_000);
    assert.deepEqual([...new Set(runs.values())], [1]);
    assert.ok(mostInFlight <= 16, `at most 16 at once, saw ${mostInFlight}`);
    const queued = await offload.tasks.list({ status: 'running' });
    assert.equal(queued.tasks.filter((t) => t.name === name).length, 0);
  });

  test('a worker killed with SIGKILL mid-task loses its lease, and another worker finishes the task', T, async () => {
    const name = freshName();
    const { taskId } = await offload.tasks.create({ name, payload: { doomed: true } });
    const child = spawn(process.execPath, [join(HERE, 'support/worker-process.js'), server.url, name, 'doomed-worker'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    await until(() => out.includes(`started ${taskId}`), 'started in the child');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;

    const survivor = offload.worker({ workerId: 'survivor', logger, waitFor: 1_000 }).handle(name, async (payload, task) => ({ attempt: task.attempt }));
    await survivor.start();
    try {
      const task = await offload.tasks.wait(taskId, { timeoutMs: 30_000 });
      assert.equal(task.status, 'succeeded');
      assert.deepEqual(task.result.body, { attempt: 2 });
    } finally {
      await survivor.stop();
    }
    const attempts = await offload.tasks.attempts(taskId);
    assert.deepEqual(attempts.map((a) => [a.outcome, a.node]), [['lease_expired', 'doomed-worker'], ['succeeded', 'survivor']]);
  });

  test('cancelling a running task aborts its handler\'s signal within one heartbeat', T, async () => {
    const name = freshName();
    const heartbeatEvery = 500;
    let started;
    let aborted;
    const worker = offload.worker({ leaseFor: 3_000, heartbeatEvery, logger, waitFor: 1_000 }).handle(name, (payload, task) => new Promise((resolve, reject) => {
      started = Date.now();
      task.signal.addEventListener('abort', () => {
        aborted = { at: Date.now(), reason: task.signal.reason };
        reject(task.signal.reason);
      });
    }));
    const { taskId } = await offload.tasks.create({ name });
    await worker.start();
    try {
      await until(() => started, 'started');
      const cancelledAt = Date.now();
      await offload.tasks.cancel(taskId);
      await until(() => aborted, 'aborted');
      assert.ok(aborted.at - cancelledAt <= heartbeatEvery + 1_000, `aborted ${aborted.at - cancelledAt}ms after the cancel`);
      assert.equal(aborted.reason.name, 'AbortError');
      assert.match(aborted.reason.message, /was cancelled/);
    } finally {
      await worker.stop();
    }
    const task = await offload.tasks.get(taskId);
    assert.equal(task.status, 'cancelled');
    assert.deepEqual((await offload.tasks.attempts(taskId)).map((a) => a.outcome), ['cancelled']);
  });

  test('stop() lets handlers finish within the grace, then aborts and releases the rest without spending an attempt', T, async () => {
    const name = freshName();
    const started = new Set();
    const aborted = new Set();
    const worker = offload.worker({ concurrency: 4, logger, waitFor: 1_000 }).handle(name, async (payload, task) => {
      started.add(task.id);
      if (payload.quick) {
        await sleep(300);
        return 'done in time';
      }
      await new Promise((resolve) => task.signal.addEventListener('abort', resolve));
      aborted.add(task.id);
      throw task.signal.reason;
    });
    const [quick, slow1, slow2] = await offload.tasks.createBatch([
      { name, payload: { quick: true }, retries: 0 }, { name, payload: {}, retries: 0 }, { name, payload: {}, retries: 0 },
    ]);
    await worker.start();
    await until(() => started.size === 3, 'all three started');

    await worker.stop({ graceMs: 1_500 });

    assert.equal(worker.running, 0);
    assert.deepEqual([...aborted].sort(), [slow1.taskId, slow2.taskId].sort());
    const done = await offload.tasks.get(quick.taskId);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.result.body, 'done in time');
    for (const { taskId } of [slow1, slow2]) {
      const task = await offload.tasks.get(taskId);
      assert.equal(task.status, 'queued', `${taskId} is queued again, not failed`);
      assert.equal(task.attempts, 0);
      assert.deepEqual(await offload.tasks.attempts(taskId), []);
    }
    const next = offload.worker({ logger, waitFor: 1_000 }).handle(name, async () => 'second worker');
    await next.start();
    try {
      for (const { taskId } of [slow1, slow2]) assert.equal((await offload.tasks.wait(taskId, { timeoutMs: 20_000 })).result.body, 'second worker');
    } finally {
      await next.stop();
    }
  });

  test('a NonRetryableError fails the task at once; any other error fails the attempt with its message and stack head', T, async () => {
    const name = freshName();
    const worker = offload.worker({ logger, waitFor: 1_000 }).handle(name, async (payload) => {
      if (payload.fatal) throw new NonRetryableError(`no customer ${payload.customer}`);
      throw new TypeError('flaky upstream');
    });
    const fatal = await offload.tasks.create({ name, payload: { fatal: true, customer: 7 }, retries: 5 });
    const flaky = await offload.tasks.create({ name, payload: {}, retries: 1, backoff: { type: 'fixed', initial: '100ms', jitter: false } });
    await worker.start();
    try {
      const failed = await offload.tasks.wait(fatal.taskId, { timeoutMs: 20_000 });
      assert.equal(failed.status, 'failed');
      assert.equal(failed.attempts, 1);
      assert.match(failed.lastError, /^NonRetryableError: no customer 7/);
      const retried = await offload.tasks.wait(flaky.taskId, { timeoutMs: 20_000 });
      assert.equal(retried.status, 'failed');
      assert.equal(retried.attempts, 2);
    } finally {
      await worker.stop();
    }
    const attempts = await offload.tasks.attempts(flaky.taskId);
    assert.deepEqual(attempts.map((a) => a.outcome), ['worker_error', 'worker_error']);
    assert.match(attempts[0].error, /^TypeError: flaky upstream\n\s+at .*worker\.test\.js/);
  });

  test('progress a handler reports is visible on the task while it runs', T, async () => {
    const name = freshName();
    let finish;
    const gate = new Promise((resolve) => { finish = resolve; });
    const worker = offload.worker({ logger, waitFor: 1_000 }).handle(name, async (payload, task) => {
      await task.progress({ page: 1, of: 3 });
      await task.progress({ page: 2, of: 3 });
      await gate;
      return 'rendered';
    });
    const { taskId } = await offload.tasks.create({ name });
    await worker.start();
    try {
      const running = await until(async () => {
        const task = await offload.tasks.get(taskId);
        return task.progress?.page === 2 && task;
      }, 'progress 2 of 3 shown', 10_000);
      assert.equal(running.status, 'running');
      finish();
      assert.equal((await offload.tasks.wait(taskId, { timeoutMs: 10_000 })).result.body, 'rendered');
    } finally {
      finish();
      await worker.stop();
    }
  });

  test('a defined function is enqueued with task options and run by a worker it is registered with', T, async () => {
    const queue = `pdf-${process.pid}`;
    const seen = [];
    const renderPdf = offload.define(freshName(), async (payload, task) => {
      seen.push({ queue: task.queue, attempt: task.attempt });
      return { url: `/invoices/${payload.invoiceId}.pdf` };
    }, { queue, retries: 2 });
    const worker = offload.worker({ queues: [queue], logger, waitFor: 1_000 }).register(renderPdf);

    const first = await renderPdf.enqueue({ invoiceId: 42 }, { idempotencyKey: `invoice-42-${process.pid}`, metadata: { by: 'test' } });
    const replay = await renderPdf.enqueue({ invoiceId: 42 }, { idempotencyKey: `invoice-42-${process.pid}`, metadata: { by: 'test' } });
    const later = await renderPdf.enqueue({ invoiceId: 43 }, { delay: '300ms' });
    assert.equal(replay.taskId, first.taskId);
    assert.equal(replay.replayed, true);
    assert.equal(later.status, 'scheduled');
    await worker.start();
    try {
      const done = await offload.tasks.wait(first.taskId, { timeoutMs: 20_000 });
      assert.deepEqual(done.result.body, { url: '/invoices/42.pdf' });
      assert.equal(done.queue, queue);
      assert.equal(done.maxAttempts, 3);
      assert.deepEqual(done.metadata, { by: 'test' });
      assert.deepEqual((await offload.tasks.wait(later.taskId, { timeoutMs: 20_000 })).result.body, { url: '/invoices/43.pdf' });
    } finally {
      await worker.stop();
    }
    assert.deepEqual(seen, [{ queue, attempt: 1 }, { queue, attempt: 1 }]);
    assert.throws(() => offload.worker({ queues: ['other'] }).register(renderPdf), /does not lease from/);
    await assert.rejects(renderPdf.enqueue({}, { callbackUrl: 'https://example.com' }), /sets callbackUrl itself/);
  });
});

describe('a worker while the server restarts', () => {
  let own;

  before(async () => {
    own = await startOffload();
  });

  after(async () => {
    await own?.stop();
  });

  test('loses no task, and runs a task again only when it was in flight at the crash', T, async () => {
    const client = new Offload({ baseUrl: own.url, timeoutMs: 5_000 });
    const name = freshName();
    const runs = new Map();
    const worker = client.worker({ concurrency: 8, leaseFor: 10_000, waitFor: 1_000, logger }).handle(name, async (payload, task) => {
      runs.set(task.id, (runs.get(task.id) ?? 0) + 1);
      await sleep(50);
      return payload.n;
    });
    const created = await client.tasks.createBatch(Array.from({ length: 200 }, (_, n) => ({ name, payload: { n }, retries: 5 })));
    await worker.start();
    try {
      await until(() => runs.size >= 40, '40 tasks run before the crash');
      const runsBefore = runs.size;
      await own.restart();
      await until(() => runs.size > runsBefore + 20, 'work goes on after the restart', 60_000);
      for (const { taskId } of created) {
        const task = await client.tasks.wait(taskId, { timeoutMs: 60_000 });
        assert.equal(task.status, 'succeeded', `${taskId}: ${task.lastError}`);
      }
    } finally {
      await worker.stop();
    }
    assert.equal(runs.size, 200);
    const again = [...runs.values()].filter((n) => n > 1).length;
    // Only tasks the worker held at the crash may run again (at most 8), and those of one lease
    // answer the crash cut off (at most 8 more): the restarted server retries what it finds running.
    assert.ok(again <= 16, `${again} tasks ran more than once`);
  });
});
