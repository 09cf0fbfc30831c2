"""The build looks for a document's cache entry only where one can be.

The first pass looks in the cache alone (this build's own entries are written by
that pass, after its look-up), and neither pass looks in a folder that does not
exist (``--no-cache`` reads from a folder nobody made): each needless look-up
was a failed open per document.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rasd.core.engine import EngineSpec
from rasd.core.paths import Repo
from rasd.dataset.build import BuildOptions
from rasd.dataset.buildpass import cache_folder
from rasd.formats import buildcache
from rasd.pipeline import build


def _lookups(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, bool]]:
    """``(the folder's name, whether the entry was found)`` of every look-up."""
    seen: Counter[tuple[str, bool]] = Counter()
    real = buildcache.read_entry

    def counted(folder: Path, key: str, *, records: bool) -> Any:
        found = real(folder, key, records=records)
        seen[folder.name, found is not None] += 1
        return found

    monkeypatch.setattr(buildcache, "read_entry", counted)
    return seen


@pytest.mark.parametrize("cache", [False, True])
def test_a_cold_build_looks_up_each_document_once_per_pass_at_most(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    shutil.rmtree(cache_folder(repo), ignore_errors=True)
    if cache:
        cache_folder(repo).mkdir(parents=True)  # there, but empty: every document is computed
    seen = _lookups(monkeypatch)
    report = build(repo, progress=False, options=BuildOptions(spec=EngineSpec("sync"), cache=cache))
    documents = report.documents
    assert documents >= 5
    assert seen[cache_folder(repo).name, True] == 0
    assert sum(n for (_, found), n in seen.items() if found) == documents  # the second pass: this build's own
    misses = sum(n for (_, found), n in seen.items() if not found)
    assert misses == (2 * documents if cache else 0)  # first pass: the cache; second: the cache, then its own
