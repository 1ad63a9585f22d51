// Runs the background functions: node examples/worker.js (OFFLOAD_URL, OFFLOAD_TOKEN as for the route).
// On SIGTERM or Ctrl-C it stops leasing, lets running tasks finish for 30 s, and hands the rest back.
import { offload, renderPdf } from './functions/render-pdf.js';

const worker = offload.worker({ queues: ['pdf'], concurrency: 8 }).register(renderPdf);
await worker.start();
console.log(`worker ${worker.workerId} runs ${renderPdf.name} from queue ${renderPdf.queue}`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await worker.stop({ graceMs: 30_000 });
    console.log(`worker ${worker.workerId} stopped`);
    process.exit(0);
  });
}
