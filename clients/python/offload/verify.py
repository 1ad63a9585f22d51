"""
Checks the Standard Webhooks signature (standardwebhooks.com) Offload puts on every call to your
endpoint and every webhook when the server has ``OFFLOAD_SIGNING_SECRETS``: ``webhook-signature``
holds one or more space-separated ``v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>``.
"""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union, cast

from .errors import WebhookVerificationError

DEFAULT_TOLERANCE = 300
"""Seconds a ``webhook-timestamp`` may be away from now: older requests are replays."""

Headers = Union[Mapping[str, Any], Iterable[Tuple[str, Any]]]
Body = Union[bytes, bytearray, memoryview, str]
Secrets = Union[str, Iterable[str]]


@dataclass(frozen=True)
class VerifiedCall:
    """A request that passed ``verify``: its body and the Offload headers that came with it."""

    payload: Any
    """The body parsed as JSON (None when it is empty or not JSON)."""
    body: str
    webhook_id: str
    timestamp: _dt.datetime
    task_id: Optional[str]
    attempt: Optional[int]
    queue: Optional[str]
    schedule_name: Optional[str]
    task_token: Optional[str]
    """The ``Offload-Task-Token`` for ``tasks.progress`` from inside the call."""
    event: Optional[str]
    """A webhook's event, such as ``task.succeeded``; None on a call to your endpoint."""


def verify(headers: Headers, body: Body, secrets: Optional[Secrets] = None, *,
           tolerance: float = DEFAULT_TOLERANCE, now: Optional[float] = None) -> VerifiedCall:
    """
    Checks a call or webhook from Offload and reads it. ``headers`` is any mapping of the
    request's headers, names in any case (Flask's ``request.headers``, Django's
    ``request.headers``, Starlette's and FastAPI's ``request.headers``, a Lambda event's
    ``headers``, ``http.server``'s ``self.headers``), or (name, value) pairs; ``body`` is the raw
    body exactly as received (``request.get_data()``, ``request.body``, ``await request.body()``):
    the signature covers its bytes, so it must not be parsed and serialized again first.
    ``secrets`` are ``whsec_…`` secrets, a list or a comma-separated string as in
    ``OFFLOAD_SIGNING_SECRETS`` (read from the environment when None); during a rotation give the
    new and the old: any signature matching any secret passes. Raises ``WebhookVerificationError``
    when a header is missing, the timestamp is more than ``tolerance`` seconds away from ``now``
    (seconds since 1970, default the clock), or no ``v1`` signature matches.
    """
    keys = _decode_secrets(secrets if secrets is not None else os.environ.get("OFFLOAD_SIGNING_SECRETS"))
    header = _header_reader(headers)
    raw = _raw_body(body)
    webhook_id, timestamp, signatures = header("webhook-id"), header("webhook-timestamp"), header("webhook-signature")
    if not webhook_id or not timestamp or not signatures:
        raise WebhookVerificationError(
            "missing webhook-id, webhook-timestamp or webhook-signature header: is signing on (OFFLOAD_SIGNING_SECRETS)?")
    seconds = _check_timestamp(timestamp, int(time.time() if now is None else now), tolerance)
    signed = f"{webhook_id}.{seconds}.".encode("utf-8") + raw
    expected = [hmac.new(key, signed, hashlib.sha256).digest() for key in keys]
    if not any(hmac.compare_digest(given, mac) for given in _signatures(signatures) for mac in expected):
        raise WebhookVerificationError(f"no signature of webhook {webhook_id} matches the {len(keys)} secret(s) given")
    text = raw.decode("utf-8", "replace")
    attempt = header("offload-attempt")
    return VerifiedCall(
        payload=_parse_json(text),
        body=text,
        webhook_id=webhook_id,
        timestamp=_dt.datetime.fromtimestamp(seconds, _dt.timezone.utc),
        task_id=header("offload-task-id"),
        attempt=int(attempt) if attempt and attempt.isdigit() else None,
        queue=header("offload-queue"),
        schedule_name=header("offload-schedule"),
        task_token=header("offload-task-token"),
        event=header("offload-event"),
    )


def verify_lambda(event: Mapping[str, Any], secrets: Optional[Secrets] = None, *,
                  tolerance: float = DEFAULT_TOLERANCE, now: Optional[float] = None) -> VerifiedCall:
    """``verify`` for an AWS Lambda event (API Gateway or a function URL): its ``headers`` and ``body``, base64 or not."""
    body = event.get("body") or ""
    raw = base64.b64decode(body) if event.get("isBase64Encoded") else body
    return verify(event.get("headers") or {}, raw, secrets, tolerance=tolerance, now=now)


def _decode_secrets(secrets: Optional[Secrets]) -> List[bytes]:
    listed = secrets.split(",") if isinstance(secrets, str) else list(secrets or [])
    texts = [str(secret).strip() for secret in listed if str(secret).strip()]
    if not texts:
        raise ValueError("verify needs the signing secrets (whsec_…): pass them or set OFFLOAD_SIGNING_SECRETS")
    keys = []
    for text in texts:
        encoded = text[len("whsec_"):] if text.startswith("whsec_") else text
        try:
            keys.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            raise ValueError("a signing secret must be whsec_ followed by base64") from None
    return keys


def _check_timestamp(timestamp: str, now: int, tolerance: float) -> int:
    text = timestamp.strip()
    if not (text.isdigit() and text.isascii() and len(text) <= 12):
        raise WebhookVerificationError(f"webhook-timestamp must be whole seconds since 1970, got {timestamp}")
    seconds = int(text)
    age = now - seconds
    if age > tolerance:
        raise WebhookVerificationError(f"webhook-timestamp is {age}s old, more than the {tolerance:g}s tolerated")
    if -age > tolerance:
        raise WebhookVerificationError(f"webhook-timestamp is {-age}s in the future, more than the {tolerance:g}s tolerated")
    return seconds


def _signatures(header: str) -> List[bytes]:
    decoded = []
    for entry in header.split():
        if entry[:3].lower() != "v1,":
            continue
        try:
            decoded.append(base64.b64decode(entry[3:], validate=True))
        except (binascii.Error, ValueError):
            continue
    return decoded


def _header_reader(headers: Headers) -> Callable[[str], Optional[str]]:
    """Case-insensitive header lookup; a header sent twice reads as its values joined by a space."""
    if isinstance(headers, (str, bytes)) or headers is None:
        raise TypeError("verify needs the request's headers: a mapping or (name, value) pairs")
    items_of = getattr(headers, "items", None)
    items = cast(Iterable[Tuple[str, Any]], items_of() if callable(items_of) else headers)
    by_name: Dict[str, List[str]] = {}
    for name, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        by_name.setdefault(str(name).lower(), []).extend(str(v) for v in values)

    def read(name: str) -> Optional[str]:
        values = by_name.get(name)
        return " ".join(values) if values else None

    return read


def _raw_body(body: Body) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if body is None:
        return b""
    raise TypeError("verify needs the raw body (bytes or text), not a parsed object: "
                    "the signature covers the exact bytes sent")


def _parse_json(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
