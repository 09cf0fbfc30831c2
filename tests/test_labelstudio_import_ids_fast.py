"""The import's corpus-wide id check says "nothing to report" at once only when ``CorpusIds`` would say so."""

from __future__ import annotations

import re

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


def _packed_one_by_one(ids: tuple[str, ...]) -> bytes | tuple[str, ...]:
    """``pack_span_ids`` as it was written first: each id looked at on its own."""
    if all(len(s) == 13 and re.fullmatch(r"s[0-9a-f]{12}", s) for s in ids):
        return bytes.fromhex("".join(s[1:] for s in ids))
    return ids


# ids of the compact form, and pieces that make the form only when put together
id_pieces = st.sampled_from(["s" + "0" * 12, "s0123456789ab", "s" + "0" * 11, "0s" + "0" * 12, "0", "s", ""])
odd_ids = st.text(alphabet="s0123456789abcdefABCDEF \n", max_size=15)


@given(st.lists(id_pieces | odd_ids, max_size=6))
def test_ids_are_packed_exactly_when_each_one_has_the_form(ids: list[str]) -> None:
    """One pattern over the joined ids packs what the check of each id packs, and nothing else."""
    assert pack_span_ids(tuple(ids)) == _packed_one_by_one(tuple(ids))


def test_ids_that_make_the_form_only_together_are_not_packed() -> None:
    ids = ("s" + "0" * 11, "0s" + "0" * 12)  # 12 and 14 characters: 26 of the form once joined
    assert pack_span_ids(ids) == ids
