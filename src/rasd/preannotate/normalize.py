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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rasd.core.labels import Label
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.formats.predictions import PredictionsWriter
from rasd.gold.annotations import load_corpus, write_annotations
from rasd.gold.entities import Registry
from rasd.intake.ingest import iter_documents
from rasd.preannotate.lexicon import Lexicon, lookup, registry_lexicon
from rasd.preannotate.stored import load_predictions, predictions_bytes
from rasd.text.dates import Anchor, DateContext, date_context, date_value, needs_context, parse_anchor
from rasd.text.numbers import quantity_value


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


def _entity(label: Label) -> Normaliser:
    def normalise(surface: str, lexicon: Lexicon, where: Where) -> str | None:
        return lookup(surface, lexicon, label)

    normalise.__doc__ = f"The registry value of a {label} span's text (any known spelling), else None."
    return normalise


NORMALISERS: dict[str, Normaliser] = {
    Label.DATE: normalise_date,
    Label.QUANTITY: normalise_quantity,
    **{label: _entity(label) for label in (Label.PLATFORM, Label.ORG, Label.PERSON, Label.LOC)},
}


def value_for(label: str, surface: str, lexicon: Lexicon, where: Where | None = None) -> str | None:
    """The normalised value of a span with ``label`` and text ``surface``."""
    return NORMALISERS[label](surface, lexicon, where or Where())


def value_in_text(
    label: str, text: str, start: int, end: int, lexicon: Lexicon, published: str | None
) -> str | None:
    """The value of the span ``text[start:end]``, with the document's anchor and date context."""
    surface = text[start:end]
    context = date_context(text, start, end) if label == Label.DATE and needs_context(surface) else None
    return value_for(label, surface, lexicon, Where(parse_anchor(published), context))


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


def _fill_all(
    stored: Iterable[tuple[Document, Sequence[Span]]],
    lexicon: Lexicon,
    write: Callable[[Document, list[Span]], object] | None,
) -> NormalizeReport:
    """Fill the missing values of every document's spans; ``write`` the documents that gained one."""
    changed: list[str] = []
    total = 0
    for document, spans in stored:
        filled, count = fill_values(document, spans, lexicon)
        if count:
            total += count
            changed.append(document.id)
            if write is not None:
                write(document, filled)
    return NormalizeReport(tuple(changed), total)


def normalize_predictions(repo: Repo, registry: Registry, *, dry_run: bool = False) -> NormalizeReport:
    """Fill the missing values of the stored suggestions in ``dataset/predictions/``."""
    stored = ((document, load_predictions(repo, document)) for document in iter_documents(repo))
    if dry_run:
        return _fill_all(stored, registry_lexicon(registry), None)
    with PredictionsWriter(repo) as writer:  # batched and crash-safe, as ``rasd preannotate`` writes them

        def write(document: Document, spans: Sequence[Span]) -> bool:
            return writer.write(document.id, predictions_bytes(document, spans))

        return _fill_all(stored, registry_lexicon(registry), write)


def normalize_gold(repo: Repo, registry: Registry, *, dry_run: bool = False) -> NormalizeReport:
    """Fill the missing values of every gold file; only files that gain a value are rewritten."""
    gold = ((document, document.spans) for document in load_corpus(repo) if document.spans)
    write = None if dry_run else (lambda document, spans: write_annotations(repo, document, spans))
    return _fill_all(gold, registry_lexicon(registry), write)
