"""Background functions: one definition that a web route enqueues with and a worker runs."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from .tasks import Tasks
from .types import Created
from .worker import Handler

OWN_FIELDS = ("name", "callback_url", "callbackUrl", "method", "headers", "payload", "body", "content_type", "contentType")
"""Fields ``define`` sets itself: a background function's task is always a pull task named after it, carrying the payload given."""


class BackgroundFunction:
    """
    A background function (``offload.define``): the route enqueues it with ``enqueue(payload)``,
    a worker runs it (``worker.register(fn)``), so both share the name, the queue and the handler.
    Calling it runs the handler here, as a plain function.
    """

    def __init__(self, tasks: Tasks, name: str, handler: Handler, options: Mapping[str, Any]) -> None:
        if not isinstance(name, str) or name == "":
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if not callable(handler):
            raise TypeError(f'the handler of "{name}" must be callable as handler(payload, task)')
        _refuse_own_fields(options, "define")
        self._tasks = tasks
        self._defaults = dict(options)
        self.name = name
        self.handler = handler
        self.queue: Optional[str] = options.get("queue")
        self.__doc__ = getattr(handler, "__doc__", None)

    def __call__(self, payload: Any, task: Any) -> Any:
        return self.handler(payload, task)

    def enqueue(self, payload: Any = None, *, wait: Optional[int] = None, idempotency_key: Optional[str] = None,
                **options: Any) -> Created:
        """
        Creates a task that a worker running this function picks up; ``options`` are the task's
        own (``delay``, ``run_at``, ``retries``, ``backoff``, ``timeout``, ``metadata``,
        ``priority``, …) over those given to ``define``. Answers as ``tasks.create`` does.
        """
        _refuse_own_fields(options, "enqueue")
        task = {**self._defaults, **options, "name": self.name, "payload": payload}
        return self._tasks.create(task, wait=wait, idempotency_key=idempotency_key)

    def __repr__(self) -> str:
        return f"<background function {self.name!r} queue={self.queue!r}>"


def _refuse_own_fields(options: Mapping[str, Any], where: str) -> None:
    own = [field for field in OWN_FIELDS if options.get(field) is not None]
    if own:
        raise ValueError(f"{where} sets {', '.join(own)} itself; remove {'them' if len(own) > 1 else 'it'} from the options")
