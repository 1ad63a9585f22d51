# One definition shared by the route that enqueues it and the worker that runs it.
import threading
from typing import Optional

from offload import NonRetryableError, Offload, WorkerTask

offload = Offload()  # OFFLOAD_URL (default http://127.0.0.1:8080), OFFLOAD_TOKEN


@offload.define("render-pdf", queue="pdf", retries=5, timeout="1h")
def render_pdf(payload: dict, task: WorkerTask) -> dict:
    invoice_id = payload.get("invoiceId")
    if not isinstance(invoice_id, int):
        raise NonRetryableError(f"invoiceId must be a whole number, got {invoice_id!r}")  # fails at once
    task.progress({"step": "rendering", "attempt": task.attempt})
    pages = render_invoice(invoice_id, task.cancelled)  # as long as it takes: no request time limit here
    return {"invoiceId": invoice_id, "url": f"/invoices/{invoice_id}.pdf", "pages": pages}  # the task's result


def render_invoice(invoice_id: int, cancelled: Optional[threading.Event] = None) -> int:
    """Stands in for the slow part (a headless browser, a video encoder, a model call); stops when the task is cancelled."""
    if (cancelled or threading.Event()).wait(0.3):
        raise RuntimeError(f"rendering invoice {invoice_id} was cancelled")
    return 3
