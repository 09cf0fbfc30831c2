"""Read-only views of an export: who agrees with whom (``rasd ls agreement``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from rasd.core.errors import RasdError
from rasd.core.model import Document
from rasd.formats.labelstudio import DATA_ID, DATA_TEXT, TaskJSON
from rasd.labelstudio.conflicts import annotation_spans
from rasd.labelstudio.selection import annotator, submitted

AgreementItem = tuple[str, dict[str, list[tuple[int, int, str]]]]


def annotations_by_annotator(
    task: TaskJSON, document: Document, origin: str
) -> dict[str, list[tuple[int, int, str]]]:
    """Each annotator's spans on one task; the latest submitted annotation per annotator wins."""
    latest_last = sorted(submitted(task), key=lambda a: a.get("id", 0))
    return {annotator(a): annotation_spans(a, document, where=origin) for a in latest_last}


def agreement_items(
    tasks: Iterable[TaskJSON], documents: Mapping[str, Document], origin: str
) -> list[AgreementItem]:
    """``(text, spans by annotator)`` of every task that two or more annotators annotated.

    Tasks for unknown documents or older texts are left out (``rasd ls conflicts`` names them).
    """
    items = []
    for task in tasks:
        document = documents.get(task["data"][DATA_ID])
        if document is None or task["data"][DATA_TEXT] != document.text:
            continue
        by_annotator = annotations_by_annotator(task, document, origin)
        if len(by_annotator) > 1:
            items.append((document.text, by_annotator))
    return items


def export_agreement_items(
    export: Iterable[TaskJSON | RasdError], documents: Mapping[str, Document], origin: str
) -> tuple[list[AgreementItem], list[RasdError]]:
    """``agreement_items`` of an export read as a stream (``ExportFile``), and its shape problems in order."""
    problems: list[RasdError] = []

    def tasks() -> Iterator[TaskJSON]:
        for item in export:
            if isinstance(item, RasdError):
                problems.append(item)
            else:
                yield item

    return agreement_items(tasks(), documents, origin), problems
