"""The changelog: a diff rendered as tables people read, one entry per release.

``rasd release`` puts the entry of the new version at the top of
``dataset/CHANGELOG.md`` (under the preamble, above older entries); ``rasd
diff`` prints the same tables.  Hand-written notes already under a
``## X.Y.Z`` heading are kept above the generated tables of that version.
"""

from __future__ import annotations

import re

from rasd.dataset.card import markdown_table
from rasd.versions.diff import LABEL_COLUMNS, Diff, SpanChange, SpanState
from rasd.versions.versioning import RULE_BY_CHANGE, required_bump

MAX_SPAN_ROWS = 200
"""Longer span lists are cut in the Markdown; the JSON diff always has every change."""

_CHANGE_WORDS = {
    "span-added": "added",
    "span-removed": "removed",
    "span-relabelled": "relabelled",
    "span-boundary-moved": "boundary moved",
    "span-value-changed": "value changed",
}
_HEADING = re.compile(r"^## (\S+)[^\n]*$", re.MULTILINE)
GENERATED_MARK = "<!-- rasd:changelog generated -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def describe_span(span: SpanState | None) -> str:
    if span is None:
        return "–"
    value = f" = {_cell(span.value)}" if span.value is not None else ""
    return f"{span.label} [{span.start}, {span.end}) «{_cell(span.text)}»{value}"


def span_row(change: SpanChange) -> list[object]:
    words = ", ".join(_CHANGE_WORDS[c] for c in change.changes)
    return [change.document, change.span, words, describe_span(change.before), describe_span(change.after)]


def summary_line(diff: Diff) -> str:
    kinds = diff.change_kinds()
    if not kinds:
        return "No change to documents, spans, labels or schema."
    meanings = sorted({RULE_BY_CHANGE[k].meaning for k in kinds})
    return "Changes: " + "; ".join(meanings) + f" (needs a {required_bump(kinds)} release)."


def render_tables(diff: Diff, *, max_span_rows: int = MAX_SPAN_ROWS, json_name: str | None = None) -> str:
    """The diff as Markdown: summary, documents, spans per label, then every changed span."""
    old_docs, new_docs = len(diff.old.documents), len(diff.new.documents)
    parts = [summary_line(diff)]
    if diff.labels_changed:
        parts.append(f"Label set: {', '.join(diff.old.labels)} → {', '.join(diff.new.labels)}.")
    if diff.schema_changed:
        parts.append("The released features (schema) changed.")
    by_kind = {kind: sum(1 for d in diff.documents if d.change == kind) for kind in _DOC_KINDS}
    parts.append(
        markdown_table(
            ["documents before", "documents after", *_DOC_KINDS.values()],
            [[old_docs, new_docs, *by_kind.values()]],
        )
    )
    if diff.documents:
        parts.append(
            markdown_table(
                ["document", "change", "fields"],
                [[d.document, _DOC_KINDS[d.change], ", ".join(d.fields) or "–"] for d in diff.documents],
            )
        )
    parts.append(markdown_table(LABEL_COLUMNS, [c.row() for c in diff.label_counts]))
    if diff.spans and not diff.old.documents:
        parts.append(f"First release: all {len(diff.spans)} spans are new (per label above).")
    elif diff.spans:
        rows = [span_row(change) for change in diff.spans[:max_span_rows]]
        parts.append(markdown_table(["document", "span", "change", "before", "after"], rows))
        if len(diff.spans) > max_span_rows:
            where = f" in `{json_name}`" if json_name else " (use `rasd diff --json`)"
            parts.append(f"… and {len(diff.spans) - max_span_rows} more span changes{where}.")
    else:
        parts.append("No span changed.")
    return "\n\n".join(parts)


_DOC_KINDS = {
    "document-added": "added",
    "document-removed": "removed",
    "text-changed": "text changed",
    "metadata-changed": "metadata changed",
    "tokens-changed": "tokens changed",
}


def render_entry(
    version: str, bump: str, previous: str | None, diff: Diff, json_name: str, notes: str
) -> str:
    """One ``## VERSION`` section: hand notes, then the generated summary and tables."""
    origin = f"from {previous}" if previous else "the first release"
    lines = [f"## {version}", ""]
    if notes.strip():
        lines += [notes.strip(), ""]
    lines += [
        GENERATED_MARK,
        f"{bump.capitalize()} release, {origin}. Machine-readable diff: `{json_name}`.",
        "",
        render_tables(diff, json_name=json_name),
    ]
    return "\n".join(lines).rstrip() + "\n"


def split_entries(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The preamble and ``(version, section text)`` of every ``## `` section, in file order."""
    matches = list(_HEADING.finditer(text))
    if not matches:
        return text, []
    preamble = text[: matches[0].start()]
    sections = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        sections.append((match.group(1), text[match.start() : end]))
    return preamble, sections


def hand_notes(section: str) -> str:
    """What a person wrote under a heading, without the heading and any generated part."""
    body = section.split("\n", 1)[1] if "\n" in section else ""
    return body.split(GENERATED_MARK, 1)[0].strip()


def add_entry(
    text: str, version: str, bump: str, previous: str | None, diff: Diff, json_name: str, notes: str = ""
) -> str:
    """``CHANGELOG.md`` with the entry of ``version`` on top (replacing its section, keeping its notes)."""
    preamble, sections = split_entries(text)
    kept_notes = [hand_notes(body) for name, body in sections if name == version]
    all_notes = "\n\n".join(n for n in [*kept_notes, notes] if n.strip())
    entry = render_entry(version, bump, previous, diff, json_name, all_notes)
    others = [body.rstrip() + "\n" for name, body in sections if name != version]
    return preamble.rstrip() + "\n\n" + "\n".join([entry, *others]).rstrip() + "\n"
