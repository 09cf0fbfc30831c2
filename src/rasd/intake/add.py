"""``rasd add SOURCE...``: articles from files people have, into ``dataset/raw/`` with provenance.

Every article of the sources (``intake.sources``: .txt, .html, .jsonl, .csv,
.parquet, a Hugging Face dataset folder) becomes ``dataset/raw/<id>.txt`` (the
extracted text, byte for byte) and an entry of ``metadata.json`` saying where it
came from: url, outlet, title, published (ISO 8601, or dropped with a note),
``retrieved``, ``extractor``, ``original_sha256`` and ``origin``.

Ids: a row's own ``id`` when it gives one, otherwise ``art-`` + the first 16 hex
digits of the sha256 of the text (the same text always gets the same id).

All or nothing, in two passes over the sources:

1. *check*: every article is judged against the corpus and the articles before
   it; only per-document ids and hashes are kept.  Adding an article that is
   already there is a no-op with a note; a different text under an existing id
   (E186), one id for two incoming texts (E187), a known text under a new id
   (E188) and every reader problem are collected, and nothing is written if any.
2. *write*: the sources are read again, each accepted article's text is staged
   in a ``core.journal.Transaction`` as it streams by, then ``metadata.json``
   (old bytes kept, new entries appended), and the transaction is committed:
   after a crash at any point, the next ``rasd`` command completes or undoes it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rasd.core.errors import RasdError, raise_all, unbundle
from rasd.core.journal import Transaction
from rasd.core.paths import Repo
from rasd.core.problems.intake import RAW_ONLY_BOILERPLATE, RAW_TOO_LARGE
from rasd.core.problems.intake_sources import (
    BAD_RETRIEVED,
    ID_TAKEN,
    NO_SOURCES,
    SAME_ID_TWICE,
    SAME_TEXT,
    SOURCE_CHANGED,
)
from rasd.formats.gold import text_sha256
from rasd.formats.metadata import MetadataEntry, entry_chunk_bytes, metadata_bytes_appending_chunks
from rasd.intake.ingest import (
    document_id,
    iter_raw_text_problems,
    load_metadata,
    max_raw_bytes,
    raw_files,
    read_raw,
    shown_raw,
)
from rasd.intake.sources import Incoming, iter_incoming
from rasd.text.clean import clean
from rasd.validation.validate import is_calendar_date, is_iso_date_form

DERIVED_PREFIX = "art-"
DERIVED_HEX = 16
JOURNAL_NAME = "add"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_AND_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


def derived_id(text: str) -> str:
    """The id of an article that gives none: stable, from its text alone."""
    return DERIVED_PREFIX + text_sha256(text)[:DERIVED_HEX]


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def checked_retrieved(value: str | None) -> str:
    """``--retrieved``: a calendar date YYYY-MM-DD; today (UTC) when not given."""
    if value is None:
        return today()
    if not (DAY.match(value) and is_calendar_date(value)):
        raise BAD_RETRIEVED(value=value)
    return value


def iso_published(value: str | None) -> tuple[str | None, str | None]:
    """The publication date as ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD), or None and a note saying why.

    A date with a time (``2019-02-21T10:00:00Z``, parquet's ``2019-02-21 00:00:00``)
    keeps its date; anything else that is not an ISO calendar date is dropped.
    """
    if value is None or not value.strip():
        return None, None
    value = value.strip()
    with_time = DATE_AND_TIME.match(value)
    day = with_time.group(1) if with_time else value
    if is_iso_date_form(day) and is_calendar_date(day):
        return day, None
    return None, f"the source's publication date {value!r} is not an ISO 8601 calendar date; dropped"


# --- where articles come from --------------------------------------------------------------------


def shown_source(repo: Repo, path: Path) -> str:
    """A source as recorded in ``origin``: relative to the repository, else its name only.

    Only the name, so that a local folder (a home directory, a download folder) is not published.
    """
    try:
        return str(path.resolve().relative_to(repo.root))
    except ValueError:
        return path.name


def iter_articles(repo: Repo, sources: Sequence[Path]) -> Iterator[Incoming | RasdError]:
    """Every article (or reader problem) of every source, in order; the same order on every pass."""
    for path in sources:
        if not path.exists():
            yield NO_SOURCES(name=str(path))
            continue
        try:
            yield from iter_incoming(path, shown_source(repo, path))
        except RasdError as error:  # a file-level problem (bad JSON, not UTF-8) ends that source only
            yield from unbundle(error)


# --- pass 1: check -------------------------------------------------------------------------------


def digest(text: str) -> bytes:
    """The sha256 of a text as 32 raw bytes: what the check keeps per article (a hex string takes twice)."""
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass
class Index:
    """Per-document ids and hashes: of the corpus, then of every article accepted so far.

    With the plan, what the check keeps per article (about 0.7 KB, digests as
    raw bytes); the write pass adds the journal's list of staged files and each
    new metadata entry as UTF-8 bytes.  ``python bench/add.py`` measures the
    growth per article (see the README).
    """

    text_of: dict[str, bytes] = field(default_factory=dict)  # id -> sha256 of its raw text
    holder: dict[bytes, str] = field(default_factory=dict)  # b"r"/b"t" + sha256 of raw/clean text -> id
    where: dict[str, str] = field(default_factory=dict)  # id -> its file, or its origin
    incoming: set[str] = field(default_factory=set)  # ids first given in this call

    def enter(self, doc_id: str, raw: str, cleaned: str, where: str) -> None:
        self.text_of[doc_id] = digest(raw)
        self.holder.setdefault(b"r" + digest(raw), doc_id)
        self.holder.setdefault(b"t" + digest(cleaned), doc_id)
        self.where[doc_id] = where


def corpus_index(repo: Repo) -> tuple[Index, list[RasdError]]:
    """The ids and text hashes of the articles already in ``dataset/raw/`` (and their problems)."""
    index, errors = Index(), []
    try:
        load_metadata(repo)
    except RasdError as error:
        errors += unbundle(error)
    for path in raw_files(repo):
        try:
            raw = read_raw(repo, path)
        except RasdError as error:
            errors += unbundle(error)
            continue
        index.enter(document_id(path), raw, clean(raw)[0], shown_raw(repo, path))
    return index, errors


@dataclass(frozen=True)
class Verdict:
    """What to do with one article: add it under ``id``, skip it (a note says why), or an error."""

    id: str
    note: str | None = None
    errors: tuple[RasdError, ...] = ()


def text_problems(article: Incoming, doc_id: str, cleaned: str) -> list[RasdError]:
    """What would stop ingest from reading the article back (size, control characters, empty)."""
    where = {"file": article.origin, "document": doc_id}
    errors = list(iter_raw_text_problems(article.text, **where))
    size, limit = len(article.text.encode("utf-8")), max_raw_bytes()
    if size > limit:
        errors.append(RAW_TOO_LARGE(**where, size=size, limit=limit))
    if not errors and not cleaned:
        errors.append(RAW_ONLY_BOILERPLATE(**where))
    return errors


def judge(article: Incoming, index: Index) -> Verdict:
    """One article against the corpus and the articles accepted before it; accepted ones enter ``index``."""
    doc_id = article.id or derived_id(article.text)
    cleaned = clean(article.text)[0]
    errors = text_problems(article, doc_id, cleaned)
    if errors:
        return Verdict(doc_id, errors=tuple(errors))
    known = index.text_of.get(doc_id)
    if known == digest(article.text):
        return Verdict(doc_id, note=f"{article.origin}: already added as {doc_id} ({index.where[doc_id]})")
    if known is not None:
        other = index.where[doc_id]
        twice = doc_id in index.incoming
        error = (
            SAME_ID_TWICE(file=article.origin, id=doc_id, other=other)
            if twice
            else ID_TAKEN(file=article.origin, id=doc_id)
        )
        return Verdict(doc_id, errors=(error,))
    other_id = index.holder.get(b"r" + digest(article.text)) or index.holder.get(b"t" + digest(cleaned))
    if other_id is not None and article.id is None:
        return Verdict(
            doc_id, note=f"{article.origin}: the same text is already {other_id} ({index.where[other_id]})"
        )
    if other_id is not None:
        return Verdict(doc_id, errors=(SAME_TEXT(file=article.origin, id=doc_id, other=other_id),))
    index.enter(doc_id, article.text, cleaned, article.origin)
    index.incoming.add(doc_id)
    return Verdict(doc_id)


@dataclass(frozen=True)
class Plan:
    """The outcome of the check: which articles (by their place in the stream) go in, under which id."""

    accepted: Mapping[int, tuple[str, bytes]]  # place -> (id, sha256 of the text)
    notes: tuple[str, ...]


def check_sources(repo: Repo, sources: Sequence[Path]) -> Plan:
    """Judge every article; raise every problem at once (nothing is written), else return the plan."""
    index, errors = corpus_index(repo)
    accepted: dict[int, tuple[str, bytes]] = {}
    notes: list[str] = []
    for place, article in enumerate(iter_articles(repo, sources)):
        if isinstance(article, RasdError):
            errors.append(article)
            continue
        verdict = judge(article, index)
        errors += verdict.errors
        if verdict.note is not None:
            notes.append(verdict.note)
        elif not verdict.errors:
            accepted[place] = (verdict.id, digest(article.text))
    raise_all(errors, summary="nothing was added")
    return Plan(accepted, tuple(notes))


# --- pass 2: write -------------------------------------------------------------------------------


def metadata_entry(article: Incoming, retrieved: str) -> MetadataEntry:
    published, note = iso_published(article.published)
    return MetadataEntry(
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published=published,
        note=note,
        retrieved=retrieved,
        extractor=article.extractor,
        original_sha256=article.original_sha256,
        origin=article.origin,
    )


@dataclass
class Staged:
    """What the write pass keeps per article: its id, its metadata entry as bytes, a dropped date's note."""

    ids: list[str] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def stage_articles(
    repo: Repo, sources: Sequence[Path], plan: Plan, retrieved: str, txn: Transaction
) -> Staged:
    """Stage every accepted article's text; return their ids and rendered metadata entries, in order."""
    staged = Staged()
    for place, article in enumerate(iter_articles(repo, sources)):
        chosen = plan.accepted.get(place)
        if chosen is None:
            continue
        doc_id, text_digest = chosen
        if isinstance(article, RasdError) or digest(article.text) != text_digest:
            raise SOURCE_CHANGED(file=getattr(article, "origin", None) or str(place), id=doc_id)
        txn.write_text(repo.raw_dir / f"{doc_id}.txt", article.text)
        entry = metadata_entry(article, retrieved)
        staged.ids.append(doc_id)
        staged.chunks.append(entry_chunk_bytes(doc_id, entry))
        if entry.note:
            staged.notes.append(f"{doc_id}: {entry.note}")
    if len(staged.ids) != len(plan.accepted):
        raise SOURCE_CHANGED(file=", ".join(map(str, sources)), id="(missing rows)")
    return staged


@dataclass(frozen=True)
class AddReport:
    added: tuple[str, ...]  # the new documents' ids, in the order of the sources
    notes: tuple[str, ...]  # articles that were already there, dropped dates


def add_articles(repo: Repo, sources: Sequence[Path], *, retrieved: str | None = None) -> AddReport:
    """Add every article of ``sources`` to ``dataset/raw/`` with its provenance, or nothing at all."""
    day = checked_retrieved(retrieved)
    plan = check_sources(repo, sources)
    if not plan.accepted:
        return AddReport((), plan.notes)
    txn = Transaction(repo.root, JOURNAL_NAME)
    try:
        staged = stage_articles(repo, sources, plan, day, txn)
        shown = repo.relative(repo.metadata_file)
        data = metadata_bytes_appending_chunks(repo.metadata_file, staged.chunks, file=shown)
        staged.chunks.clear()
        txn.write_bytes(repo.metadata_file, data)
        del data
    except BaseException:
        txn.abandon()
        raise
    txn.commit()
    return AddReport(tuple(staged.ids), plan.notes + tuple(staged.notes))
