import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { Offload, verify, WebhookVerificationError } from '@offload/client';
import { OLD_SECRET, SECRET, startOffload } from './support/offload-server.js';
import { startTarget } from './support/target.js';

const T = { timeout: 30_000 };
const WRONG_SECRET = `whsec_${Buffer.from('a-secret-offload-never-signs-with').toString('base64')}`;
let server;
let target;
let dispatch;
let webhook;

/** One real task, run and reported by the real server: its signed call and its signed webhook. */
before(async () => {
  server = await startOffload({ secrets: [SECRET, OLD_SECRET] });
  target = await startTarget();
  const offload = new Offload({ baseUrl: server.url });
  const { taskId } = await offload.tasks.create({
    callbackUrl: target.url('/render'), payload: { invoice: 42, note: 'grüße' }, webhookUrl: target.url('/done'),
  });
  dispatch = await target.callTo('/render', (c) => c.headers['offload-task-id'] === taskId);
  webhook = await target.callTo('/done', (c) => c.headers['offload-task-id'] === taskId);
});

after(async () => {
  await target?.close();
  await server?.stop();
});

const asRequest = (call, body = call.rawBody) => new Request(`http://target${call.path}`, { method: 'POST', headers: call.headers, body });
const timestampOf = (call) => Number(call.headers['webhook-timestamp']) * 1000;

describe('verify', () => {
  test('accepts the server\'s signed call as a web Request and reads the payload and the task headers', T, async () => {
    const verified = await verify(asRequest(dispatch), SECRET);

    const taskId = dispatch.headers['offload-task-id'];
    assert.deepEqual(verified.payload, { invoice: 42, note: 'grüße' });
    assert.equal(verified.body, dispatch.body);
    assert.equal(verified.taskId, taskId);
    assert.equal(verified.attempt, 1);
    assert.equal(verified.queue, 'default');
    assert.equal(verified.taskToken, dispatch.headers['offload-task-token']);
    assert.equal(verified.webhookId, `${taskId}_1`);
    assert.equal(verified.timestamp.getTime(), timestampOf(dispatch));
  });

  test('accepts the same call as {headers, body} with a text, bytes or base64 (Lambda) body', T, async () => {
    for (const form of [
      { headers: dispatch.headers, body: dispatch.body },
      { headers: dispatch.headers, body: new Uint8Array(dispatch.rawBody) },
      { headers: dispatch.headers, body: dispatch.rawBody.toString('base64'), isBase64Encoded: true },
    ]) {
      assert.deepEqual((await verify(form, [SECRET])).payload, { invoice: 42, note: 'grüße' });
    }
  });

  test('accepts the server\'s signed webhook and reads the finished task from it', T, async () => {
    const verified = await verify(asRequest(webhook), SECRET);

    assert.equal(verified.event, 'task.succeeded');
    assert.equal(verified.taskId, dispatch.headers['offload-task-id']);
    assert.equal(verified.payload.taskId, verified.taskId);
    assert.equal(verified.payload.status, 'succeeded');
    assert.deepEqual(verified.payload.result.body, { ok: true });
  });

  test('accepts any current secret during a rotation, and reads OFFLOAD_SIGNING_SECRETS when none is given', T, async () => {
    assert.ok(await verify({ headers: dispatch.headers, body: dispatch.body }, [OLD_SECRET]));
    assert.ok(await verify({ headers: dispatch.headers, body: dispatch.body }, `${WRONG_SECRET}, ${SECRET}`));
    process.env.OFFLOAD_SIGNING_SECRETS = OLD_SECRET;
    try {
      assert.equal((await verify({ headers: dispatch.headers, body: dispatch.body })).taskId, dispatch.headers['offload-task-id']);
    } finally {
      delete process.env.OFFLOAD_SIGNING_SECRETS;
    }
  });

  test('reads the body of a Node IncomingMessage itself', T, async () => {
    const results = [];
    const receiver = createServer(async (request, response) => {
      results.push(await verify(request, SECRET).catch((e) => e));
      response.writeHead(200).end();
    });
    await new Promise((done) => receiver.listen(0, '127.0.0.1', done));
    try {
      const offload = new Offload({ baseUrl: server.url });
      const { taskId } = await offload.tasks.create({ callbackUrl: `http://127.0.0.1:${receiver.address().port}/node`, payload: [1, 2] });

      assert.equal((await offload.tasks.wait(taskId, { timeoutMs: 20_000 })).status, 'succeeded');
      assert.equal(results.length, 1);
      assert.deepEqual(results[0].payload, [1, 2]);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  test('rejects a changed body', T, async () => {
    const changed = dispatch.body.replace('42', '43');

    await assert.rejects(verify(asRequest(dispatch, changed), SECRET), WebhookVerificationError);
    await assert.rejects(verify({ headers: dispatch.headers, body: changed }, SECRET), /no signature of webhook tsk_\w+_1 matches the 1 secret/);
  });

  test('rejects a secret the server does not sign with', T, async () => {
    await assert.rejects(verify(asRequest(dispatch), WRONG_SECRET), WebhookVerificationError);
  });

  test('rejects a timestamp older or newer than the tolerance', T, async () => {
    const sentAt = timestampOf(dispatch);
    const call = { headers: dispatch.headers, body: dispatch.body };

    await assert.rejects(verify(call, SECRET, { now: sentAt + 301_000 }), /webhook-timestamp is 301s old, more than the 300s tolerated/);
    await assert.rejects(verify(call, SECRET, { now: sentAt - 301_000 }), /301s in the future/);
    await assert.rejects(verify(call, SECRET, { now: sentAt + 61_000, toleranceSeconds: 60 }), /61s old/);
    assert.ok(await verify(call, SECRET, { now: sentAt + 299_000 }));
  });

  test('rejects a request without the signature headers', T, async () => {
    const { 'webhook-signature': _, ...unsigned } = dispatch.headers;

    await assert.rejects(verify({ headers: unsigned, body: dispatch.body }, SECRET), /missing webhook-id, webhook-timestamp or webhook-signature/);
  });

  test('refuses a parsed body, since the signature covers the exact bytes', T, async () => {
    await assert.rejects(verify({ headers: dispatch.headers, body: JSON.parse(dispatch.body) }, SECRET), /raw body/);
  });
});

describe('the standardwebhooks package', () => {
  test('accepts the server\'s signatures on a real call and webhook, with either secret of a rotation', T, () => {
    for (const secret of [SECRET, OLD_SECRET]) {
      assert.deepEqual(new Webhook(secret).verify(dispatch.body, dispatch.headers), { invoice: 42, note: 'grüße' });
      assert.equal(new Webhook(secret).verify(webhook.body, webhook.headers).status, 'succeeded');
    }
    assert.throws(() => new Webhook(WRONG_SECRET).verify(dispatch.body, dispatch.headers), /No matching signature/);
  });
});
