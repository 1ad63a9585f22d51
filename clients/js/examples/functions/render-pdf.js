// One definition shared by the route that enqueues it and the worker that runs it.
import { NonRetryableError, Offload } from '@offload/client';

export const offload = new Offload(); // OFFLOAD_URL (default http://127.0.0.1:8080), OFFLOAD_TOKEN

export const renderPdf = offload.define('render-pdf', async ({ invoiceId }, task) => {
  if (!Number.isInteger(invoiceId)) throw new NonRetryableError(`invoiceId must be a whole number, got ${invoiceId}`);
  await task.progress({ step: 'rendering', attempt: task.attempt });
  const pages = await renderInvoice(invoiceId, task.signal); // as long as it takes: no function time limit here
  return { invoiceId, url: `/invoices/${invoiceId}.pdf`, pages };
}, { queue: 'pdf', retries: 5, timeout: '1h' });

/** Stands in for the slow part (a headless browser, a video encoder, a model call); stops when the task is cancelled. */
async function renderInvoice(invoiceId, signal) {
  await new Promise((done, fail) => {
    const timer = setTimeout(done, 300);
    signal.addEventListener('abort', () => { clearTimeout(timer); fail(signal.reason); });
  });
  return 3;
}
