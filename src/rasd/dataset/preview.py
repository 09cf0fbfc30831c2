"""``rasd preview``: one static HTML page showing every document with its spans.

The page is a single file with no external assets (inline CSS, no scripts, no
fonts or images fetched), ``lang="ar" dir="rtl"`` so the Arabic reads right to
left, and one colour per label from the label table.  Nested spans are nested
elements: an inner span is drawn as a framed, darker box inside the outer
span's tint, so ``جامعة بغداد`` shows the LOC inside the ORG.  Hovering a span
shows its id, label and normalised value (a CSS tooltip, plus ``title`` for
assistive tools).

Under the corpus summary, one example disagreement: the first place where two
annotators of one document (``dataset/annotations/by_annotator/``) differ, each
one's version of the passage side by side, the differing spans outlined in a
dashed red frame.  Without a doubly annotated document (or when they agree
everywhere) the section says so.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rasd.core.io import atomic_write_text
from rasd.core.labels import LABEL_TABLE
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.dataset.neardup import story_clusters
from rasd.dataset.released import iter_released_records, record_spans
from rasd.dataset.versionfile import read_version
from rasd.formats.gold import COMPLETE, STATUSES
from rasd.gold.agreement import Disagreement, annotated_twice, first_disagreement
from rasd.gold.annotations import iter_gold

RELEASED = "complete or adjudicated"
"""The status shown for a document of the released ``spans`` config (which does not record which)."""


@dataclass(frozen=True)
class PreviewDocument:
    id: str
    title: str | None
    text: str
    spans: tuple[Span, ...]
    status: str = COMPLETE
    cluster: str = ""


@dataclass
class Node:
    """A span and the spans directly inside it."""

    span: Span | None
    children: list[Node] = field(default_factory=list)


def nest(spans: Iterable[Span]) -> Node:
    """The nesting tree of spans that never cross (outer first; equal ranges nest in label order)."""
    root = Node(None)
    stack = [root]
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.label)):
        while stack[-1].span is not None and not (span.end <= stack[-1].span.end):
            stack.pop()
        node = Node(span)
        stack[-1].children.append(node)
        stack.append(node)
    return root


def tooltip(span: Span) -> str:
    value = span.value if span.value is not None else "—"
    return f"{span.id} · {span.label} · {value}"


def render_node(
    text: str, node: Node, start: int, end: int, depth: int, marked: Collection[Span] = ()
) -> Iterator[str]:
    """HTML of ``text[start:end]`` with ``node``'s children marked up inside it (``marked`` ones outlined)."""
    position = start
    for child in node.children:
        span = child.span
        assert span is not None  # only the root has no span
        yield html.escape(text[position : span.start])
        tip = html.escape(tooltip(span), quote=True)
        extra = " dis" if span in marked else ""
        yield (
            f'<span class="sp l-{span.label} d{min(depth, 3)}{extra}" '
            f'data-id="{html.escape(span.id, quote=True)}" '
            f'data-label="{span.label}" data-tip="{tip}" title="{tip}">'
        )
        yield from render_node(text, child, span.start, span.end, depth + 1, marked)
        yield "</span>"
        position = span.end
    yield html.escape(text[position:end])


