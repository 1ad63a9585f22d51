"""The exceptions of the client: what the server refused, what got no answer, what did not verify."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, List, Optional


@dataclass(frozen=True)
class FieldError:
    """One bad field of a refused request, as the problem's ``errors`` name it."""

    field: str
    message: str


class OffloadError(Exception):
    """
    The server refused a request: an RFC 9457 problem (``application/problem+json``) with its
    ``status``, ``type``, ``title``, ``detail`` and the per-field ``errors`` of a 400, plus the
    server's ``Offload-Request-Id``. Statuses worth telling apart: 400 invalid input, 404 no such
    task, schedule or queue, 409 a conflict (an action on a task in the wrong state, or an
    idempotency key reused for a different request), 413 payload too large, 503 storage unavailable
    (nothing changed; retry).
    """

    def __init__(self, status: int, title: str, *, type: str = "about:blank", detail: Optional[str] = None,
                 errors: Optional[List[FieldError]] = None, request: Optional[str] = None,
                 request_id: Optional[str] = None) -> None:
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors: List[FieldError] = list(errors or [])
        self.request = request
        self.request_id = request_id
        super().__init__(self._describe())

    @classmethod
    def from_answer(cls, status: int, body: str, request: str, request_id: Optional[str]) -> OffloadError:
        """Reads an error answer; the body may be a problem object, empty, or not JSON at all (a proxy's page)."""
        try:
            problem: Any = json.loads(body) if body else None
        except ValueError:
            problem = None
        if not isinstance(problem, dict):
            detail = _excerpt(body) if body else "the answer had no body"
            return cls(status, f"HTTP {status}", detail=detail, request=request, request_id=request_id)
        raw_errors = problem.get("errors")
        errors = [FieldError(str(e.get("field", "")), str(e.get("message", "")))
                  for e in raw_errors if isinstance(e, dict)] if isinstance(raw_errors, list) else []
        return cls(status, str(problem.get("title") or f"HTTP {status}"), type=str(problem.get("type") or "about:blank"),
                   detail=problem.get("detail"), errors=errors, request=request, request_id=request_id)

    def _describe(self) -> str:
        fields = "; ".join(f"{e.field}: {e.message}" for e in self.errors) if self.errors else self.detail
        where = ", ".join(part for part in (self.request, self.request_id and f"request {self.request_id}") if part)
        return f"{self.status} {self.title}" + (f": {fields}" if fields else "") + (f" ({where})" if where else "")


class OffloadConnectionError(Exception):
    """A request got no answer: the server could not be reached, the connection broke, or no answer came in time."""

    def __init__(self, request: str, url: str, reason: BaseException) -> None:
        super().__init__(f"{request}: no answer from {url}: {reason}")
        self.request = request
        self.url = url
        self.reason = reason


class OffloadTimeoutError(Exception):
    """``tasks.wait`` reached its deadline while the task was still unfinished; ``task`` is how it was last seen."""

    def __init__(self, task: Any, timeout: float) -> None:
        super().__init__(f"task {task['taskId']} is still {task['status']} after {timeout:g}s")
        self.task = task
        self.timeout = timeout


class WebhookVerificationError(Exception):
    """``verify`` refused a request: a header is missing, the timestamp is out of tolerance, or no signature matches."""


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line[:200] + "…" if len(line) > 200 else line
