"""The import's corpus-wide id check says "nothing to report" at once only when ``CorpusIds`` would say so."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasd.core.errors import RasdError
from rasd.core.spans import new_span_id
from rasd.labelstudio.merge import CorpusChecks, all_distinct
from rasd.labelstudio.taskwork import Seen
from rasd.validation.validate import pack_span_ids

# a few compact ids (so that documents share some) and a few of other forms
span_ids = st.sampled_from(
    [new_span_id("d", n, n + 1, "PER") for n in range(6)] + ["x.1", "s0", "S" + "a" * 12]
)
corpora = st.lists(st.tuples(st.sampled_from("abcdef"), st.lists(span_ids, max_size=4)), max_size=6)


def _facts(errors: list[RasdError]) -> list[tuple[object, ...]]:
    return [(e.code, e.file, e.document, e.span, e.values, str(e)) for e in errors]


@given(corpora, st.booleans())
def test_the_quick_answer_is_the_full_checks_answer(
    corpus: list[tuple[str, list[str]]], packed: bool
) -> None:
    checks = CorpusChecks(ids=sorted({doc_id for doc_id, _ in corpus}))
    for doc_id, ids in dict(corpus).items():
        checks.add(Seen(doc_id, span_ids=pack_span_ids(tuple(ids)) if packed else tuple(ids)))
    first = {"a": "export.json: task 1"}
    assert _facts(checks.id_errors(first)) == _facts(checks.named_id_errors(first))


def test_distinct_compact_ids_are_seen_as_distinct_and_a_shared_one_is_not() -> None:
    a, b, c = (new_span_id("d", n, n + 1, "PER") for n in range(3))
    assert all_distinct([pack_span_ids((a, b)), pack_span_ids((c,))])
    assert not all_distinct([pack_span_ids((a, b)), pack_span_ids((b,))])
    assert not all_distinct([pack_span_ids((a, a))])  # within one document: the full check decides
    assert not all_distinct([pack_span_ids((a,)), ("x.1",)])  # not packed: the full check decides
    assert all_distinct([])
