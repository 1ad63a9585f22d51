import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Offload } from '@offload/client';
import { sleep, startOffload } from './support/offload-server.js';

const T = { timeout: 60_000 };
const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '../examples');
let server;
const children = [];

/** Starts `node <script>` as the README says, and resolves once its output matches `ready`. */
async function run(script, env, ready) {
  const child = spawn(process.execPath, [join(EXAMPLES, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { out += chunk; });
  const deadline = Date.now() + 20_000;
  while (!ready.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${script} did not start:\n${out}`);
    await sleep(50);
  }
  return { child, output: () => out, match: ready.exec(out) };
}

before(async () => {
  server = await startOffload();
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await server?.stop();
});

test('the route enqueues render-pdf and worker.js, a process of its own, renders it; SIGTERM stops the worker', T, async () => {
  const env = { OFFLOAD_URL: server.url, PORT: '0' };
  const app = await run('server.js', env, /examples on (http:\/\/[\d.]+:\d+)/);
  const worker = await run('worker.js', env, /worker \S+ runs render-pdf from queue pdf/);

  const answer = await fetch(`${app.match[1]}/api/render-pdf`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ invoiceId: 7 }),
  });
  assert.equal(answer.status, 202);
  const { taskId } = await answer.json();
  const task = await new Offload({ baseUrl: server.url }).tasks.wait(taskId, { timeoutMs: 30_000 });

  assert.equal(task.status, 'succeeded', task.lastError);
  assert.equal(task.name, 'render-pdf');
  assert.equal(task.queue, 'pdf');
  assert.deepEqual(task.result.body, { invoiceId: 7, url: '/invoices/7.pdf', pages: 3 });
  assert.deepEqual(task.progress, { step: 'rendering', attempt: 1 });
  const exited = once(worker.child, 'exit');
  worker.child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, worker.output());
  assert.match(worker.output(), /stopped/);
});
