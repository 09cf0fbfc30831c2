"""Near-copies that disagree: one sentence annotated two ways inside a story cluster (``RASD-W491``).

Syndicated copies of a story repeat its sentences word for word.  When two
documents of one story cluster both have gold (``complete`` or
``adjudicated``), every sentence they share should carry the same spans; a
sentence annotated differently is one annotator's miss or the other's error,
and ``rasd validate`` reports it as a warning naming both documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import combinations

from rasd.core.errors import RasdError
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.core.problems.registry import NEAR_COPY_GOLD_DISAGREES
from rasd.dataset.neardup import ClusterIndex, exact_key, signature, story_clusters
from rasd.formats.gold import LABELED_STATUSES, annotation_path
from rasd.gold.annotations import iter_gold

_SENTENCE = re.compile(r"[^.!?؟\n]+[.!?؟]?")
MIN_WORDS = 4
"""Shorter sentences (datelines, bylines, ``اقرأ أيضا``) are too common to compare."""
SHOWN_CHARS = 80

SpanKeys = tuple[tuple[int, int, str], ...]


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of every sentence of ``text``, white space trimmed."""
    for match in _SENTENCE.finditer(text):
        chunk = match.group()
        start = match.start() + len(chunk) - len(chunk.lstrip())
        end = match.end() - (len(chunk) - len(chunk.rstrip()))
        if len(text[start:end].split()) >= MIN_WORDS:
            yield start, end


def sentence_annotations(document: Document) -> dict[str, SpanKeys]:
    """Each sentence's text → its spans, as offsets inside the sentence (first occurrence)."""
    found: dict[str, SpanKeys] = {}
    for start, end in sentences(document.text):
        inside = tuple(
            (s.start - start, s.end - start, s.label)
            for s in document.spans
            if start <= s.start and s.end <= end
        )
        found.setdefault(document.text[start:end], inside)
    return found


def describe(sentence: str, keys: SpanKeys) -> str:
    if not keys:
        return "with no span"
    return "as " + ", ".join(f"{label} {sentence[s:e]!r}" for s, e, label in keys)


def _pair_problems(repo: Repo, cluster: str, left: Document, right: Document) -> Iterator[RasdError]:
    theirs = sentence_annotations(right)
    for sentence, keys in sentence_annotations(left).items():
        other = theirs.get(sentence)
        if other is None or other == keys:
            continue
        yield NEAR_COPY_GOLD_DISAGREES(
            file=repo.relative(annotation_path(repo, left.id)),
            document=left.id,
            sentence=sentence if len(sentence) <= SHOWN_CHARS else sentence[:SHOWN_CHARS] + "…",
            here=describe(sentence, keys),
            there=describe(sentence, other),
            other=right.id,
            cluster=cluster,
        )


def cluster_disagreements(repo: Repo, documents: Mapping[str, Document]) -> Iterator[RasdError]:
    """Every shared sentence annotated differently by two gold documents of one story cluster."""
    clusters = story_clusters((d.id, d.text) for d in documents.values())
    for cluster, members in sorted(clusters.members().items()):
        for left, right in combinations(members, 2):
            yield from _pair_problems(repo, cluster, documents[left], documents[right])


def _gold(repo: Repo, wanted: set[str] | None = None) -> Iterator[Document]:
    """Documents whose gold is complete or adjudicated (only ``wanted`` ones if given), streamed."""
    errors: list[RasdError] = []  # broken files are reported by the build's own checks
    try:
        for document, status in iter_gold(repo, errors=errors):
            if status in LABELED_STATUSES and (wanted is None or document.id in wanted):
                yield document
    except RasdError:
        pass  # unreadable raw files: reported by the build's own checks, the rest is compared


def iter_cluster_disagreements(repo: Repo) -> Iterator[RasdError]:
    """``cluster_disagreements`` over the documents whose gold is complete or adjudicated.

    Streamed: a first pass keeps one signature per gold document (``ClusterIndex``),
    a second reads back only the members of clusters with more than one.
    """
    index = ClusterIndex()
    for document in _gold(repo):
        index.add(document.id, exact_key(document.text), signature(document.text))
    shared = {c: m for c, m in sorted(index.clusters().members().items()) if len(m) > 1}
    if not shared:
        return
    documents = {d.id: d for d in _gold(repo, {doc for members in shared.values() for doc in members})}
    for cluster, members in shared.items():
        for left, right in combinations(members, 2):
            if left in documents and right in documents:
                yield from _pair_problems(repo, cluster, documents[left], documents[right])
