"""``rasd publish``: the dry-run plan, the refusals, the calls, and a real round trip to a local Hub.

Never the network: the plan is checked against the files on disk, the call
sequence against a recording stand-in for ``HfApi``, and the whole path (the
real ``huggingface_hub`` client uploading and tagging two versions, then
``load_dataset("lab/rasd", revision="v0.1.0")`` reading each back) against
``tests/hub_server.py``, a small local server speaking the Hub's HTTP API
(commit API only: the client runs with ``HF_HUB_DISABLE_XET=1``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import huggingface_hub
import pytest
from conftest import copy_repo
from hub_server import serve
from test_release_e2e import DOC, History, history  # noqa: F401  (the two-release fixture)

from rasd.cli import main
from rasd.core.errors import RasdErrors, ReleaseError, RequestError
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.gold.annotations import write_annotations
from rasd.intake.ingest import iter_documents
from rasd.pipeline import release
from rasd.versions.publish import plan_publish, publish
from rasd.versions.versioning import parse_version


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = copy_repo(tmp_path_factory.mktemp("publish") / "repo")
    for path in repo.annotations_dir.glob("*.json"):
        path.unlink()
    document = next(iter(iter_documents(repo)))
    start = document.text.index("داعش")
    write_annotations(repo, document, [Span(start, start + 4, "ORG", "p1", "داعش", "islamic-state")])
    for other in iter_documents(repo):  # the others: annotated, with no span (status complete)
        if other.id != document.id:
            write_annotations(repo, other, [])
    release(repo, "minor")
    return repo


def expected_files(repo: Repo) -> list[str]:
    """What the Hub should get, listed from the folder itself."""
    top = ["README.md", "VERSION", "CHANGELOG.md", "MANIFEST.json", "croissant.json"]
    globs = ["images/*.png", "data/*/*.parquet", "raw/*", "annotations/*.json", "releases/*.json"]
    names = top + [
        p.relative_to(repo.dataset_dir).as_posix() for g in globs for p in repo.dataset_dir.glob(g)
    ]
    return sorted(names)


class NoNetwork:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("the dry run must not create a Hub client")


def test_dry_run_lists_exactly_the_release(
    released: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setattr(huggingface_hub, "HfApi", NoNetwork)
    code = main(
        ["--root", str(released.root), "publish", "--repo-id", "my-lab/rasd", "--private", "--dry-run"]
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "publish dataset v0.1.0 to my-lab/rasd (dataset repository, private)"
    assert lines[1] == "  create the repository if it does not exist (private)"
    files = [line.split()[0] for line in lines if line.startswith("    ")]
    assert files == expected_files(released)
    assert "releases/v0.1.0.diff.json" in files
    assert not any(name.startswith((".build", "releases/v0.2")) for name in files)
    for line in lines:
        if line.startswith("    "):
            name, size, _, _, sha = line.split()
            data = (released.dataset_dir / name).read_bytes()
            assert int(size) == len(data)
            assert sha == hashlib.sha256(data).hexdigest()
    assert lines[-3] == "  delete remote files that are not in this list (except .gitattributes)"
    assert lines[-2] == "  tag that commit v0.1.0: load_dataset('my-lab/rasd', revision='v0.1.0')"
    assert lines[-1] == "dry run: nothing was uploaded"


def test_an_unreleased_version_is_not_published(repo: Repo) -> None:
    with pytest.raises(ReleaseError) as caught:
        plan_publish(repo, "my-lab/rasd")
    assert str(caught.value).startswith(
        "dataset/VERSION: version 1.0.0 is not released, so there is nothing immutable to publish. "
        "Fix: run `rasd release --bump {major|minor|patch}` first"
    )


@pytest.mark.parametrize("repo_id", ["rasd", "my lab/rasd", "a/b/c", "/rasd", "org/"])
def test_a_bad_repo_id_is_refused(released: Repo, repo_id: str) -> None:
    with pytest.raises(RequestError) as caught:
        plan_publish(released, repo_id)
    assert (
        str(caught.value) == f"{repo_id!r} is not a Hub repository id. Fix: write ORG/NAME, e.g. my-lab/rasd"
    )


def test_without_a_token_nothing_is_uploaded(
    released: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setattr(huggingface_hub, "HfApi", NoNetwork)
    assert main(["--root", str(released.root), "publish", "--repo-id", "my-lab/rasd"]) == 1
    assert capsys.readouterr().err == (
        "error[RASD-E013]: no Hugging Face token: HF_TOKEN is not set. "
        "Fix: export HF_TOKEN=hf_... (a write token), or use --dry-run to see the plan\n"
    )


def test_a_tampered_release_is_not_published(released: Repo, tmp_path: Path) -> None:
    shutil.copytree(released.root, tmp_path / "copy")
    repo = Repo(tmp_path / "copy")
    (repo.dataset_dir / "README.md").write_text("changed after the release\n", encoding="utf-8")
    with pytest.raises(RasdErrors) as caught:
        plan_publish(repo, "my-lab/rasd")
    message = str(caught.value)
    assert message.startswith("2 files differ from release 0.1.0; not publishing:")
    assert "dataset/README.md: differs from release 0.1.0" in message


@dataclass
class Commit:
    oid: str
    commit_url: str


@dataclass
class Refs:
    tags: list[Any]


class RecordingApi:
    """Stands in for ``HfApi``: records each call and what the upload folder held at upload time."""

    calls: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    def __init__(self, endpoint: str | None = None, token: str | None = None) -> None:
        self.calls.append(("init", {"endpoint": endpoint, "token": token}))

    def create_repo(self, repo_id: str, **kwargs: Any) -> None:
        self.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))

    def upload_folder(self, *, folder_path: Path, **kwargs: Any) -> Commit:
        files = {
            p.relative_to(folder_path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in Path(folder_path).rglob("*")
            if p.is_file()
        }
        self.calls.append(("upload_folder", {"files": files, **kwargs}))
        return Commit("c0ffee", "https://hub.example/commit/c0ffee")

    def list_repo_refs(self, repo_id: str, **kwargs: Any) -> Any:
        self.calls.append(("list_repo_refs", {"repo_id": repo_id, **kwargs}))
        return Refs(tags=[])

    def create_tag(self, repo_id: str, **kwargs: Any) -> None:
        self.calls.append(("create_tag", {"repo_id": repo_id, **kwargs}))


def test_publish_uploads_the_plan_in_one_commit_then_tags_it(
    released: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    RecordingApi.calls = []
    monkeypatch.setattr(huggingface_hub, "HfApi", RecordingApi)
    plan = plan_publish(released, "my-lab/rasd", private=True)
    url = publish(released, plan, "hf_test", endpoint="http://127.0.0.1:9")
    assert url == "https://hub.example/commit/c0ffee"
    names = [name for name, _ in RecordingApi.calls]
    assert names == ["init", "create_repo", "list_repo_refs", "upload_folder", "create_tag"]
    calls = dict(RecordingApi.calls)
    assert calls["init"] == {"endpoint": "http://127.0.0.1:9", "token": "hf_test"}
    assert calls["create_repo"] == {
        "repo_id": "my-lab/rasd",
        "repo_type": "dataset",
        "private": True,
        "exist_ok": True,
    }
    upload = calls["upload_folder"]
    assert upload["files"] == {name: entry.sha256 for name, entry in plan.files}
    assert sorted(upload["files"]) == expected_files(released)
    assert (upload["repo_id"], upload["repo_type"]) == ("my-lab/rasd", "dataset")
    assert upload["commit_message"] == "Release v0.1.0"
    assert upload["delete_patterns"] == ["*", "**/*"]
    assert calls["create_tag"] == {
        "repo_id": "my-lab/rasd",
        "tag": "v0.1.0",
        "tag_message": "Release v0.1.0",
        "revision": "c0ffee",
        "repo_type": "dataset",
    }


# -- against a local Hub-compatible HTTP server (tests/hub_server.py), with the real client ----------


def hub_env(endpoint: str, home: Path) -> dict[str, str]:
    """The real client pointed at the local server; Xet storage off (the server speaks the commit API only)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_"))}
    return env | {
        "HF_ENDPOINT": endpoint,
        "HF_TOKEN": "hf_local_test_token",
        "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_OFFLINE": "0",
        "HF_DATASETS_OFFLINE": "0",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HOME": str(home),
    }


