"""
The shapes of the server's answers. They are the API's JSON objects as dicts, keys as the API
names them (README: API), so these TypedDicts name the keys most code reads; the server may send
more.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, TypedDict

TaskStatus = str
"""``scheduled``, ``queued``, ``running``, ``waiting``, ``retrying``, ``succeeded``, ``failed`` or ``cancelled``."""

TERMINAL_STATUSES = ("succeeded", "failed", "cancelled")


class TaskResult(TypedDict):
    statusCode: Optional[int]
    """None for a pull task's result: no HTTP answer was involved."""
    contentType: Optional[str]
    body: Any
    truncated: bool


class _TaskKeys(TypedDict):
    taskId: str
    status: TaskStatus
    queue: str
    createdAt: str
    runAt: Optional[str]
    startedAt: Optional[str]
    finishedAt: Optional[str]
    attempts: int
    maxAttempts: int
    nextAttemptAt: Optional[str]
    result: Optional[TaskResult]
    lastError: Optional[str]
    progress: Any
    metadata: Optional[Dict[str, Any]]
    scheduleName: Optional[str]
    idempotencyKey: Optional[str]
    timeout: str
    priority: int


class Task(_TaskKeys, total=False):
    """A task as ``tasks.get`` reads it; ``name`` or ``callbackUrl`` (with ``method``) says whether it is a pull or a push task."""

    name: str
    callbackUrl: str
    method: str
    payload: Any
    body: str
    contentType: str


class _Created(TypedDict):
    taskId: str
    status: TaskStatus
    statusUrl: str
    replayed: bool


class Created(_Created, total=False):
    """What ``tasks.create`` answers; ``task`` is the whole task when it finished within ``wait`` or was replayed."""

    task: Task


class Accepted(TypedDict):
    taskId: str
    status: TaskStatus


class TaskPage(TypedDict):
    tasks: List[Task]
    nextCursor: Optional[str]


class Attempt(TypedDict):
    number: int
    startedAt: str
    finishedAt: Optional[str]
    durationMs: Optional[int]
    outcome: str
    statusCode: Optional[int]
    error: Optional[str]
    responseExcerpt: Optional[str]
    node: Optional[str]


class Schedule(TypedDict):
    name: str
    cron: str
    timezone: str
    task: Dict[str, Any]
    paused: bool
    overlap: str
    catchUp: str
    createdAt: str
    updatedAt: str
    nextRunAt: Optional[str]
    lastRunAt: Optional[str]
    lastTaskId: Optional[str]
    runsUrl: str


class Queue(TypedDict):
    name: str
    paused: bool
    concurrency: Optional[int]
    ratePerSecond: Optional[float]
    burst: Optional[int]
    retainSucceeded: Optional[str]
    retainFailed: Optional[str]
    counts: Dict[str, int]
    inFlight: int
    oldestReadyAgeMs: Optional[int]
    throughput: Dict[str, int]
    attemptDurationMs: Optional[Dict[str, int]]
    attemptTimeoutMs: Optional[int]
    attemptSamples: int
    nearTimeout: bool


class BulkAction(TypedDict):
    """A bulk action as ``bulk_actions.get`` reads it."""

    actionId: str
    action: str
    """``retry``, ``cancel`` or ``delete``."""
    filter: Dict[str, Any]
    status: str
    """``running``, ``succeeded`` or ``cancelled``."""
    matched: Optional[int]
    """The tasks the filter matched; None until the server has counted them."""
    done: int
    """Tasks the action was applied to so far."""
    failed: int
    """Matched tasks it could not be applied to (not in a status it applies to)."""
    createdAt: str
    finishedAt: Optional[str]


QueueHistory = TypedDict("QueueHistory", {
    "queue": str, "from": str, "to": str, "bucketSeconds": int, "attemptTimeoutMs": Optional[int],
    "buckets": List[Dict[str, Any]],
})
"""A queue's last hour in 60 one-minute buckets, oldest first."""
