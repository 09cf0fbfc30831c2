"""The span-level diff and its changelog rendering, on small hand-made snapshots."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rasd.versions import changelog
from rasd.versions.diff import DocState, Snapshot, SpanState, diff_snapshots

CASES = Path(__file__).parent / "cases" / "release"
LABELS = ("ORG", "PLATFORM", "PERSON", "QUANTITY", "DATE", "LOC")
META = (("title", "t"), ("raw_file", "r"), ("outlet", "o"))

ISIS = SpanState("s1", 10, 14, "ORG", "داعش", "islamic-state")
TELEGRAM = SpanState("s2", 20, 28, "PLATFORM", "تيليغرام", "telegram")
BAGHDAD = SpanState("s3", 40, 45, "LOC", "بغداد", "baghdad")


def doc(
    doc_id: str, spans: tuple[SpanState, ...], *, text: str = "h1", meta: tuple = META, tokens: str = "k"
) -> DocState:
    return DocState(doc_id, text, meta, spans, tokens)


def snap(
    name: str, *docs: DocState, labels: tuple[str, ...] = LABELS, features: str | None = "f"
) -> Snapshot:
    return Snapshot(name, labels, features, {d.id: d for d in docs})


BASE = snap("0.1.0", doc("a", (ISIS, TELEGRAM, BAGHDAD)), doc("b", ()))


@pytest.mark.parametrize(
    ("edited", "kinds"),
    [
        ((dataclasses.replace(ISIS, label="PLATFORM"), TELEGRAM, BAGHDAD), [("s1", ("span-relabelled",))]),
        ((dataclasses.replace(ISIS, start=9), TELEGRAM, BAGHDAD), [("s1", ("span-boundary-moved",))]),
        ((ISIS, dataclasses.replace(TELEGRAM, value="tg"), BAGHDAD), [("s2", ("span-value-changed",))]),
        (
            (ISIS, dataclasses.replace(TELEGRAM, label="ORG", end=27, value=None), BAGHDAD),
            [("s2", ("span-relabelled", "span-boundary-moved", "span-value-changed"))],
        ),
        ((ISIS, TELEGRAM), [("s3", ("span-removed",))]),
        (
            (ISIS, TELEGRAM, BAGHDAD, SpanState("s4", 50, 52, "QUANTITY", "60", "60")),
            [("s4", ("span-added",))],
        ),
        ((ISIS, TELEGRAM, BAGHDAD), []),
    ],
)
def test_each_span_edit_is_named(
    edited: tuple[SpanState, ...], kinds: list[tuple[str, tuple[str, ...]]]
) -> None:
    diff = diff_snapshots(BASE, snap("0.2.0", doc("a", edited), doc("b", ())))
    assert [(c.span, c.changes) for c in diff.spans] == kinds
    assert diff.documents == ()
    assert diff.change_kinds() == {k for _, ks in kinds for k in ks}


def test_per_label_counts() -> None:
    new = snap(
        "0.2.0",
        doc("a", (dataclasses.replace(ISIS, label="PLATFORM"), dataclasses.replace(TELEGRAM, start=21))),
        doc("b", (SpanState("s9", 0, 4, "DATE", "2019", "2019"),)),
    )
    counts = {c.label: c.row()[1:] for c in diff_snapshots(BASE, new).label_counts}
    # before, after, added, removed, relabelled from, relabelled to, boundary moved, value changed
    assert counts["ORG"] == [1, 0, 0, 0, 1, 0, 0, 0]
    assert counts["PLATFORM"] == [1, 2, 0, 0, 0, 1, 1, 0]
    assert counts["LOC"] == [1, 0, 0, 1, 0, 0, 0, 0]
    assert counts["DATE"] == [0, 1, 1, 0, 0, 0, 0, 0]
    assert counts["PERSON"] == [0, 0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("new_docs", "expected"),
    [
        ((doc("a", (ISIS, TELEGRAM, BAGHDAD)),), [("b", "document-removed", ())]),
        (
            (doc("a", (ISIS, TELEGRAM, BAGHDAD)), doc("b", ()), doc("c", ())),
            [("c", "document-added", ())],
        ),
        ((doc("a", (ISIS, TELEGRAM, BAGHDAD), text="h2"), doc("b", ())), [("a", "text-changed", ())]),
        (
            (
                doc("a", (ISIS, TELEGRAM, BAGHDAD)),
                doc("b", (), meta=(("title", "T"), ("raw_file", "r"), ("outlet", "O"))),
            ),
            [("b", "metadata-changed", ("title", "outlet"))],
        ),
        ((doc("a", (ISIS, TELEGRAM, BAGHDAD)), doc("b", (), tokens="k2")), [("b", "tokens-changed", ())]),
    ],
)
def test_document_changes(
    new_docs: tuple[DocState, ...], expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    diff = diff_snapshots(BASE, snap("0.2.0", *new_docs))
    assert [(d.document, d.change, d.fields) for d in diff.documents] == expected


def test_label_set_and_schema_changes_are_major_kinds() -> None:
    new = snap(
        "1.0.0", doc("a", (ISIS, TELEGRAM, BAGHDAD)), doc("b", ()), labels=(*LABELS, "EVENT"), features="g"
    )
    assert diff_snapshots(BASE, new).change_kinds() == {"label-set", "schema"}
    first = diff_snapshots(snap("none", labels=(), features=None), new)
    assert "label-set" not in first.change_kinds()  # nothing to compare with before the first release


def test_changelog_entry_golden() -> None:
    """The rendered entry, compared with a file a person checked by eye."""
    new = snap(
        "0.2.0",
        doc("a", (dataclasses.replace(ISIS, label="PLATFORM"), TELEGRAM)),
        doc("b", (), meta=(("title", "T"), ("raw_file", "r"), ("outlet", "o"))),
        doc("c", (SpanState("s5", 3, 7, "DATE", "2019", "2019"),)),
    )
    diff = diff_snapshots(BASE, new)
    text = changelog.add_entry(
        "# Changelog\n\nPreamble.\n\n## 0.1.0\n\n- First build.\n",
        "0.2.0",
        "minor",
        "0.1.0",
        diff,
        "releases/v0.2.0.diff.json",
        notes="Relabelled داعش.",
    )
    assert text == (CASES / "changelog_after_0.2.0.md").read_text(encoding="utf-8")


def test_the_span_table_is_cut_but_points_to_the_json() -> None:
    many = tuple(SpanState(f"n{i}", i * 10, i * 10 + 2, "QUANTITY", "12", "12") for i in range(5))
    diff = diff_snapshots(BASE, snap("0.2.0", doc("a", (ISIS, TELEGRAM, BAGHDAD)), doc("b", many)))
    text = changelog.render_tables(diff, max_span_rows=2, json_name="releases/v0.2.0.diff.json")
    assert "… and 3 more span changes in `releases/v0.2.0.diff.json`." in text
    assert "| b | n1 | added |" in text
    assert "| b | n2 |" not in text


def test_pipes_in_span_text_do_not_break_the_table() -> None:
    odd = SpanState("s1", 10, 14, "ORG", "a|b", "x|y")
    diff = diff_snapshots(BASE, snap("0.2.0", doc("a", (odd, TELEGRAM, BAGHDAD)), doc("b", ())))
    assert r"ORG [10, 14) «a\|b» = x\|y" in changelog.render_tables(diff)
