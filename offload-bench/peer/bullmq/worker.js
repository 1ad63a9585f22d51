// The peer's dispatch: one BullMQ worker that POSTs each job's payload to its target over keep-alive
// connections, CONCURRENCY jobs at once. A non-2xx answer fails the attempt, so BullMQ retries it.
// The Offload-Task-Id header names the job, as Offload names its task: the bench's sink counts
// distinct tasks by it. On SIGTERM it finishes the jobs in hand and exits.
const http = require('node:http');
const { Worker } = require('bullmq');
const { connection, queueName } = require('./settings.js');

const concurrency = Number(process.env.CONCURRENCY);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function call(url, id, payload) {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'offload-task-id': `bullmq-${id}` },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const worker = new Worker(queueName, (job) => call(job.data.url, job.id, job.data.payload), { connection, concurrency });
worker.on('error', (e) => console.error('worker:', e.message));

process.on('SIGTERM', async () => {
  await worker.close();
  process.exit(0);
});
