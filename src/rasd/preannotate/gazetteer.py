"""Built-in name lists: countries, regions and major cities; online platforms; organisations.

The entity registry (``annotation/entities.json``) lists what the gold data
names; these lists are general knowledge written independently of the corpus,
so that a new article about Jakarta or Signal gets suggestions too, and so that
the leave-one-document-out evaluation measures more than the registry's memory
of the other four articles.  They live in tab-separated files beside this
module (``data/places.tsv``, ``data/platforms.tsv``, ``data/orgs.tsv``), one entry per line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rasd.core.errors import RasdError, raise_all
from rasd.core.labels import Label
from rasd.core.problems.preannotate import GAZETTEER_LINE_MALFORMED
from rasd.text.arabic import fold


@dataclass(frozen=True)
class GazetteerEntry:
    """One built-in entity: its label, id, Wikidata QID if known, and its names."""

    label: Label
    id: str
    wikidata: str | None
    names: tuple[str, ...]


PLACE_KINDS = frozenset({"country", "region", "city"})


def _parse_lines(
    text: str,
    file: str,
    *,
    shape: str,
    fits: Callable[[list[str]], bool],
    entry: Callable[[list[str], tuple[str, ...]], GazetteerEntry],
    summary: str,
) -> tuple[GazetteerEntry, ...]:
    """Three tab-separated fields a line, names joined by ``|``; ``#`` lines are comments.

    Every malformed line is reported (with its number), not only the first.
    """
    entries: list[GazetteerEntry] = []
    errors: list[RasdError] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[2].strip() or not fits(fields):
            errors.append(GAZETTEER_LINE_MALFORMED(file=file, line=number, shape=shape, text=line))
            continue
        entries.append(entry(fields, tuple(n.strip() for n in fields[2].split("|") if n.strip())))
    raise_all(errors, summary=summary)
    return tuple(entries)


def parse_places(text: str, file: str) -> tuple[GazetteerEntry, ...]:
    """``kind<TAB>id<TAB>name|name...`` lines, kind one of ``PLACE_KINDS``."""
    return _parse_lines(
        text,
        file,
        shape=f"'kind<TAB>id<TAB>names' with kind one of {', '.join(sorted(PLACE_KINDS))}",
        fits=lambda fields: fields[0] in PLACE_KINDS,
        entry=lambda fields, names: GazetteerEntry(Label.LOC, f"{fields[0]}:{fields[1]}", None, names),
        summary="problems in the built-in gazetteer",
    )


def parse_platforms(text: str, file: str, label: Label = Label.PLATFORM) -> tuple[GazetteerEntry, ...]:
    """``id<TAB>QID or -<TAB>name|name...`` lines (the platform list, and the organisation list)."""
    return _parse_lines(
        text,
        file,
        shape="'id<TAB>QID or -<TAB>names'",
        fits=lambda fields: fields[1] == "-" or fields[1].startswith("Q"),
        entry=lambda fields, names: GazetteerEntry(
            label, fields[0], None if fields[1] == "-" else fields[1], names
        ),
        summary=f"problems in the built-in {label.lower()} list",
    )


def _read(name: str) -> str:
    return resources.files("rasd.preannotate").joinpath("data", name).read_text(encoding="utf-8")


@cache
def places() -> tuple[GazetteerEntry, ...]:
    return parse_places(_read("places.tsv"), "src/rasd/preannotate/data/places.tsv")


@cache
def given_names() -> frozenset[str]:
    """The folded keys of the built-in given names (``data/given_names.txt``: spellings split by ``|``)."""
    keys: set[str] = set()
    for line in _read("given_names.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            keys.update(fold(name) for name in line.split("|") if name.strip())
    return frozenset(keys)


@cache
def platforms() -> tuple[GazetteerEntry, ...]:
    return parse_platforms(_read("platforms.tsv"), "src/rasd/preannotate/data/platforms.tsv")


@cache
def organisations() -> tuple[GazetteerEntry, ...]:
    """Organisations that coverage of extremist media names often (``data/orgs.tsv``)."""
    return parse_platforms(_read("orgs.tsv"), "src/rasd/preannotate/data/orgs.tsv", Label.ORG)
