"""Pre-annotation: rule-based span suggestions for all six labels, with scores and values.

The suggester is a table of matchers (``rasd.preannotate.matchers``), each a
small function from a ``Context`` (the text, its words, the lexicon) to
candidate spans.  Names that a cue found are then looked for again in the whole
text, and ``resolve`` keeps a consistent set: the most confident candidate
first, no crossing, nesting only inside names.  Every span keeps proclitics,
quotes and type words outside, as the spec says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from rasd.core.model import Document, Span
from rasd.core.spans import new_span_id
from rasd.formats.learned import LearnedName
from rasd.formats.predictions import read_texts, write_suggestions
from rasd.gold.entities import Registry
from rasd.preannotate.candidates import MODEL_VERSION, Candidate, Context, Matcher
from rasd.preannotate.learned import with_learned
from rasd.preannotate.lexicon import Lexicon, registry_lexicon
from rasd.preannotate.matchers.contextual import (
    bare_org_types,
    coordinated,
    headed_orgs,
    person_events,
    place_cues,
    platform_cues,
)
from rasd.preannotate.matchers.figures import dates, quantities
from rasd.preannotate.matchers.names import lexicon_names
from rasd.preannotate.matchers.orgs import drop_adjective_places, extend_org_names, org_heads
from rasd.preannotate.matchers.outlets import acronyms, islamic_state, outlets
from rasd.preannotate.matchers.people import given_names, kunyas, nationals, real_names, speakers
from rasd.preannotate.matchers.persons import titled_people
from rasd.preannotate.matchers.places import place_heads, places_after_types
from rasd.preannotate.matchers.quoted import quoted_names
from rasd.preannotate.matchers.repeated import propagate
from rasd.preannotate.normalize import value_in_text
from rasd.preannotate.resolve import resolve
from rasd.text.arabic import folded_words, on_word_boundaries
from rasd.validation.validate import semantic_errors

MATCHERS: tuple[Matcher, ...] = (
    lexicon_names,
    dates,
    quantities,
    quoted_names,
    org_heads,
    place_heads,
    titled_people,
    given_names,
    kunyas,
    speakers,
    nationals,
    real_names,
    outlets,
    acronyms,
    islamic_state,
    places_after_types,
    bare_org_types,
    headed_orgs,
    platform_cues,
    place_cues,
    person_events,
)


def on_words(
    text: str, candidates: Iterable[Candidate], memo: dict[tuple[int, int], bool] | None = None
) -> list[Candidate]:
    """The candidates that cover whole words, proclitics outside (spec rule 1; ``on_word_boundaries``).

    ``memo``: the answers so far for ``text``, by ``(start, end)``: about half of a text's candidates
    repeat the offsets of another (a name found by the lexicon and by a cue).
    """
    if memo is None:
        return [c for c in candidates if on_word_boundaries(text, c.start, c.end)]
    kept = []
    for c in candidates:
        span = c[:2]
        fits = memo.get(span)
        if fits is None:
            fits = memo[span] = on_word_boundaries(text, c.start, c.end)
        if fits:
            kept.append(c)
    return kept


def suggest(text: str, lexicon: Lexicon, published: str | None = None) -> list[Candidate]:
    """The resolved suggestions for ``text``.

    A candidate off word boundaries is dropped where it is made, so it neither
    wins a place nor teaches the later steps a name.
    """
    ws, folded = folded_words(text)  # one split: the words and the folded text the dates are read in
    ctx = Context(text, tuple(ws), lexicon, published, folded)
    memo: dict[tuple[int, int], bool] = {}
    found = on_words(text, (c for match in MATCHERS for c in match(ctx)), memo)
    found += on_words(text, extend_org_names(ctx, found), memo)
    found += on_words(text, coordinated(ctx, found), memo)
    found += on_words(text, propagate(ctx, found), memo)
    return drop_adjective_places(text, resolve(found))


def candidate_value(candidate: Candidate, text: str, lexicon: Lexicon, published: str | None) -> str | None:
    """A suggestion's value: the one its rule found, else the label's normaliser."""
    if candidate.value is not None:
        return candidate.value
    return value_in_text(candidate.label, text, candidate.start, candidate.end, lexicon, published)


def spans_from(
    document_id: str, text: str, candidates: Iterable[Candidate], value: Callable[[Candidate], str | None]
) -> tuple[Span, ...]:
    """Candidates as scored spans with ids (``new_span_id`` salted with the model version), in order."""
    spans = [  # positional (start, end, label, id, text, value, note, score): faster than keywords
        Span(
            c.start,
            c.end,
            c.label,
            new_span_id(document_id, c.start, c.end, c.label, salt=MODEL_VERSION),
            text[c.start : c.end],
            value(c),
            None,
            round(c.score, 3),
        )
        for c in candidates
    ]
    return tuple(sorted(spans, key=_span_order))


def _span_order(span: Span) -> tuple[int, int, str, str]:
    """``Span``'s own order (``Span.__lt__``) as a sort key: one tuple per span, not two per comparison."""
    return (span.start, span.end, span.label, span.id)


def without_rejected(document_id: str, text: str, spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """``spans`` without any that the project's own span checks (``semantic_errors``) reject.

    The last guard: a suggestion an annotator would have to delete because
    ``rasd validate`` refuses it is never made.
    """
    rejected = {error.span for error in semantic_errors(document_id, text, spans)}
    return tuple(s for s in spans if s.id not in rejected) if rejected else spans


def predict_text(
    document_id: str, text: str, lexicon: Lexicon, published: str | None = None
) -> tuple[Span, ...]:
    """Suggested spans (with ``score`` and normalised ``value``) for any text."""
    candidates = suggest(text, lexicon, published)
    spans = spans_from(document_id, text, candidates, lambda c: candidate_value(c, text, lexicon, published))
    return without_rejected(document_id, text, spans)


@lru_cache(maxsize=8)
def learned_lexicon(registry: Registry, learned: tuple[LearnedName, ...] = ()) -> Lexicon:
    """The registry's lexicon plus the learned names (cached: built once per process and name list)."""
    base = registry_lexicon(registry)
    return with_learned(base, learned) if learned else base


def predict_document(
    document: Document, registry: Registry, learned: tuple[LearnedName, ...] = ()
) -> tuple[Span, ...]:
    """Suggested spans for a document: ``score`` set, ids from ``new_span_id``, values filled.

    This is what ``rasd ls push --predictions`` sends to Label Studio.  ``learned``:
    names annotators confirmed (``annotation/learned.jsonl``), added to the lexicon.
    """
    lexicon = learned_lexicon(registry, learned)
    return predict_text(document.id, document.text, lexicon, document.source.published)


def preannotate_jsonl(source: Path, target: Path, lexicon: Lexicon, *, shown: str) -> int:
    """Suggest spans for every line of ``source`` into ``target``, streaming; the number of texts.

    ``target`` appears only once every line is done, so a bad line leaves no half-written output.
    """
    texts = read_texts(source, file=shown)
    results = ((t, predict_text(t.id, t.text, lexicon, t.published)) for t in texts)
    return write_suggestions(target, results, file=str(target))
