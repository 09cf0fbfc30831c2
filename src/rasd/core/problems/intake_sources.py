"""Catalogue entries: articles brought in by ``rasd add`` (RASD-E18x, in the intake range)."""

from __future__ import annotations

from rasd.core.errors import RawInputError, RequestError, problem

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
SAME_TEXT = problem(
    "RASD-E188",
    RawInputError,
    "this text is already document {other}, under another id ({id})",
    fix="leave it out (it is in the corpus already), or leave its id empty: an article without an id "
    "whose text is already in the corpus is a no-op",
    meaning="An added article asks for a new id but its text (raw, or once cleaned) is an existing or "
    "another incoming article's: a repeat would leak between splits.",
)
BAD_PROVENANCE = problem(
    "RASD-E189",
    RawInputError,
    "field {field!r} is {value!r}, not {form}",
    fix="correct it, or remove the field: `rasd add` writes these itself",
    meaning="A provenance field of metadata.json (retrieved, original_sha256) is malformed.",
)
BAD_RETRIEVED = problem(
    "RASD-E191",
    RequestError,
    "--retrieved {value!r} is not a date YYYY-MM-DD",
    fix="give the day the articles were retrieved, e.g. --retrieved 2026-12-02, or leave it out for today",
    meaning="`rasd add --retrieved` was given something other than a calendar date.",
)
SOURCE_CHANGED = problem(
    "RASD-E192",
    RawInputError,
    "the source changed while it was being added (document {id})",
    fix="run `rasd add` again once nothing else writes the file; nothing was added",
    meaning="A source file gave other articles when it was written than when it was checked.",
)
NO_SOURCES = problem(
    "RASD-E193",
    RequestError,
    "no source file or folder {name!r}",
    fix="check the path (files: .txt, .html, .jsonl, .csv, .parquet; folders: a Hugging Face dataset)",
    meaning="`rasd add` was given a path that does not exist.",
)
CSV_ROW_TOO_LONG = problem(
    "RASD-E194",
    RawInputError,
    "the row has {count} more value(s) than the header has columns",
    fix='quote every value that holds a comma ("..."), so the text is not cut at its first comma',
    meaning="A CSV row has more fields than its header: usually an unquoted comma inside the text.",
)
CSV_MALFORMED = problem(
    "RASD-E195",
    RawInputError,
    "the CSV cannot be read here: {reason}",
    fix="check the quoting around this row (a quote opened and never closed swallows the rows after it)",
    meaning="Python's csv reader refused the file at this row (a NUL byte, a value over the size limit).",
)
SOURCE_TOO_LARGE = problem(
    "RASD-E196",
    RawInputError,
    "{what} is over {limit} bytes, more than one article can be; it was not read",
    fix="split it into articles, or raise RASD_MAX_RAW_BYTES (the article limit; a row or page may be "
    "three times it plus 1 MiB, for JSON escapes and markup) if it really is one article",
    meaning="A file or line given to `rasd add` is refused before it is read, so memory stays bounded.",
)
