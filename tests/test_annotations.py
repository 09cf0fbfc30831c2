"""Gold files: readable format, round trip, stale-text detection and migration through raw offsets."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from rasd.core.errors import AnnotationFileError, RasdError, StaleAnnotationError
from rasd.core.model import Document, Span
from rasd.core.offsets import OffsetMap
from rasd.core.paths import Repo
from rasd.core.spans import new_span_id
from rasd.core.values import format_number
from rasd.formats.gold import span_from_json, span_to_json
from rasd.gold.annotations import (
    annotation_path,
    load_corpus,
    migrate,
    read_annotations,
    write_annotations,
)
from rasd.intake import ingest
from rasd.text.clean import RULES, clean

DOC = "002_a9a60629cc9fd74b"


def document(repo: Repo, doc_id: str = DOC) -> Document:
    (found,) = [d for d in ingest.iter_documents(repo) if d.id == doc_id]
    return found


def mention(doc: Document, surface: str, label: str, nth: int = 0, value: str | None = None) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(surface, start + 1)
    end = start + len(surface)
    return Span(start, end, label, new_span_id(doc.id, start, end, label), surface, value)


def test_round_trip_and_one_span_per_line(repo: Repo) -> None:
    doc = document(repo)
    spans = [mention(doc, "تويتر", "PLATFORM", value="twitter"), mention(doc, "25", "QUANTITY", value="25")]
    write_annotations(repo, doc, spans)
    text = annotation_path(repo, doc.id).read_text(encoding="utf-8")
    span_lines = [line for line in text.splitlines() if line.startswith('    {"id"')]
    assert len(span_lines) == 2
    assert '"value": 25,' in text  # QUANTITY as a JSON number
    assert '"text": "تويتر"' in text  # UTF-8, not \u escapes
    assert read_annotations(repo, doc) == tuple(sorted(spans))
    assert [s.value for s in read_annotations(repo, doc)] == ["25", "twitter"][
        :: 1 if spans[1] < spans[0] else -1
    ]


@pytest.mark.parametrize(
    ("number", "text"), [(125000, "125000"), (1.9e6, "1900000"), ("1.50", "1.5"), (0.25, "0.25")]
)
def test_numbers_have_one_canonical_string(number: object, text: str) -> None:
    assert format_number(number) == text  # type: ignore[arg-type]


def test_writing_refuses_invalid_spans(repo: Repo) -> None:
    doc = document(repo)
    bad = mention(doc, "تويتر", "PLATFORM").replace(text="فيسبوك")
    path = annotation_path(repo, doc.id)
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(RasdError, match=r"span s[0-9a-f]+: text\["):
        write_annotations(repo, doc, [bad])
    assert (path.read_bytes() if path.exists() else None) == before


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.replace('"spans": [', '"spans": [,'), "invalid JSON at line 4"),
        (
            lambda f: f.replace('"label": "PLATFORM"', '"label": "APP"'),
            "$.spans[0].label: 'APP' is not one of ['ORG'",
        ),
        (lambda f: f.replace(f'"document": "{DOC}"', '"document": "other"'), "its content says 'other'"),
        (lambda f: f.replace('"raw": [', '"rawx": ['), "'raw' is a required property"),
    ],
)
def test_malformed_files_name_file_document_and_fix(
    repo: Repo, mutate: Callable[[str], str], message: str
) -> None:
    doc = document(repo)
    write_annotations(repo, doc, [mention(doc, "تويتر", "PLATFORM", value="twitter")])
    path = annotation_path(repo, doc.id)
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        read_annotations(repo, doc)
    assert f"dataset/annotations/{DOC}.json" in str(caught.value)
    assert message in str(caught.value)
    assert "Fix:" in str(caught.value)


def without_rule(name: str) -> Callable[[str], tuple[str, OffsetMap]]:
    rules = tuple(r for r in RULES if r.name != name)
    return lambda raw: clean(raw, rules)


def annotate_with_old_rules(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, surfaces: list[tuple[str, int]]
) -> None:
    """Annotate doc 002 as if the repeated-paragraphs rule did not exist yet (its title appears twice)."""
    with monkeypatch.context() as patch:
        patch.setattr(ingest, "clean", without_rule("repeated-paragraphs"))
        old = document(repo)
        assert old.text.count("مسؤول أمريكي: داعش سيُهزم") == 2
        write_annotations(
            repo, old, [mention(old, s, "PLATFORM" if s == "تويتر" else "ORG", nth) for s, nth in surfaces]
        )


def test_changed_text_stops_the_read_with_a_pointer_to_migrate(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    annotate_with_old_rules(repo, monkeypatch, [("تويتر", 0)])
    with pytest.raises(StaleAnnotationError) as caught:
        read_annotations(repo, document(repo))
    assert str(caught.value) == (
        f"dataset/annotations/{DOC}.json: document {DOC}: the document text changed since these spans were made "
        "(text_sha256 differs). Fix: run `rasd migrate` to re-anchor the spans on the new text"
    )


def test_migrate_re_anchors_spans_through_the_raw_offsets(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    annotate_with_old_rules(repo, monkeypatch, [("تويتر", 0), ("داعش", 2)])
    old = json.loads(annotation_path(repo, DOC).read_text(encoding="utf-8"))
    report = migrate(repo)
    assert report.migrated == (DOC,)
    assert report.unplaced == ()
    new = read_annotations(repo, document(repo))
    doc = document(repo)
    assert {s.id for s in new} == {s["id"] for s in old["spans"]}
    for span in new:
        assert doc.text[span.start : span.end] == span.text
    shifted = {s["id"]: s["start"] for s in old["spans"]}
    assert all(
        shifted[s.id] - s.start == len("\n\nمسؤول أمريكي: داعش سيُهزم على مواقع التواصل الاجتماعي")
        for s in new
    )


def test_migrate_reports_a_span_it_cannot_carry_and_keeps_the_file(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    annotate_with_old_rules(
        repo, monkeypatch, [("داعش", 1), ("تويتر", 0)]
    )  # the first داعش repeat is removed
    before = annotation_path(repo, DOC).read_bytes()
    report = migrate(repo)
    assert report.migrated == ()
    (problem,) = report.unplaced
    assert "cannot carry over ORG 'داعش': its raw text was removed by cleaning" in str(problem)
    assert f"document {DOC}: span s" in str(problem)
    assert annotation_path(repo, DOC).read_bytes() == before


def test_an_annotation_file_without_raw_document_is_an_error(repo: Repo) -> None:
    from rasd.gold.annotations import load_corpus

    (repo.annotations_dir / "999_gone.json").write_text(
        '{"document": "999_gone", "spans": []}', encoding="utf-8"
    )
    with pytest.raises(AnnotationFileError, match="999_gone: annotation file has no raw document"):
        list(load_corpus(repo))


@pytest.mark.parametrize(
    ("span", "raw", "record"),
    [
        (
            Span(3, 8, "QUANTITY", "s1", "125 ألف", "125000"),
            (10, 15),
            {
                "id": "s1",
                "start": 3,
                "end": 8,
                "label": "QUANTITY",
                "text": "125 ألف",
                "value": 125000,
                "raw": [10, 15],
            },
        ),
        (
            Span(0, 4, "ORG", "s2", "داعش", None, note="the group"),
            None,
            {
                "id": "s2",
                "start": 0,
                "end": 4,
                "label": "ORG",
                "text": "داعش",
                "value": None,
                "note": "the group",
            },
        ),
        (
            Span(0, 4, "ORG", "s3", "داعش", "islamic-state", score=0.5),
            None,
            {
                "id": "s3",
                "start": 0,
                "end": 4,
                "label": "ORG",
                "text": "داعش",
                "value": "islamic-state",
                "score": 0.5,
            },
        ),
    ],
)
def test_one_span_serialiser_pair(span: Span, raw: tuple[int, int] | None, record: dict[str, object]) -> None:
    assert span_to_json(span, raw=raw) == record
    assert list(span_to_json(span, raw=raw)) == list(record)  # the field order of the files
    back = span_from_json(record)
    assert (back, back.id, back.text, back.value, back.note, back.score) == (
        span,
        span.id,
        span.text,
        span.value,
        span.note,
        span.score,
    )


SEED = "000_01a36b4f6357320d"


@pytest.mark.parametrize(
    ("name", "claims", "remove_own", "code", "message"),
    [
        ("999_gone.json", "999_gone", False, "RASD-E302", "999_gone: annotation file has no raw document"),
        ("000_copy.json", SEED, False, "RASD-E303", f"also claims document {SEED}, whose gold file is"),
        (
            "renamed.json",
            SEED,
            True,
            "RASD-E301",
            f"file names document renamed but its content says '{SEED}'",
        ),
        (f"{SEED}.JSON", SEED, True, "RASD-E304", "the extension '.JSON' is not '.json'"),
    ],
)
def test_a_gold_file_no_document_reads_is_named(
    repo: Repo, name: str, claims: str, remove_own: bool, code: str, message: str
) -> None:
    own = annotation_path(repo, SEED)
    content = own.read_text(encoding="utf-8").replace(f'"document": "{SEED}"', f'"document": "{claims}"')
    if remove_own:
        own.unlink()
    (repo.annotations_dir / name).write_text(content, encoding="utf-8")
    errors: list[RasdError] = []
    list(load_corpus(repo, errors=errors))
    assert [e.code for e in errors] == [code]
    assert message in str(errors[0])
