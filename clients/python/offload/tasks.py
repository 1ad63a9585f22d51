"""``/v1/tasks``: create, read, list and act on tasks (README: API)."""
from __future__ import annotations

import time
from typing import Any, Dict, Iterator, List, Mapping, Optional, cast

from ._transport import Transport, segment
from ._wire import task_to_wire
from .errors import OffloadTimeoutError
from .types import TERMINAL_STATUSES, Accepted, Attempt, Created, Task, TaskPage

MAX_SERVER_WAIT = 60.0
"""The longest long-poll the server holds, in seconds (README: API: ``?wait=`` is capped at 60 s)."""


class Tasks:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def create(self, task: Optional[Mapping[str, Any]] = None, *, wait: Optional[int] = None,
               idempotency_key: Optional[str] = None, **fields: Any) -> Created:
        """
        Creates a task from the task fields of README: API, as keyword arguments in snake_case
        (``callback_url=…, payload=…, retries=3``) or as a mapping, or both. With ``wait`` (whole
        seconds, 1 to 60) the server holds the answer until the task finishes or the time is up;
        ``task`` is then the whole finished task. ``task`` is also set when an ``idempotency_key``
        was seen before (``replayed`` is True).
        """
        headers: Dict[str, str] = {}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        if wait is not None:
            if isinstance(wait, bool) or not isinstance(wait, int) or not 1 <= wait <= 60:
                raise ValueError(f"wait must be whole seconds from 1 to 60, got {wait!r}")
            headers["Prefer"] = f"wait={wait}"
        answer = self._transport.request("POST", "/v1/tasks", body=task_to_wire({**(task or {}), **fields}),
                                         headers=headers, extra_timeout=float(wait or 0))
        body = answer.body
        if answer.status == 202:
            return cast(Created, {**body, "replayed": False})
        return {
            "taskId": body["taskId"],
            "status": body["status"],
            "statusUrl": answer.headers.get("location") or f"/v1/tasks/{body['taskId']}",
            "replayed": answer.headers.get("idempotent-replayed") == "true",
            "task": body,
        }

    def create_batch(self, tasks: List[Mapping[str, Any]]) -> List[Accepted]:
        """Creates 1 to 1,000 tasks at once, all or none; answers ``[{taskId, status}]`` in the order given."""
        if not isinstance(tasks, (list, tuple)):
            raise TypeError("create_batch takes a list of tasks")
        answer = self._transport.request("POST", "/v1/tasks/batch", body={"tasks": [task_to_wire(t) for t in tasks]})
        return cast(List[Accepted], answer.body["tasks"])

    def get(self, task_id: str) -> Task:
        return cast(Task, self._transport.request("GET", _path(task_id)).body)

    def wait(self, task_id: str, timeout: float = 60.0) -> Task:
        """
        Long-polls until the task is finished (succeeded, failed or cancelled) and returns it;
        raises ``OffloadTimeoutError`` (with the task as last seen) when it is not finished after
        ``timeout`` seconds.
        """
        if not timeout >= 0:
            raise ValueError(f"timeout must be a number of seconds, got {timeout!r}")
        deadline = time.monotonic() + timeout
        while True:
            wait = max(0.0, min(deadline - time.monotonic(), MAX_SERVER_WAIT))
            task = cast(Task, self._transport.request("GET", _path(task_id), query={"wait": f"{round(wait * 1000)}ms"},
                                                      extra_timeout=wait).body)
            if task["status"] in TERMINAL_STATUSES:
                return task
            if time.monotonic() >= deadline:
                raise OffloadTimeoutError(task, timeout)

    def list(self, *, queue: Optional[str] = None, status: Optional[str] = None, schedule_name: Optional[str] = None,
             limit: Optional[int] = None, cursor: Optional[str] = None) -> TaskPage:
        """One page, newest first: ``{tasks, nextCursor}``; pass ``nextCursor`` back as ``cursor`` for the next page."""
        query = {"queue": queue, "status": status, "scheduleName": schedule_name, "limit": limit, "cursor": cursor}
        return cast(TaskPage, self._transport.request("GET", "/v1/tasks", query=query).body)

    def iterate(self, *, queue: Optional[str] = None, status: Optional[str] = None,
                schedule_name: Optional[str] = None, limit: Optional[int] = None,
                cursor: Optional[str] = None) -> Iterator[Task]:
        """Every task matching the filter, newest first, fetching page after page as the loop goes on."""
        while True:
            page = self.list(queue=queue, status=status, schedule_name=schedule_name, limit=limit, cursor=cursor)
            yield from page["tasks"]
            cursor = page.get("nextCursor")
            if not cursor:
                return

    def attempts(self, task_id: str) -> List[Attempt]:
        return cast(List[Attempt], self._transport.request("GET", f"{_path(task_id)}/attempts").body)

    def cancel(self, task_id: str) -> Task:
        """Cancels a task that is not finished (a running call is aborted); a finished task is a 409 ``OffloadError``."""
        return cast(Task, self._transport.request("POST", f"{_path(task_id)}/cancel").body)

    def delete(self, task_id: str) -> None:
        """Deletes a finished task with its attempts, events and result; an unfinished one is a 409 (cancel it first)."""
        self._transport.request("DELETE", _path(task_id))

    def retry(self, task_id: str) -> Task:
        """Queues a failed or cancelled task again with a fresh retry budget."""
        return cast(Task, self._transport.request("POST", f"{_path(task_id)}/retry").body)

    def progress(self, task_id: str, task_token: str, progress: Any) -> Task:
        """
        Reports progress from inside the endpoint Offload is calling, with the ``Offload-Task-Token``
        that call carried (``verify`` returns it as ``task_token``); ``progress`` is any JSON.
        """
        answer = self._transport.request("POST", f"{_path(task_id)}/progress", body={"progress": progress},
                                         headers={"Offload-Task-Token": task_token})
        return cast(Task, answer.body)


def _path(task_id: str) -> str:
    return f"/v1/tasks/{segment(task_id, 'task_id')}"