def render_document(document: PreviewDocument) -> str:
    body = "".join(render_node(document.text, nest(document.spans), 0, len(document.text), 0))
    heading = html.escape(document.title or document.id)
    counts = ", ".join(
        f"{info.name} {sum(1 for s in document.spans if s.label == info.name)}"
        for info in LABEL_TABLE
        if any(s.label == info.name for s in document.spans)
    )
    return (
        f'<article id="doc-{html.escape(document.id, quote=True)}">\n'
        f"<h2><bdi>{heading}</bdi></h2>\n"
        f'<p class="meta" dir="ltr">{html.escape(document.id)} · {html.escape(document.status)} · '
        f"{len(document.spans)} spans{' · ' + counts if counts else ''}</p>\n"
        f'<div class="text">{body}</div>\n</article>'
    )


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def stylesheet() -> str:
    rules = [
        "body { font-family: 'DejaVu Sans', 'Noto Naskh Arabic', sans-serif; margin: 1.5rem auto; "
        "max-width: 60rem; padding: 0 1rem; color: #222; background: #fff; }",
        "article { border-top: 1px solid #ccc; padding-top: .5rem; margin-top: 1.5rem; }",
        ".meta { color: #666; font-size: .85rem; }",
        ".text { white-space: pre-wrap; line-height: 2.6; font-size: 1.1rem; }",
        ".sp { position: relative; border-radius: 3px; padding: .25em .1em; border-bottom: 2px solid; }",
        ".sp .sp { padding: .05em .1em; border: 1.5px solid; }",
        ".sp:hover:not(:has(.sp:hover))::after { content: attr(data-tip); position: absolute; top: -2.1em; "
        "right: 0; z-index: 2; white-space: nowrap; direction: ltr; background: #222; color: #fff; "
        "font-size: .75rem; line-height: 1.4; padding: .15em .45em; border-radius: 3px; }",
        ".legend { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; list-style: none; padding: 0; }",
        ".legend .sp { font-weight: bold; }",
        ".sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }",
        ".side { margin: 0; border: 1px solid #ccc; padding: .25rem .75rem; }",
        ".side figcaption { color: #444; font-size: .9rem; }",
        ".sp.dis { outline: 2px dashed #c00; outline-offset: 2px; }",
    ]
    for info in LABEL_TABLE:
        rules.append(
            f".l-{info.name} {{ background: {_rgba(info.colour, 0.16)}; border-color: {info.colour}; }}"
        )
        rules.append(f".sp .l-{info.name} {{ background: {_rgba(info.colour, 0.38)}; }}")
    return "\n".join(rules)


def legend(documents: list[PreviewDocument]) -> str:
    items = []
    for info in LABEL_TABLE:
        n = sum(1 for d in documents for s in d.spans if s.label == info.name)
        items.append(
            f'<li title="{html.escape(info.description, quote=True)}"><span class="sp l-{info.name}">'
            f'{info.name}</span> <span dir="ltr">{n}</span></li>'
        )
    return '<ul class="legend">\n' + "\n".join(items) + "\n</ul>"


def corpus_summary(documents: list[PreviewDocument]) -> str:
    """Documents per annotation status, and the story clusters with more than one member."""
    counts = Counter(d.status for d in documents)
    order = [*STATUSES, *sorted(set(counts) - set(STATUSES))]
    statuses = " · ".join(f"{status} {counts[status]}" for status in order if counts[status])
    members: dict[str, list[str]] = {}
    for d in documents:
        members.setdefault(d.cluster or d.id, []).append(d.id)
    shared = {c: m for c, m in sorted(members.items()) if len(m) > 1}
    items = "".join(
        f"<li>{html.escape(c)}: "
        + ", ".join(f'<a href="#doc-{html.escape(m, quote=True)}">{html.escape(m)}</a>' for m in ms)
        + "</li>"
        for c, ms in shared.items()
    )
    return (
        f'<section class="summary" dir="ltr"><p class="status">annotation status: {statuses}</p>\n'
        f"<p>story clusters with more than one document: {len(shared)}</p>\n"
        f'<ul class="clusters">{items}</ul></section>'
    )


CONTEXT = 60
"""Characters of text shown on each side of an example disagreement."""


@dataclass(frozen=True)
class Example:
    """The preview's example disagreement, and how many documents two or more annotators annotated."""

    doubly_annotated: int = 0
    disagreement: Disagreement | None = None


def _window(d: Disagreement) -> tuple[int, int]:
    """The region with ``CONTEXT`` characters around it, widened so that no span is cut."""
    start, end = max(0, d.start - CONTEXT), min(len(d.text), d.end + CONTEXT)
    widened = True
    while widened:
        widened = False
        for s in (*d.spans[0], *d.spans[1]):
            if s.start < end and start < s.end and (s.start < start or s.end > end):
                start, end, widened = min(start, s.start), max(end, s.end), True
    return start, end


def _describe(spans: Iterable[Span]) -> str:
    shown = [
        f'{html.escape(s.label)} ‹<bdi dir="rtl">{html.escape(s.text)}</bdi>› [{s.start}, {s.end})'
        for s in spans
    ]
    return "; ".join(shown) or "no span here"