STRAY = """
from huggingface_hub import HfApi
api = HfApi()
api.create_repo("lab/rasd", repo_type="dataset", private=True)
api.upload_file(path_or_fileobj=b"old", path_in_repo="data/spans/old-00000-of-00001.parquet",
                repo_id="lab/rasd", repo_type="dataset")
"""

LOAD = """
import sys
from datasets import load_dataset
for revision in sys.argv[1:]:
    ds = load_dataset("lab/rasd", revision=revision)
    names = ds["train"].features["spans"].feature["label"].names
    records = {r["id"]: r for split in ds.values() for r in split}
    (span,) = [s for s in records["DOC"]["spans"] if s["id"] == "e2e-baghdad"]
    print(revision, len(records), names[span["label"]])
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False)


def test_publish_two_versions_to_a_local_hub_then_load_each_by_tag(
    history: History,  # noqa: F811  (the imported fixture)
    tmp_path: Path,
) -> None:
    server, hub = serve()
    try:
        env = hub_env(hub.base_url, tmp_path / "hf-home")
        stray = run(env, "-c", STRAY)  # a file of an older layout, which the release must delete
        assert stray.returncode == 0, stray.stderr
        root = str(history.repo.root)
        for version in ("v0.1.0", "v0.2.0"):
            result = run(
                env, "-m", "rasd", "--root", root, "publish", "--repo-id", "lab/rasd", "--version", version
            )
            assert result.returncode == 0, result.stderr
            assert f"published {version}: {hub.base_url}/datasets/lab/rasd/commit/" in result.stdout
        repo = hub.repos["lab/rasd"]
        assert repo.tags == {"v0.1.0", "v0.2.0"}
        assert repo.refs["main"] == repo.refs["v0.2.0"]
        for version in ("v0.1.0", "v0.2.0"):
            remote = repo.commits[repo.refs[version]]
            plan = plan_publish(history.repo, "lab/rasd", parse_version(version))
            assert sorted(remote) == sorted([".gitattributes", *(name for name, _ in plan.files)])
            for name, entry in plan.files:
                assert hashlib.sha256(remote[name]).hexdigest() == entry.sha256
        loaded = run(env, "-c", LOAD.replace("DOC", DOC), "v0.1.0", "v0.2.0")
        assert loaded.returncode == 0, loaded.stderr
        assert loaded.stdout.splitlines() == ["v0.1.0 5 LOC", "v0.2.0 5 ORG"]
        head = repo.refs["main"]
        again = run(
            env, "-m", "rasd", "--root", root, "publish", "--repo-id", "lab/rasd", "--version", "v0.1.0"
        )
        assert again.returncode == 1
        assert "]: tag v0.1.0 is already on the Hub in lab/rasd" in again.stderr
        assert repo.refs["main"] == head  # refused before uploading anything
    finally:
        server.shutdown()
