"""The part of a document's build that its raw file alone decides, cached apart from the rest.

Cleaning the raw text (text and offset map), its hashes, the near-duplicate
fingerprint and the pattern's tokens (``rasd.text.tokens.words``) depend on the
raw bytes, the file's name and the code, never on the gold file, the stored
suggestions or the metadata.  The build's records entry (``rasd.dataset.docwork``)
is keyed by every input, so an import that writes a gold file for every document
misses every entry; this part is kept in a cache of its own
(``.rasd-cache/build-text/``, the same format: ``rasd.formats.buildcache``)
under a key of the raw bytes alone, so that rebuild cleans, hashes and
fingerprints nothing again.

Only a raw file that was read without a problem has a text part: a file with a
problem goes through ``docwork.compute``'s complete path every time, which names
it.  A text part read back is checked like every cache entry (key, checksum);
one that fails is absent, and made again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rasd.core.model import Document, Source
from rasd.core.offsets import OffsetMap
from rasd.core.paths import Repo
from rasd.dataset.neardup import fingerprint, signature_state
from rasd.formats import buildcache
from rasd.intake.ingest import read_document, text_sha256
from rasd.text.tokens import TokenColumns
from rasd.text.wordscan import word_columns

SUFFIX = "-text"
"""The text parts' cache folder is the records cache's with this suffix (``.rasd-cache/build-text``)."""
FRESH = "text"
"""The build's own folder for new text parts, inside its folder for new records entries."""


def cache_of(records_cache: Path) -> Path:
    """The text parts' cache folder next to the records cache folder ``records_cache``."""
    return records_cache.with_name(records_cache.name + SUFFIX)


def fresh_of(records_fresh: Path) -> Path:
    """Where a build writes its new text parts: inside its folder of new records entries (not a pack)."""
    return records_fresh / FRESH


@dataclass(frozen=True)
class TextPart:
    """What the build makes of a document's raw file alone (its ``Document`` has no spans)."""

    document: Document
    raw_sha256: str
    text_sha256: str
    exact: str
    minhash: str
    """The MinHash signature's state (``neardup.signature_state``)."""
    words: TokenColumns | None
    """The starts and ends of ``rasd.text.tokens.words(document.text)`` (``wordscan.word_columns``);
    None when not made (no gold file: no tokens needed)."""

    def with_words(self) -> TextPart:
        """This part with its words (made now when it has none)."""
        return self if self.words is not None else replace(self, words=word_columns(self.document.text))


def text_key(code: str, raw_file: str, raw: bytes) -> str:
    """The key of a raw file's text part: the code, the file's name and its bytes."""
    digest = hashlib.sha256(f"text\0{code}\0{raw_file}\0".encode())
    digest.update(b"%d:" % len(raw) + raw)
    return digest.hexdigest()


def make(
    repo: Repo, raw_file: str, title: str | None, source: Source, data: bytes | None, *, tokens: bool = True
) -> TextPart:
    """The text part of the raw file ``raw_file`` (of bytes ``data`` when read already).

    ``tokens``: with its words (``TextPart.words``; a document without gold has
    no tokens, and a build of raw articles is not made dearer by them).  Its
    problems are raised as ``read_document`` raises them.
    """
    raw, document = read_document(repo, repo.raw_dir / raw_file, title, source, data=data)
    exact, minhash = fingerprint(document.text)
    return TextPart(
        document=document,
        raw_sha256=text_sha256(raw),
        text_sha256=text_sha256(document.text),
        exact=exact,
        minhash=signature_state(minhash),
        words=word_columns(document.text) if tokens else None,
    )


def entry(key: str, part: TextPart) -> bytes:
    """The cache entry of a text part (``ValueError``: a value ``marshal`` cannot store)."""
    summary = {"raw_sha256": part.raw_sha256, "text_sha256": part.text_sha256, "exact": part.exact}
    offsets = part.document.offset_map
    body = {
        "text": part.document.text,
        "runs": offsets.runs,
        "length": offsets.text_length,
        "minhash": part.minhash,
        "words": part.words,
    }
    return buildcache.entry_bytes(key, summary, body)


def from_entry(
    doc_id: str, title: str | None, source: Source, found: tuple[dict[str, Any], dict[str, Any]]
) -> TextPart | None:
    """The text part a sound entry holds (the document's title and source are the metadata's), or None."""
    summary, body = found
    try:
        document = Document(doc_id, body["text"], title, source, OffsetMap(body["runs"], body["length"]))
        return TextPart(
            document,
            summary["raw_sha256"],
            summary["text_sha256"],
            summary["exact"],
            body["minhash"],
            body["words"],
        )
    except (KeyError, TypeError):
        return None
