"""Consistency across mentions: one string, one reading; every repeat labelled (spec rule 9)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from rasd.core.labels import ENTITY_LABELS
from rasd.core.model import Document, Span
from rasd.core.problems.registry import LABEL_CONFLICT, MISSED_REPEAT
from rasd.gold.corpus import Corpus, Warned, span_context
from rasd.gold.words import context, whole_word_occurrences

Reading = tuple[str, str | None]


def _reading(span: Span) -> Reading:
    """What must agree between two spans of one string: the label, and for entities the value."""
    return (span.label, span.value if span.label in ENTITY_LABELS else None)


def _show_reading(reading: Reading) -> str:
    label, value = reading
    return f"{label} {value}" if value else label


def _spans_by_text(corpus: Corpus) -> dict[str, list[tuple[Document, Span]]]:
    places: dict[str, list[tuple[Document, Span]]] = defaultdict(list)
    for document in corpus.documents:
        for span in document.spans:
            places[span.text].append((document, span))
    return places


def _suspect_readings(found: list[tuple[Document, Span]]) -> set[Reading]:
    """The readings of one string that are suspect: all but the most common, or all on a tie."""
    readings = Counter(_reading(s) for _, s in found)
    if len(readings) < 2:
        return set()
    top = readings.most_common()
    tied = top[0][1] == top[1][1]
    return {reading for reading in readings if tied or reading != top[0][0]}


def iter_label_conflict_problems(corpus: Corpus) -> Iterator[Warned]:
    """A surface string with spans of different labels (or entity ids): the rarer ones are suspect."""
    for surface, found in _spans_by_text(corpus).items():
        suspect = _suspect_readings(found)
        for document, span in found:
            reading = _reading(span)
            if reading not in suspect:
                continue
            others = "; ".join(
                f"{_show_reading(_reading(s))} in {d.id} {span_context(d, s)}"
                for d, s in found
                if _reading(s) != reading
            )
            warning = corpus.warn(
                LABEL_CONFLICT,
                document,
                span,
                surface=surface,
                reading=_show_reading(reading),
                context=span_context(document, span),
                others=others,
            )
            yield warning, span


def _covered(document: Document, start: int, end: int, label: str) -> bool:
    """An occurrence is accounted for by a span on exactly it, or inside a span of the same label."""
    return any(
        (s.start, s.end) == (start, end) or (s.label == label and s.start <= start and end <= s.end)
        for s in document.spans
    )


def iter_missed_repeat_problems(corpus: Corpus) -> Iterator[Warned]:
    """Every whole-word occurrence of a labelled string must be labelled too (spec rule 9)."""
    examples: dict[tuple[str, str], list[tuple[Document, Span]]] = defaultdict(list)
    for document in corpus.documents:
        for span in document.spans:
            examples[(span.text, span.label)].append((document, span))
    for document in corpus.documents:
        for (surface, label), labelled in examples.items():
            for start, end in whole_word_occurrences(document.text, surface):
                if _covered(document, start, end, label):
                    continue
                same_doc = [pair for pair in labelled if pair[0].id == document.id]
                example_doc, example = (same_doc or labelled)[0]
                warning = corpus.warn(
                    MISSED_REPEAT,
                    document,
                    example,
                    surface=surface,
                    start=start,
                    end=end,
                    label=label,
                    context=context(document.text, start, end),
                    example_doc=example_doc.id,
                    example_context=span_context(example_doc, example),
                    example=example.id,
                )
                yield warning, example
