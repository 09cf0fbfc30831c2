"""``dataset/VERSION``: the version the build writes into the card, Croissant and the manifest.

One reader for every module that needs it.  The text is returned as written
(stripped); what makes it a valid version is ``rasd.versions.versioning``'s
business (``rasd verify``, ``rasd validate`` and the release guard parse it).
``rasd release`` writes it with ``write_version``.
"""

from __future__ import annotations

from rasd.core.io import atomic_write_text, read_text
from rasd.core.paths import Repo

VERSION_FILE = "VERSION"
DEFAULT_VERSION = "0.1.0"
"""What an absent ``dataset/VERSION`` means (the foundation's first version)."""


def read_version(repo: Repo) -> str:
    """The stripped text of ``dataset/VERSION``, or ``DEFAULT_VERSION`` when there is none."""
    path = repo.dataset_dir / VERSION_FILE
    return read_text(path, file=repo.relative(path)).strip() if path.exists() else DEFAULT_VERSION


def write_version(repo: Repo, version: str) -> bool:
    """Set ``dataset/VERSION`` (one line); True when it changed."""
    return atomic_write_text(repo.dataset_dir / VERSION_FILE, f"{version}\n")
