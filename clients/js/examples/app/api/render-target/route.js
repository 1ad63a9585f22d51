// Called by Offload, not by browsers: checks the signature, then does the slow work. A 2xx answer
// is stored as the task's result; a 5xx or a timeout is retried with backoff.
import { Offload, verify, WebhookVerificationError } from '@offload/client';

export const runtime = 'nodejs'; // verify uses node:crypto
const offload = new Offload();

export async function POST(request) {
  let call;
  try {
    call = await verify(request); // secrets from OFFLOAD_SIGNING_SECRETS
  } catch (error) {
    if (error instanceof WebhookVerificationError) return Response.json({ error: error.message }, { status: 401 });
    throw error;
  }
  await offload.tasks.progress(call.taskId, call.taskToken, { step: 'rendering', attempt: call.attempt });
  const pdf = await renderInvoice(call.payload.invoiceId);
  return Response.json(pdf);
}

/** Stands in for the slow part: a headless browser, a video encoder, a model call. */
async function renderInvoice(invoiceId) {
  await new Promise((done) => setTimeout(done, 200));
  return { invoiceId, url: `/invoices/${invoiceId}.pdf`, pages: 3 };
}
