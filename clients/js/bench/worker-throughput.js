// Tasks per second of one Node worker and of one Java worker, both at the same concurrency on no-op
// handlers, against one server started from the jar (build it first: ./build -q -DskipTests package).
//   node clients/js/bench/worker-throughput.js [tasks per round, default 3000] [concurrency, default 64] [rounds, default 2]
// Each round creates the tasks of a fresh queue due a while later, starts the worker (which waits
// in its long-poll) and times from the moment they are due until every one succeeded, as the
// server counts them. Node and Java rounds alternate.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Offload } from '@offload/client';
import { javaBinary, sleep, startOffload } from '../test/support/offload-server.js';

const [tasks = 3_000, concurrency = 64, rounds = 2] = process.argv.slice(2).map(Number);
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const server = await startOffload();
const offload = new Offload({ baseUrl: server.url });
/** Time to create the tasks and start the worker before the tasks are due. */
const LEAD_MS = 30_000;
const quiet = { warn: console.warn, info() {}, error: console.error };

async function round(kind, n) {
  const name = `${kind}-noop-${n}`;
  const dueAt = Date.now() + LEAD_MS;
  for (let from = 0; from < tasks; from += 1_000) {
    await offload.tasks.createBatch(Array.from({ length: Math.min(1_000, tasks - from) }, () => ({
      name, queue: name, payload: null, runAt: new Date(dueAt),
    })));
  }
  const stop = kind === 'node' ? await nodeWorker(name) : await javaWorker(name);
  if (Date.now() >= dueAt) throw new Error(`creating the tasks and starting the worker took longer than ${LEAD_MS}ms`);
  await sleep(dueAt - Date.now());
  const started = performance.now();
  while ((await offload.queues.get(name)).counts.succeeded < tasks) await sleep(200);
  const seconds = (performance.now() - started) / 1000;
  await stop();
  return tasks / seconds;
}

async function nodeWorker(name) {
  const worker = offload.worker({ concurrency, waitFor: 1_000, logger: quiet }).handle(name, async () => null);
  await worker.start();
  return () => worker.stop();
}

async function javaWorker(name) {
  const classpath = [join(ROOT, 'offload-server/target/offload.jar'), join(ROOT, 'offload-client/target/offload-client-0.1.0-SNAPSHOT.jar')].join(':');
  const child = spawn(javaBinary(), ['-cp', classpath, join(HERE, 'JavaWorker.java'), server.url, name, String(concurrency)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  while (!out.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`the Java worker exited with ${child.exitCode}`);
    await sleep(50);
  }
  return async () => {
    const exited = new Promise((done) => child.once('exit', done));
    child.stdin.end();
    await exited;
  };
}

try {
  const rates = { node: [], java: [] };
  for (let n = 1; n <= rounds; n++) {
    for (const kind of ['node', 'java']) {
      const rate = await round(kind, n);
      rates[kind].push(rate);
      console.log(`round ${n}: ${kind} worker, ${tasks} no-op tasks at concurrency ${concurrency}: ${rate.toFixed(0)} tasks/s`);
    }
  }
  const best = (list) => Math.max(...list);
  console.log(`best: node ${best(rates.node).toFixed(0)} tasks/s, java ${best(rates.java).toFixed(0)} tasks/s, node/java ${(best(rates.node) / best(rates.java)).toFixed(2)}`);
} finally {
  await server.stop();
}
