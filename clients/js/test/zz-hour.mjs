// A 1-hour job scaled down 100x: 360 steps of 100 ms behind a 150 ms budget (as 360 x 10 s in 15 s).
import { createServer } from 'node:http';
import { steps } from '@offload/client';
const offloadUrl = process.argv[2];
const STEPS = Number(process.argv[3] ?? 360);
const runs = new Map();
const route = steps(async ({ count }, step) => {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += await step.run(`s${i}`, async () => { runs.set(i, (runs.get(i) ?? 0) + 1); await new Promise((d) => setTimeout(d, 100)); return 1; });
  }
  return { sum };
}, { budget: 150 });
const http = createServer(async (incoming, outgoing) => {
  const chunks = []; for await (const c of incoming) chunks.push(c);
  const response = await route(new Request(`http://127.0.0.1${incoming.url}`, { method: incoming.method, headers: incoming.headers, body: Buffer.concat(chunks) }));
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise((d) => http.listen(0, '127.0.0.1', d));
const started = performance.now();
const r = await fetch(`${offloadUrl}/v1/tasks`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ callbackUrl: `http://127.0.0.1:${http.address().port}/job`, payload: { count: STEPS } }) });
const { taskId } = await r.json();
let task;
do { task = await (await fetch(`${offloadUrl}/v1/tasks/${taskId}?wait=60s`)).json(); } while (!['succeeded', 'failed', 'cancelled'].includes(task.status));
const wall = performance.now() - started;
const once = [...runs.values()].every((n) => n === 1) && runs.size === STEPS;
console.log(`status=${task.status} result=${JSON.stringify(task.result.body)} calls=${task.attempts} continuations=${task.continuations} wall=${(wall / 1000).toFixed(1)}s work=${(STEPS * 0.1).toFixed(1)}s overhead/call=${((wall - STEPS * 100) / task.attempts).toFixed(1)}ms each step once=${once}`);
http.close();
