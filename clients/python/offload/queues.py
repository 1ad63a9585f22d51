"""``/v1/queues``: queue figures and flow-control settings; a queue no task named and no settings were put for is a 404."""
from __future__ import annotations

from typing import Any, List, Mapping, Optional, cast

from ._transport import Transport, segment
from ._wire import durations, fields
from .types import Queue, QueueHistory


class Queues:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def list(self) -> List[Queue]:
        """Every queue that has tasks or settings, by name."""
        return cast(List[Queue], self._transport.request("GET", "/v1/queues").body["queues"])

    def get(self, name: str) -> Queue:
        return cast(Queue, self._transport.request("GET", _path(name)).body)

    def put(self, name: str, settings: Optional[Mapping[str, Any]] = None, **more: Any) -> Queue:
        """
        Replaces all six settings, ``concurrency``, ``rate_per_second``, ``burst``, ``paused``,
        ``retain_succeeded`` and ``retain_failed`` (left out or None: no limit, or the server's
        retention), and answers the queue; the limits hold across every node at once.
        """
        body = durations(fields(settings, more, "queue settings"), ("retainSucceeded", "retainFailed"))
        return cast(Queue, self._transport.request("PUT", _path(name), body=body).body)

    def history(self, name: str) -> QueueHistory:
        """The queue's last hour in 60 one-minute buckets, oldest first (created, finished, depth, attempt durations)."""
        return cast(QueueHistory, self._transport.request("GET", f"{_path(name)}/history").body)


def _path(name: str) -> str:
    return f"/v1/queues/{segment(name, 'queue name')}"
