"""``/v1/bulk-actions``: retry, cancel or delete every task a filter matches, in the background (README: Bulk actions)."""
from __future__ import annotations

import datetime as _dt
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, cast

from ._transport import Transport, segment
from ._wire import fields, instant
from .types import BulkAction

ACTIONS = ("retry", "cancel", "delete")
_FILTER_FIELDS = ("queue", "status", "name", "scheduleName", "createdAfter", "createdBefore", "lastErrorContains",
                  "metadata")
_FIRST_POLL = 0.1
_LONGEST_POLL = 2.0


class BulkActions:
    """
    The filter of each call is given as keyword arguments in snake_case or as a mapping, or both:
    ``queue``, ``status``, ``name``, ``schedule_name``, ``created_after`` and ``created_before``
    (timezone-aware ``datetime`` or RFC 3339 text), ``last_error_contains``, ``metadata`` (every
    entry must match). At least one is required, so that no call touches every task by accident.
    An action that does not exist is a 404 ``OffloadError``.
    """

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def count(self, filter: Optional[Mapping[str, Any]] = None, **filter_fields: Any) -> int:  # noqa: A002
        """How many tasks the filter matches now; nothing changes (a dry run)."""
        body = {"action": "retry", "filter": _filter_to_wire(filter, filter_fields), "dryRun": True}
        return cast(int, self._transport.request("POST", "/v1/bulk-actions", body=body).body["matched"])

    def start(self, action: str, filter: Optional[Mapping[str, Any]] = None,  # noqa: A002
              **filter_fields: Any) -> BulkAction:
        """
        Starts ``action`` (``"retry"``, ``"cancel"`` or ``"delete"``) on every task the filter
        matches and answers the running action at once; when the same action with the same filter
        is already running, that one.
        """
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
        body = {"action": action, "filter": _filter_to_wire(filter, filter_fields)}
        return cast(BulkAction, self._transport.request("POST", "/v1/bulk-actions", body=body).body)

    def get(self, action_id: str) -> BulkAction:
        return cast(BulkAction, self._transport.request("GET", _path(action_id)).body)

    def list(self, *, limit: Optional[int] = None) -> List[BulkAction]:
        """The latest actions, newest first."""
        answer = self._transport.request("GET", "/v1/bulk-actions", query={"limit": limit})
        return cast(List[BulkAction], answer.body["actions"])

    def cancel(self, action_id: str) -> BulkAction:
        """Stops a running action; what it did so far stays. A finished one is a 409 ``OffloadError``."""
        return cast(BulkAction, self._transport.request("POST", f"{_path(action_id)}/cancel").body)

    def await_finished(self, action_id: str, timeout: float = 60.0,
                       on_progress: Optional[Callable[[BulkAction], None]] = None) -> BulkAction:
        """
        Reads the action until it is finished (``succeeded`` or ``cancelled``) or ``timeout``
        seconds pass, and answers it as it is then: check ``status``. ``on_progress`` hears every read.
        """
        if not timeout >= 0:
            raise ValueError(f"timeout must be a number of seconds, got {timeout!r}")
        deadline = time.monotonic() + timeout
        pause = _FIRST_POLL
        action = self.get(action_id)
        while True:
            if on_progress is not None:
                on_progress(action)
            if action["status"] != "running" or time.monotonic() >= deadline:
                return action
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, _LONGEST_POLL)
            action = self.get(action_id)


def _filter_to_wire(given: Optional[Mapping[str, Any]], more: Mapping[str, Any]) -> Dict[str, Any]:
    wire = fields(given, more, "a bulk filter")
    unknown = [key for key in wire if key not in _FILTER_FIELDS]
    if unknown:
        raise TypeError(f"unknown bulk filter field {unknown[0]!r}; use {', '.join(_FILTER_FIELDS)}")
    if not wire:
        raise ValueError(f"a bulk filter needs at least one of {', '.join(_FILTER_FIELDS)}")
    for name in ("createdAfter", "createdBefore"):
        if isinstance(wire.get(name), _dt.datetime):
            wire[name] = instant(wire[name], name)
    return wire


def _path(action_id: str) -> str:
    return f"/v1/bulk-actions/{segment(action_id, 'action_id')}"
