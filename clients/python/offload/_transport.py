"""Sends JSON requests to one Offload server and turns every failure into an OffloadError or OffloadConnectionError."""
from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from .errors import OffloadConnectionError, OffloadError

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Answer:
    """A 2xx answer: its status, headers (names in lower case) and parsed JSON body (None when empty)."""

    status: int
    headers: Mapping[str, str]
    body: Any


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to report, not to follow: the token must not go to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())


class Transport:
    def __init__(self, base_url: Optional[str], token: Optional[str], timeout: Optional[float]) -> None:
        self.base_url = (base_url or os.environ.get("OFFLOAD_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.token = token if token is not None else os.environ.get("OFFLOAD_TOKEN") or None
        self.timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
        if not self.timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")

    def request(self, method: str, path: str, *, query: Optional[Mapping[str, Any]] = None, body: Any = None,
                headers: Optional[Mapping[str, str]] = None, extra_timeout: float = 0.0) -> Answer:
        """
        Sends one request and answers its 2xx; ``extra_timeout`` (seconds) is added to the timeout for
        a long-poll the server may hold open. ``body`` None sends no body.
        """
        url = self.base_url + path + _query_string(query)
        request = f"{method} {path}"
        sent = {"Accept": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            sent["Content-Type"] = "application/json"
        timeout = self.timeout + extra_timeout
        try:
            with _OPENER.open(urllib.request.Request(url, data=data, headers=sent, method=method), timeout=timeout) as response:
                status, answer_headers, text = response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            with error:
                text = _read(error)
                raise OffloadError.from_answer(error.code, text, request, error.headers.get("offload-request-id")) from None
        except (socket.timeout, TimeoutError) as cause:
            raise OffloadConnectionError(request, self.base_url, TimeoutError(f"no answer within {timeout:g}s")) from cause
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as cause:
            reason = cause.reason if isinstance(cause, urllib.error.URLError) else cause
            if isinstance(reason, (socket.timeout, TimeoutError)):
                reason = TimeoutError(f"no answer within {timeout:g}s")
            raise OffloadConnectionError(request, self.base_url, reason if isinstance(reason, BaseException)
                                         else OSError(str(reason))) from cause
        lowered = {name.lower(): value for name, value in answer_headers.items()}
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            raise OffloadError(status, "Invalid answer", detail=f"expected JSON, got: {text[:200]}", request=request,
                               request_id=lowered.get("offload-request-id")) from None
        return Answer(status, lowered, parsed)


def segment(value: str, what: str) -> str:
    """A path segment, so an id or name can never change which route is called."""
    if not isinstance(value, str) or value == "":
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return urllib.parse.quote(value, safe="")


def _query_string(query: Optional[Mapping[str, Any]]) -> str:
    if not query:
        return ""
    pairs = [(key, _query_value(value)) for key, value in query.items() if value is not None]
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def _query_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _read(error: urllib.error.HTTPError) -> str:
    try:
        return error.read().decode("utf-8", "replace")
    except OSError:
        return ""
