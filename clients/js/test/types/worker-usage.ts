// Compiled by `tsc -p test/types` (never run): the worker and background-function types as a user writes them.
import { NonRetryableError, Offload } from '@offload/client';
import type { BackgroundFunction, CreatedTask, WorkerTask } from '@offload/client';

const offload = new Offload();

export const renderPdf: BackgroundFunction<{ invoiceId: number }, { url: string }> = offload.define(
  'render-pdf',
  async (payload: { invoiceId: number }, task: WorkerTask) => {
    await task.progress({ step: 'rendering' });
    const response = await fetch(`https://pdf.example.com/${payload.invoiceId}`, { signal: task.signal });
    if (response.status === 404) throw new NonRetryableError(`no invoice ${payload.invoiceId}`);
    return { url: `/invoices/${payload.invoiceId}.pdf` };
  },
  { queue: 'pdf', retries: 5, timeout: '10m' },
);

export async function route(): Promise<CreatedTask> {
  return renderPdf.enqueue({ invoiceId: 42 }, { delay: '30s', idempotencyKey: 'invoice-42', metadata: { by: 'route' }, wait: 5 });
}

export async function runWorker(): Promise<void> {
  const worker = offload.worker({ queues: ['pdf'], concurrency: 8, leaseFor: 60_000 })
    .register(renderPdf)
    .handle<{ to: string }, void>('send-email', async (payload, task) => {
      console.log(payload.to, task.id, task.attempt, task.name, task.queue, task.signal.aborted, task.task.metadata);
    });
  await worker.start();
  console.log(worker.running, worker.workerId);
  await worker.stop({ graceMs: 10_000 });
}
