# The web app: uvicorn app:app (OFFLOAD_URL, OFFLOAD_TOKEN; OFFLOAD_SIGNING_SECRETS for /api/render-target).
import asyncio

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from jobs import offload, render_invoice, render_pdf
from offload import WebhookVerificationError, verify

app = FastAPI()


class Invoice(BaseModel):
    invoiceId: int


@app.post("/api/render-pdf", status_code=202)
def enqueue_pdf(invoice: Invoice) -> dict:
    """Offloads to a worker (worker.py) and answers at once; a plain def, so FastAPI runs it on its thread pool."""
    created = render_pdf.enqueue({"invoiceId": invoice.invoiceId}, idempotency_key=f"invoice-{invoice.invoiceId}")
    return {"taskId": created["taskId"], "status": created["status"]}


@app.post("/api/render", status_code=202)
def offload_render(invoice: Invoice, request: Request) -> dict:
    """Offloads to an endpoint of this app (a push task): Offload calls /api/render-target, retrying as told."""
    created = offload.tasks.create(callback_url=str(request.url_for("render_target")),
                                   payload={"invoiceId": invoice.invoiceId}, retries=3, backoff="exponential")
    return {"taskId": created["taskId"], "status": created["status"]}


@app.post("/api/render-target")
async def render_target(request: Request):
    """What Offload calls, for as long as the work takes; it checks the signature first."""
    try:
        call = verify(request.headers, await request.body())  # secrets from OFFLOAD_SIGNING_SECRETS
    except WebhookVerificationError as error:
        return JSONResponse({"error": str(error)}, status_code=401)
    # The client blocks, so an async route hands its calls to a thread.
    await asyncio.to_thread(offload.tasks.progress, call.task_id, call.task_token, {"step": "rendering", "attempt": call.attempt})
    invoice_id = call.payload["invoiceId"]
    pages = await asyncio.to_thread(render_invoice, invoice_id)
    return {"invoiceId": invoice_id, "url": f"/invoices/{invoice_id}.pdf", "pages": pages}  # 2xx: the task's result
