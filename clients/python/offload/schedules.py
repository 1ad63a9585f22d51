"""``/v1/schedules``: tasks created on a cron schedule (README: Schedules)."""
from __future__ import annotations

from typing import Any, List, Mapping, Optional, cast

from ._transport import Transport, segment
from ._wire import fields, task_to_wire
from .types import Accepted, Schedule


class Schedules:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def put(self, name: str, schedule: Optional[Mapping[str, Any]] = None, **more: Any) -> Schedule:
        """
        Creates or replaces the schedule ``name`` (declarative: putting the same schedule twice
        changes nothing) from ``cron``, ``task`` (task fields, as for ``tasks.create``),
        ``timezone``, ``paused``, ``overlap`` and ``catch_up``.
        """
        body = fields(schedule, more, "a schedule")
        if isinstance(body.get("task"), Mapping):
            body["task"] = task_to_wire(body["task"])
        return cast(Schedule, self._transport.request("PUT", _path(name), body=body).body)

    def get(self, name: str) -> Schedule:
        return cast(Schedule, self._transport.request("GET", _path(name)).body)

    def list(self) -> List[Schedule]:
        return cast(List[Schedule], self._transport.request("GET", "/v1/schedules").body["schedules"])

    def delete(self, name: str) -> None:
        """Deletes the schedule; the tasks it created stay."""
        self._transport.request("DELETE", _path(name))

    def pause(self, name: str) -> Schedule:
        return cast(Schedule, self._transport.request("POST", f"{_path(name)}/pause").body)

    def resume(self, name: str) -> Schedule:
        return cast(Schedule, self._transport.request("POST", f"{_path(name)}/resume").body)

    def trigger(self, name: str) -> Accepted:
        """Creates one task from the schedule now, outside its cron slots."""
        return cast(Accepted, self._transport.request("POST", f"{_path(name)}/trigger").body)


def _path(name: str) -> str:
    return f"/v1/schedules/{segment(name, 'schedule name')}"
