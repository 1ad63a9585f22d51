"""A pull worker: leases tasks of the names it handles and runs each handler on a thread of its own."""
from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import re
import signal
import socket
import threading
import time
import traceback
from typing import Any, Callable, Dict, List, Optional, Sequence, TypeVar

from ._heartbeats import Heartbeats, Lease
from ._transport import Transport, segment
from .errors import OffloadConnectionError, OffloadError

MAX_LEASE_BATCH = 100
"""The server's limits (README: Pull workers): at most 100 tasks per lease request, a wait of at most 60 s, a lease of 1 s to 1 h."""
MAX_WAIT = 60.0
MIN_LEASE = 1.0
MAX_LEASE = 3_600.0
FIRST_BACKOFF = 0.1
MAX_BACKOFF = 10.0
MAX_ERROR_CHARS = 10_000
STACK_LINES = 6
PROGRESS_WAIT = 1.0
"""How long ``task.progress`` waits for its heartbeat beyond the request timeout, in seconds."""
WORKER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}")


class NonRetryableError(Exception):
    """Raised by a handler, fails the task at once: no retry could succeed (a bad payload, a customer that is gone)."""


class WorkerTask:
    """What a handler gets besides the payload: the task it runs, its cancellation and a way to report progress."""

    def __init__(self, leased: Dict[str, Any], lease: Lease, heartbeats: Heartbeats, progress_wait: float) -> None:
        self.id: str = leased["taskId"]
        self.name: str = leased["name"]
        self.queue: str = leased.get("queue", "default")
        self.attempt: int = leased.get("attempt", 1)
        """Above 1 the task ran before: delivery is at-least-once."""
        self.payload: Any = leased.get("payload")
        self.lease_expires_at: Optional[str] = leased.get("leaseExpiresAt")
        self.task: Dict[str, Any] = leased
        """The task as leased: every field of ``tasks.get``, plus ``attempt``, ``leaseToken`` and ``leaseExpiresAt``."""
        self.cancelled: threading.Event = lease.cancelled
        """Set when the task was cancelled (seen on the next heartbeat), its lease was lost, or the worker stops past its grace."""
        self._lease = lease
        self._heartbeats = heartbeats
        self._progress_wait = progress_wait

    @property
    def cancel_reason(self) -> Optional[str]:
        """Why ``cancelled`` is set, such as ``task tsk_… was cancelled``; None while it is not."""
        return self._lease.cancel_reason

    def progress(self, value: Any) -> None:
        """
        Records ``value`` (any JSON) as the task's progress; it goes out with a heartbeat within half
        a second, and this returns once the server has it (or that heartbeat failed: progress is a
        best effort).
        """
        json.dumps(value, allow_nan=False)
        self._heartbeats.progress(self._lease, value).wait(self._progress_wait)


Handler = Callable[[Any, WorkerTask], Any]
"""``handler(payload, task)``: what it returns (JSON) becomes the task's result. It may be an ``async def``."""
H = TypeVar("H", bound=Handler)


