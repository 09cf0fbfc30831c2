"""The byte layer every format builds on: strict JSON, named read/write failures, permissions."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from rasd.core import io
from rasd.core.errors import StorageError


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ('{"start": 1, "start": 2}', "RASD-E913", "the key 'start' appears twice"),
        ('{"spans": [{"a": 1, "b": 2, "a": 3}]}', "RASD-E913", "the key 'a' appears twice"),
        ('{"value": NaN}', "RASD-E914", "NaN is not a JSON number"),
        ('{"value": -Infinity}', "RASD-E914", "-Infinity is not a JSON number"),
        ('{"value": 1,}', "RASD-E912", "invalid JSON at line 1"),
        ('{\n  "a": 1\n  "b": 2\n}', "RASD-E912", "invalid JSON at line 3"),
    ],
)
def test_strict_json_refuses_what_python_accepts(text: str, code: str, fragment: str) -> None:
    with pytest.raises(StorageError) as caught:
        io.loads_json(text, file="x.json")
    assert caught.value.code == code
    assert str(caught.value).startswith("x.json: ")
    assert fragment in str(caught.value)


def test_strict_json_reads_ordinary_json_unchanged() -> None:
    assert io.loads_json('{"a": [1, 2.5, null, "ب"], "b": {"a": 1}}', file="x") == {
        "a": [1, 2.5, None, "ب"],
        "b": {"a": 1},
    }


def test_json_lines_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a"}\n\n{"id": "b"\n', encoding="utf-8")
    lines = io.iter_json_lines(path, file="in.jsonl")
    assert next(lines) == (1, {"id": "a"})
    with pytest.raises(StorageError, match=r"in.jsonl: invalid JSON at line 3"):
        next(lines)


@pytest.mark.parametrize("kind", ["missing", "folder", "dangling-link"])
def test_unreadable_paths_are_named(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "dangling-link":
        path.symlink_to(tmp_path / "nowhere")
    with pytest.raises(StorageError) as caught:
        io.read_json(path, file="x.json")
    assert caught.value.code == "RASD-E901"


def test_bad_utf8_is_named_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(StorageError, match=r"not valid UTF-8 \(byte 7\)"):
        io.read_json(path, file="x.json")


def test_written_files_follow_the_umask_like_open(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    io.atomic_write_json(target, {"a": 1})
    reference = tmp_path / "plain.txt"
    reference.write_text("x")
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


def test_a_failed_write_is_named_and_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "gold.json"
    target.write_text("old", encoding="utf-8")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(io.os, "replace", full_disk)
    with pytest.raises(StorageError) as caught:
        io.atomic_write_text(target, "new")
    assert caught.value.code == "RASD-E902"
    assert "No space left on device" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["gold.json"]
