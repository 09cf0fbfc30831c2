"""The former ``CorpusIds`` (a dict of every span id -> the document that used it first).

Kept as the reference the compact index is compared with (``tests/test_corpus_ids.py``)
and as the baseline of ``bench/spanids.py`` (which puts this folder on its path).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rasd.core.errors import RasdError
from rasd.core.problems.spans import SPAN_ID_IN_OTHER_DOCUMENT


class DictIds:
    """The former ``CorpusIds``: every span id -> the document that used it first."""

    def __init__(self) -> None:
        self._owner: dict[str, str] = {}

    def iter_id_problems(
        self, doc_id: str, span_ids: Iterable[str], *, file: str | None
    ) -> Iterator[RasdError]:
        for span_id in span_ids:
            owner = self._owner.setdefault(span_id, doc_id)
            if owner != doc_id:
                yield SPAN_ID_IN_OTHER_DOCUMENT(
                    file=file, document=doc_id, span=span_id, other_document=owner
                )