def render_side(d: Disagreement, side: int) -> str:
    """One annotator's version of the passage, the spans only this annotator has outlined."""
    start, end = _window(d)
    inside = [s for s in d.spans[side] if start <= s.start and s.end <= end]
    body = "".join(render_node(d.text, nest(inside), start, end, 0, set(d.differing(side))))
    before, after = ("…" if start > 0 else ""), ("…" if end < len(d.text) else "")
    return (
        f'<figure class="side"><figcaption dir="ltr"><bdi>{html.escape(d.annotators[side])}</bdi>: '
        f"{_describe(d.differing(side))}</figcaption>\n"
        f'<div class="text">{before}{body}{after}</div></figure>'
    )


def example_section(example: Example) -> str:
    """The example disagreement, or a sentence saying why there is none."""
    d = example.disagreement
    heading = '<section class="disagreement" id="disagreement">\n<h2 dir="ltr">An example disagreement</h2>\n'
    if d is None:
        why = (
            "No document has been annotated by two annotators yet (dataset/annotations/by_annotator/): "
            "there is no disagreement to show."
            if not example.doubly_annotated
            else f"{example.doubly_annotated} documents were annotated by two or more annotators, "
            "and they agree on every span."
        )
        return f'{heading}<p class="meta" dir="ltr">{why}</p>\n</section>'
    doc = html.escape(d.document, quote=True)
    left, right = (html.escape(a) for a in d.annotators)
    return (
        f'{heading}<p class="meta" dir="ltr">Document <a href="#doc-{doc}">{html.escape(d.document)}</a>, '
        f"characters [{d.start}, {d.end}): <bdi>{left}</bdi> and <bdi>{right}</bdi> disagree; the spans "
        "only one of them drew are outlined in dashed red "
        f"({example.doubly_annotated} documents annotated by two or more annotators).</p>\n"
        f'<div class="sides">\n{render_side(d, 0)}\n{render_side(d, 1)}\n</div>\n</section>'
    )


def repo_example(repo: Repo) -> Example:
    """The first disagreement among the annotators' files, and the number of doubly annotated documents."""
    documents = annotated_twice(repo)
    return Example(len(documents), first_disagreement(documents))


def render_page(documents: list[PreviewDocument], title: str, example: Example = Example()) -> str:
    """The whole page: one self-contained HTML file."""
    total = sum(len(d.spans) for d in documents)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ar" dir="rtl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{stylesheet()}\n</style>",
        "</head>",
        "<body>",
        f"<h1><bdi>{html.escape(title)}</bdi></h1>",
        f'<p class="meta" dir="ltr">{len(documents)} documents · {total} spans. '
        "Hover a span for its id, label and normalised value.</p>",
        legend(documents),
        corpus_summary(documents),
        example_section(example),
        *[render_document(d) for d in documents],
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def working_documents(repo: Repo) -> list[PreviewDocument]:
    """Documents with their gold spans and status, as annotators see them now, with their story clusters."""
    documents = list(iter_gold(repo))
    clusters = story_clusters((d.id, d.text) for d, _ in documents)
    return [
        PreviewDocument(d.id, d.title, d.text, d.spans, status, clusters.of[d.id]) for d, status in documents
    ]


def released_documents(repo: Repo) -> list[PreviewDocument]:
    """Documents of the released ``spans`` config, as researchers get them."""
    documents = [
        PreviewDocument(r["id"], r["title"], r["text"], tuple(record_spans(r)), RELEASED, r["story_cluster"])
        for _, r in iter_released_records(repo)
    ]
    documents += [
        PreviewDocument(r["id"], r["title"], r["text"], (), r["status"], r["story_cluster"])
        for _, r in iter_released_records(repo, "unlabeled")
    ]
    return sorted(documents, key=lambda d: d.id)


def write_preview(repo: Repo, out: Path, *, released: bool = False) -> Path:
    documents = released_documents(repo) if released else working_documents(repo)
    source = "released data" if released else "gold annotations"
    version = read_version(repo)
    title = f"Rasd (رصد) {version}: preview of the {source}"
    atomic_write_text(out, render_page(documents, title, repo_example(repo)))
    return out
