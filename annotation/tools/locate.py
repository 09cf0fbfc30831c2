"""Find every occurrence of a string in a document's cleaned text, with context.

Annotators never count characters: this prints each place a surface form occurs
as a whole word (optionally after the proclitics و ف ب ل ك, which stay outside
spans), with its code-point offsets and the text around it, so a span can be
made from offsets the machine found.  Not used by the build.

    .venv/bin/python annotation/tools/locate.py DOC_ID SURFACE [SURFACE ...]
    .venv/bin/python annotation/tools/locate.py --all SURFACE   # every document
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rasd.intake.ingest import iter_documents
from rasd.core.paths import Repo

PROCLITICS = frozenset("وفبلك")
"""Letters that may be attached before a span's first letter (spec rule 1)."""


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    prefix: str  # the proclitic letters attached before it ("" when it starts a word)
    left: str
    right: str


def is_word_char(char: str) -> bool:
    return char.isalnum() or char in "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"


def attached_prefix(text: str, start: int) -> str | None:
    """The letters glued before ``start`` in the same word, or None if they are not proclitics."""
    i = start
    while i > 0 and is_word_char(text[i - 1]):
        i -= 1
    prefix = text[i:start]
    if len(prefix) > 2 or any(c not in PROCLITICS for c in prefix):
        return None
    return prefix


def occurrences(text: str, surface: str, *, width: int = 30) -> Iterator[Occurrence]:
    """Whole-word occurrences of ``surface`` (proclitics allowed before it), in text order."""
    start = text.find(surface)
    while start != -1:
        end = start + len(surface)
        prefix = attached_prefix(text, start)
        ends_word = end == len(text) or not is_word_char(text[end])
        if prefix is not None and ends_word:
            yield Occurrence(start, end, prefix, text[max(0, start - width) : start], text[end : end + width])
        start = text.find(surface, start + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]))
    parser.add_argument("--all", action="store_true", help="search every document")
    parser.add_argument("words", nargs="+", help="DOC_ID then surfaces (or only surfaces with --all)")
    args = parser.parse_args(argv)
    doc_filter = None if args.all else args.words[0]
    surfaces = args.words if args.all else args.words[1:]
    for document in iter_documents(Repo(args.root)):
        if doc_filter and document.id != doc_filter:
            continue
        for surface in surfaces:
            for occ in occurrences(document.text, surface):
                left = occ.left.replace("\n", " ")
                right = occ.right.replace("\n", " ")
                print(f"{document.id}\t{occ.start}\t{occ.end}\t{surface}\t…{left}[{surface}]{right}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
