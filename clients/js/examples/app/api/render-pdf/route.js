// POST /api/render-pdf {"invoiceId": 42} answers 202 {"taskId": "tsk_…"} at once; a worker
// (examples/worker.js, running anywhere) renders the PDF, retried if it fails.
import { renderPdf } from '../../../functions/render-pdf.js';

export async function POST(request) {
  const { invoiceId } = await request.json();
  const { taskId, status } = await renderPdf.enqueue({ invoiceId }, { idempotencyKey: `invoice-${invoiceId}` });
  return Response.json({ taskId, status }, { status: 202 });
}
