// A worker in a process of its own, for tests that kill it: node worker-process.js <baseUrl> <name> <workerId>.
// Its handler prints "started <taskId>" and then runs until the process dies.
import { Offload } from '@offload/client';

const [baseUrl, name, workerId] = process.argv.slice(2);
const worker = new Offload({ baseUrl }).worker({ workerId, leaseFor: 2_000, concurrency: 1, logger: console });
worker.handle(name, async (payload, task) => {
  console.log(`started ${task.id}`);
  await new Promise(() => {});
});
await worker.start();
