"""The build looks for a document's cache entry only where one can be, and reads each pack once a batch.

The first pass bisects the cache's index (none: no look-up at all, as with
``--no-cache``); the second pass is told where each entry is, so it reads it
without a look-up, and a batch opens each pack it reads once.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from typing import Any

import pytest

from rasd.core.engine import EngineSpec
from rasd.core.paths import Repo
from rasd.dataset import textpart
from rasd.dataset.build import BuildOptions
from rasd.dataset.buildpass import cache_folder
from rasd.formats import buildcache
from rasd.pipeline import build


def _counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Index look-ups (found or not), entry reads (sound or not), and packs opened."""
    seen: Counter[str] = Counter()
    find, read, real_open = buildcache.Index.find, buildcache.PackReader.read, os.open

    def counted_find(self: buildcache.Index, key: str) -> Any:
        found = find(self, key)
        seen["found" if found is not None else "not found"] += 1
        return found

    def counted_read(self: buildcache.PackReader, *args: Any, **kwargs: Any) -> Any:
        entry = read(self, *args, **kwargs)
        seen["read" if entry is not None else "unsound"] += 1
        return entry

    def counted_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).endswith(buildcache.PACK_SUFFIX):
            seen["pack opened"] += 1
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(buildcache.Index, "find", counted_find)
    monkeypatch.setattr(buildcache.PackReader, "read", counted_read)
    monkeypatch.setattr(os, "open", counted_open)
    return seen


@pytest.mark.parametrize("cache", [False, True])
def test_a_cold_build_looks_nothing_up_and_reads_each_entry_once(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    shutil.rmtree(cache_folder(repo), ignore_errors=True)
    shutil.rmtree(textpart.cache_of(cache_folder(repo)), ignore_errors=True)
    if cache:
        cache_folder(repo).mkdir(parents=True)  # there, but empty: every document is computed
    seen = _counted(monkeypatch)
    report = build(repo, progress=False, options=BuildOptions(spec=EngineSpec("sync"), cache=cache))
    documents = report.documents
    assert documents >= 5
    assert report.recomputed == documents
    assert seen == {"read": documents, "pack opened": 1}  # the second pass, from this build's one pack


def test_a_warm_build_looks_each_document_up_once_and_opens_each_pack_once_a_batch(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(cache_folder(repo), ignore_errors=True)
    shutil.rmtree(textpart.cache_of(cache_folder(repo)), ignore_errors=True)
    options = BuildOptions(spec=EngineSpec("sync"), batch=3)
    build(repo, progress=False, options=options)
    seen = _counted(monkeypatch)
    report = build(repo, progress=False, options=options)
    documents = report.documents
    assert report.cached == documents >= 5
    batches = -(-documents // 3)
    assert seen["found"] == 2 * documents  # its records entry, and its text part's place (kept)
    assert seen["not found"] == 0
    assert seen["read"] == 2 * documents
    assert seen["unsound"] == 0
    assert seen["pack opened"] == 2 * batches  # a batch's entries were written together: one pack
