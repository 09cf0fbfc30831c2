"""A document's text part (what its raw file alone decides) comes from its own cache when only gold changed.

The import of annotators' work writes a gold file for every document, so every
records entry misses; the text parts (cleaned text, offset map, hashes,
near-duplicate fingerprint, the pattern's tokens) are keyed by the raw bytes
alone and read back instead of made again.  The data must be the same bytes as
a cold build's, and a damaged or missing text part is only made again.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_repo
from test_build_parallel import PLACE, SYNTHETIC, add_articles, edit_gold, fresh, run, snapshot

from rasd.core.engine import EngineSpec
from rasd.core.labels import Label
from rasd.core.model import Source, Span
from rasd.core.paths import Repo
from rasd.dataset import docwork, textpart
from rasd.dataset.buildpass import cache_folder
from rasd.formats import buildcache
from rasd.formats.gold import write_annotations
from rasd.intake.ingest import iter_documents, read_document
from rasd.text.tokens import tokenize, words

EDITED = ("syn_00004", "syn_00008", "syn_00012")
ANNOTATED = ("syn_00002", "syn_00003", "syn_00007")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("textpart") / "repo")
    shutil.rmtree(cache_folder(repo), ignore_errors=True)  # every test starts cold
    shutil.rmtree(textpart.cache_of(cache_folder(repo)), ignore_errors=True)
    add_articles(repo, SYNTHETIC // 4)
    return repo.root


def change_gold(repo: Repo) -> int:
    """Gold edited on some documents and drawn on others (unannotated, in progress); how many changed."""
    for doc_id in EDITED:
        edit_gold(repo, doc_id)
    for document in iter_documents(repo):
        if document.id in ANNOTATED:
            start = document.text.index(PLACE)
            write_annotations(
                repo, document, [Span(start, start + len(PLACE), Label.LOC, f"s-new-{document.id}", PLACE)]
            )
    return len(EDITED) + len(ANNOTATED)


def counted_make(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = textpart.make

    def counting(repo: Repo, raw_file: str, *args: Any, **kwargs: Any) -> textpart.TextPart:
        made.append(raw_file)
        return real(repo, raw_file, *args, **kwargs)

    monkeypatch.setattr(textpart, "make", counting)
    return made


@pytest.fixture
def cold_after_change(template: Path, tmp_path: Path) -> dict[str, bytes]:
    repo = fresh(template, tmp_path / "cold")
    change_gold(repo)
    run(repo, EngineSpec("sync"), cache=False)
    return snapshot(repo)


def test_a_rebuild_after_gold_changed_reads_every_text_part_and_equals_a_cold_build(
    template: Path, tmp_path: Path, cold_after_change: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fresh(template, tmp_path / "warm")
    first = run(repo, EngineSpec("sync"))
    assert len(list(buildcache.iter_entries(textpart.cache_of(cache_folder(repo))))) == first.documents
    changed = change_gold(repo)
    made = counted_make(monkeypatch)
    report = run(repo, EngineSpec("sync"))
    assert report.recomputed == changed
    assert made == []
    assert snapshot(repo) == cold_after_change
    # every document's text part is still in the text cache, found by the next build's look-ups
    assert len(list(buildcache.iter_entries(textpart.cache_of(cache_folder(repo))))) == report.documents


def test_the_text_parts_survive_a_build_that_found_every_records_entry(
    template: Path, tmp_path: Path
) -> None:
    repo = fresh(template, tmp_path / "repo")
    run(repo, EngineSpec("sync"))
    before = list(buildcache.iter_entries(textpart.cache_of(cache_folder(repo))))
    assert run(repo, EngineSpec("sync")).recomputed == 0
    assert list(buildcache.iter_entries(textpart.cache_of(cache_folder(repo)))) == before


@pytest.mark.parametrize("how", ["damaged", "missing"])
def test_a_damaged_text_part_is_made_again_never_trusted(
    template: Path,
    tmp_path: Path,
    cold_after_change: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    repo = fresh(template, tmp_path / "repo")
    run(repo, EngineSpec("sync"))
    packs = buildcache.pack_folder(textpart.cache_of(cache_folder(repo)))
    for pack in packs.iterdir():
        if how == "missing":
            pack.unlink()
        else:  # one byte flipped in the middle of every entry's text
            data = bytearray(pack.read_bytes())
            for _, location in buildcache.iter_entries(textpart.cache_of(cache_folder(repo))):
                if location.pack.hex() == pack.stem:
                    data[location.offset + location.length // 2] ^= 0x01
            pack.write_bytes(bytes(data))
    changed = change_gold(repo)
    made = counted_make(monkeypatch)
    report = run(repo, EngineSpec("sync"))
    assert report.recomputed == changed
    assert sorted(made) == sorted(f"{doc_id}.txt" for doc_id in (*EDITED, *ANNOTATED))
    assert snapshot(repo) == cold_after_change


def test_a_text_part_read_back_is_the_one_made(template: Path, tmp_path: Path) -> None:
    repo = fresh(template, tmp_path / "repo")
    for path in sorted(repo.raw_dir.glob("*.txt")):
        job = docwork.Job(str(repo.root), path.name, "a title", Source(path.name), "", "", "code")
        data = path.read_bytes()
        made = textpart.make(repo, job.raw_file, job.title, job.source, data)
        key = textpart.text_key(job.code, job.raw_file, data)
        found = buildcache.parse_entry(textpart.entry(key, made), key, records=True)
        assert found is not None
        assert textpart.from_entry(job.doc_id, job.title, job.source, found) == made
        _, document = read_document(repo, path, job.title, job.source)
        assert made.document == document
        assert made.words is not None
        assert list(zip(*made.words, strict=True)) == tokenize(document.text)
        bare = textpart.make(repo, job.raw_file, job.title, job.source, data, tokens=False)
        assert bare.words is None
        assert bare.with_words() == made
        found = buildcache.parse_entry(textpart.entry(key, bare), key, records=True)
        assert found is not None
        assert textpart.from_entry(job.doc_id, job.title, job.source, found) == bare
        assert buildcache.parse_entry(textpart.entry(key, made), "0" * 64, records=True) is None


def test_the_text_key_is_the_raw_bytes_name_and_code() -> None:
    key = textpart.text_key("code", "a.txt", b"abc")
    assert key != textpart.text_key("code", "b.txt", b"abc")
    assert key != textpart.text_key("code", "a.txt", b"abd")
    assert key != textpart.text_key("other", "a.txt", b"abc")
    assert key == textpart.text_key("code", "a.txt", b"abc")


def test_split_words_give_the_same_tokens_as_tokenize() -> None:
    rng = random.Random(3)
    alphabet = ["و", "ف", "ي", "س", "ب", "و", "ك", " ", "،", "1", "٢", ".", "\u064e", "a", "\n"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, rng.randrange(0, 6))))
        assert tokenize(text, cuts, split=words(text)) == tokenize(text, cuts)


def test_no_text_cache_is_kept_without_a_cache(template: Path, tmp_path: Path) -> None:
    repo = fresh(template, tmp_path / "repo")
    shutil.rmtree(textpart.cache_of(cache_folder(repo)), ignore_errors=True)
    run(repo, EngineSpec("sync"), cache=False)
    assert not textpart.cache_of(cache_folder(repo)).exists()
