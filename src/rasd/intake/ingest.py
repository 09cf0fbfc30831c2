"""Raw intake: every ``dataset/raw/*.txt`` becomes a ``Document``, one at a time.

Raw files are committed byte for byte and never edited; the document id is the
file name without ``.txt`` (the seed names carry a hash, so ids stay stable).  A
new article is added by dropping its file into ``dataset/raw/`` (and, if known,
its metadata into ``metadata.json``): no code changes.  Documents are yielded
in id order and read lazily, so memory stays flat as the corpus grows.

Nothing odd is skipped silently: a folder or a broken link named ``*.txt``, an
article named ``*.TXT``, control characters and files over the size cap are
named errors.  Line endings are accepted in every form (CR LF, lone CR, mixed)
and mapped to LF by cleaning, with offsets kept into the raw bytes.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from rasd.core.errors import RasdError, raise_all, unbundle
from rasd.core.io import read_bytes
from rasd.core.model import Document, Source
from rasd.core.paths import Repo
from rasd.core.problems.intake import (
    RAW_BAD_NAME,
    RAW_CONTROL_CHARACTER,
    RAW_DUPLICATE,
    RAW_EMPTY,
    RAW_NOT_A_FILE,
    RAW_NOT_UTF8,
    RAW_ONLY_BOILERPLATE,
    RAW_TOO_LARGE,
    RAW_WRONG_EXTENSION,
)
from rasd.formats.gold import text_sha256
from rasd.formats.metadata import Metadata, read_metadata
from rasd.text.clean import clean

DOCUMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""C0 controls other than tab, LF and CR (CR is a line ending, mapped by cleaning)."""
_CONTROL_BYTES = bytes(code for code in range(0x20) if CONTROL_CHARACTER.match(chr(code)))
"""``CONTROL_CHARACTER``'s code points as UTF-8 bytes (one byte each, never inside another character)."""
MAX_RAW_BYTES = 20 * 1024 * 1024
"""Default size cap of one raw article; ``RASD_MAX_RAW_BYTES`` in the environment overrides it."""
MAX_RAW_BYTES_VARIABLE = "RASD_MAX_RAW_BYTES"

__all__ = [  # text_sha256 stays importable here until every caller imports rasd.formats.gold
    "checked_metadata",
    "document_id",
    "iter_documents",
    "load_metadata",
    "raw_files",
    "read_document",
    "read_raw",
    "read_raw_text",
    "text_sha256",
]


RAW_SUFFIX = ".txt"


def raw_ids(repo: Repo) -> list[str]:
    """The ids of the raw article files, in order, as strings (no ``Path`` a document at 1M documents)."""
    try:
        names = sorted(name for name in os.listdir(repo.raw_dir) if name.endswith(RAW_SUFFIX))
    except (FileNotFoundError, NotADirectoryError):
        names = []
    return [name[: -len(RAW_SUFFIX)] for name in names]


def raw_files(repo: Repo) -> list[Path]:
    """The raw article files, in document-id order (the files of ``raw_ids``)."""
    folder = repo.raw_dir
    return [folder / (doc_id + RAW_SUFFIX) for doc_id in raw_ids(repo)]


def document_id(path: Path) -> str:
    return path.stem


def max_raw_bytes() -> int:
    """The size cap of one raw article: ``RASD_MAX_RAW_BYTES`` if set, else 20 MB."""
    value = os.environ.get(MAX_RAW_BYTES_VARIABLE, "")
    return int(value) if value.isdigit() else MAX_RAW_BYTES


def shown_raw(repo: Repo, path: Path, folder: str | None = None) -> str:
    """An entry of ``dataset/raw/`` as messages name it: the entry itself, never where a link leads.

    ``folder``: ``repo.relative(path.parent)`` when the caller has it (one per corpus pass).
    """
    return f"{repo.relative(path.parent) if folder is None else folder}/{path.name}"


def _not_a_file(path: Path) -> str:
    if path.is_dir():
        return "a folder"
    if path.is_symlink():
        return f"a link to {os.readlink(path)!r}, which does not exist"
    return "not a file"


def _plainly_an_article(entry: os.DirEntry[str]) -> bool:
    """An entry ``iter_raw_folder_problems`` has nothing to say about, told from its name and
    the folder listing's file type alone: no ``.txt`` in any case, or a plain file (no link)
    named ``*.txt``.  Every other entry gets the complete look."""
    if entry.name[-4:].lower() != RAW_SUFFIX:
        return True  # then its suffix is no ``.txt`` in any case
    return entry.name.endswith(RAW_SUFFIX) and not entry.is_symlink() and entry.is_file()


def iter_raw_folder_problems(repo: Repo) -> Iterator[RasdError]:
    """Entries of ``dataset/raw/`` that look like articles but cannot be ingested as they are."""
    folder = repo.raw_dir
    if not folder.is_dir():
        return
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)  # the order of the entries' paths
    for path in (folder / entry.name for entry in entries if not _plainly_an_article(entry)):
        shown = shown_raw(repo, path)
        if path.suffix.lower() == ".txt" and path.suffix != ".txt":
            yield RAW_WRONG_EXTENSION(file=shown, suffix=path.suffix, stem=path.stem)
        elif path.suffix == ".txt" and not path.is_file():
            yield RAW_NOT_A_FILE(file=shown, name=path.name, what=_not_a_file(path))


def load_metadata(repo: Repo) -> Metadata:
    """``metadata.json``, checked against the raw files' ids; a missing file means no metadata yet."""
    known = {document_id(p) for p in raw_files(repo)}
    return read_metadata(repo.metadata_file, file=repo.relative(repo.metadata_file), known=known)


