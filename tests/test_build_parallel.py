"""The build on the engine: the same bytes whatever the engine, workers or batch size; incremental; streaming.

The corpus is the work-in-progress checkout plus synthetic articles made here
from a short word list written for this test (random words, a number, and a
place name where a gold span goes): some with gold (complete), some in
progress, some with stored suggestions, most unannotated.
"""

from __future__ import annotations

import builtins
import io
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_repo

from rasd.cli import main
from rasd.core.engine import EngineSpec
from rasd.core.errors import RasdError
from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.dataset import docwork, textpart
from rasd.dataset.build import BuildOptions, BuildReport
from rasd.dataset.buildpass import cache_folder
from rasd.formats import buildcache
from rasd.formats.gold import IN_PROGRESS, write_annotations
from rasd.intake.ingest import iter_documents
from rasd.pipeline import build
from rasd.preannotate.stored import save_predictions

# Written for this test: everyday words of a municipal news item, in no particular order.
WORDS = [
    "قال",
    "المسؤول",
    "إن",
    "الاجتماع",
    "سيعقد",
    "في",
    "مبنى",
    "البلدية",
    "يوم",
    "الأحد",
    "المقبل",
    "لبحث",
    "خطة",
    "جديدة",
    "للنقل",
    "والتعليم",
    "والصحة",
    "مع",
    "ممثلي",
    "الأحياء",
    "والشركات",
    "المحلية",
    "وأضاف",
    "أن",
    "اللجنة",
    "ستنشر",
    "تقريرها",
    "بعد",
    "أسبوعين",
    "وأن",
    "السكان",
    "مدعوون",
    "إلى",
    "تقديم",
    "ملاحظاتهم",
]
PLACE = "الموصل"
SYNTHETIC = 120


def article(index: int, rng: random.Random, words: int) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"خبر رقم {index}\n\nزار الوفد {PLACE} صباحا. {body}.\n"


def add_articles(repo: Repo, count: int, *, words: int = 60, gold_every: int = 4, seed: int = 7) -> None:
    """``count`` synthetic raw files; every ``gold_every``-th gets gold, some in progress, some suggestions."""
    rng = random.Random(seed)
    for i in range(count):
        (repo.raw_dir / f"syn_{i:05d}.txt").write_text(article(i, rng, words), encoding="utf-8")
    for document in iter_documents(repo):
        if not document.id.startswith("syn_"):
            continue
        i = int(document.id.split("_")[1])
        start = document.text.index(PLACE)
        span = Span(start, start + len(PLACE), Label.LOC, f"s{i:05d}place", PLACE)
        if i % gold_every == 0:
            write_annotations(repo, document, [span])
        elif i % gold_every == 1:
            write_annotations(repo, document, [span], status=IN_PROGRESS)
        elif i % 10 == 2:
            save_predictions(
                repo, document, [Span(span.start, span.end, Label.LOC, span.id, PLACE, score=0.5)]
            )


def snapshot(repo: Repo) -> dict[str, bytes]:
    """Every file a build writes (the data, card, schemas, Label Studio config, chart, Croissant)."""
    roots = [repo.dataset_dir, repo.schema_dir, repo.root / "annotation"]
    files = [p for root in roots for p in root.rglob("*") if p.is_file() and ".build-" not in str(p)]
    return {p.relative_to(repo.root).as_posix(): p.read_bytes() for p in [*files, repo.card_file]}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("parallel") / "repo")
    shutil.rmtree(cache_folder(repo), ignore_errors=True)  # every test starts cold
    shutil.rmtree(textpart.cache_of(cache_folder(repo)), ignore_errors=True)
    add_articles(repo, SYNTHETIC)
    return repo.root


def fresh(template: Path, target: Path) -> Repo:
    shutil.copytree(template, target)
    return Repo(target)


def run(repo: Repo, spec: EngineSpec, *, batch: int = 16, cache: bool = True) -> BuildReport:
    return build(repo, progress=False, options=BuildOptions(spec=spec, batch=batch, cache=cache))


