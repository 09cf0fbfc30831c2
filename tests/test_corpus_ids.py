"""``CorpusIds`` keeps span ids compactly; it must report exactly what a plain dict of ids reports."""

from __future__ import annotations

from collections.abc import Iterable

from corpus_ids_before import DictIds
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.core.errors import RasdError
from rasd.core.spans import new_span_id
from rasd.labelstudio.merge import CorpusChecks
from rasd.labelstudio.taskwork import Seen
from rasd.validation.validate import CorpusIds, pack_span_ids, unpack_span_ids


def _facts(errors: Iterable[RasdError]) -> list[tuple[object, ...]]:
    return [(e.code, e.file, e.document, e.span, e.values, str(e)) for e in errors]


_HEX = "0123456789abcdef"
# a small pool, so that ids repeat within and across documents; near misses of the compact form too
_compact = st.text(_HEX, min_size=12, max_size=12).map(lambda h: "s" + h)
_near = st.one_of(
    _compact.map(str.upper),  # upper-case hex: another id, kept as a string
    _compact.map(lambda s: "s" + s[1:].upper()),
    _compact.map(lambda s: s[:-1]),  # 11 digits
    _compact.map(lambda s: s + "0"),  # 13 digits
    _compact.map(lambda s: "t" + s[1:]),
    st.text(_HEX, min_size=12, max_size=12).map(lambda h: "s" + h[:4] + "_" + h[5:]),  # int() takes "_"
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,15}", fullmatch=True),
)
_doc = st.sampled_from(["d1", "d2", "d3", "doc-é", "d\udcff", ""])


@st.composite
def _corpus(draw: st.DrawFn) -> list[tuple[str, list[str]]]:
    pool = draw(st.lists(st.one_of(_compact, _near), min_size=1, max_size=12))
    # ids sharing a bucket (the same low 16 bits) or the same high 32 bits
    base = draw(st.integers(0, (1 << 48) - 1))
    pool += [f"s{base ^ (n << 16):012x}" for n in range(3)] + [f"s{base ^ n:012x}" for n in range(3)]
    ids = st.one_of(st.sampled_from(pool), _compact, _near)
    return draw(st.lists(st.tuples(_doc, st.lists(ids, max_size=8)), max_size=12))


@settings(max_examples=400, deadline=None)
@given(_corpus())
def test_the_same_errors_as_a_dict_of_ids(corpus: list[tuple[str, list[str]]]) -> None:
    compact, reference = CorpusIds(), DictIds()
    for n, (doc_id, span_ids) in enumerate(corpus):
        got = _facts(compact.iter_id_problems(doc_id, span_ids, file=f"f{n}"))
        assert got == _facts(reference.iter_id_problems(doc_id, span_ids, file=f"f{n}"))


def test_many_documents_fill_the_buckets_and_still_agree() -> None:
    compact, reference = CorpusIds(), DictIds()
    corpus = [(f"doc{d}", [new_span_id(f"doc{d}", s, s + 1, "PER") for s in range(20)]) for d in range(3000)]
    corpus += [(f"late{d}", [corpus[d * 7][1][d % 20], f"s{d:012x}", "imported-1"]) for d in range(400)]
    errors: list[RasdError] = []
    for doc_id, span_ids in corpus:
        got = list(compact.iter_id_problems(doc_id, span_ids, file="f"))
        assert _facts(got) == _facts(reference.iter_id_problems(doc_id, span_ids, file="f"))
        errors += got
    assert len(errors) == 400 + 399  # one reused id each, and "imported-1" after its first document
    assert (errors[0].document, errors[0].span, str(errors[0]).count("doc0")) == ("late0", corpus[0][1][0], 1)


def test_ids_one_bit_apart_are_different_ids() -> None:
    base = 0x5A5A_5A5A_5A5A
    neighbours = [f"s{base ^ (1 << bit):012x}" for bit in range(48)]
    ids = CorpusIds()
    assert list(ids.iter_id_problems("a", [f"s{base:012x}"], file="a")) == []
    for n, span_id in enumerate(neighbours):
        assert list(ids.iter_id_problems(f"b{n}", [span_id], file="b")) == [], span_id
    (error,) = ids.iter_id_problems("c", [neighbours[16]], file="c")
    assert (error.document, error.span, error.values["other_document"]) == ("c", neighbours[16], "b16")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_compact, _near), max_size=10))
def test_packed_span_ids_come_back_as_they_were(span_ids: list[str]) -> None:
    packed = pack_span_ids(tuple(span_ids))
    assert unpack_span_ids(packed) == tuple(span_ids)
    if span_ids and all(len(s) == 13 and s[0] == "s" and set(s[1:]) <= set(_HEX) for s in span_ids):
        assert packed == bytes.fromhex("".join(s[1:] for s in span_ids))


def test_the_import_reports_ids_in_other_documents_in_id_order() -> None:
    a, b = new_span_id("a", 0, 1, "PER"), new_span_id("b", 0, 1, "PER")
    checks = CorpusChecks(ids=["a", "b", "c", "d"])
    checks.add(Seen("d", span_ids=(a, "x.1")))  # the export's order is not the corpus's
    checks.add(Seen("c", span_ids=(b, b, "x.1"), merged=True))
    checks.add(Seen("b", span_ids=(b,)))
    checks.add(Seen("a", span_ids=(a, "x.1")))
    assert checks.span_ids["b"] == bytes.fromhex(b[1:])  # 6 bytes, not a str, an id
    errors = checks.id_errors({"c": "export.json: task 3"})
    assert [(e.file, e.document, e.span, e.values["other_document"]) for e in errors] == [
        ("export.json: task 3", "c", b, "b"),  # each time it is met
        ("export.json: task 3", "c", b, "b"),
        ("export.json: task 3", "c", "x.1", "a"),
        ("dataset/annotations/d.json", "d", a, "a"),
        ("dataset/annotations/d.json", "d", "x.1", "a"),
    ]
