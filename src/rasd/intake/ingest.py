"""Raw intake: every ``dataset/raw/*.txt`` becomes a ``Document``, one at a time.

Raw files are committed byte for byte and never edited; the document id is the
file name without ``.txt`` (the seed names carry a hash, so ids stay stable).  A
new article is added by dropping its file into ``dataset/raw/`` (and, if known,
its metadata into ``metadata.json``): no code changes.  Documents are yielded
in id order and read lazily, so memory stays flat as the corpus grows.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.core.errors import RasdError, RawInputError
from rasd.core.model import Document, Source
from rasd.core.paths import Repo
from rasd.text.clean import clean

DOCUMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
METADATA_FIELDS = ("title", "outlet", "author", "url", "published", "language", "license", "note")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def raw_files(repo: Repo) -> list[Path]:
    """The raw article files, in document-id order."""
    return sorted(repo.raw_dir.glob("*.txt"))


def document_id(path: Path) -> str:
    return path.stem


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Metadata:
    """The contents of ``dataset/raw/metadata.json``: per document id, known facts."""

    entries: dict[str, dict[str, Any]]

    def source_for(self, doc_id: str, raw_file: str) -> tuple[str | None, Source]:
        entry = self.entries.get(doc_id, {})
        source = Source(
            raw_file=raw_file,
            outlet=entry.get("outlet"),
            author=entry.get("author"),
            url=entry.get("url"),
            published=entry.get("published"),
            language=entry.get("language") or "ar",
            license=entry.get("license"),
        )
        return entry.get("title"), source


def load_metadata(repo: Repo) -> Metadata:
    """Read and check ``metadata.json``; a missing file means no metadata yet."""
    path = repo.metadata_file
    shown = repo.relative(path)
    if not path.exists():
        return Metadata({})
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RawInputError(f"cannot read metadata: {exc}", hint="fix the JSON syntax", file=shown) from exc
    if not isinstance(entries, dict):
        raise RawInputError("metadata must be an object keyed by document id", file=shown, hint="see README")
    errors: list[RasdError] = []
    known = {document_id(p) for p in raw_files(repo)}
    for doc_id, entry in entries.items():
        if doc_id not in known:
            errors.append(
                RawInputError(
                    "metadata names a document that has no raw file",
                    file=shown,
                    document=doc_id,
                    hint=f"add dataset/raw/{doc_id}.txt or remove the entry",
                )
            )
            continue
        if not isinstance(entry, dict):
            errors.append(
                RawInputError("entry must be an object", file=shown, document=doc_id, hint="see README")
            )
            continue
        for key in sorted(set(entry) - set(METADATA_FIELDS)):
            errors.append(
                RawInputError(
                    f"unknown metadata field {key!r}",
                    file=shown,
                    document=doc_id,
                    hint=f"use only {', '.join(METADATA_FIELDS)}",
                    field=key,
                )
            )
        for key in METADATA_FIELDS:
            if entry.get(key) is not None and not isinstance(entry[key], str):
                errors.append(
                    RawInputError(
                        f"field {key!r} must be a string or null",
                        file=shown,
                        document=doc_id,
                        hint="quote it",
                    )
                )
        published = entry.get("published")
        if isinstance(published, str) and not _DATE.match(published):
            errors.append(
                RawInputError(
                    f"published date {published!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
                    file=shown,
                    document=doc_id,
                    hint="write it as e.g. 2019-02-21, or null when the text does not give it",
                )
            )
    if errors:
        from rasd.core.errors import raise_all

        raise_all(errors, summary="problems in metadata")
    return Metadata(entries)


def read_raw(repo: Repo, path: Path) -> str:
    """Decode a raw file strictly as UTF-8; reject empty files with a clear error."""
    shown = repo.relative(path)
    doc_id = document_id(path)
    if not DOCUMENT_ID.match(doc_id):
        raise RawInputError(
            f"file name {path.name!r} does not make a valid document id",
            file=shown,
            hint="rename it to letters, digits, '_' or '-' before .txt (e.g. 005_<hash>.txt)",
        )
    data = path.read_bytes()
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RawInputError(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte {exc.start})",
            file=shown,
            document=doc_id,
            hint="re-save the article as UTF-8 (e.g. iconv -f cp1256 -t utf-8)",
            byte_offset=exc.start,
        ) from exc
    if not raw.strip():
        raise RawInputError(
            "empty file", file=shown, document=doc_id, hint="put the article text in it or delete the file"
        )
    return raw


def iter_documents(repo: Repo) -> Iterator[Document]:
    """Yield every raw article as a cleaned ``Document`` without spans, in id order.

    Duplicates (the same bytes, or texts that clean to the same text) are an
    error naming both files: a repeated article would leak between splits and
    double its counts.
    """
    metadata = load_metadata(repo)
    seen_raw: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    for path in raw_files(repo):
        shown = repo.relative(path)
        raw = read_raw(repo, path)
        doc_id = document_id(path)
        raw_hash = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        text, offset_map = clean(raw)
        if not text:
            raise RawInputError(
                "nothing is left after cleaning (the file holds only boilerplate)",
                file=shown,
                document=doc_id,
                hint="check that the article body was copied, or delete the file",
            )
        digest = text_sha256(text)
        for seen, what in ((seen_raw, raw_hash), (seen_text, digest)):
            if what in seen:
                raise RawInputError(
                    f"duplicate of {seen[what]}",
                    file=shown,
                    document=doc_id,
                    hint="delete one of the two files (keep the one whose id is already annotated)",
                    duplicate_of=seen[what],
                )
        seen_raw[raw_hash] = shown
        seen_text[digest] = shown
        title, source = metadata.source_for(doc_id, path.name)
        yield Document(id=doc_id, text=text, title=title, source=source, offset_map=offset_map)


def read_raw_text(repo: Repo, document: Document) -> str:
    """The raw text a document was cleaned from (for provenance and migration)."""
    return read_raw(repo, repo.raw_dir / document.source.raw_file)
