// The peer's intake: Offload's create API over HTTP (POST /v1/tasks, POST /v1/tasks/batch, the same
// bodies), each task added as a BullMQ job, so the bench's load client drives both the same way.
// GET /state reports the jobs not yet finished, the workers, and redis-server's pid (for its CPU).
// On SIGTERM it removes the run's queue from Redis and exits.
const http = require('node:http');
const { Queue } = require('bullmq');
const Redis = require('ioredis');
const { connection, queueName } = require('./settings.js');

// As Offload's defaults: a failed call is tried again with a growing delay; finished jobs are kept.
const queue = new Queue(queueName, { connection, defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1000 } } });

function job(task) {
  if (task === null || typeof task !== 'object' || typeof task.callbackUrl !== 'string') {
    throw new BadRequest('a task needs a callbackUrl');
  }
  return { name: 'call', data: { url: task.callbackUrl, payload: task.payload ?? null } };
}

class BadRequest extends Error {}

async function create(body) {
  const { name, data } = job(body);
  const added = await queue.add(name, data);
  return { taskId: added.id };
}

async function createBatch(body) {
  if (!Array.isArray(body?.tasks)) throw new BadRequest('a batch needs tasks');
  const added = await queue.addBulk(body.tasks.map(job));
  return { taskIds: added.map((j) => j.id) };
}

async function state() {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed');
  const unfinished = counts.waiting + counts.active + counts.delayed + counts.prioritized + counts['waiting-children'];
  const workers = (await queue.getWorkers()).length;
  return { unfinished, failed: counts.failed, completed: counts.completed, workers, redisPid: await redisPid() };
}

let pid;
async function redisPid() {
  if (pid === undefined) {
    const redis = new Redis(connection);
    try {
      pid = Number(/^process_id:(\d+)/m.exec(await redis.info('server'))[1]);
    } finally {
      redis.disconnect();
    }
  }
  return pid;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(new BadRequest(`the body is not JSON: ${e.message}`));
      }
    });
    req.on('error', reject);
  });
}

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const routes = {
  'POST /v1/tasks': async (req) => [202, await create(await readJson(req))],
  'POST /v1/tasks/batch': async (req) => [202, await createBatch(await readJson(req))],
  'GET /state': async () => [200, await state()],
};

const server = http.createServer(async (req, res) => {
  const route = routes[`${req.method} ${req.url}`];
  if (!route) return answer(res, 404, { title: 'no such route' });
  try {
    const [status, body] = await route(req);
    answer(res, status, body);
  } catch (e) {
    answer(res, e instanceof BadRequest ? 400 : 500, { title: e.message });
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');

process.on('SIGTERM', async () => {
  server.close();
  await queue.obliterate({ force: true });
  await queue.close();
  process.exit(0);
});
