"""``dataset/raw/metadata.json``: the one reader and writer of what is known about each article.

The file is an object keyed by document id; each entry may give ``title``,
``outlet``, ``author``, ``url``, ``published`` (ISO 8601: YYYY, YYYY-MM or
YYYY-MM-DD), ``language``, ``license`` and a free ``note``, each a string or
null.  Articles brought in by ``rasd add`` also record their provenance:
``retrieved`` (the date of the add, YYYY-MM-DD), ``extractor`` (what turned the
original bytes into text: "plain text", "trafilatura 2.2.0", "jsonl", ...),
``original_sha256`` (of those bytes) and ``origin`` (the file, and the row:
"dump.csv#12").  A missing file means no metadata yet; an entry for a document
without a raw file, an unknown field or an impossible date is an error, all
reported at once.

Two writers: ``write_metadata`` writes a whole ``Metadata`` (fields that are
None left out); ``metadata_bytes_appending`` keeps the file's bytes as they are
and appends new entries before its closing brace, so that adding articles never
rewrites what a release already holds (the 0.1.0 entries give their null fields).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.core.errors import RasdError, raise_all
from rasd.core.io import atomic_write_json, dumps_json, loads_json, read_json, read_text
from rasd.core.model import Source
from rasd.core.problems.intake import (
    METADATA_DATE_IMPOSSIBLE,
    METADATA_DATE_NOT_ISO,
    METADATA_ENTRY_NOT_OBJECT,
    METADATA_NOT_OBJECT,
    METADATA_NOT_STRING,
    METADATA_UNKNOWN_DOCUMENT,
    METADATA_UNKNOWN_FIELD,
)
from rasd.core.problems.intake_sources import BAD_PROVENANCE
from rasd.validation.schema import iter_lone_surrogate_problems
from rasd.validation.validate import is_calendar_date, is_iso_date_form

METADATA_FIELDS = (
    "title",
    "outlet",
    "author",
    "url",
    "published",
    "language",
    "license",
    "note",
    "retrieved",
    "extractor",
    "original_sha256",
    "origin",
)
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class MetadataEntry:
    """The known facts about one article; None where the file does not give them."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    license: str | None = None
    note: str | None = None
    retrieved: str | None = None  # provenance of `rasd add`: the date of the add
    extractor: str | None = None
    original_sha256: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Metadata:
    """The contents of ``dataset/raw/metadata.json``: per document id, known facts."""

    entries: Mapping[str, MetadataEntry]

    def source_for(self, doc_id: str, raw_file: str) -> tuple[str | None, Source]:
        """The document's title and its ``Source`` (language ``ar`` unless the entry says otherwise)."""
        entry = self.entries.get(doc_id, MetadataEntry())
        source = Source(
            raw_file=raw_file,
            outlet=entry.outlet,
            author=entry.author,
            url=entry.url,
            published=entry.published,
            language=entry.language or "ar",
            license=entry.license,
            retrieved=entry.retrieved,
            extractor=entry.extractor,
            original_sha256=entry.original_sha256,
        )
        return entry.title, source


# --- checks of one entry -------------------------------------------------------------------------

EntryCheck = Callable[[str, dict[str, Any], str], Iterator[RasdError]]


def iter_unknown_field_problems(doc_id: str, entry: dict[str, Any], file: str) -> Iterator[RasdError]:
    for key in sorted(set(entry) - set(METADATA_FIELDS)):
        yield METADATA_UNKNOWN_FIELD(file=file, document=doc_id, field=key, known=", ".join(METADATA_FIELDS))


def iter_field_type_problems(doc_id: str, entry: dict[str, Any], file: str) -> Iterator[RasdError]:
    for key in METADATA_FIELDS:
        if entry.get(key) is not None and not isinstance(entry[key], str):
            yield METADATA_NOT_STRING(file=file, document=doc_id, field=key)


def iter_published_problems(doc_id: str, entry: dict[str, Any], file: str) -> Iterator[RasdError]:
    """``published`` is an ISO 8601 date of the calendar (not 21/01/2019, not 2019-13-45)."""
    published = entry.get("published")
    if not isinstance(published, str):
        return
    if not is_iso_date_form(published):
        yield METADATA_DATE_NOT_ISO(file=file, document=doc_id, published=published)
    elif not is_calendar_date(published):
        yield METADATA_DATE_IMPOSSIBLE(file=file, document=doc_id, published=published)


