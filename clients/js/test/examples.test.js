import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Offload } from '@offload/client';
import { SECRET, startOffload } from './support/offload-server.js';

const T = { timeout: 30_000 };
let server;
let examples;
let base;

/** The example route handlers, served as Next.js would call them, against the real server. */
before(async () => {
  server = await startOffload({ secrets: [SECRET] });
  process.env.OFFLOAD_URL = server.url;
  process.env.OFFLOAD_SIGNING_SECRETS = SECRET;
  const { serveExamples } = await import('../examples/server.js');
  examples = await serveExamples(0);
  base = `http://127.0.0.1:${examples.address().port}`;
});

after(async () => {
  examples?.closeAllConnections();
  examples?.close();
  await server?.stop();
});

test('the render route offloads at once, and the target route renders the invoice as a verified call', T, async () => {
  const answer = await fetch(`${base}/api/render`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ invoiceId: 42 }),
  });
  const { taskId, status } = await answer.json();

  assert.equal(answer.status, 202);
  assert.match(taskId, /^tsk_/);
  assert.ok(['queued', 'running'].includes(status), status);
  const task = await new Offload({ baseUrl: server.url }).tasks.wait(taskId, { timeoutMs: 20_000 });
  assert.equal(task.status, 'succeeded');
  assert.equal(task.callbackUrl, `${base}/api/render-target`);
  assert.deepEqual(task.result.body, { invoiceId: 42, url: '/invoices/42.pdf', pages: 3 });
  assert.deepEqual(task.progress, { step: 'rendering', attempt: 1 });
});

test('the target route refuses a call without a valid signature', T, async () => {
  const answer = await fetch(`${base}/api/render-target`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ invoiceId: 42 }),
  });

  assert.equal(answer.status, 401);
  assert.match((await answer.json()).error, /missing webhook-id/);
});

test('the CSV import route imports every chunk once over continued calls', T, async () => {
  const offload = new Offload({ baseUrl: server.url });
  const { taskId } = await offload.tasks.create({ callbackUrl: `${base}/api/import-csv`, payload: { rows: 5000 } });
  const task = await offload.tasks.wait(taskId, { timeoutMs: 25_000 });

  assert.equal(task.status, 'succeeded', JSON.stringify(task));
  assert.deepEqual(task.result.body, { imported: 5000 });
});
