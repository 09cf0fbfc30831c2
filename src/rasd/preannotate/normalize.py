"""Normalised values: one pure function per label, and filling the values a span lacks.

DATE -> ISO 8601 as far as the text fixes it (``rasd.dates.date_value``;
relative expressions only against the publication date); QUANTITY -> the number
(``rasd.numbers.quantity_value``); PLATFORM, ORG and LOC -> the registry id;
PERSON -> the registry's canonical name.  Names are looked up through the same
lexicon as the pre-annotator, so every spelling variant it recognises (folding,
article, loose transliteration) reaches the same id.

``fill_values`` never overwrites a value an annotator wrote; it only fills the
empty ones, and ``rasd normalize`` writes gold files through
``rasd.annotations.write_annotations``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus, write_annotations
from rasd.gold.entities import Registry
from rasd.preannotate.lexicon import Lexicon, lookup
from rasd.text.dates import Anchor, DateContext, date_context, date_value, parse_anchor
from rasd.text.numbers import quantity_value

if TYPE_CHECKING:
    from rasd.preannotate.annotator import Candidate


@dataclass(frozen=True)
class Where:
    """What a normaliser may know beyond the span's text: the document's anchor and date context."""

    anchor: Anchor | None = None
    context: DateContext | None = None


Normaliser = Callable[[str, Lexicon, Where], "str | None"]


def normalise_date(surface: str, lexicon: Lexicon, where: Where) -> str | None:
    return date_value(surface, where.anchor, where.context)


def normalise_quantity(surface: str, lexicon: Lexicon, where: Where) -> str | None:
    return quantity_value(surface)


def _entity(label: str) -> Normaliser:
    def normalise(surface: str, lexicon: Lexicon, where: Where) -> str | None:
        return lookup(surface, lexicon, label)

    normalise.__doc__ = f"The registry value of a {label} span's text (any known spelling), else None."
    return normalise


NORMALISERS: dict[str, Normaliser] = {
    "DATE": normalise_date,
    "QUANTITY": normalise_quantity,
    "PLATFORM": _entity("PLATFORM"),
    "ORG": _entity("ORG"),
    "PERSON": _entity("PERSON"),
    "LOC": _entity("LOC"),
}


def value_for(label: str, surface: str, lexicon: Lexicon, where: Where | None = None) -> str | None:
    """The normalised value of a span with ``label`` and text ``surface``."""
    return NORMALISERS[label](surface, lexicon, where or Where())


def value_in_text(
    label: str, text: str, start: int, end: int, lexicon: Lexicon, published: str | None
) -> str | None:
    """The value of the span ``text[start:end]``, with the document's anchor and date context."""
    context = date_context(text, start, end) if label == "DATE" else None
    return value_for(label, text[start:end], lexicon, Where(parse_anchor(published), context))


def candidate_value(candidate: Candidate, text: str, lexicon: Lexicon, published: str | None) -> str | None:
    """A suggestion's value: the one its rule found, else the label's normaliser."""
    if candidate.value is not None:
        return candidate.value
    return value_in_text(candidate.label, text, candidate.start, candidate.end, lexicon, published)


def fill_values(document: Document, spans: Iterable[Span], lexicon: Lexicon) -> tuple[list[Span], int]:
    """``spans`` with every missing value filled where one can be computed; and how many were filled."""
    filled: list[Span] = []
    count = 0
    for span in spans:
        if span.value is None:
            value = value_in_text(
                span.label, document.text, span.start, span.end, lexicon, document.source.published
            )
            if value is not None:
                span = span.replace(value=value)
                count += 1
        filled.append(span)
    return filled, count


@dataclass(frozen=True)
class NormalizeReport:
    documents: tuple[str, ...]
    filled: int


def normalize_predictions(repo: Repo, registry: Registry, *, dry_run: bool = False) -> NormalizeReport:
    """Fill the missing values of the stored suggestions in ``dataset/predictions/``."""
    from rasd.intake.ingest import iter_documents
    from rasd.preannotate.annotator import load_predictions, registry_lexicon, write_predictions

    lexicon = registry_lexicon(registry)
    changed: list[str] = []
    total = 0
    for document in iter_documents(repo):
        spans, count = fill_values(document, load_predictions(repo, document.id), lexicon)
        if count:
            total += count
            changed.append(document.id)
            if not dry_run:
                write_predictions(repo, document, spans)
    return NormalizeReport(tuple(changed), total)


def normalize_gold(repo: Repo, registry: Registry, *, dry_run: bool = False) -> NormalizeReport:
    """Fill the missing values of every gold file; only files that gain a value are rewritten."""
    from rasd.preannotate.annotator import registry_lexicon

    lexicon = registry_lexicon(registry)
    changed: list[str] = []
    total = 0
    for document in load_corpus(repo):
        if not document.spans:
            continue
        spans, count = fill_values(document, document.spans, lexicon)
        if count:
            total += count
            changed.append(document.id)
            if not dry_run:
                write_annotations(repo, document, spans)
    return NormalizeReport(tuple(changed), total)
