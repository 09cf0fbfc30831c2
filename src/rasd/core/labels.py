"""The label set: the single place every label-dependent artefact is generated from.

``Label`` is the typed vocabulary: one member per label, and each member is
one row of the table (name, annotator-facing description, colour, hotkey).
The JSON Schemas, the Hugging Face ``ClassLabel`` names, the BIO tag names of
the ``tokens`` config, the Label Studio labeling config, the preview colours
and the card all read it, so a label added here reaches all of them at the
next ``rasd build`` (``tests/test_vocabulary.py`` proves it).  The order is
part of the released data (``ClassLabel`` integers), so only append.

``Label`` is a ``StrEnum``: ``Label.ORG == "ORG"``, and it serialises as the
plain name in JSON, parquet and Label Studio.  Code compares with members,
never with string literals.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    """One label; its value is its name as written in every file."""

    description: str
    colour: str
    hotkey: str

    def __new__(cls, name: str, description: str, colour: str, hotkey: str) -> Label:
        member = str.__new__(cls, name)
        member._value_ = name
        member.description = description
        member.colour = colour
        member.hotkey = hotkey
        return member

    ORG = (
        "ORG",
        "Organisations, agencies, armed groups, ministries, companies, media outlets, "
        "universities, coalitions.",
        "#1f77b4",
        "o",
    )
    PLATFORM = (
        "PLATFORM",
        "Online platforms, social networks, messaging apps, websites as services.",
        "#d62728",
        "p",
    )
    PERSON = ("PERSON", "Named people (the 'figures' of the request, first sense).", "#2ca02c", "e")
    QUANTITY = (
        "QUANTITY",
        "Numeric figures: cardinal numbers in digits or words, with their scale word "
        "(the 'figures' of the request, second sense).",
        "#ff7f0e",
        "q",
    )
    DATE = ("DATE", "Calendar dates and calendar-anchored periods, absolute or relative.", "#9467bd", "d")
    LOC = ("LOC", "Countries, cities, regions, named places.", "#8c564b", "l")


@dataclass(frozen=True)
class LabelInfo:
    """One label's row as plain data (what generators read)."""

    name: str
    description: str
    colour: str
    hotkey: str


LABEL_TABLE: tuple[LabelInfo, ...] = tuple(
    LabelInfo(label.value, label.description, label.colour, label.hotkey) for label in Label
)
LABELS: tuple[str, ...] = tuple(label.value for label in Label)
LABEL_INFO: dict[str, LabelInfo] = {info.name: info for info in LABEL_TABLE}

# Labels whose normalised value is a number (JSON number in gold files).
NUMERIC_LABELS: frozenset[Label] = frozenset({Label.QUANTITY})
# Labels whose value is a canonical id from the entity registry.
ENTITY_LABELS: tuple[Label, ...] = (Label.ORG, Label.PLATFORM, Label.PERSON, Label.LOC)
# Labels whose value must be a registry id (a span without one is a warning).
ID_REQUIRED: frozenset[Label] = frozenset({Label.ORG, Label.PLATFORM})

OUTSIDE = "O"


def bio_tag_names() -> tuple[str, ...]:
    """BIO tag names in ``ClassLabel`` order: ``O`` then ``B-X, I-X`` for each label."""
    names = [OUTSIDE]
    for label in LABELS:
        names += [f"B-{label}", f"I-{label}"]
    return tuple(names)


BIO_TAGS: tuple[str, ...] = bio_tag_names()


def parse_label(name: str) -> Label | None:
    """The member named ``name``, or None for a name outside the label set."""
    return Label.__members__.get(name)