@pytest.fixture(scope="module")
def reference(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of a cold build in this process, one document at a time: what every engine must match."""
    repo = fresh(template, tmp_path_factory.mktemp("reference") / "repo")
    seeds = len([p for p in repo.raw_dir.glob("*.txt") if not p.name.startswith("syn_")])
    report = run(repo, EngineSpec("sync"), batch=1, cache=False)
    assert report.documents == seeds + SYNTHETIC
    assert report.statuses["complete"] == seeds + SYNTHETIC // 4
    assert report.statuses["in_progress"] == SYNTHETIC // 4
    assert report.recomputed == report.documents
    return snapshot(repo)


@pytest.mark.parametrize(
    ("spec", "batch"),
    [
        (EngineSpec("sync"), 16),
        (EngineSpec("sync"), 1000),
        (EngineSpec("local", workers=2), 7),
        (EngineSpec("local", workers=2), 64),
        (EngineSpec("cluster", workers=2, address="local"), 16),
    ],
    ids=["sync-16", "sync-1000", "local2-7", "local2-64", "cluster2-16"],
)
def test_the_build_is_the_same_bytes_on_every_engine_and_batch_size(
    template: Path, tmp_path: Path, reference: dict[str, bytes], spec: EngineSpec, batch: int
) -> None:
    repo = fresh(template, tmp_path / "repo")
    report = run(repo, spec, batch=batch)
    assert report.recomputed == report.documents == len(list(repo.raw_dir.glob("*.txt")))
    assert snapshot(repo) == reference
    # warm: nothing recomputed, nothing changed
    again = run(repo, spec, batch=batch)
    assert (again.recomputed, again.cached, again.changed) == (0, again.documents, [])
    assert snapshot(repo) == reference


def edit_gold(repo: Repo, doc_id: str) -> None:
    """Move the document's gold from complete to in progress (one gold file's bytes change)."""
    document = next(d for d in iter_documents(repo) if d.id == doc_id)
    start = document.text.index(PLACE)
    span = Span(start, start + len(PLACE), Label.LOC, "s-edited", PLACE)
    write_annotations(repo, document, [span], status=IN_PROGRESS)


def test_a_rebuild_after_one_gold_change_recomputes_one_document_and_equals_a_cold_build(
    template: Path, tmp_path: Path
) -> None:
    warm = fresh(template, tmp_path / "warm")
    run(warm, EngineSpec("local", workers=2))
    edit_gold(warm, "syn_00008")
    report = run(warm, EngineSpec("local", workers=2))
    assert (report.recomputed, report.cached) == (1, report.documents - 1)
    assert "dataset/dataset_card.md" not in report.changed
    cold = fresh(template, tmp_path / "cold")
    edit_gold(cold, "syn_00008")
    assert run(cold, EngineSpec("sync"), cache=False).recomputed == report.documents
    assert snapshot(warm) == snapshot(cold)
    # the cache's index holds exactly the current documents' entries
    assert len(list(buildcache.iter_entries(cache_folder(warm)))) == report.documents


def entry_places(repo: Repo) -> list[tuple[Path, int, int]]:
    """``(pack, offset, length)`` of every entry the cache's index points to, by pack and offset."""
    packs = buildcache.pack_folder(cache_folder(repo))
    places = [
        (packs / f"{location.pack.hex()}{buildcache.PACK_SUFFIX}", location.offset, location.length)
        for _, location in buildcache.iter_entries(cache_folder(repo))
    ]
    return sorted(places)


