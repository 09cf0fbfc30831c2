"""Reading a gold file names it only when there is a problem, and still names it then.

``rasd.formats.gold`` reads a file unnamed first (``Repo.relative`` resolves the
path, a cost per document) and, only when that raises, again with its name; and
it walks the parsed JSON for lone surrogates only when the text holds a ``\\u``
escape.  These tests pin both shortcuts to the errors the plain reading gave.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.core.errors import RasdError, unbundle
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.core.problems.spans import LONE_SURROGATE
from rasd.formats.gold import annotation_path, iter_structure_problems, read_annotation_file
from rasd.gold.annotations import read_gold
from rasd.intake.ingest import iter_documents


def _annotated(repo: Repo) -> tuple[Document, Path]:
    document = next(d for d in iter_documents(repo) if annotation_path(repo, d.id).exists())
    return document, annotation_path(repo, document.id)


def _count_relative(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = Repo.relative

    def counted(self: Repo, path: Path) -> str:
        calls.append(path)
        return real(self, path)

    monkeypatch.setattr(Repo, "relative", counted)
    return calls


def test_a_sound_file_is_read_without_resolving_its_name(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    document, _ = _annotated(repo)
    calls = _count_relative(monkeypatch)
    _, spans = read_gold(repo, document)
    assert spans
    assert calls == []


def _problems(repo: Repo, document: Document) -> list[tuple[str, str | None, str | None]]:
    with pytest.raises(RasdError) as caught:
        read_gold(repo, document)
    return [(e.code, e.file, e.document) for e in unbundle(caught.value)]


def test_every_kind_of_problem_names_the_file(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    document, path = _annotated(repo)
    shown = f"dataset/annotations/{document.id}.json"
    good = path.read_text(encoding="utf-8")
    data = json.loads(good)
    span = data["spans"][0]
    cases = {
        "not JSON": good[:-3],
        "schema": json.dumps({**data, "spans": [{**span, "start": -1}]}),
        "lone surrogate": json.dumps({**data, "spans": [{**span, "note": "\ud800"}]}),
        "stale": json.dumps({**data, "text_sha256": "0" * 64}),
        "span text": json.dumps({**data, "spans": [{**span, "text": span["text"] + "x"}]}),
    }
    found = {}
    for name, text in cases.items():
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        calls = _count_relative(monkeypatch)
        found[name] = _problems(repo, document)
        assert calls, name  # named on the second reading
        monkeypatch.undo()
    assert {name: {(file, doc) for _, file, doc in problems} for name, problems in found.items()} == {
        name: {(shown, document.id)} for name in cases
    }
    assert [code for code, _, _ in found["lone surrogate"]] == [LONE_SURROGATE.code]
    path.write_text(cases["schema"], encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        read_annotation_file(repo, path)
    assert caught.value.file == shown


def test_surrogates_are_looked_for_whenever_the_text_has_an_escape() -> None:
    data = {"document": "d", "text_sha256": "0" * 64, "spans": [], "x": "\ud800"}
    codes = {
        text: [e.code for e in iter_structure_problems(data, file="f", document="d", text=text)]
        for text in (None, '{"x": "\\ud800"}', '{"x": "\\\\u"}')
    }
    assert all(LONE_SURROGATE.code in found for found in codes.values()), codes
    assert LONE_SURROGATE.code not in [  # the shortcut: no escape, no walk
        e.code for e in iter_structure_problems(data, file="f", document="d", text='{"x": "u"}')
    ]


def test_bytes_already_read_are_read_as_the_file(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """``data=``: the same spans, or the same named problems, as reading the file; the file not opened."""
    document, path = _annotated(repo)
    good = path.read_text(encoding="utf-8")
    data = json.loads(good)
    span = data["spans"][0]
    texts = {
        "sound": good,
        "not JSON": good[:-3],
        "repeated key": good.replace('"document": ', '"document": "x", "document": ', 1),
        "NaN": good.replace('"start": ', '"start": NaN, "end": ', 1),
        "schema": json.dumps({**data, "spans": [{**span, "start": 1.0}]}),
        "span text": json.dumps({**data, "spans": [{**span, "text": span["text"] + "x"}]}),
    }

    def outcome(**given: bytes) -> object:
        try:
            return read_gold(repo, document, **given)
        except RasdError as error:
            return [str(e) for e in unbundle(error)]

    for name, text in texts.items():
        path.write_text(text, encoding="utf-8")
        from_file = outcome()
        monkeypatch.setattr("rasd.formats.gold.read_text", lambda *a, **k: pytest.fail("the file was read"))
        assert outcome(data=text.encode("utf-8")) == from_file, name
        monkeypatch.undo()
        assert (name == "sound") == (not isinstance(from_file, list)), name
