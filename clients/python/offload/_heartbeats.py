"""The heartbeats of one worker: one request renews every running task's lease and carries their progress."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Dict, List, Optional

from ._transport import Transport

PROGRESS_DELAY = 0.5
"""Progress reported by handlers goes out this soon (seconds), in one heartbeat with every other task's."""
MAX_LEASES = 1_000
"""The server's limit of leases per heartbeat request."""


class Lease:
    """What the worker holds of one leased task while its handler runs."""

    def __init__(self, task_id: str, lease_token: str, deadline: float) -> None:
        self.task_id = task_id
        self.lease_token = lease_token
        self.deadline = deadline
        """When the lease runs out without a heartbeat, on ``time.monotonic()``: then the task is another worker's."""
        self.stopped = False
        """Cancelled, lost, or released: the worker reports nothing more about it."""
        self.cancelled = threading.Event()
        self.cancel_reason: Optional[str] = None
        self.progress: Any = None
        self.progress_pending = False
        self.progress_sent: List[threading.Event] = []

    def stop(self, reason: str) -> None:
        self.stopped = True
        self.cancel_reason = reason
        self.cancelled.set()


class Heartbeats:
    """
    Every ``every`` seconds, one ``POST /v1/workers/heartbeat`` renews the leases of all running
    tasks and carries the progress they reported since. A task the server says was cancelled, is no
    longer this worker's, or is gone is stopped: its ``cancelled`` event is set and it reports
    nothing more. A heartbeat that gets no answer is tried again at the next beat; the lease lasts
    ``lease_for``, so a server away for less than two thirds of it loses nothing.
    """

    def __init__(self, transport: Transport, lease_for: float, every: float, running: Dict[str, Lease],
                 lock: threading.Condition, log: logging.Logger) -> None:
        self._transport = transport
        self._lease_for = lease_for
        self._every = every
        self._running = running
        self._lock = lock
        self._log = log
        self._wake = threading.Condition()
        self._due = 0.0
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="offload-worker-heartbeat", daemon=True)

    def start(self) -> None:
        self._due = time.monotonic() + self._every
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        with self._lock:
            for lease in self._running.values():
                _set_all(lease)

    def progress(self, lease: Lease, value: Any) -> threading.Event:
        """Records ``value`` as the task's progress; the event is set once a heartbeat carried it (or failed)."""
        sent = threading.Event()
        with self._lock:
            lease.progress = value
            lease.progress_pending = True
            lease.progress_sent.append(sent)
        with self._wake:
            if self._stopped:
                sent.set()
            self._due = min(self._due, time.monotonic() + PROGRESS_DELAY)
            self._wake.notify_all()
        return sent

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and time.monotonic() < self._due:
                    self._wake.wait(self._due - time.monotonic())
                if self._stopped:
                    return
                self._due = time.monotonic() + self._every
            try:
                self._beat()
            except Exception:  # noqa: BLE001 - the loop must survive anything, or every lease would expire
                self._log.exception("offload worker: heartbeat failed")

    def _beat(self) -> None:
        with self._lock:
            leases = [lease for lease in self._running.values() if not lease.stopped]
        for start in range(0, len(leases), MAX_LEASES):
            self._send(leases[start:start + MAX_LEASES])

    def _send(self, leases: List[Lease]) -> None:
        with self._lock:
            waiting = [event for lease in leases for event in lease.progress_sent]
            wire = []
            for lease in leases:
                lease.progress_sent = []
                entry: Dict[str, Any] = {"taskId": lease.task_id, "leaseToken": lease.lease_token}
                if lease.progress_pending:
                    entry["progress"] = lease.progress
                    lease.progress_pending = False
                wire.append(entry)
        sent_at = time.monotonic()
        try:
            answer = self._transport.request("POST", "/v1/workers/heartbeat",
                                             body={"leases": wire, "leaseFor": f"{round(self._lease_for * 1000)}ms"})
        except Exception as error:  # noqa: BLE001 - any failure: the next beat tries again
            with self._lock:
                for lease, entry in zip(leases, wire):
                    if "progress" in entry and not lease.progress_pending:
                        lease.progress_pending = True
            self._log.warning("offload worker: heartbeat of %d tasks got no answer, trying again: %s", len(leases), error)
        else:
            for lease, state in zip(leases, answer.body["leases"]):
                self._apply(lease, state, sent_at)
        finally:
            for event in waiting:
                event.set()

    def _apply(self, lease: Lease, state: Dict[str, Any], sent_at: float) -> None:
        outcome = state.get("outcome")
        if outcome == "renewed":
            lease.deadline = sent_at + self._lease_for
            return
        with self._lock:
            # A task that finished while the heartbeat was under way is not news.
            if lease.stopped or self._running.get(lease.task_id) is not lease:
                return
            if outcome == "cancelled":
                why = f"task {lease.task_id} was cancelled"
            elif outcome == "not_found":
                why = f"task {lease.task_id} is gone"
            else:
                why = f"task {lease.task_id} is no longer this worker's: {state.get('detail') or 'the lease was lost'}"
            lease.stop(why)
        self._log.info("offload worker: %s; its handler is told (task.cancelled)", why)


def _set_all(lease: Lease) -> None:
    for event in lease.progress_sent:
        event.set()
    lease.progress_sent = []
