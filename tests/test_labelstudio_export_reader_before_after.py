"""The export reader on the stdlib's C scanner gives what the ijson reader gave: the same items, the same errors.

The reference is a copy of the ijson reader (``export_reader_before``).  Each export
is read by both, in chunks as small as one byte (so every cut of a task, a string,
an escape or a number between two reads is met), and compared: the items
(values and types, ``-0.0`` apart from ``0.0``) and the error, if any.  Before an
error a reader may have yielded some items (which callers drop): those must agree
as far as both went.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import export_reader_before as before
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from rasd.core.errors import RasdError
from rasd.formats import exportstream

CASES = Path(__file__).parent / "cases" / "labelstudio"

STRAY = re.compile(rb'.*\][ \t\r\n]*"[^"]*', re.DOTALL)  # a list, then a string that never ends
Reader = Callable[..., Iterator[Any]]
MARKERS = {
    id(before.LIST): "list",
    id(before.NOT_A_LIST): "not a list",
    id(exportstream.LIST): "list",
    id(exportstream.NOT_A_LIST): "not a list",
}


def typed(value: Any) -> Any:
    """``value`` with every scalar's type spelled out (``1 == 1.0 == True`` would hide a change)."""
    if isinstance(value, dict):  # the reference's objects are a dict subclass: the same mapping
        return ("object", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def read(reader: Reader, path: Path) -> tuple[list[Any], tuple[str, str] | None]:
    items: list[Any] = []
    try:
        for item in reader(path, file="export.json"):
            items.append(MARKERS[id(item)] if id(item) in MARKERS else typed(item))
    except (RasdError, ValueError, RecursionError) as error:
        return items, (type(error).__name__, str(error))
    return items, None


def whole(path: Path, *, file: str) -> Iterator[Any]:
    """The whole-file strict reader, which both streams promise to agree with."""
    payload = exportstream.read_strictly(path, file)
    yield exportstream.LIST if isinstance(payload, list) else exportstream.NOT_A_LIST
    yield from payload if isinstance(payload, list) else []


def assert_same(path: Path, chunk: int = exportstream.CHUNK, most: int = exportstream.MAX_READ) -> None:
    old_items, old_error = read(before.iter_export_items, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exportstream, "CHUNK", chunk)
        patch.setattr(exportstream, "MAX_READ", most)
        new_items, new_error = read(exportstream.iter_export_items, path)
    if old_error is None and read(whole, path) != (old_items, None):
        # The two ways the ijson reader strayed from the strict reader, which the new one does not:
        # yajl takes a form feed or a vertical tab for whitespace, which JSON refuses, and it lets
        # an unterminated string follow the list (``[] "abc``).
        assert re.search(rb"[\x0b\x0c]", path.read_bytes()) or re.fullmatch(STRAY, path.read_bytes())
        old_items, old_error = [], read(whole, path)[1]
        assert old_error is not None
        assert new_error == old_error
        return
    assert new_error == old_error
    if old_error is None:
        assert new_items == old_items
    else:  # what each yielded before the error (callers drop it) agrees as far as both went
        common = min(len(old_items), len(new_items))
        assert new_items[:common] == old_items[:common]


def test_a_file_meets_every_case(tmp_path: Path) -> None:
    """The comparison can fail: a reader that drops the last item, or reads ``2`` as ``2.0``, is caught."""
    path = tmp_path / "export.json"
    path.write_bytes(b'[{"a": 1}, 2]')
    assert read(exportstream.iter_export_items, path)[0] == [
        "list",
        ("object", [("a", ("int", 1))]),
        ("int", 2),
    ]
    assert typed(2) != typed(2.0)
    assert typed(0.0) != typed(-0.0)


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.json"))


@pytest.mark.parametrize("case", case_files(), ids=[p.name for p in case_files()])
@pytest.mark.parametrize("chunk", [1, 3, 64, exportstream.CHUNK])
def test_the_case_files_read_the_same(tmp_path: Path, case: Path, chunk: int) -> None:
    payload = json.loads(case.read_text(encoding="utf-8"))
    exports = [entry["data"] for entry in payload["cases"] if "data" in entry] + [payload]
    assert_same(case, chunk=chunk, most=4 * chunk)  # the file itself (exports.json is not a list)
    for number, export in enumerate(exports):
        for ascii_only in (False, True):
            path = tmp_path / f"{number}-{ascii_only}.json"
            path.write_text(json.dumps(export, ensure_ascii=ascii_only, indent=1), encoding="utf-8")
            assert_same(path, chunk=chunk, most=4 * chunk)


def test_a_big_one_line_export_reads_the_same(tmp_path: Path) -> None:
    """Several megabytes on one line: tasks cut by the reads everywhere, the reads grown to their most."""
    text = 'نص 😀 \\ " ' * 300
    tasks = [
        {"id": n, "data": {"id": f"d{n}", "text": text}, "score": n / 7, "big": 10**30} for n in range(1500)
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert path.stat().st_size > 6 * exportstream.MAX_READ
    assert_same(path)
    ascii_path = tmp_path / "ascii.json"
    ascii_path.write_text(json.dumps(tasks[:200], ensure_ascii=True), encoding="utf-8")
    assert_same(ascii_path, chunk=1000, most=5000)


# --- generated exports: any JSON list, written with the flaws an export may have --------------------

KEYS = st.sampled_from(["id", "data", "text", "value", "labels", "start", "a", "نص"])
STRINGS = st.text(alphabet=st.sampled_from(["a", "ن", "😀", '"', "\\", "\n", "\x00", " "]), max_size=6)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1e300, 5e-324, 1.5, 100.0]),
    STRINGS,
)
JSONS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=24,
)
BLANKS = st.sampled_from(["", "", " ", "\n", "\r\n", "\t", "  \n  "])
ODD_BLANKS = st.sampled_from(["\x0c", "\u00a0", "\u2028", "\x0b"])  # whitespace to Python, not to JSON
NUMBERS = ["NaN", "-Infinity", "Infinity", "1e400", "-0", "-0.0", "1E+2", "01", "1.", ".5", "+1", "9" * 5000]
ESCAPES = [
    '"\\ud800"',
    '"\\udc00x"',
    '"\\ud83d\\ude00"',
    '"\\ud83d"',
    '"\\uD83D\\uDE00"',
    '"\\u00e9"',
    '"\\x"',
    '"\t"',
]
BROKEN = ['{"a": 1, "a": 2}', '{"a": {"b": 1, "b": 1}}', "[1,]", "{,}", "[", "]", "}", ",", "tru", "nul"]
SPLICES = st.sampled_from(NUMBERS + ESCAPES + BROKEN)


