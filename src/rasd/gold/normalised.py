"""Normalised values: entity spans carry registry ids, DATE and QUANTITY values are well formed."""

from __future__ import annotations

from collections.abc import Iterator

from rasd.core.errors import Problem
from rasd.core.labels import ENTITY_LABELS, ID_REQUIRED, Label
from rasd.core.model import Span
from rasd.core.problems.registry import MISSING_ID, NOT_AN_ALIAS, UNKNOWN_ID, VALUE_FORMAT
from rasd.core.problems.spans import QUANTITY_NOT_NUMBER
from rasd.core.values import is_number
from rasd.formats.registry import Registry
from rasd.gold.corpus import Corpus, Warned, span_context
from rasd.validation.validate import date_value_problem

IdProblem = tuple[Problem, dict[str, object]]


def _missing_id(span: Span, registry: Registry) -> IdProblem | None:
    """An ORG or PLATFORM span without a value; the fix names the id when the alias gives one."""
    if span.label not in ID_REQUIRED:
        return None
    candidates = [e.id for e in registry.by_alias(span.text) if e.label == span.label]
    action = f"set value to {candidates[0]!r}" if len(candidates) == 1 else "add the entity to the registry"
    return MISSING_ID, {"label": span.label, "surface": span.text, "action": action}


def id_problem(span: Span, registry: Registry) -> IdProblem | None:
    """Why this entity span's value is not a good canonical id, or None."""
    if span.label not in ENTITY_LABELS:
        return None
    if span.value is None:
        return _missing_id(span, registry)
    entity = registry.by_value(span.label, span.value)
    if entity is None:
        key = "name" if span.label == Label.PERSON else "id"
        return UNKNOWN_ID, {"label": span.label, "surface": span.text, "value": span.value, "key": key}
    if span.text not in entity.aliases:
        return NOT_AN_ALIAS, {"surface": span.text, "entity": entity.id}
    return None


def iter_canonical_id_problems(corpus: Corpus) -> Iterator[Warned]:
    """Every ORG/PLATFORM span has a registry id; every entity value is in the registry."""
    for document in corpus.documents:
        for span in document.spans:
            found = id_problem(span, corpus.registry)
            if found:
                entry, values = found
                values = {"value": span.value, **values, "context": span_context(document, span)}
                yield corpus.warn(entry, document, span, **values), span


def value_problem(span: Span) -> Problem | None:
    """The entry a DATE or QUANTITY value breaks (the same rules as validation), or None."""
    if span.value is None:
        return None
    if span.label == Label.DATE:
        return date_value_problem(span.value)
    if span.label == Label.QUANTITY and not is_number(span.value):
        return QUANTITY_NOT_NUMBER
    return None


def iter_value_format_problems(corpus: Corpus) -> Iterator[Warned]:
    """DATE values are ISO 8601 calendar dates; QUANTITY values are numbers."""
    for document in corpus.documents:
        for span in document.spans:
            entry = value_problem(span)
            if entry:
                finding = entry.template.format(value=span.value)
                where = span_context(document, span)
                yield (
                    corpus.warn(
                        VALUE_FORMAT, document, span, finding=finding, value=span.value, context=where
                    ),
                    span,
                )
