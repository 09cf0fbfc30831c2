"""Reading a raw file: the quick path (no name looked up, control characters found in the bytes)
accepts exactly the files the complete checks accept, with the same text; every other file
goes through the complete checks, which name the problem as before.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.errors import RasdError, unbundle
from rasd.core.paths import Repo
from rasd.intake import ingest
from rasd.intake.ingest import MAX_RAW_BYTES_VARIABLE, read_raw


def complete(repo: Repo, path: Path, data: bytes | None) -> str | list[str]:
    """The complete checks' text, or the codes and messages of what they raise."""
    try:
        return ingest._checked_raw(repo, path, shown=None, data=data)
    except RasdError as error:
        return [str(problem) for problem in unbundle(error)]


def answer(repo: Repo, path: Path, data: bytes | None) -> str | list[str]:
    try:
        return read_raw(repo, path, data=data)
    except RasdError as error:
        return [str(problem) for problem in unbundle(error)]


# Bytes of every kind the checks look at: controls, blanks, line endings, ASCII, Arabic,
# a character outside the BMP, and bytes that are no UTF-8 (a lone continuation, cp1256).
CHUNKS = st.sampled_from(
    [
        b"",
        b" ",
        b"\t",
        b"\n",
        b"\r\n",
        b"\r",
        b"\x00",
        b"\x01",
        b"\x08",
        b"\x0b",
        b"\x0c",
        b"\x0e",
        b"\x1b",
        b"\x1f",
        b"\x7f",
        b"a",
        "داعش".encode(),
        "\u00a0".encode(),
        "\u2028".encode(),
        "😀".encode(),
        b"\x80",
        b"\xd8",
        "داعش".encode("cp1256"),
        b"\xef\xbb\xbf",
    ]
)
DATA = st.one_of(st.lists(CHUNKS, max_size=12).map(b"".join), st.binary(max_size=24))


@given(DATA)
def test_the_quick_path_accepts_what_the_complete_checks_accept(data: bytes) -> None:
    repo = Repo(Path(__file__).resolve().parents[1])
    path = repo.raw_dir / "005_article.txt"  # never read: the bytes are given
    quick = ingest._sound_raw(path, data)
    expected = complete(repo, path, data)
    if quick is not None:
        assert quick == expected
    assert answer(repo, path, data) == expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("005 bad name.txt", "نص".encode()),
        ("-005.txt", "نص".encode()),
        ("005_cp1256.txt", "داعش".encode("cp1256")),
        ("005_empty.txt", b""),
        ("005_blank.txt", b"  \n\t\r\n"),
        ("005_control.txt", "نص\x07 آخر".encode()),
        ("005_escape.txt", "نص \x1b[0m".encode()),
        ("005_large.txt", ("نص " * 50).encode()),
    ],
)
def test_each_bad_file_takes_the_complete_checks(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes
) -> None:
    monkeypatch.setenv(MAX_RAW_BYTES_VARIABLE, "200")
    path = repo.raw_dir / name
    path.write_bytes(data)
    assert ingest._sound_raw(path, data) is None
    assert ingest._sound_raw(path, None) is None
    expected = complete(repo, path, None)
    assert isinstance(expected, list)
    assert expected
    assert answer(repo, path, None) == expected
    assert answer(repo, path, data) == complete(repo, path, data) == expected


def test_entries_that_are_no_file_take_the_complete_checks(repo: Repo) -> None:
    folder = repo.raw_dir / "005_folder.txt"
    folder.mkdir()
    link = repo.raw_dir / "005_link.txt"
    os.symlink(repo.raw_dir / "nowhere.txt", link)
    missing = repo.raw_dir / "005_missing.txt"
    for path in (folder, link, missing):
        assert ingest._sound_raw(path, None) is None
        problems = answer(repo, path, None)
        assert isinstance(problems, list)
        assert problems
        assert problems == complete(repo, path, None)


def test_a_sound_file_reads_the_same_either_way(repo: Repo) -> None:
    for path in sorted(repo.raw_dir.glob("*.txt")):
        data = path.read_bytes()
        text = complete(repo, path, None)
        assert isinstance(text, str)
        assert ingest._sound_raw(path, None) == ingest._sound_raw(path, data) == text
        assert read_raw(repo, path) == read_raw(repo, path, data=data) == text


def _folder_problems_before(repo: Repo) -> list[str]:
    """``iter_raw_folder_problems`` as it was: every entry as a ``Path``, each looked at in full."""
    folder = repo.raw_dir
    problems = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        shown = ingest.shown_raw(repo, path)
        if path.suffix.lower() == ".txt" and path.suffix != ".txt":
            problems.append(str(ingest.RAW_WRONG_EXTENSION(file=shown, suffix=path.suffix, stem=path.stem)))
        elif path.suffix == ".txt" and not path.is_file():
            what = ingest._not_a_file(path)
            problems.append(str(ingest.RAW_NOT_A_FILE(file=shown, name=path.name, what=what)))
    return problems


def test_the_folder_problems_are_those_every_entry_looked_at_in_full_gives(repo: Repo) -> None:
    raw = repo.raw_dir
    for name in ("a.TXT", "b.Txt", ".txt", ".TXT", "g.txt.bak", "h", "i.tXt.txt", "j.text", "k.TXT.txt"):
        (raw / name).write_text("نص", encoding="utf-8")
    (raw / "c.txt").mkdir()
    (raw / "c2.TXT").mkdir()
    os.symlink(raw / "h", raw / "d.txt")  # a link to a file: an article
    os.symlink(raw / "nowhere", raw / "e.txt")
    os.symlink(raw / "f.txt", raw / "f.txt")  # a link to itself
    os.symlink(raw / "c.txt", raw / "l.txt")  # to a folder
    os.symlink(raw / "nowhere", raw / "m.TXT")
    problems = [str(problem) for problem in ingest.iter_raw_folder_problems(repo)]
    assert problems == _folder_problems_before(repo)
    assert len(problems) == 8  # a, b, c, c2, e, f, l, m (".TXT" names a hidden file: no suffix)


def test_no_folder_no_problems(tmp_path: Path) -> None:
    assert list(ingest.iter_raw_folder_problems(Repo(tmp_path))) == []