def damage(repo: Repo, how: str) -> int:
    """Damage the cache ``how``; return how many entries it damaged (the ones the next build recomputes)."""
    places = entry_places(repo)
    pack = places[0][0]
    in_pack = [place for place in places if place[0] == pack]
    assert len(in_pack) >= 4
    data = bytearray(pack.read_bytes())
    if how == "pack truncated in its third entry":
        cut = in_pack[2][1] + in_pack[2][2] // 2
        pack.write_bytes(bytes(data[:cut]))
        return len(in_pack) - 2
    if how == "empty pack":
        pack.write_bytes(b"")
        return len(in_pack)
    if how == "missing pack":
        pack.unlink()
        return len(in_pack)
    if how == "empty index":
        (cache_folder(repo) / buildcache.INDEX_FILE).write_bytes(b"")
        return len(places)
    if how == "truncated index":
        index = cache_folder(repo) / buildcache.INDEX_FILE
        index.write_bytes(index.read_bytes()[:-7])
        return len(places)
    for _, offset, length in in_pack[1:4]:  # three entries, each damaged in place
        entry = bytes(data[offset : offset + length])
        if how == "flipped byte in the records":
            at = length - 20
            entry = entry[:at] + bytes([entry[at] ^ 0x01]) + entry[at + 1 :]
        elif how == "other key in the header":
            header, _, body = entry.partition(b"\n")
            magic, version, key, digest = header.split(b" ")
            entry = b" ".join([magic, version, key[::-1], digest]) + b"\n" + body
        elif how == "garbage":
            entry = (b"\x00\xff not an entry \n" * length)[:length]
        data[offset : offset + length] = entry
    pack.write_bytes(bytes(data))
    return 3


@pytest.mark.parametrize(
    "how",
    [
        "pack truncated in its third entry",
        "empty pack",
        "missing pack",
        "empty index",
        "truncated index",
        "flipped byte in the records",
        "other key in the header",
        "garbage",
    ],
)
def test_a_damaged_cache_entry_is_recomputed_never_trusted(
    template: Path, tmp_path: Path, reference: dict[str, bytes], how: str
) -> None:
    repo = fresh(template, tmp_path / "repo")
    run(repo, EngineSpec("sync"))
    damaged = damage(repo, how)
    report = run(repo, EngineSpec("sync"))
    assert report.recomputed == damaged
    assert snapshot(repo) == reference
    assert run(repo, EngineSpec("sync")).recomputed == 0  # the damaged entries were rewritten


def test_a_failed_build_leaves_the_cache_as_it_was(template: Path, tmp_path: Path) -> None:
    repo = fresh(template, tmp_path / "repo")
    run(repo, EngineSpec("sync"))
    before = {p: p.read_bytes() for p in cache_folder(repo).rglob("*") if p.is_file()}
    edit_gold(repo, "syn_00004")  # a new entry would be computed for this one...
    (repo.raw_dir / "syn_00003.txt").write_bytes("نص\x01".encode())  # ...but this raw file is refused
    with pytest.raises(RasdError, match="control character"):
        run(repo, EngineSpec("local", workers=2))
    assert {p: p.read_bytes() for p in cache_folder(repo).rglob("*") if p.is_file()} == before


# --- streaming: per-document work does not grow with the corpus ---------------------------------


