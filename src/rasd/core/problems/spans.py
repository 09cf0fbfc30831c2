"""Catalogue entries: record structure (JSON Schema) and span meaning (RASD-E2xx)."""

from __future__ import annotations

from rasd.core.errors import SchemaViolation, SpanError, problem

# --- structure (E201-E219) -----------------------------------------------------------------------

SCHEMA_MISMATCH = problem(
    "RASD-E201",
    SchemaViolation,
    "{json_path}: {message}",
    fix="make it match schema/{schema_name} ({validator} at {json_path})",
    meaning="A record breaks its JSON Schema; every violation is reported with its JSON path.",
)
OFFSET_NOT_INTEGER = problem(
    "RASD-E202",
    SchemaViolation,
    "{json_path}: {value!r} is not an integer offset",
    fix="write the offset as a whole number without a decimal point (65, not 65.0 or true)",
    meaning="JSON Schema counts 65.0 as an integer; an offset written as a float or a boolean is refused.",
)
LONE_SURROGATE = problem(
    "RASD-E203",
    SchemaViolation,
    "{json_path}: the string holds a lone surrogate {escape}, which is not a character",
    fix="write the character itself, or both halves of its UTF-16 escape pair",
    meaning="A JSON escape in \\ud800-\\udfff without its pair cannot be written as UTF-8.",
)

# --- span meaning (E221-E249) --------------------------------------------------------------------

SPAN_EMPTY = problem(
    "RASD-E221",
    SpanError,
    "empty or reversed offsets [{start}, {end})",
    fix="end must be greater than start; delete the span if it marks nothing",
    meaning="A span's end is not after its start.",
)
SPAN_OUTSIDE_TEXT = problem(
    "RASD-E222",
    SpanError,
    "offsets [{start}, {end}) are outside the text (length {text_length})",
    fix="the span was made on another text: run `rasd migrate`, or fix the offsets",
    meaning="A span's offsets point past the end of the document text.",
)
SPAN_TEXT_MISMATCH = problem(
    "RASD-E223",
    SpanError,
    "text[{start}:{end}] is {found!r} but the span says {expected!r}",
    fix="correct the offsets (locate the string programmatically) or the span text",
    meaning="The text at a span's offsets is not the span's recorded surface string.",
)
SPAN_EDGE_JUNK = problem(
    "RASD-E224",
    SpanError,
    "span {surface!r} starts or ends with white space or punctuation",
    fix="move the boundary inward: spaces, quotes and brackets stay outside spans",
    meaning="White space and punctuation are kept outside every span.",
)
SPAN_UNKNOWN_LABEL = problem(
    "RASD-E225",
    SpanError,
    "label {label!r} is not in the label set",
    fix="use one of {labels}",
    meaning="A span's label is not one of the dataset's labels.",
)
SPAN_CROSSING = problem(
    "RASD-E226",
    SpanError,
    "crosses span {other} [{other_start}, {other_end}) {other_text!r}: "
    "[{start}, {end}) {surface!r} overlaps it partially",
    fix="spans may nest but never cross: shrink or extend one of them",
    meaning="Two spans overlap without one containing the other.",
)
SPAN_ID_TWICE = problem(
    "RASD-E227",
    SpanError,
    "span id used twice in this document",
    fix="give one of them a new id (rasd.core.spans.new_span_id)",
    meaning="Two spans of one document share an id.",
)
SPAN_DUPLICATE = problem(
    "RASD-E228",
    SpanError,
    "same offsets and label as span {other}",
    fix="delete the duplicate",
    meaning="Two spans have the same offsets and label.",
)
QUANTITY_NOT_NUMBER = problem(
    "RASD-E229",
    SpanError,
    "QUANTITY value {value!r} is not a number",
    fix="write the value as a decimal number (e.g. 60 or 1.5), or leave it empty",
    meaning="A QUANTITY span's normalised value is not a decimal number.",
)
SPAN_ID_IN_OTHER_DOCUMENT = problem(
    "RASD-E231",
    SpanError,
    "span id is also used in document {other_document}",
    fix="span ids are corpus-wide: give this span a new id",
    meaning="Span ids are unique across the corpus, not only per document.",
)
DATE_NOT_ISO = problem(
    "RASD-E232",
    SpanError,
    "DATE value {value!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
    fix="write the value as far as the text fixes it (2019-02-20, 2019-02, 2019), or null",
    meaning="A DATE span's normalised value is not an ISO 8601 calendar date.",
)
DATE_IMPOSSIBLE = problem(
    "RASD-E233",
    SpanError,
    "DATE value {value!r} is not a real calendar date",
    fix="correct the month or day (2019-02-20, 2019-02, 2019), or null",
    meaning="A DATE value has the ISO form but names no day of the calendar (2019-13-45).",
)
SPAN_SPLITS_MARK = problem(
    "RASD-E234",
    SpanError,
    "the span {edge} between a letter and its combining mark U+{code:04X} ({surface!r})",
    fix="move the boundary past the mark: a diacritic belongs to the letter before it",
    meaning="A span boundary separates a letter from its diacritic (harakat, shadda).",
)
SPAN_INVISIBLE_EDGE = problem(
    "RASD-E235",
    SpanError,
    "span {surface!r} {edge} with the invisible format character U+{code:04X} ({name})",
    fix="move the boundary inward: joiners (ZWJ, ZWNJ) and direction marks stay outside spans",
    meaning="A span starts or ends with an invisible format character (ZWJ, ZWNJ, RLM, LRM ...).",
)
