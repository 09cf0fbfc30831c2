"""The label set: the single place every label-dependent artefact is generated from.

The JSON Schema, the Hugging Face ``ClassLabel`` names, the BIO tag names of the
``tokens`` config and the Label Studio labeling config all read this table, so a
label added here reaches all of them at the next ``rasd build``.  The order is
part of the released data (``ClassLabel`` integers), so only append.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelInfo:
    """One label: its name, the annotator-facing description and its UI hints."""

    name: str
    description: str
    colour: str
    hotkey: str


LABEL_TABLE: tuple[LabelInfo, ...] = (
    LabelInfo(
        "ORG",
        "Organisations, agencies, armed groups, ministries, companies, media outlets, "
        "universities, coalitions.",
        "#1f77b4",
        "o",
    ),
    LabelInfo(
        "PLATFORM",
        "Online platforms, social networks, messaging apps, websites as services.",
        "#d62728",
        "p",
    ),
    LabelInfo("PERSON", "Named people (the 'figures' of the request, first sense).", "#2ca02c", "e"),
    LabelInfo(
        "QUANTITY",
        "Numeric figures: cardinal numbers in digits or words, with their scale word "
        "(the 'figures' of the request, second sense).",
        "#ff7f0e",
        "q",
    ),
    LabelInfo("DATE", "Calendar dates and calendar-anchored periods, absolute or relative.", "#9467bd", "d"),
    LabelInfo("LOC", "Countries, cities, regions, named places.", "#8c564b", "l"),
)

LABELS: tuple[str, ...] = tuple(info.name for info in LABEL_TABLE)
LABEL_INFO: dict[str, LabelInfo] = {info.name: info for info in LABEL_TABLE}

OUTSIDE = "O"


def bio_tag_names() -> tuple[str, ...]:
    """BIO tag names in ``ClassLabel`` order: ``O`` then ``B-X, I-X`` for each label."""
    names = [OUTSIDE]
    for label in LABELS:
        names += [f"B-{label}", f"I-{label}"]
    return tuple(names)


BIO_TAGS: tuple[str, ...] = bio_tag_names()