def iter_provenance_problems(doc_id: str, entry: dict[str, Any], file: str) -> Iterator[RasdError]:
    """``retrieved`` is a full calendar date, ``original_sha256`` 64 lowercase hex digits."""
    retrieved = entry.get("retrieved")
    if isinstance(retrieved, str) and not (DAY.match(retrieved) and is_calendar_date(retrieved)):
        yield BAD_PROVENANCE(
            file=file, document=doc_id, field="retrieved", value=retrieved, form="a date YYYY-MM-DD"
        )
    digest = entry.get("original_sha256")
    if isinstance(digest, str) and not SHA256_HEX.match(digest):
        yield BAD_PROVENANCE(
            file=file, document=doc_id, field="original_sha256", value=digest, form="64 lowercase hex digits"
        )


ENTRY_CHECKS: tuple[EntryCheck, ...] = (
    iter_unknown_field_problems,
    iter_field_type_problems,
    iter_published_problems,
    iter_provenance_problems,
)


def iter_metadata_problems(data: dict[str, Any], *, file: str, known: Collection[str]) -> Iterator[RasdError]:
    """Every problem of the parsed file: unknown documents, malformed entries, lone surrogates."""
    yield from iter_lone_surrogate_problems(data, file=file, document=None)
    for doc_id, entry in data.items():
        if doc_id not in known:
            yield METADATA_UNKNOWN_DOCUMENT(file=file, document=doc_id, doc_id=doc_id)
        elif not isinstance(entry, dict):
            yield METADATA_ENTRY_NOT_OBJECT(file=file, document=doc_id)
        else:
            for check in ENTRY_CHECKS:
                yield from check(doc_id, entry, file)


def parse_metadata(data: Any, *, file: str, known: Collection[str]) -> Metadata:
    """Check the parsed JSON against the raw files' ids ``known``; raise every problem."""
    if not isinstance(data, dict):
        raise METADATA_NOT_OBJECT(file=file)
    raise_all(iter_metadata_problems(data, file=file, known=known), summary="problems in metadata")
    return Metadata({doc_id: MetadataEntry(**entry) for doc_id, entry in data.items()})


def read_metadata(path: Path, *, file: str, known: Collection[str]) -> Metadata:
    """Read and check ``metadata.json``; a missing file means no metadata yet."""
    if not path.exists():
        return Metadata({})
    return parse_metadata(read_json(path, file=file), file=file, known=known)


def entry_to_json(entry: MetadataEntry) -> dict[str, str]:
    """One entry: the fields it gives, in the order of ``METADATA_FIELDS``."""
    return {key: value for key, value in dataclasses.asdict(entry).items() if value is not None}


def metadata_to_json(metadata: Metadata) -> dict[str, dict[str, str]]:
    """The file's content: each entry with the fields it gives, in the order of ``METADATA_FIELDS``."""
    return {doc_id: entry_to_json(entry) for doc_id, entry in metadata.entries.items()}


def entry_chunk(doc_id: str, entry: MetadataEntry) -> str:
    """One entry as it stands inside the file's object (indented, no comma, no newline around it)."""
    whole = dumps_json({doc_id: entry_to_json(entry)})  # '{\n  "id": {...}\n}\n'
    return whole[len("{\n") : -len("\n}\n")]


def metadata_bytes_appending(path: Path, new: Iterable[tuple[str, MetadataEntry]], *, file: str) -> bytes:
    """The file's bytes with ``new`` entries appended; every byte before them stays as it was.

    For a file in the layout ``write_metadata`` gives, the result is that layout of
    the old entries followed by the new ones.  A missing file starts a new object.
    """
    return metadata_bytes_appending_chunks(path, [entry_chunk_bytes(d, e) for d, e in new], file=file)


def entry_chunk_bytes(doc_id: str, entry: MetadataEntry) -> bytes:
    """``entry_chunk`` as UTF-8: what ``rasd add`` keeps per article until it writes the file."""
    return entry_chunk(doc_id, entry).encode("utf-8")


def metadata_bytes_appending_chunks(path: Path, chunks: Sequence[bytes], *, file: str) -> bytes:
    """``metadata_bytes_appending`` from entries already rendered by ``entry_chunk_bytes``."""
    text = read_text(path, file=file) if path.exists() else ""
    if not text.strip() or not loads_json(text, file=file):
        return b"{\n" + b",\n".join(chunks) + b"\n}\n" if chunks else b"{}\n"
    if not chunks:
        return text.encode("utf-8")
    head = text[: text.rindex("}")].rstrip().encode("utf-8")
    return head + b",\n" + b",\n".join(chunks) + b"\n}\n"


def write_metadata(path: Path, metadata: Metadata) -> bool:
    """Write ``metadata.json`` atomically; True when the file changed."""
    return atomic_write_json(path, metadata_to_json(metadata))
