"""Git as the store of older releases: blob ids, reading blobs and tags, tagging.

A release record stores the git blob id of every released file next to its
sha256.  A blob id depends only on the bytes, so it is computed without git,
and ``git cat-file blob ID`` finds those bytes in any clone whose history
contains a commit with that file: a tag is a convenience, not a requirement.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from rasd.core.problems.versions import GIT_FAILED, NOT_A_GIT_REPO, TAG_EXISTS


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)


def is_git_repo(root: Path) -> bool:
    result = _git(root, "rev-parse", "--is-inside-work-tree")
    return result.returncode == 0 and result.stdout.strip() == b"true"


def toplevel(root: Path) -> Path:
    return Path(_git(root, "rev-parse", "--show-toplevel").stdout.decode().strip())


def read_blob(root: Path, blob_id: str) -> bytes | None:
    """The bytes of a blob in the repository at ``root``, or None when git does not have it."""
    if not is_git_repo(root):
        return None
    result = _git(root, "cat-file", "blob", blob_id)
    return result.stdout if result.returncode == 0 else None


def read_at(root: Path, revision: str, path: Path) -> bytes | None:
    """The bytes of ``path`` (a file under ``root``) at ``revision``, or None."""
    if not is_git_repo(root):
        return None
    relative = path.resolve().relative_to(toplevel(root)).as_posix()
    result = _git(root, "show", f"{revision}:{relative}")
    return result.stdout if result.returncode == 0 else None


def tags(root: Path, pattern: str) -> list[str]:
    if not is_git_repo(root):
        return []
    result = _git(root, "tag", "--list", pattern)
    return [line for line in result.stdout.decode().splitlines() if line]


def commit_and_tag(root: Path, paths: list[Path], message: str, tag: str) -> str:
    """Commit exactly ``paths`` (when they changed) and put an annotated ``tag`` on that commit.

    Only the named paths are staged and committed, so other work in the tree is
    left alone.  Returns the tagged commit id.
    """
    if not is_git_repo(root):
        raise NOT_A_GIT_REPO(tag=tag, root=str(root))
    if _git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}").returncode == 0:
        raise TAG_EXISTS(tag=tag)
    names = [str(p) for p in paths if p.exists() or _tracked(root, p)]
    _run(root, "add", "-A", "--", *names)
    if _git(root, "diff", "--cached", "--quiet", "--", *names).returncode != 0:
        _run(root, "commit", "-q", "-m", message, "--", *names)
    _run(root, "tag", "-a", tag, "-m", message)
    return _git(root, "rev-parse", "HEAD").stdout.decode().strip()


def _run(root: Path, *args: str) -> None:
    """A git command that must succeed."""
    result = _git(root, *args)
    if result.returncode != 0:
        raise GIT_FAILED(command=args[0], reason=result.stderr.decode().strip())


def _tracked(root: Path, path: Path) -> bool:
    return _git(root, "ls-files", "--error-unmatch", "--", str(path)).returncode == 0
