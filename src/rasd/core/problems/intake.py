"""Catalogue entries: raw articles in ``dataset/raw/`` and their metadata (RASD-E1xx)."""

from __future__ import annotations

from rasd.core.errors import RawInputError, problem

# --- raw article files (E101-E119) ---------------------------------------------------------------

RAW_BAD_NAME = problem(
    "RASD-E101",
    RawInputError,
    "file name {name!r} does not make a valid document id",
    fix="rename it to letters, digits, '_' or '-' before .txt (e.g. 005_<hash>.txt)",
    meaning="The document id is the raw file's name without .txt; it must be a short ASCII slug.",
)
RAW_NOT_UTF8 = problem(
    "RASD-E102",
    RawInputError,
    "not UTF-8 (invalid byte 0x{byte:02x} at byte {position})",
    fix="re-save the article as UTF-8 (e.g. iconv -f cp1256 -t utf-8)",
    meaning="A raw article is not valid UTF-8 (often Windows-1256); it is never guessed.",
)
RAW_EMPTY = problem(
    "RASD-E103",
    RawInputError,
    "empty file",
    fix="put the article text in it or delete the file",
    meaning="A raw article holds nothing but white space.",
)
RAW_ONLY_BOILERPLATE = problem(
    "RASD-E104",
    RawInputError,
    "nothing is left after cleaning (the file holds only boilerplate)",
    fix="check that the article body was copied, or delete the file",
    meaning="Cleaning removed every character of a raw article (comments, footers).",
)
RAW_DUPLICATE = problem(
    "RASD-E105",
    RawInputError,
    "duplicate of {duplicate_of}",
    fix="delete one of the two files (keep the one whose id is already annotated)",
    meaning="Two raw files hold the same bytes or clean to the same text (a repeat leaks between splits).",
)
RAW_NOT_A_FILE = problem(
    "RASD-E106",
    RawInputError,
    "{name!r} is not a readable article file ({what})",
    fix="move it out of dataset/raw/, or replace it by the article's text file",
    meaning="Something named like an article in dataset/raw/ is a folder or a link to nothing.",
)
RAW_WRONG_EXTENSION = problem(
    "RASD-E107",
    RawInputError,
    "the extension {suffix!r} is not '.txt'",
    fix="rename it to {stem}.txt (lower case) so it is ingested, or move it out of dataset/raw/",
    meaning="An article whose extension is .txt in another case would be skipped silently; it is refused.",
)
RAW_CONTROL_CHARACTER = problem(
    "RASD-E108",
    RawInputError,
    "control character U+{code:04X} at character {position}",
    fix="delete it: an article may hold tab and line breaks, no other control characters",
    meaning="A raw article holds NUL or another C0 control character (a binary or corrupted copy).",
)
RAW_TOO_LARGE = problem(
    "RASD-E109",
    RawInputError,
    "the file is {size} bytes, over the limit of {limit} bytes",
    fix="split the article, or raise the limit (RASD_MAX_RAW_BYTES) if it really is one article",
    meaning="A raw article is larger than the configured cap (default 20 MB): probably not one news article.",
)

# --- dataset/raw/metadata.json (E111-E129) -------------------------------------------------------

METADATA_NOT_OBJECT = problem(
    "RASD-E111",
    RawInputError,
    "metadata must be an object keyed by document id",
    fix='write {{"<document id>": {{"title": ..., "published": ...}}}} (see README)',
    meaning="The top level of metadata.json is not a JSON object.",
)
METADATA_UNKNOWN_DOCUMENT = problem(
    "RASD-E112",
    RawInputError,
    "metadata names a document that has no raw file",
    fix="add dataset/raw/{doc_id}.txt or remove the entry",
    meaning="An entry of metadata.json is keyed by an id no raw file has (a typo, or a deleted article).",
)
METADATA_ENTRY_NOT_OBJECT = problem(
    "RASD-E113",
    RawInputError,
    "entry must be an object",
    fix='write the entry as {{"title": ..., "published": ...}} (see README)',
    meaning="One document's metadata is not a JSON object.",
)
METADATA_UNKNOWN_FIELD = problem(
    "RASD-E114",
    RawInputError,
    "unknown metadata field {field!r}",
    fix="use only {known}",
    meaning="A metadata entry has a field Rasd does not know (a typo would otherwise be ignored).",
)
METADATA_NOT_STRING = problem(
    "RASD-E115",
    RawInputError,
    "field {field!r} must be a string or null",
    fix="quote it",
    meaning="A metadata field holds a number, list or object.",
)
METADATA_DATE_NOT_ISO = problem(
    "RASD-E116",
    RawInputError,
    "published date {published!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
    fix="write it as e.g. 2019-02-21, or null when the text does not give it",
    meaning="The publication date is written in another form than ISO 8601.",
)
METADATA_DATE_IMPOSSIBLE = problem(
    "RASD-E117",
    RawInputError,
    "published date {published!r} is not a real calendar date",
    fix="correct the month or day (e.g. 2019-02-21), or null when the text does not give it",
    meaning="The publication date has the ISO form but names no day of the calendar (2019-13-45).",
)
