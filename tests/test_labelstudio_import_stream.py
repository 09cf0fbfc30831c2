"""The export is streamed (``iter_export``): the same tasks and the same named errors as the strict reader.

The reference is the whole-file strict parse (``rasd.core.io.loads_json`` +
``parse_tasks``), which is what ``rasd ls import-export`` did before it streamed.
Every case is written to a file in several layouts (one line, indented, ASCII
escapes, which bring UTF-16 surrogate pairs), read both ways, and compared.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.errors import RasdError
from rasd.core.io import decode_utf8, loads_json
from rasd.formats import exportstream
from rasd.formats.exportstream import CHUNK
from rasd.formats.labelstudio import ParsedTasks, collect, iter_export, parse_tasks, read_export

CASES = Path(__file__).parent / "cases" / "labelstudio"


def strict(content: bytes) -> ParsedTasks | RasdError:
    """What the whole-file strict reader makes of ``content`` (the reference)."""
    try:
        text = decode_utf8(content, file="export.json")
        return parse_tasks(loads_json(text, file="export.json"), "export.json")
    except RasdError as error:
        return error


def streamed(path: Path) -> ParsedTasks | RasdError:
    try:
        return collect(iter_export(path, file="export.json"), "export.json")
    except RasdError as error:
        return error


def same(a: ParsedTasks | RasdError, b: ParsedTasks | RasdError) -> None:
    if isinstance(a, RasdError) or isinstance(b, RasdError):
        assert (type(a), str(a)) == (type(b), str(b))
        return
    assert json.dumps(list(a.tasks), ensure_ascii=False) == json.dumps(list(b.tasks), ensure_ascii=False)
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert all(type(t) is not float or t == t for t in a.tasks)


def layouts(payload: Any) -> dict[str, bytes]:
    return {
        "one line": json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        "indented": json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"),
        "ascii escapes": json.dumps(payload, ensure_ascii=True, indent=2).encode("utf-8"),
    }


def golden_exports() -> list[tuple[str, Any]]:
    cases = json.loads((CASES / "exports.json").read_text(encoding="utf-8"))["cases"]
    regions = json.loads((CASES / "regions.json").read_text(encoding="utf-8"))
    found = [(case["description"], case["data"]) for case in cases]
    found.append(("regions.json", regions))
    return found


@pytest.mark.parametrize(("name", "payload"), golden_exports(), ids=[n for n, _ in golden_exports()])
def test_golden_exports_stream_to_the_same_tasks(tmp_path: Path, name: str, payload: Any) -> None:
    for layout, content in layouts(payload).items():
        path = tmp_path / f"{layout}.json"
        path.write_bytes(content)
        same(streamed(path), strict(content))


TASK = {"id": 1, "data": {"id": "a", "text": "نص"}, "annotations": [{"id": 1, "result": []}]}


def export_with(task: str, *, before: int = 3, after: int = 2) -> bytes:
    """A valid export of ``before`` tasks, ``task`` (raw JSON text), then ``after`` tasks."""
    good = json.dumps(TASK, ensure_ascii=False)
    return ("[" + ", ".join([good] * before + [task] + [good] * after) + "]").encode("utf-8")


DEEP_REGION = (
    '{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", '
    '"value": {"start": 0, "end": 2, "text": "نص", %s}}'
)
DEEP_TASK = '{"id": 9, "data": {"id": "b", "text": "نص"}, "annotations": [{"id": 2, "result": [%s]}]}'


@pytest.mark.parametrize(
    ("inner", "code"),
    [
        ('"labels": ["LOC"], "labels": ["ORG"]', "RASD-E913"),  # repeated key deep inside a region
        ('"labels": ["LOC"], "score": NaN', "RASD-E914"),
        ('"labels": ["LOC"], "score": Infinity', "RASD-E914"),
        ('"labels": ["LOC"], "score": -Infinity', "RASD-E914"),
        ('"labels": ["LOC"], "score": 1.5.2', "RASD-E912"),
        ('"labels": ["LOC",]', "RASD-E912"),
    ],
)
def test_a_problem_deep_inside_a_later_task_is_named_as_the_strict_reader_names_it(
    tmp_path: Path, inner: str, code: str
) -> None:
    content = export_with(DEEP_TASK % (DEEP_REGION % inner))
    path = tmp_path / "export.json"
    path.write_bytes(content)
    got = streamed(path)
    assert isinstance(got, RasdError)
    assert got.code == code
    same(got, strict(content))


@pytest.mark.parametrize("cut", [1, 10, 57, -30, -2, -1])
def test_a_truncated_export_is_invalid_json_at_the_same_place(tmp_path: Path, cut: int) -> None:
    content = json.dumps([TASK] * 5, ensure_ascii=False, indent=1).encode("utf-8")[:cut]
    path = tmp_path / "export.json"
    path.write_bytes(content)
    got = streamed(path)
    assert isinstance(got, RasdError)
    assert got.code in ("RASD-E912", "RASD-E911")
    same(got, strict(content))


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "RASD-E912"),
        (b"   \n ", "RASD-E912"),
        (b'{"data": {"id": "a", "text": "x"}}', "RASD-E601"),  # an object, not a list
        (b'"tasks"', "RASD-E601"),
        (b"\xef\xbb\xbf[]", "RASD-E912"),  # a byte-order mark
        (b'[{"data": {"id": "a", "text": "\xff"}}]', "RASD-E911"),
        (b"[] []", "RASD-E912"),  # two documents
        (b"[1, 2] x", "RASD-E912"),
        (b"[/* comment */]", "RASD-E912"),
        (b'[1, "a", null, {}]', None),  # not tasks: shape problems, collected
        (b"[]", None),
        (b'[{"data": {"id": "a", "text": "\\ud800 lone"}}]', None),  # a lone surrogate escape
        (b'[{"data": {"id": "a", "text": "x"}, "score": 1e400}]', None),  # overflows to inf in Python
    ],
)
def test_edge_files_read_as_the_strict_reader_reads_them(
    tmp_path: Path, content: bytes, code: str | None
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)
    got = streamed(path)
    if code is None:
        assert isinstance(got, ParsedTasks)
    elif isinstance(got, ParsedTasks):
        assert [p.code for p in got.problems] == [code]
    else:
        assert got.code == code
    same(got, strict(content))


def test_a_lone_surrogate_is_not_read_as_a_question_mark(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(b'[{"data": {"id": "a", "text": "\\udc00"}}]')
    got = streamed(path)
    assert isinstance(got, ParsedTasks)
    assert got.tasks[0]["data"]["text"] == "\udc00"  # what json.loads gives; yajl alone would give "?"


class Counting(io.FileIO):
    """A file that remembers how many bytes were read from it."""

    taken = 0

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = super().read(size)
        Counting.taken += len(data)
        return data


def test_a_huge_single_line_export_is_not_read_whole_before_the_first_task(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = [{**TASK, "id": n, "data": {"id": f"d{n}", "text": "نص " * 400}} for n in range(2000)]
    path = tmp_path / "export.json"
    path.write_bytes(json.dumps(tasks, ensure_ascii=False).encode("utf-8"))  # one line, ~5 MB
    size = path.stat().st_size
    assert b"\n" not in path.read_bytes()
    assert size > 40 * CHUNK

    def counting_open(path: Path, file: str) -> IO[bytes]:
        return Counting(path, "r")

    def whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the whole file was read")

    Counting.taken = 0
    monkeypatch.setattr(exportstream, "_open", counting_open)
    monkeypatch.setattr(exportstream, "read_bytes", whole)  # the strict fallback reads the whole file
    stream = iter_export(path, file="export.json")
    first = next(stream)
    assert first == tasks[0]
    assert Counting.taken <= 3 * CHUNK  # the peek at the first byte and one chunk, not 5 MB
    assert sum(1 for _ in stream) == len(tasks) - 1


def test_read_export_collects_what_the_stream_gives(tmp_path: Path) -> None:
    content = export_with('{"id": 7, "data": {"text": "x"}}')
    path = tmp_path / "export.json"
    path.write_bytes(content)
    parsed = read_export(path, file="export.json")
    assert [p.code for p in parsed.problems] == ["RASD-E604"]
    assert len(parsed.tasks) == 5


# --- any JSON: the stream and the strict reader agree ----------------------------------------------

KEYS = st.sampled_from(["id", "data", "text", "value", "labels", "start", "a", "نص"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
JSONS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@given(items=st.lists(JSONS, max_size=5), repeat=st.booleans(), ascii_only=st.booleans())
def test_any_json_list_streams_as_the_strict_reader_reads_it(
    tmp_path_factory: pytest.TempPathFactory, items: list[Any], repeat: bool, ascii_only: bool
) -> None:
    text = json.dumps(items, ensure_ascii=ascii_only)
    if repeat and '{"' in text:
        at = text.rindex('{"')
        key_end = text.index('"', at + 2) + 1
        text = text[: at + 1] + text[at + 1 : key_end] + ": 0, " + text[at + 1 :]  # the key, twice
    content = text.encode("utf-8", "surrogatepass")
    if b"\xed" in content:  # a raw surrogate is not UTF-8 at all: covered elsewhere
        return
    path = tmp_path_factory.mktemp("stream") / "export.json"
    path.write_bytes(content)
    same(streamed(path), strict(content))
