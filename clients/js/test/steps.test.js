import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { CallbackTimeoutError, Offload, steps } from '@offload/client';
import { SECRET, startOffload } from './support/offload-server.js';

const T = { timeout: 60_000 };
let server;
let offload;
let app;
const routes = new Map();

/** Serves web-standard route handlers `(Request) => Response` the way a platform does. */
async function serveRoutes() {
  const http = createServer(async (incoming, outgoing) => {
    const chunks = [];
    for await (const chunk of incoming) chunks.push(chunk);
    const request = new Request(`http://127.0.0.1${incoming.url}`, {
      method: incoming.method, headers: incoming.headers, body: incoming.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    const response = await routes.get(incoming.url)(request);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((done) => http.listen(0, '127.0.0.1', done));
  return http;
}

before(async () => {
  server = await startOffload({ secrets: [SECRET] });
  offload = new Offload({ baseUrl: server.url });
  app = await serveRoutes();
});

after(async () => {
  app?.closeAllConnections();
  app?.close();
  await server?.stop();
});

const url = (path) => `http://127.0.0.1:${app.address().port}${path}`;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

test('steps that take 10x the budget finish over many calls, each step run exactly once', T, async () => {
  const runs = new Map();
  routes.set('/import', steps(async (payload, step) => {
    let total = 0;
    for (let i = 0; i < payload.chunks; i++) {
      total += await step.run(`chunk-${i}`, async () => {
        runs.set(i, (runs.get(i) ?? 0) + 1);
        await sleep(50);
        return i;
      });
    }
    return { total };
  }, { budget: 100, secret: SECRET }));

  const { taskId } = await offload.tasks.create({ callbackUrl: url('/import'), payload: { chunks: 20 } });
  const task = await offload.tasks.wait(taskId, { timeoutMs: 40_000 });

  assert.equal(task.status, 'succeeded', JSON.stringify(task));
  assert.deepEqual(task.result.body, { total: 190 });
  assert.deepEqual([...runs.values()], new Array(20).fill(1));
  assert.ok(task.continuations >= 5, `continuations: ${task.continuations}`);
});

test('sleep and waitForCallback resume the handler where it stopped', T, async () => {
  let callbackUrl;
  let firstRuns = 0;
  routes.set('/approve', steps(async (payload, step) => {
    const first = await step.run('first', async () => { firstRuns += 1; return payload.n * 2; });
    await step.sleep('nap', '200ms');
    const approval = await step.waitForCallback('approval', { timeout: '1m' }, async (urlToPost) => { callbackUrl = urlToPost; });
    return { first, approval };
  }));

  const { taskId } = await offload.tasks.create({ callbackUrl: url('/approve'), payload: { n: 21 } });
  for (let i = 0; i < 200 && (await offload.tasks.get(taskId)).status !== 'waiting'; i++) await sleep(50);
  const posted = await fetch(callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"approved":true}' });
  const task = await offload.tasks.wait(taskId, { timeoutMs: 20_000 });

  assert.equal(posted.status, 202);
  assert.equal(task.status, 'succeeded', JSON.stringify(task));
  assert.deepEqual(task.result.body, { first: 42, approval: { approved: true } });
  assert.equal(firstRuns, 1);
});

test('a callback that never comes throws CallbackTimeoutError in the handler', T, async () => {
  routes.set('/late', steps(async (payload, step) => {
    try {
      await step.waitForCallback('reply', { timeout: '300ms' });
      return { replied: true };
    } catch (error) {
      if (error instanceof CallbackTimeoutError) return { replied: false };
      throw error;
    }
  }));

  const { taskId } = await offload.tasks.create({ callbackUrl: url('/late') });
  const task = await offload.tasks.wait(taskId, { timeoutMs: 20_000 });

  assert.deepEqual(task.result.body, { replied: false });
});

test('an error in a step fails the call, and the retry replays the steps that finished before it', T, async () => {
  let before = 0;
  let flaky = 0;
  routes.set('/flaky', steps(async (payload, step) => {
    await step.run('before', async () => { before += 1; });
    await step.sleep('pause', 0);
    return step.run('flaky', async () => {
      flaky += 1;
      if (flaky === 1) throw new Error('the upstream API hiccuped');
      return 'ok';
    });
  }));

  const { taskId } = await offload.tasks.create({
    callbackUrl: url('/flaky'), retries: 2, backoff: { type: 'fixed', initial: '50ms', jitter: false },
  });
  const task = await offload.tasks.wait(taskId, { timeoutMs: 20_000 });

  assert.equal(task.status, 'succeeded', JSON.stringify(task));
  assert.equal(task.result.body, 'ok');
  assert.equal(before, 1);
  assert.equal(flaky, 2);
});

test('a call with a wrong signature is refused when a secret is given', T, async () => {
  const route = steps(async () => 'never', { secret: 'whsec_' + Buffer.from('another-secret-of-32-bytes-long!').toString('base64') });
  const answer = await route(new Request('http://x/', { method: 'POST', body: '{}', headers: { 'webhook-id': 'a', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' } }));
  assert.equal(answer.status, 403);
});
