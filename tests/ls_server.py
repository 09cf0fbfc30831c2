"""Pytest plugin: one real Label Studio server for the whole test session.

The server is the ``label-studio`` of this virtualenv (a dev dependency that
``make test`` installs; nothing is installed here), started on 127.0.0.1 and a
free port with a temporary data directory (SQLite), a fixed user and a fixed
legacy API token.  A cold start runs the migrations (about a minute on two
cores), so it happens once, lazily, the first time a test asks for it; tests
keep apart by using their own project titles.

Test modules import its helpers too, so assertion rewriting is off here
(PYTEST_DONT_REWRITE); it holds fixtures and helpers, no assertions.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TOKEN = "5f1d3c0b6a7e49d28c4b1a9e7d3f6b2c0e8a4d17"
USERNAME = "rasd-admin@example.com"
PASSWORD = "rasd-test-password-1"
START_TIMEOUT = 300.0  # seconds; a cold start on a busy two-core CI runner
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@dataclass(frozen=True)
class LabelStudioServer:
    url: str
    token: str
    username: str
    password: str
    log: Path

    def client(self) -> Any:
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.url, api_key=self.token, timeout=120)

    def env(self) -> dict[str, str]:
        """What ``rasd ls`` reads: the URL and the token."""
        return {"LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": self.token}


@dataclass(frozen=True)
class Annotator:
    """A second Label Studio account (not an admin's), with its own API token."""

    id: int
    email: str
    token: str
    url: str

    def client(self) -> Any:
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.url, api_key=self.token, timeout=120)


def _user_token(server: LabelStudioServer, email: str) -> str:
    """The legacy API token of ``email``, as ``label-studio user`` prints it (it reads the server's database)."""
    executable = Path(sys.executable).parent / "label-studio"
    data_dir = server.log.parent
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [str(executable), "user", "--username", email, "--data-dir", str(data_dir)],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = re.search(r"'token': '([0-9a-f]+)'", done.stdout)
    if found is None:
        pytest.fail(
            f"no token for {email} from `label-studio user`:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    return found.group(1)


@pytest.fixture(scope="session")
def annotators(label_studio: LabelStudioServer) -> tuple[Annotator, Annotator]:
    """Two annotator accounts created through the API by the admin, each with its own token."""
    admin = label_studio.client()
    made = []
    for email in ("ana.annotator@example.com", "bob.annotator@example.com"):
        user = admin.users.create(username=email, email=email, password="annotator-password-1")
        made.append(Annotator(int(user.id), email, _user_token(label_studio, email), label_studio.url))
    return made[0], made[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            return response.status == 200 and b"UP" in response.read()
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and the runserver child it forks (they share the session we created)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudioServer]:
    """A running Label Studio; stopped at the end of the session."""
    executable = Path(sys.executable).parent / "label-studio"
    if not executable.exists():
        pytest.fail(f"{executable} is missing: run `make test` (it installs the dev dependencies)")
    data_dir = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "server.log"
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LATEST_VERSION_CHECK": "false",  # no call to pypi.org at start-up
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # `rasd ls serve` listens on loopback: Label Studio refuses local ML backend URLs and
        # webhook targets unless told otherwise (what an annotator running both locally sets too).
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
    }
    command = [
        str(executable),
        "start",
        "--no-browser",
        "--internal-host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--username",
        USERNAME,
        "--password",
        PASSWORD,
        "--user-token",
        TOKEN,
        "--enable-legacy-api-token",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=data_dir, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                pytest.fail(f"Label Studio did not come up on {url} (exit {process.poll()}):\n{tail}")
            time.sleep(1)
        yield LabelStudioServer(url, TOKEN, USERNAME, PASSWORD, log)
    finally:
        _stop(process)


_TITLE = re.compile(r"[^A-Za-z0-9]+")


@pytest.fixture
def project_title(request: pytest.FixtureRequest) -> str:
    """A project title unique to the test, so tests sharing the server never see each other's tasks."""
    name = request.node.name
    return f"rasd {_TITLE.sub('-', name)[:28]} {hashlib.sha1(name.encode()).hexdigest()[:8]}"  # <= 50 chars


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave files for people to look at (screenshots); gitignored."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --------------------------------------------------------------------------
# A repository with gold spans to send through Label Studio

EMOJI_DOC = "005_emoji"
# Emoji (outside the BMP: two UTF-16 code units each) before the spans, so the
# code-point and UTF-16 readings of every offset after them differ.
EMOJI_RAW = (
    "نشر حساب 😀 تابع لتنظيم داعش مقطعا على تويتر من بغداد.\n\n"
    "وقالت الشرطة 🚨🚨 إن 60 حسابا أغلقت في العراق.\n"
)
PLAIN_DOC = "006_no_gold"
PLAIN_RAW = "خبر قصير بلا أي وسم بعد.\n"
GOLD = (  # (surface, label, value) marked at its first whole-word occurrence in every document having it
    ("داعش", "ORG", "ISIS"),
    ("العراق", "LOC", "Iraq"),
    ("تويتر", "PLATFORM", "twitter"),
    ("بغداد", "LOC", None),
    ("60", "QUANTITY", "60"),
)


def mention(document: Any, surface: str, label: str, value: str | None = None, nth: int = 0) -> Any:
    """The span of the ``nth`` whole-word occurrence of ``surface`` (offsets found, never typed)."""
    from rasd.core.model import Span
    from rasd.core.spans import new_span_id

    found = list(re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", document.text))
    start, end = found[nth].span()
    return Span(start, end, label, new_span_id(document.id, start, end, label), surface, value)


def add_gold(repo: Any) -> None:
    """Add the emoji document, give it and every document without gold the GOLD mentions, and build."""
    from rasd.gold.annotations import annotation_path, write_annotations
    from rasd.intake.ingest import iter_documents
    from rasd.pipeline import build

    (repo.raw_dir / f"{EMOJI_DOC}.txt").write_text(EMOJI_RAW, encoding="utf-8")
    for document in iter_documents(repo):
        if annotation_path(repo, document.id).exists():
            continue  # keep the real gold: it is what annotators will see
        spans = [
            mention(document, surface, label, value)
            for surface, label, value in GOLD
            if re.search(rf"(?<!\w){re.escape(surface)}(?!\w)", document.text)
        ]
        if spans:
            write_annotations(repo, document, spans)
    build(repo, progress=False)


@pytest.fixture
def gold_repo(repo: Any) -> Any:
    """The ``repo`` copy with gold in every document but ``PLAIN_DOC``, and a document full of emoji."""
    (repo.raw_dir / f"{PLAIN_DOC}.txt").write_text(PLAIN_RAW, encoding="utf-8")
    add_gold(repo)
    return repo


def tree_bytes(repo: Any) -> dict[str, bytes]:
    """Every file of the release and its inputs, for byte-for-byte comparisons."""
    files: dict[str, bytes] = {}
    for top in ("dataset", "schema", "annotation"):
        for path in sorted((repo.root / top).rglob("*")):
            if path.is_file() and ".build-" not in str(path):
                files[path.relative_to(repo.root).as_posix()] = path.read_bytes()
    card = repo.root / "dataset_card.md"
    if card.exists():
        files["dataset_card.md"] = card.read_bytes()
    return files


def rasd(repo: Any, *argv: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """``rasd --root REPO ARGV`` in-process, with the ``ls`` group registered even before the lead wires it."""
    import rasd.cli

    if "ls" not in rasd.cli.GROUPS:
        monkeypatch.setattr(rasd.cli, "GROUPS", (*rasd.cli.GROUPS, "ls"))
    return rasd.cli.main(["--root", str(repo.root), *argv])
