"""Catalogue entries: articles brought in by ``rasd add`` (RASD-E18x, in the intake range)."""

from __future__ import annotations

from rasd.core.errors import RawInputError, problem

UNKNOWN_SOURCE = problem(
    "RASD-E181",
    RawInputError,
    "cannot add a {suffix} file",
    fix="give .txt, .html, .jsonl, .csv or .parquet files, or a Hugging Face dataset folder (known: {known})",
    meaning="`rasd add` was given a file of a kind it has no reader for.",
)
NO_TEXT_COLUMN = problem(
    "RASD-E182",
    RawInputError,
    "no article text (a non-empty string in a column or field named 'text')",
    fix="give every row a 'text' with the article; optional: id, url, title, outlet, published",
    meaning="A JSON Lines, CSV or parquet row (or the whole file) has no usable `text`.",
)
BAD_ROW_FIELD = problem(
    "RASD-E183",
    RawInputError,
    "field {field!r} must be a string, not {kind}",
    fix="quote the value or leave the field empty",
    meaning="An optional field of a row (id, url, title, outlet, published) is not text.",
)
BAD_ROW_ID = problem(
    "RASD-E184",
    RawInputError,
    "the id {id!r} is not a valid document id",
    fix="use letters, digits, '_' and '-' only (at most 128, starting with a letter or digit), "
    "or leave the id empty and Rasd derives one from the text",
    meaning="A row gives an id that cannot name a file in dataset/raw/.",
)
NOTHING_EXTRACTED = problem(
    "RASD-E185",
    RawInputError,
    "no article text could be extracted from this page",
    fix="check that the page holds the article (not a login wall or an index page), or save its text as .txt",
    meaning="The HTML extractor found no main text.",
)
ID_TAKEN = problem(
    "RASD-E186",
    RawInputError,
    "document {id} already exists with a different text",
    fix="an article's text never changes silently: to replace it, edit dataset/raw/{id}.txt and run "
    "`rasd migrate` to carry its gold spans over; to add it as another article, give it another id",
    meaning="An added article asks for an id that an existing article with other text already has.",
)
SAME_ID_TWICE = problem(
    "RASD-E187",
    RawInputError,
    "document id {id} is given to two different articles in this call (also {other})",
    fix="give each article its own id, or leave ids empty",
    meaning="Two incoming articles of one `rasd add` call ask for the same id.",
)
