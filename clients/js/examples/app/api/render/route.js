// POST /api/render {"invoiceId": 42} answers 202 {"taskId": "tsk_…"} in milliseconds; Offload then
// calls /api/render-target, which may take as long as the PDF takes, retried if it fails.
import { Offload } from '@offload/client';

const offload = new Offload(); // OFFLOAD_URL (default http://127.0.0.1:8080), OFFLOAD_TOKEN
// Behind a proxy request.url may be an internal address: APP_URL names the one Offload can reach.

export async function POST(request) {
  const { invoiceId } = await request.json();
  const { taskId, status } = await offload.tasks.create({
    callbackUrl: new URL('/api/render-target', process.env.APP_URL ?? request.url).href,
    payload: { invoiceId },
    retries: 3,
    backoff: 'exponential',
    timeout: '15m',
  });
  return Response.json({ taskId, status }, { status: 202 });
}
