"""``task_json`` (a task's line written out directly) is ``task_line(document_to_task(...))``, char for char.

The parallel ``rasd ls export-tasks`` writes ``task_json``; the complete path
encodes the task's dicts.  Any document, any spans (odd scores, missing values,
quotes, controls, astral characters, labels outside the vocabulary), any model
version: the same text.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import copy_repo
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.labels import LABELS
from rasd.core.model import Document, Source, Span
from rasd.core.offsets import OffsetMap
from rasd.formats.labelstudio import task_line
from rasd.gold.annotations import load_corpus
from rasd.labelstudio.tasks import document_to_task, task_json

TEXTS = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\n\t\x00\u200f\U0001f600'))
NUMBERS = st.integers(-5, 10**12) | st.booleans()
SCORES = st.none() | st.floats(allow_nan=True, allow_infinity=True) | st.integers(0, 1) | st.booleans()
OPTIONAL = st.none() | TEXTS


@st.composite
def spans(draw: st.DrawFn) -> Span:
    return Span(
        start=draw(NUMBERS),
        end=draw(NUMBERS),
        label=draw(st.sampled_from(LABELS) | TEXTS),
        id=draw(TEXTS),
        text=draw(TEXTS),
        value=draw(OPTIONAL),
        note=draw(OPTIONAL),
        score=draw(SCORES),
    )


@st.composite
def documents(draw: st.DrawFn) -> Document:
    source = Source(
        raw_file=draw(TEXTS),
        outlet=draw(OPTIONAL),
        author=draw(OPTIONAL),
        url=draw(OPTIONAL),
        published=draw(OPTIONAL),
    )
    text = draw(TEXTS)
    document = Document(draw(TEXTS), text, draw(OPTIONAL), source, OffsetMap.identity(len(text)))
    return dataclasses.replace(document, spans=tuple(draw(st.lists(spans(), max_size=4))))


@given(documents(), st.none() | st.lists(spans(), max_size=4), st.none() | TEXTS)
def test_task_json_is_the_encoded_task(
    document: Document, predictions: list[Span] | None, model_version: str | None
) -> None:
    expected = task_line(document_to_task(document, predictions=predictions, model_version=model_version))
    assert task_json(document, predictions=predictions, model_version=model_version) == expected


def test_the_checkouts_documents_give_the_same_lines(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    documents = list(load_corpus(repo))
    assert any(document.spans for document in documents)
    for document in documents:
        for predictions in (None, document.spans, document.spans[:1]):
            for version in (None, "m-1"):
                expected = task_line(
                    document_to_task(document, predictions=predictions, model_version=version)
                )
                assert task_json(document, predictions=predictions, model_version=version) == expected


@pytest.mark.parametrize(
    "score",
    [None, 0.0, -0.0, 1.0, 0.1 + 0.2, 1e-300, 5e-324, float("nan"), float("inf"), -float("inf"), 1, True],
)
@pytest.mark.parametrize("start", [0, 3, True, 10**20])
def test_odd_numbers_are_written_as_the_encoder_writes_them(score: float | None, start: int) -> None:
    text = 'قال "الوزير"\\'
    document = Document("d", text, None, Source("d.txt"), OffsetMap.identity(len(text)))
    span = Span(start, 4, LABELS[0], "s1", text[:4], value="1", note="n", score=score)
    document = dataclasses.replace(document, spans=(span,))
    for predictions in ([span], [span, dataclasses.replace(span, id="s2", score=0.5)]):
        expected = task_line(document_to_task(document, predictions=predictions, model_version="m"))
        assert task_json(document, predictions=predictions, model_version="m") == expected