def render(value: Any, blank: Callable[[], str], ascii_only: bool) -> str:
    """``value`` as JSON with drawn whitespace around every token."""
    if isinstance(value, dict):
        inner = ",".join(
            blank() + json.dumps(k, ensure_ascii=ascii_only) + blank() + ":" + render(v, blank, ascii_only)
            for k, v in value.items()
        )
        return blank() + "{" + inner + blank() + "}" + blank()
    if isinstance(value, list):
        return blank() + "[" + ",".join(render(v, blank, ascii_only) for v in value) + blank() + "]" + blank()
    return blank() + json.dumps(value, ensure_ascii=ascii_only) + blank()


@settings(max_examples=1000, deadline=None)
@given(
    items=st.lists(JSONS, max_size=6),
    data=st.data(),
    ascii_only=st.booleans(),
    repeat=st.booleans(),
    constant=st.one_of(st.none(), st.sampled_from(["NaN", "Infinity", "-Infinity"])),
    splice=st.one_of(st.none(), SPLICES),
    odd_blank=st.one_of(st.none(), ODD_BLANKS),
    bad_byte=st.one_of(st.none(), st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82"])),
    cut=st.one_of(st.none(), st.integers(min_value=0)),
    chunk=st.integers(min_value=1, max_value=40),
)
def test_any_export_reads_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    items: list[Any],
    data: st.DataObject,
    ascii_only: bool,
    repeat: bool,
    constant: str | None,
    splice: str | None,
    odd_blank: str | None,
    bad_byte: bytes | None,
    cut: int | None,
    chunk: int,
) -> None:
    text = render(items, lambda: data.draw(BLANKS), ascii_only)
    if constant is not None:  # NaN or Infinity where the list held null (no string can spell it)
        text = text.replace("null", constant, 1)
    objects = [at for at, char in enumerate(text) if char == "{"]  # no string holds a brace
    if objects and repeat:  # a key twice in one of the objects
        at = data.draw(st.sampled_from(objects)) + 1
        rest = text[at:].lstrip(" \t\r\n")
        text = text[:at] + '"r": 0, "r": 1' + ("" if rest.startswith("}") else ", ") + text[at:]
    for extra in (splice, odd_blank):
        # somewhere between two characters: inside a string, a number, or between tokens
        if extra is not None:
            at = data.draw(st.integers(min_value=0, max_value=len(text)))
            text = text[:at] + extra + text[at:]
    content = text.encode("utf-8", "surrogatepass")
    if bad_byte is not None:
        at = data.draw(st.integers(min_value=0, max_value=len(content)))
        content = content[:at] + bad_byte + content[at:]
    if cut is not None:
        content = content[: cut % (len(content) + 1)]
    path = tmp_path_factory.mktemp("export") / "export.json"
    path.write_bytes(content)
    assert_same(path, chunk=chunk, most=chunk * data.draw(st.sampled_from([1, 2, 16])))
    event("refused" if read(whole, path)[1] else "read")


def test_every_read_size_reads_the_same_on_a_tricky_file(tmp_path: Path) -> None:
    """Every cut between two reads of a file dense in escapes, surrogate pairs and numbers."""
    content = ' [ {"a" : "\\ud83d\\ude00\\n\\"", "b": [1.5e3, -0, 12345678901234567890, true, null]} ,\r\n 7 , "x\\u00e9" ] \n'
    path = tmp_path / "export.json"
    path.write_bytes(content.encode("utf-8"))
    for chunk in range(1, len(content) + 2):
        assert_same(path, chunk=chunk, most=chunk)
    assert os.path.getsize(path) == len(content)
