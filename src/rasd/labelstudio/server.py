"""Talking to a Label Studio server safely: named errors, bounded retries, redacted answers.

Every call of ``rasd.labelstudio.client`` goes through ``call``:

* a refused connection (nothing listens at the URL) fails at once, named; so do
  401/403 (the token), 404 (what was asked for is not there) and other refusals;
* a timeout, a 5xx answer or 429 is retried, only for idempotent calls (reading,
  listing), with exponential backoff (1, 2, 4 ... s) until ``RETRY_BUDGET``
  seconds (60 by default) are spent; writes are never repeated (a retried
  import could add every task twice);
* the server's answer is shortened to ``MAX_ANSWER`` characters and redacted:
  the API token, anything like ``Token xxx`` or ``Bearer xxx``, and cookies
  never reach a message or a log.

The SDK's own retries are switched off (``connect`` passes ``max_retries=0``):
it would retry writes too.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from rasd.core.errors import RasdError
from rasd.core.problems.labelstudio import (
    SERVER_FAILED,
    SERVER_NOT_FOUND,
    SERVER_REFUSED,
    SERVER_TIMEOUT,
    SERVER_UNREACHABLE,
    TOKEN_REFUSED,
)

T = TypeVar("T")


def _sleep(seconds: float) -> None:  # looked up at each wait, so a test can record the waits instead
    time.sleep(seconds)


RETRY_BUDGET = 60.0  # seconds of waiting between retries, at most, per call
FIRST_DELAY = 1.0
MAX_ANSWER = 200
RETRIED_STATUS = frozenset({429})  # plus every 5xx

_SECRETS = (
    re.compile(r"\b(Token|Bearer)\s+[^\s\"',;]+", re.IGNORECASE),
    re.compile(r"\b((?:set-)?cookie)\s*[:=]\s*[^\n\"]*", re.IGNORECASE),
    re.compile(r"\b(sessionid|csrftoken|csrfmiddlewaretoken)\s*=\s*[^\s\"',;]+", re.IGNORECASE),
    re.compile(r"(\"(?:token|api_key|access|refresh|cookie)\"\s*:\s*)\"[^\"]*\"", re.IGNORECASE),
)


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` without the given secrets, tokens after ``Token``/``Bearer``, or cookies."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: f"{m.group(1)} [redacted]" if m.lastindex else "[redacted]", text)
    return text


def shorten(text: str, limit: int = MAX_ANSWER) -> str:
    """One line of at most ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def answer_text(body: Any, secrets: Sequence[str] = ()) -> str:
    """What the server answered, redacted then shortened (redacting first: no half-cut token survives)."""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    return shorten(redact(text, secrets))


def backoff_delays(budget: float = RETRY_BUDGET, first: float = FIRST_DELAY) -> Iterator[float]:
    """1, 2, 4 ... seconds, the last one cut so that the total never exceeds ``budget``."""
    spent, delay = 0.0, first
    while spent < budget:
        step = min(delay, budget - spent)
        yield step
        spent += step
        delay *= 2


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: a timeout, a 5xx or 429.  A refused connection is not (nothing listens)."""
    if isinstance(exc, httpx.TimeoutException):
        return True
    status = _status(exc)
    return status is not None and (status >= 500 or status in RETRIED_STATUS)


def server_error(exc: BaseException, *, url: str, what: str, secrets: Sequence[str] = ()) -> RasdError | None:
    """The catalogue entry for a failed call, or None for an exception that is not the server's."""
    if isinstance(exc, httpx.TimeoutException):
        return SERVER_TIMEOUT(file=url, what=what)
    if isinstance(exc, httpx.TransportError):
        return SERVER_UNREACHABLE(file=url, reason=shorten(redact(str(exc), secrets)) or type(exc).__name__)
    status = _status(exc)
    if status is None:
        return None
    answer = answer_text(getattr(exc, "body", None), secrets)
    if status in (401, 403):
        return TOKEN_REFUSED(file=url, status=status, what=what, answer=answer)
    if status == 404:
        return SERVER_NOT_FOUND(file=url, what=what, answer=answer)
    if status >= 500:
        return SERVER_FAILED(file=url, status=status, what=what, answer=answer)
    return SERVER_REFUSED(file=url, status=status, what=what, answer=answer)


@dataclass(frozen=True)
class Server:
    """Where requests go and how they fail: URL and token (for messages and redaction), retry budget."""

    url: str
    token: str = field(repr=False)
    budget: float = RETRY_BUDGET

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.token,)

    def call(self, what: str, request: Callable[[], T], *, idempotent: bool) -> T:
        """``request()``, retried while transient when ``idempotent``; a failure is a named error."""
        delays = backoff_delays(self.budget) if idempotent else iter(())
        while True:
            try:
                return request()
            except Exception as exc:
                delay = next(delays, None) if is_transient(exc) else None
                if delay is not None:
                    _sleep(delay)
                    continue
                named = server_error(exc, url=self.url, what=what, secrets=self.secrets)
                if named is None:
                    raise
                raise named from None