def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count file opens (every read and write through Python) and per-document computations."""
    counts = {"open": 0, "compute": 0}
    real_open: Callable[..., Any] = builtins.open
    real_compute = docwork.compute

    def counted_open(*args: Any, **kwargs: Any) -> Any:
        counts["open"] += 1
        return real_open(*args, **kwargs)

    def counted_compute(*args: Any, **kwargs: Any) -> Any:
        counts["compute"] += 1
        return real_compute(*args, **kwargs)

    monkeypatch.setattr(builtins, "open", counted_open)
    monkeypatch.setattr(io, "open", counted_open)
    monkeypatch.setattr(docwork, "compute", counted_compute)
    return counts


def corpus(tmp_path: Path, size: int) -> Repo:
    repo = copy_repo(tmp_path / f"repo-{size}")
    shutil.rmtree(cache_folder(repo), ignore_errors=True)
    shutil.rmtree(textpart.cache_of(cache_folder(repo)), ignore_errors=True)
    add_articles(repo, size, words=25, gold_every=3, seed=size)
    return repo


@pytest.fixture(scope="module")
def per_document_cost(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {}
    for size in (250, 1000):
        repo = corpus(tmp_path_factory.mktemp("scale"), size)
        with pytest.MonkeyPatch.context() as monkeypatch:
            counts = counting(monkeypatch)
            cold = run(repo, EngineSpec("sync"), batch=64)
            found[size] = {**counts, "documents": cold.documents}
            counts.update(open=0, compute=0)
            run(repo, EngineSpec("sync"), batch=64)
            found[size].update(warm_open=counts["open"], warm_compute=counts["compute"])
    return found


def test_each_document_is_computed_once_cold_and_never_warm(
    per_document_cost: dict[int, dict[str, int]],
) -> None:
    for cost in per_document_cost.values():
        assert cost["compute"] == cost["documents"]
        assert cost["warm_compute"] == 0


@pytest.mark.parametrize("kind", ["open", "warm_open"])
def test_file_opens_per_document_do_not_grow_with_the_corpus(
    per_document_cost: dict[int, dict[str, int]], kind: str
) -> None:
    small, large = per_document_cost[250], per_document_cost[1000]
    per_small = small[kind] / small["documents"]
    per_large = large[kind] / large["documents"]
    assert per_large <= per_small * 1.05, (per_small, per_large)
    assert per_large < 16  # raw, gold, suggestions, cache entry (read twice, written once): a handful


# --- the command line ------------------------------------------------------------------------------


def test_rasd_build_takes_the_engine_options_and_reports_what_it_recomputed(
    template: Path, tmp_path: Path, reference: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = fresh(template, tmp_path / "repo")
    total = len(list(repo.raw_dir.glob("*.txt")))
    command = ["--root", str(repo.root), "build", "--quiet", "--workers", "2", "--batch", "8"]
    assert main(command) == 0
    assert f"{total} documents computed, 0 from the cache" in capsys.readouterr().out
    assert snapshot(repo) == reference
    assert main(command) == 0
    assert f"0 documents computed, {total} from the cache" in capsys.readouterr().out
    assert main(["--root", str(repo.root), "validate", "--workers", "2"]) == 0


@pytest.mark.parametrize("bad", ["0", "-3", "many"])
def test_a_batch_below_one_is_a_usage_error(
    template: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--root", str(template), "build", "--batch", bad])
    assert exited.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_a_cache_that_cannot_be_written_only_costs_time(
    template: Path, tmp_path: Path, reference: dict[str, bytes]
) -> None:
    repo = fresh(template, tmp_path / "repo")
    blocker = cache_folder(repo).parent
    shutil.rmtree(blocker, ignore_errors=True)
    blocker.write_text("a file where the cache folder would go\n", encoding="utf-8")
    for _ in range(2):
        report = run(repo, EngineSpec("sync"))
        assert report.recomputed == report.documents
        assert snapshot(repo) == reference


def test_new_documents_leave_every_other_entry_where_it_was(template: Path, tmp_path: Path) -> None:
    """Batches shift when documents are added; entries are found by key, so only the new ones are written."""
    repo = fresh(template, tmp_path / "repo")
    run(repo, EngineSpec("sync"))
    before = dict(buildcache.iter_entries(cache_folder(repo)))
    packs_before = set(buildcache.pack_folder(cache_folder(repo)).iterdir())
    rng = random.Random(11)
    for name in ("aaa_first", "syn_00050b", "zzz_last"):  # at the start, in the middle, at the end
        (repo.raw_dir / f"{name}.txt").write_text(article(900, rng, 40), encoding="utf-8")
    report = run(repo, EngineSpec("sync"))
    assert report.recomputed == 3
    after = dict(buildcache.iter_entries(cache_folder(repo)))
    assert len(after) == len(before) + 3
    assert {key: after[key] for key in before} == before
    new_packs = set(buildcache.pack_folder(cache_folder(repo)).iterdir()) - packs_before
    assert 1 <= len(new_packs) <= 3  # one a batch that had a new document
    assert packs_before <= set(buildcache.pack_folder(cache_folder(repo)).iterdir())


def test_a_pack_that_cannot_be_written_only_costs_time(
    template: Path, tmp_path: Path, reference: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first pass cannot write its entries: the second computes the records again, same bytes."""
    repo = fresh(template, tmp_path / "repo")

    def full_disk(folder: Path, entries: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(buildcache, "write_pack", full_disk)
    counts = counting(monkeypatch)
    report = run(repo, EngineSpec("sync"))
    assert report.recomputed == report.documents
    assert counts["compute"] == 2 * report.documents
    assert snapshot(repo) == reference
    assert list(buildcache.iter_entries(cache_folder(repo))) == []
