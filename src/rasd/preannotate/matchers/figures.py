"""Dates and quantities: the grammars of ``rasd.text.dates`` and ``rasd.text.numbers``."""

from __future__ import annotations

from collections.abc import Iterator

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate, Context
from rasd.text.dates import find_dates
from rasd.text.numbers import find_quantities


def dates(ctx: Context) -> Iterator[Candidate]:
    for d in find_dates(ctx.text, ctx.published, ctx.folded):
        yield Candidate(d.start, d.end, Label.DATE, d.score, None, "dates")


def quantities(ctx: Context) -> Iterator[Candidate]:
    for q in find_quantities(ctx.text, ctx.words, ctx.folded):
        yield Candidate(q.start, q.end, Label.QUANTITY, q.score, q.value, "numbers")
