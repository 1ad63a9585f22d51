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


class TaskResult(TypedDict, total=False):
    statusCode: Optional[int]
    contentType: Optional[str]
    body: Any
    truncated: bool


class Task(TypedDict, total=False):
    taskId: str
    status: TaskStatus
    name: Optional[str]
    callbackUrl: Optional[str]
    queue: str
    payload: Any
    metadata: Optional[Dict[str, Any]]
    priority: int
    attempts: int
    maxAttempts: int
    runAt: str
    createdAt: str
    updatedAt: str
    progress: Any
    result: Optional[TaskResult]
    lastError: Optional[str]
    scheduleName: Optional[str]


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


class Attempt(TypedDict, total=False):
    number: int
    outcome: str
    statusCode: Optional[int]
    error: Optional[str]
    node: Optional[str]
    startedAt: str
    finishedAt: Optional[str]


class Schedule(TypedDict, total=False):
    name: str
    cron: str
    timezone: str
    task: Dict[str, Any]
    paused: bool
    overlap: str
    catchUp: str
    nextRunAt: Optional[str]
    lastRunAt: Optional[str]
    lastTaskId: Optional[str]


class Queue(TypedDict, total=False):
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
    nearTimeout: bool


class QueueHistory(TypedDict, total=False):
    queue: str
    bucketSeconds: int
    attemptTimeoutMs: Optional[int]
    buckets: List[Dict[str, Any]]
