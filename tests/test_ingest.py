"""Raw intake: ids from file names, strict UTF-8, empty/duplicate files, metadata, new files."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from rasd.core.errors import RasdError, RasdErrors, RawInputError, unbundle
from rasd.core.paths import Repo
from rasd.formats.metadata import read_metadata, write_metadata
from rasd.intake.ingest import MAX_RAW_BYTES_VARIABLE, iter_documents, load_metadata, max_raw_bytes
from rasd.pipeline import build
from rasd.text.clean import COMMENT_SECTION_MARKERS


def test_seed_ids_come_from_file_names(real_repo: Repo) -> None:
    ids = [d.id for d in iter_documents(real_repo)]
    assert ids[:5] == [
        "000_01a36b4f6357320d",
        "001_5b33b8c844d6be1e",
        "002_a9a60629cc9fd74b",
        "003_6ec577d5e0655de2",
        "004_25f35d1dbdb7fbb1",
    ]


def test_seed_metadata_is_attached(real_repo: Repo) -> None:
    by_id = {d.id: d for d in iter_documents(real_repo)}
    assert by_id["002_a9a60629cc9fd74b"].title == "مسؤول أمريكي: داعش سيُهزم على مواقع التواصل الاجتماعي"
    assert by_id["003_6ec577d5e0655de2"].source.author == "خالد الطائي"
    assert all(d.source.language == "ar" for d in by_id.values())


def test_a_new_raw_file_is_picked_up_without_code_changes(repo: Repo) -> None:
    (repo.raw_dir / "005_newarticle.txt").write_text(
        "قال مسؤول إن تيليغرام حذف 9122 قناة.\n", encoding="utf-8"
    )
    docs = {d.id: d for d in iter_documents(repo)}
    assert docs["005_newarticle"].text == "قال مسؤول إن تيليغرام حذف 9122 قناة."
    assert docs["005_newarticle"].title is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "005_cp1256.txt",
            "داعش".encode("cp1256"),
            "dataset/raw/005_cp1256.txt: document 005_cp1256: not UTF-8 (invalid byte 0xcf at byte 0). "
            "Fix: re-save the article as UTF-8",
        ),
        ("005_empty.txt", b"  \n", "dataset/raw/005_empty.txt: document 005_empty: empty file."),
        (
            "005_boilerplate.txt",
            "هل أعجبك هذا المقال؟\nالرد".encode(),
            "document 005_boilerplate: nothing is left after cleaning",
        ),
        ("005 bad name.txt", "نص".encode(), "file name '005 bad name.txt' does not make a valid document id"),
        (
            "005_copy.txt",
            None,  # filled with a copy of a seed
            "dataset/raw/005_copy.txt: document 005_copy: duplicate of dataset/raw/000_01a36b4f6357320d.txt",
        ),
    ],
)
def test_bad_raw_files_are_named(repo: Repo, name: str, content: bytes | None, message: str) -> None:
    if content is None:
        content = (repo.raw_dir / "000_01a36b4f6357320d.txt").read_bytes()
    (repo.raw_dir / name).write_bytes(content)
    with pytest.raises(RawInputError) as caught:
        list(iter_documents(repo))
    assert message in str(caught.value)


def test_near_duplicate_that_cleans_to_the_same_text_is_rejected(repo: Repo) -> None:
    seed = (repo.raw_dir / "001_5b33b8c844d6be1e.txt").read_text(encoding="utf-8")
    (repo.raw_dir / "005_reformatted.txt").write_text(seed.replace("\n", "\r\n") + "\n\n", encoding="utf-8")
    with pytest.raises(RawInputError, match=re.escape("duplicate of dataset/raw/001_5b33b8c844d6be1e.txt")):
        list(iter_documents(repo))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"005_missing": {"title": "x"}},
            "document 005_missing: metadata names a document that has no raw file",
        ),
        ({"000_01a36b4f6357320d": {"publisher": "x"}}, "unknown metadata field 'publisher'"),
        (
            {"000_01a36b4f6357320d": {"published": "21/01/2019"}},
            "published date '21/01/2019' is not ISO 8601",
        ),
        ({"000_01a36b4f6357320d": {"title": 7}}, "field 'title' must be a string or null"),
        (
            {"000_01a36b4f6357320d": {"published": "2019-13-45"}},
            "published date '2019-13-45' is not a real calendar date",
        ),
        (
            {"000_01a36b4f6357320d": {"published": "٢٠١٩-٠٢-٢١"}},
            "published date '٢٠١٩-٠٢-٢١' is not ISO 8601",
        ),
        (
            {"000_01a36b4f6357320d": {"title": "\ud800"}},
            "$.000_01a36b4f6357320d.title: the string holds a lone",
        ),
    ],
)
def test_bad_metadata_is_reported(repo: Repo, entry: dict[str, object], message: str) -> None:
    repo.metadata_file.write_text(json.dumps(entry), encoding="utf-8")  # ensure_ascii keeps \ud800 escaped
    with pytest.raises(RasdError) as caught:
        load_metadata(repo)
    assert "dataset/raw/metadata.json" in str(caught.value)
    assert message in str(caught.value)


def test_metadata_writer_round_trips_through_the_reader(repo: Repo, tmp_path: Path) -> None:
    metadata = load_metadata(repo)
    assert metadata.entries["003_6ec577d5e0655de2"].author == "خالد الطائي"
    copy = tmp_path / "metadata.json"
    assert write_metadata(copy, metadata) is True
    assert read_metadata(copy, file="copy.json", known=metadata.entries.keys()) == metadata
    assert write_metadata(copy, metadata) is False  # unchanged content is not rewritten


def large_article(seed_texts: list[str], size: int) -> str:
    """About ``size`` bytes of article text: the seeds in turn, each paragraph numbered so none repeats."""
    parts, total, index = [], 0, 0
    while total < size:
        part = f"{seed_texts[index % len(seed_texts)]}\n\nفقرة {index}\n\n"
        parts.append(part)
        total += len(part.encode("utf-8"))
        index += 1
    return "".join(parts)


def ingest_seconds(tmp_path: Path, name: str, article: str) -> float:
    """Wall time to ingest a repository holding only ``article`` (best of three runs)."""
    repo = Repo(tmp_path / name)
    repo.raw_dir.mkdir(parents=True)
    (repo.raw_dir / "000_large.txt").write_text(article, encoding="utf-8")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        (document,) = iter_documents(repo)
        times.append(time.perf_counter() - start)
    assert len(document.text) > len(article) // 2
    return min(times)


def test_ingest_time_grows_linearly_with_the_article(real_repo: Repo, tmp_path: Path) -> None:
    seeds = [  # without their comment sections, which would cut the article at the first one
        p.read_text(encoding="utf-8").split(COMMENT_SECTION_MARKERS[0])[0]
        for p in sorted(real_repo.raw_dir.glob("*.txt"))
    ]
    mb = 1024 * 1024
    small = ingest_seconds(tmp_path, "small", large_article(seeds, 4 * mb))
    large = ingest_seconds(tmp_path, "large", large_article(seeds, 16 * mb))
    ratio = large / small
    print(f"ingest: 4 MB {small:.2f} s, 16 MB {large:.2f} s, ratio {ratio:.1f} (linear: 4, quadratic: 16)")
    assert ratio < 6


def test_the_size_cap_is_20_mb_unless_configured(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_RAW_BYTES_VARIABLE, raising=False)
    assert max_raw_bytes() == 20 * 1024 * 1024
    monkeypatch.setenv(MAX_RAW_BYTES_VARIABLE, "4000")
    with pytest.raises(RasdErrors) as caught:
        list(iter_documents(repo))
    over = ["000_01a36b4f6357320d", "002_a9a60629cc9fd74b", "003_6ec577d5e0655de2", "004_25f35d1dbdb7fbb1"]
    assert [e.document for e in caught.value.errors] == over  # 001 has 3802 bytes, the others more than 4000
    assert {e.code for e in caught.value.errors} == {"RASD-E109"}
    assert "bytes, over the limit of 4000 bytes" in str(caught.value)


def test_every_bad_raw_file_is_reported_at_once(repo: Repo) -> None:
    (repo.raw_dir / "005_cp1256.txt").write_bytes("داعش".encode("cp1256"))
    (repo.raw_dir / "006_empty.txt").write_bytes(b"  \n")
    (repo.raw_dir / "007_folder.txt").mkdir()
    with pytest.raises(RawInputError) as folder:
        list(iter_documents(repo))
    assert folder.value.code == "RASD-E106"  # the folder first: no article is read before it is fixed
    (repo.raw_dir / "007_folder.txt").rmdir()
    with pytest.raises(RasdErrors) as caught:
        list(iter_documents(repo))
    assert [(e.document, e.code) for e in caught.value.errors] == [
        ("005_cp1256", "RASD-E102"),
        ("006_empty", "RASD-E103"),
    ]


def test_a_duplicate_reached_through_a_link_is_named_by_the_link(repo: Repo, tmp_path: Path) -> None:
    """The build's duplicate check names raw entries as `rasd validate` does: the link, not its target."""
    first = sorted(repo.raw_dir.glob("*.txt"))[0]
    outside = tmp_path / "elsewhere" / "article.txt"
    outside.parent.mkdir()
    outside.write_bytes(first.read_bytes())
    (repo.raw_dir / "999_linked.txt").symlink_to(outside)
    with pytest.raises(RasdError) as caught:
        build(repo, progress=False)
    duplicates = [e for e in unbundle(caught.value) if e.code == "RASD-E105"]
    assert [(e.file, e.values["duplicate_of"]) for e in duplicates] == [
        ("dataset/raw/999_linked.txt", f"dataset/raw/{first.name}")
    ]
