"""Server failures are named, reads are retried within a budget, and no token or cookie leaks.

A tiny HTTP server on 127.0.0.1 answers every request with one status and a body
that echoes secrets; ``rasd ls pull`` against it must exit 1 with the entry's
code, no traceback, and an answer that is short and redacted.
"""

from __future__ import annotations

import itertools
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from rasd.core.errors import RasdError
from rasd.core.paths import Repo
from rasd.labelstudio import server as server_module
from rasd.labelstudio.server import MAX_ANSWER, Server, backoff_delays, redact, shorten

pytest_plugins = ["ls_server"]

from ls_server import rasd  # noqa: E402  (after the plugin line, on purpose)

TOKEN = "0123456789abcdef-secret-token"
LEAKY_BODY = (
    '{"detail": "Invalid token header. Authorization: Token ' + TOKEN + '", '
    '"cookie": "sessionid=s3cr3t-session; csrftoken=c5rf", "echo": "Bearer eyJhbGciOi.jwt.sig", '
    '"padding": "' + "x" * 400 + '"}'
)


class FakeLabelStudio:
    """Answers every request with ``status`` and ``LEAKY_BODY``; counts the requests."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                outer.requests.append(f"{self.command} {self.path}")
                body = LEAKY_BODY.encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Set-Cookie", "sessionid=s3cr3t-session")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = _answer

            def log_message(self, *args: Any) -> None:  # keep the test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeLabelStudio:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff waits, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(server_module, "_sleep", recorded.append)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    return recorded


@pytest.mark.parametrize(
    ("status", "code", "problem", "retried"),
    [
        (401, "RASD-E658", "the server refused the API token (HTTP 401) for listing projects", False),
        (403, "RASD-E658", "the server refused the API token (HTTP 403)", False),
        (404, "RASD-E659", "listing projects titled 'Rasd': not found on the server (HTTP 404)", False),
        (500, "RASD-E661", "the server failed (HTTP 500) on listing projects titled 'Rasd'", True),
        (503, "RASD-E661", "the server failed (HTTP 503)", True),
        (418, "RASD-E663", "the server refused listing projects titled 'Rasd' (HTTP 418)", False),
    ],
)
def test_a_failing_server_is_named_without_secrets(
    repo: Repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    waits: list[float],
    status: int,
    code: str,
    problem: str,
    retried: bool,
) -> None:
    with FakeLabelStudio(status) as fake:
        assert rasd(repo, "ls", "pull", "--project", "Rasd", "--url", fake.url, monkeypatch=monkeypatch) == 1
    err = capsys.readouterr().err
    (line,) = err.splitlines()
    assert line.startswith(f"error[{code}]: {fake.url}: {problem}"), line
    assert "Traceback" not in err
    for secret in (TOKEN, "s3cr3t-session", "c5rf", "eyJhbGciOi"):
        assert secret not in err
    answer = line.split(": ", 3)[-1].split(". Fix: ")[0]
    assert len(answer) <= MAX_ANSWER + len(problem) + 2
    # Reads are retried on 5xx with waits 1, 2, 4 ... that add up to at most 60 s; nothing else is.
    assert len(fake.requests) == (1 + len(waits) if retried else 1)
    assert (sum(waits), len(waits)) == ((60.0, 6) if retried else (0, 0))
    assert waits[:3] == ([1.0, 2.0, 4.0] if retried else [])


def test_a_refused_connection_fails_fast_and_named(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], waits: list[float]
) -> None:
    started = time.monotonic()
    args = ("ls", "pull", "--project", "Rasd", "--url", "http://127.0.0.1:9")
    assert rasd(repo, *args, monkeypatch=monkeypatch) == 1
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert err.startswith("error[RASD-E657]: http://127.0.0.1:9: cannot reach Label Studio (")
    assert "Fix: start the server, or correct --url" in err
    assert "Traceback" not in err
    assert TOKEN not in err
    assert waits == []  # nothing listens: no retry


def test_a_write_is_never_repeated(waits: list[float]) -> None:
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise httpx.ReadTimeout("slow")

    server = Server("http://ls.example", TOKEN)
    with pytest.raises(RasdError) as raised:
        server.call("importing tasks", failing, idempotent=False)
    assert (raised.value.code, len(calls), waits) == ("RASD-E662", 1, [])
    with pytest.raises(RasdError):
        server.call("listing tasks", failing, idempotent=True)
    assert len(calls) == 1 + 1 + len(waits)
    assert sum(waits) == 60.0


def test_a_read_that_recovers_returns_its_answer(waits: list[float]) -> None:
    answers: list[Any] = [httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"), "ok"]

    def flaky() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return str(answer)

    assert Server("http://ls.example", TOKEN).call("listing", flaky, idempotent=True) == "ok"
    assert waits == [1.0, 2.0]


@pytest.mark.parametrize("budget", [0.5, 1.0, 7.0, 60.0, 100.0])
def test_backoff_doubles_and_stays_within_its_budget(budget: float) -> None:
    delays = list(backoff_delays(budget))
    assert sum(delays) == budget
    whole = delays[:-1]  # the last wait is cut to the budget
    assert all(later == 2 * earlier for earlier, later in itertools.pairwise(whole))


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        (f"bad token {TOKEN}", TOKEN),
        ("Authorization: Token abc123def", "abc123def"),
        ("authorization: bearer eyJ.abc.def", "eyJ.abc.def"),
        ("Cookie: sessionid=abc; csrftoken=def", "abc"),
        ("Set-Cookie: sessionid=zzz9; Path=/", "zzz9"),
        ('{"sessionid": "x", "token": "t0k3n"}', "t0k3n"),
        ("csrftoken=qqq7", "qqq7"),
    ],
)
def test_secrets_are_redacted(text: str, leaked: str) -> None:
    assert leaked not in redact(text, [TOKEN])


def test_answers_are_shortened_to_one_line() -> None:
    short = shorten("a\n b " + "c" * 500)
    assert len(short) == MAX_ANSWER
    assert "\n" not in short
    assert short.endswith("…")
    assert shorten("fine") == "fine"