class Worker:
    """
    Leases tasks of the names it handles (long-polling, only as many as it has free slots, so no
    task waits in a busy worker while another is idle), runs each handler with the task's payload
    on a thread of its own, renews the leases of running tasks with one heartbeat every
    ``lease_for / 3``, and completes or fails each task with what its handler returned or raised.
    A task cancelled while it runs, or whose lease was lost, sets the handler's ``task.cancelled``.
    While the server is away it tries again with a growing pause; a worker that dies stops
    renewing, and its tasks go to other workers once their leases expire.
    """

    def __init__(self, transport: Transport, *, queues: Sequence[str] = (), concurrency: int = 10,
                 lease_for: float = 60.0, heartbeat_every: Optional[float] = None, wait_for: float = 20.0,
                 worker_id: Optional[str] = None, logger: Optional[logging.Logger] = None) -> None:
        if isinstance(queues, str) or any(not isinstance(q, str) or q == "" for q in queues):
            raise ValueError(f"queues must be a list of queue names, got {queues!r}")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be a whole number >= 1, got {concurrency!r}")
        if not MIN_LEASE <= lease_for <= MAX_LEASE:
            raise ValueError(f"lease_for must be 1 to 3,600 seconds, got {lease_for!r}")
        every = lease_for / 3 if heartbeat_every is None else heartbeat_every
        if not 0 < every < lease_for:
            raise ValueError(f"heartbeat_every must be positive and below lease_for ({lease_for:g}), got {every!r}")
        if not 0 <= wait_for <= MAX_WAIT:
            raise ValueError(f"wait_for must be 0 to 60 seconds, got {wait_for!r}")
        worker_id = _default_worker_id() if worker_id is None else worker_id
        if not isinstance(worker_id, str) or not WORKER_ID.fullmatch(worker_id):
            raise ValueError("worker_id must be 1-100 letters, digits, '.', '_', ':', '@' or '-', "
                             f"starting with a letter or digit; got {worker_id!r}")
        self._transport = transport
        self._log = logger or logging.getLogger("offload.worker")
        self.worker_id = worker_id
        self.queues: List[str] = list(queues)
        self.concurrency = concurrency
        self.lease_for = float(lease_for)
        self.wait_for = float(wait_for)
        self._handlers: Dict[str, Handler] = {}
        self._running: Dict[str, Lease] = {}
        self._changed = threading.Condition()
        self._heartbeats = Heartbeats(transport, self.lease_for, every, self._running, self._changed, self._log)
        self._leasing = False
        self._started = False
        self._lease_thread: Optional[threading.Thread] = None
        self._stop_requested = threading.Event()
        self._stopped = threading.Event()

    def handle(self, name: str, handler: Optional[H] = None) -> Any:
        """
        Runs tasks named ``name`` with ``handler(payload, task)``; returns the worker. Without
        ``handler`` it is a decorator: ``@worker.handle("send-email")`` above the function.
        """
        if not isinstance(name, str) or name == "":
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if handler is None:
            def register(function: H) -> H:
                self.handle(name, function)
                return function
            return register
        if not callable(handler):
            raise TypeError(f'the handler of "{name}" must be callable')
        if self._started:
            raise RuntimeError("register handlers before start()")
        if name in self._handlers:
            raise ValueError(f'a handler for "{name}" is registered already')
        self._handlers[name] = handler
        return self

    def register(self, *functions: Any) -> Worker:
        """Runs background functions made with ``offload.define``."""
        for function in functions:
            name, handler = getattr(function, "name", None), getattr(function, "handler", None)
            if not isinstance(name, str) or not callable(handler):
                raise TypeError("register takes functions made with offload.define(name, handler, ...)")
            queue = getattr(function, "queue", None)
            if queue is not None and self.queues and queue not in self.queues:
                raise ValueError(f'"{name}" runs on queue "{queue}", which this worker does not lease from '
                                 f"(queues: {', '.join(self.queues)})")
            self.handle(name, handler)
        return self

    @property
    def running(self) -> int:
        """Tasks whose handler is running now."""
        with self._changed:
            return len(self._running)

    def start(self) -> Worker:
        """Starts leasing and running tasks in the background; returns at once."""
        if not self._handlers:
            raise RuntimeError("register at least one handler before start()")
        with self._changed:
            if self._started:
                raise RuntimeError("the worker was started already")
            self._started = True
            self._leasing = True
        self._heartbeats.start()
        self._lease_thread = threading.Thread(target=self._lease_until_stopped, name="offload-worker-lease", daemon=True)
        self._lease_thread.start()
        return self

    def stop(self, grace: float = 30.0) -> None:
        """
        Stops leasing, lets running handlers finish for up to ``grace`` seconds, then sets the
        ``cancelled`` event of the rest and releases their tasks: they are queued again at once for
        other workers and the interrupted attempt does not count against their retries. A lease
        request still waiting on the server is let run out (within ``wait_for``): the server would
        go on waiting and lease tasks to nobody, so what it brings is released at once instead.
        Returns once all that is done; a second call waits for the first.
        """
        with self._changed:
            first = self._started and self._leasing
            self._leasing = False
            self._changed.notify_all()
        self._stop_requested.set()
        if not first:
            if self._started:
                self._stopped.wait()
            return
        deadline = time.monotonic() + grace
        with self._changed:
            while self._running and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            left = [lease for lease in self._running.values() if not lease.stopped]
        for lease in left:
            self._release(lease)
        if self._lease_thread is not None:
            self._lease_thread.join(self.wait_for + self._transport.timeout + 5)
        self._heartbeats.stop()
        self._stopped.set()

    def run_until_stopped(self, grace: float = 30.0) -> None:
        """
        Starts the worker when it is not started yet and blocks until it is stopped: by ``stop()``
        from another thread, or by SIGTERM or Ctrl-C (SIGINT) when called on the main thread, which
        stop it as ``stop(grace)`` does. The way to run a worker process's main thread.
        """
        if not self._started:
            self.start()
        previous: Dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGTERM, signal.SIGINT):
                previous[number] = signal.signal(number, lambda *_: self._stop_requested.set())
        try:
            while not self._stop_requested.wait(1.0):
                pass
            self.stop(grace)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _lease_until_stopped(self) -> None:
        names = list(self._handlers)
        backoff = FIRST_BACKOFF
        while True:
            with self._changed:
                while self._leasing and len(self._running) >= self.concurrency:
                    self._changed.wait()
                if not self._leasing:
                    return
                free = min(MAX_LEASE_BATCH, self.concurrency - len(self._running))
            sent_at = time.monotonic()
            try:
                answer = self._transport.request("POST", "/v1/workers/lease", body={
                    "workerId": self.worker_id, "queues": self.queues, "names": names, "max": free,
                    "wait": f"{round(self.wait_for * 1000)}ms", "leaseFor": f"{round(self.lease_for * 1000)}ms",
                }, extra_timeout=self.wait_for)
                leased = [(task, Lease(task["taskId"], task["leaseToken"], sent_at + self.lease_for))
                          for task in answer.body["tasks"]]
            except Exception as error:  # noqa: BLE001 - the loop must survive anything, or the worker would idle for good
                if not self._leasing:
                    return
                self._log.warning("offload worker %s: cannot lease tasks, trying again in %gs: %s",
                                  self.worker_id, backoff, error)
                self._stop_requested.wait(backoff)
                backoff = min(MAX_BACKOFF, backoff * 2)
                continue
            backoff = FIRST_BACKOFF
            with self._changed:
                leasing = self._leasing
                if leasing:
                    for task, lease in leased:
                        self._running[lease.task_id] = lease
            if not leasing:
                for _, lease in leased:
                    self._release(lease)
                return
            for task, lease in leased:
                threading.Thread(target=self._run, args=(task, lease), name=f"offload-task-{lease.task_id}",
                                 daemon=True).start()

    def _run(self, leased: Dict[str, Any], lease: Lease) -> None:
        try:
            self._settle(leased, lease)
        except Exception:  # noqa: BLE001 - one task's trouble must not stop the worker
            self._log.exception("offload worker %s: task %s", self.worker_id, lease.task_id)
        finally:
            with self._changed:
                if self._running.get(lease.task_id) is lease:
                    del self._running[lease.task_id]
                self._changed.notify_all()

    def _settle(self, leased: Dict[str, Any], lease: Lease) -> None:
        handler = self._handlers[leased["name"]]
        task = WorkerTask(leased, lease, self._heartbeats, PROGRESS_WAIT + self._transport.timeout)
        action, body = "complete", {"leaseToken": lease.lease_token}
        try:
            result = handler(task.payload, task)
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
        except NonRetryableError as error:
            action, body = "fail", {**body, "error": describe(error), "retryable": False}
        except Exception as error:  # noqa: BLE001 - any other error fails the attempt, retried with the backoff
            action, body = "fail", {**body, "error": describe(error), "retryable": True}
        else:
            try:
                json.dumps(result, allow_nan=False)
                body["result"] = result
            except (TypeError, ValueError) as error:
                action, body = "fail", {**body, "error": f"the result is not JSON: {describe(error)}", "retryable": False}
        if lease.stopped:
            return
        try:
            self._report(lease, action, body)
        except OffloadError as error:
            if action != "complete" or error.status != 413:
                raise
            self._report(lease, "fail", {"leaseToken": lease.lease_token, "retryable": False,
                                         "error": f"the result is too large to keep: {error}"})

    def _report(self, lease: Lease, action: str, body: Dict[str, Any]) -> None:
        """
        Sends what came of a task; while the server cannot be reached or answers 5xx it tries again
        until the lease would have run out (then the task is another worker's). A refusal means the
        task is not ours any more (cancelled, or the lease was lost): nothing to do. Raises a 413 so
        a too-large result can fail the task.
        """
        path = f"/v1/tasks/{segment(lease.task_id, 'task_id')}/{action}"
        pause = 0.2
        while True:
            try:
                self._transport.request("POST", path, body=body)
                return
            except OffloadError as error:
                if error.status == 413:
                    raise
                if error.status < 500:
                    self._log.info("offload worker %s: task %s was not ours to %s any more: %s",
                                   self.worker_id, lease.task_id, action, error)
                    return
                failure: Exception = error
            except OffloadConnectionError as error:
                failure = error
            if lease.stopped or time.monotonic() + pause > lease.deadline:
                self._log.warning("offload worker %s: gave up reporting task %s: %s", self.worker_id, lease.task_id, failure)
                return
            self._log.warning("offload worker %s: cannot %s task %s, trying again in %gs: %s",
                              self.worker_id, action, lease.task_id, pause, failure)
            time.sleep(pause)
            pause = min(5.0, pause * 2)

    def _release(self, lease: Lease) -> None:
        """Gives a task up while stopping: its ``cancelled`` is set and the server queues it again for another worker."""
        lease.stop(f"the worker stopped before task {lease.task_id} finished")
        try:
            self._transport.request("POST", f"/v1/tasks/{segment(lease.task_id, 'task_id')}/release",
                                    body={"leaseToken": lease.lease_token})
        except (OffloadError, OffloadConnectionError) as error:
            self._log.warning("offload worker %s: could not release task %s (it runs again when its lease expires): %s",
                              self.worker_id, lease.task_id, error)


def describe(error: BaseException) -> str:
    """What a failed attempt records: the error's type and message, and the frames nearest to where it was raised."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename != __file__][-STACK_LINES:]
    lines = [f"{type(error).__name__}: {error}"]
    lines += [f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}' for frame in frames]
    return "\n".join(lines).replace("\0", "")[:MAX_ERROR_CHARS]


def _default_worker_id() -> str:
    host = os.environ.get("HOSTNAME") or socket.gethostname() or "worker"
    host = re.sub(r"^[^A-Za-z0-9]+", "", re.sub(r"[^A-Za-z0-9._:@-]", "-", host))
    return f"{(host or 'worker')[:80]}-{os.getpid()}"

