"""
Fields as the server reads them. Keyword arguments are snake_case and go out camelCase
(``callback_url`` as ``callbackUrl``); numbers given for durations are seconds, as a
``timedelta`` is, and go out as milliseconds; a ``datetime`` goes out as RFC 3339 UTC. Fields
that are None are left out. Only the top level (and a backoff's) is renamed: a payload, metadata
or headers go out exactly as given.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, Mapping, Optional

_TASK_DURATIONS = ("delay", "timeout", "retention")
_BACKOFF_DURATIONS = ("initial", "max")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def fields(given: Optional[Mapping[str, Any]], more: Mapping[str, Any], what: str) -> Dict[str, Any]:
    """The fields of ``given`` (a mapping, keys in either case) with ``more`` over them, camelCase, None left out."""
    if given is not None and not isinstance(given, Mapping):
        raise TypeError(f"{what} must be a mapping of fields, got {type(given).__name__}")
    merged = {camel(key): value for key, value in {**(given or {}), **more}.items()}
    return {key: value for key, value in merged.items() if value is not None}


def task_to_wire(task: Mapping[str, Any]) -> Dict[str, Any]:
    wire = durations(fields(task, {}, "a task"), _TASK_DURATIONS)
    if isinstance(wire.get("runAt"), _dt.datetime):
        wire["runAt"] = instant(wire["runAt"])
    backoff = wire.get("backoff")
    if isinstance(backoff, Mapping):
        wire["backoff"] = durations(fields(backoff, {}, "backoff"), _BACKOFF_DURATIONS)
    return wire


def durations(wire: Dict[str, Any], names: Iterable[str]) -> Dict[str, Any]:
    for name in names:
        if name in wire:
            wire[name] = duration(wire[name])
    return wire


def duration(value: Any) -> Any:
    """Seconds (a number or a timedelta) as whole milliseconds; text such as ``"30s"`` or ``"forever"`` as it is."""
    if isinstance(value, _dt.timedelta):
        return f"{round(value.total_seconds() * 1000)}ms"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{round(value * 1000)}ms"
    return value


def instant(value: _dt.datetime, name: str = "run_at") -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime (a naive one is ambiguous), got {value!r}")
    return value.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
