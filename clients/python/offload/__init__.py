"""
The Python client of Offload: create and follow background tasks, schedules and queues, run pull
workers, and verify the signed calls Offload makes to your endpoints. Standard library only.

    from offload import Offload

    offload = Offload()  # OFFLOAD_URL (default http://127.0.0.1:8080), OFFLOAD_TOKEN
    created = offload.tasks.create(callback_url="https://app.example.com/jobs/render", payload={"invoiceId": 42})
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Union, overload

from ._transport import Transport
from .bulk_actions import BulkActions
from .define import BackgroundFunction
from .errors import FieldError, OffloadConnectionError, OffloadError, OffloadTimeoutError, WebhookVerificationError
from .queues import Queues
from .schedules import Schedules
from .tasks import Tasks
from .types import TERMINAL_STATUSES
from .verify import VerifiedCall, verify, verify_lambda
from .worker import Handler, NonRetryableError, Worker, WorkerTask

__all__ = [
    "Offload", "Worker", "WorkerTask", "BackgroundFunction", "NonRetryableError", "verify", "verify_lambda",
    "VerifiedCall", "OffloadError", "OffloadConnectionError", "OffloadTimeoutError", "WebhookVerificationError",
    "FieldError", "TERMINAL_STATUSES",
]



class Offload:
    """
    A client of one Offload server; thread-safe. ``base_url`` defaults to ``OFFLOAD_URL`` (else
    http://127.0.0.1:8080), ``token`` to ``OFFLOAD_TOKEN`` (sent as ``Authorization: Bearer``);
    ``timeout`` (seconds, default 30) bounds each request, plus the wait of a long-poll.
    """

    def __init__(self, base_url: Optional[str] = None, *, token: Optional[str] = None,
                 timeout: Optional[float] = None) -> None:
        self._transport = Transport(base_url, token, timeout)
        self.base_url = self._transport.base_url
        self.tasks = Tasks(self._transport)
        self.schedules = Schedules(self._transport)
        self.queues = Queues(self._transport)
        self.bulk_actions = BulkActions(self._transport)

    def worker(self, *, queues: Sequence[str] = (), concurrency: int = 10, lease_for: float = 60.0,
               heartbeat_every: Optional[float] = None, wait_for: float = 20.0, worker_id: Optional[str] = None,
               logger: Any = None) -> Worker:
        """
        A pull worker of this server: ``worker.handle(name, fn)`` or ``worker.register(defined)``,
        then ``worker.start()`` (or ``worker.run_until_stopped()`` in a worker process). Durations
        are seconds: ``lease_for`` 1 to 3,600 (default 60), ``heartbeat_every`` (default
        ``lease_for / 3``), ``wait_for`` the long-poll of a lease request, 0 to 60 (default 20).
        """
        return Worker(self._transport, queues=queues, concurrency=concurrency, lease_for=lease_for,
                      heartbeat_every=heartbeat_every, wait_for=wait_for, worker_id=worker_id, logger=logger)

    @overload
    def define(self, name: str, handler: Handler, **options: Any) -> BackgroundFunction: ...

    @overload
    def define(self, name: str, handler: None = None, **options: Any) -> Callable[[Handler], BackgroundFunction]: ...

    def define(self, name: str, handler: Optional[Handler] = None,
               **options: Any) -> Union[BackgroundFunction, Callable[[Handler], BackgroundFunction]]:
        """
        A background function: ``enqueue(payload, **options)`` from a route, ``worker.register(fn)``
        where it runs. ``options`` are task fields every enqueue gets (``queue``, ``retries``,
        ``timeout``, …). Without ``handler`` it is a decorator:
        ``@offload.define("render-pdf", queue="pdf")`` above ``def render_pdf(payload, task)``.
        """
        if handler is None:
            return lambda function: BackgroundFunction(self.tasks, name, function, options)
        return BackgroundFunction(self.tasks, name, handler, options)