def decode_raw(data: bytes, *, file: str, document: str) -> str:
    """Strict UTF-8; the error names the first bad byte (cp1256 is the usual cause)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RAW_NOT_UTF8(file=file, document=document, byte=data[exc.start], position=exc.start) from None


def iter_raw_text_problems(raw: str, *, file: str, document: str) -> Iterator[RasdError]:
    """An article that is empty, or holds control characters a text never has."""
    if not raw.strip():
        yield RAW_EMPTY(file=file, document=document)
    control = CONTROL_CHARACTER.search(raw)
    if control is not None:
        yield RAW_CONTROL_CHARACTER(
            file=file, document=document, code=ord(control.group()), position=control.start()
        )


def _sound_raw(path: Path, data: bytes | None) -> str | None:
    """The text of a raw file ``read_raw`` finds nothing wrong with, else None (then it names why).

    The same checks without the file's name (``shown_raw`` looks at every folder
    of its path) and without a pattern over the text (control characters are
    looked for in the bytes, at C speed).  None for every file ``read_raw``
    rejects; ``tests/test_ingest_quick.py`` holds it to the complete checks.
    """
    if not DOCUMENT_ID.match(document_id(path)):
        return None
    limit = max_raw_bytes()
    if data is None:
        try:
            status = os.stat(path)
            if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
                return None
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
    if len(data) > limit or len(data.translate(None, _CONTROL_BYTES)) != len(data):
        return None
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if not raw or raw.isspace() else raw


def read_raw(repo: Repo, path: Path, *, shown: str | None = None, data: bytes | None = None) -> str:
    """A raw file's text: a valid id, within the size cap, strict UTF-8, a real text.

    ``shown``: the file's ``shown_raw`` name when the caller has it already.
    ``data``: the file's bytes when the caller has read them already (the build
    hashes them for its cache key): checked exactly as the file's own bytes.
    """
    sound = _sound_raw(path, data)
    return sound if sound is not None else _checked_raw(repo, path, shown=shown, data=data)


def _checked_raw(repo: Repo, path: Path, *, shown: str | None, data: bytes | None) -> str:
    """``read_raw``'s complete checks, every problem named (the file as ``shown``)."""
    shown = shown_raw(repo, path) if shown is None else shown
    doc_id = document_id(path)
    if not DOCUMENT_ID.match(doc_id):
        raise RAW_BAD_NAME(file=shown, name=path.name)
    limit = max_raw_bytes()
    size = len(data) if data is not None else path.stat().st_size if path.is_file() else 0
    if size > limit:
        raise RAW_TOO_LARGE(file=shown, document=doc_id, size=size, limit=limit)
    raw = decode_raw(read_bytes(path, file=shown) if data is None else data, file=shown, document=doc_id)
    raise_all(iter_raw_text_problems(raw, file=shown, document=doc_id))
    return raw


def read_document(
    repo: Repo,
    path: Path,
    title: str | None,
    source: Source,
    *,
    shown: str | None = None,
    data: bytes | None = None,
) -> tuple[str, Document]:
    """One raw file's text and the cleaned ``Document`` made of it (no corpus-wide check).

    ``data``: the file's bytes, when the caller has read them (``read_raw``).
    """
    raw = read_raw(repo, path, shown=shown, data=data)
    doc_id = document_id(path)
    text, offset_map = clean(raw)
    if not text:
        raise RAW_ONLY_BOILERPLATE(file=shown_raw(repo, path) if shown is None else shown, document=doc_id)
    return raw, Document(id=doc_id, text=text, title=title, source=source, offset_map=offset_map)


def _document(repo: Repo, path: Path, metadata: Metadata, seen: dict[str, str], folder: str) -> Document:
    """One raw file as a cleaned ``Document``; ``seen`` maps the hashes of earlier files to their names."""
    shown = shown_raw(repo, path, folder)
    source = metadata.source_for(document_id(path), path.name)
    raw, document = read_document(repo, path, *source, shown=shown)
    for digest in ("raw:" + text_sha256(raw), "text:" + text_sha256(document.text)):
        if digest in seen:
            raise RAW_DUPLICATE(file=shown, document=document.id, duplicate_of=seen[digest])
        seen[digest] = shown
    return document


def checked_metadata(repo: Repo) -> Metadata:
    """The metadata, once the folder itself is sound; every problem of both raised together."""
    errors = list(iter_raw_folder_problems(repo))
    try:
        metadata = load_metadata(repo)
    except RasdError as error:
        errors += unbundle(error)
    raise_all(errors, summary="problems in dataset/raw")
    return metadata


def iter_documents(repo: Repo) -> Iterator[Document]:
    """Yield every raw article as a cleaned ``Document`` without spans, in id order.

    A file that cannot be ingested is skipped and reported when the iteration ends,
    with every other such file.  Duplicates (the same bytes, or texts that clean to
    the same text) are an error naming both files: a repeated article would leak
    between splits and double its counts.
    """
    metadata = checked_metadata(repo)
    seen: dict[str, str] = {}  # sha256 of raw bytes and of cleaned texts -> the file that had it
    errors: list[RasdError] = []
    folder = repo.relative(repo.raw_dir)  # once a pass: every file's name starts with it
    for path in raw_files(repo):
        try:
            document = _document(repo, path, metadata, seen, folder)
        except RasdError as error:
            errors += unbundle(error)
            continue
        yield document
    raise_all(errors, summary="problems in dataset/raw")


def read_raw_text(repo: Repo, document: Document) -> str:
    """The raw text a document was cleaned from (for provenance and migration)."""
    return read_raw(repo, repo.raw_dir / document.source.raw_file)
