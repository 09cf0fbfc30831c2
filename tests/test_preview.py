"""``rasd preview``: one self-contained right-to-left HTML page, checked as markup and in Chromium."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from browser import chromium
from conftest import ROOT

from rasd.cli import main
from rasd.core.journal import Transaction
from rasd.core.labels import LABEL_INFO
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.dataset.card import get_section
from rasd.dataset.preview import Example, PreviewDocument, nest, render_page
from rasd.formats.annotators import AnnotatorWork, stage_annotator_work
from rasd.gold.agreement import first_difference, first_disagreement
from rasd.gold.annotations import write_annotations
from rasd.intake.ingest import iter_documents

ARTIFACTS = ROOT / "test-artifacts"


def span(start: int, end: int, label: str, span_id: str, text: str, value: str | None = None) -> Span:
    return Span(start, end, label, span_id, text, value)


def test_nesting_tree() -> None:
    outer = span(0, 11, "ORG", "a", "جامعة بغداد")
    inner = span(6, 11, "LOC", "b", "بغداد")
    after = span(12, 16, "ORG", "c", "داعش")
    root = nest([after, inner, outer])
    assert [n.span for n in root.children] == [outer, after]
    assert [n.span for n in root.children[0].children] == [inner]


def test_page_markup() -> None:
    text = "جامعة بغداد و<داعش>"
    document = PreviewDocument(
        "doc-1",
        None,
        text,
        (
            span(0, 11, "ORG", "s-uni", "جامعة بغداد", "baghdad-university"),
            span(6, 11, "LOC", "s-bgd", "بغداد"),
            span(14, 18, "ORG", "s-isis", "داعش", "islamic-state"),
        ),
    )
    page = render_page([document], "t")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n')
    assert not re.search(r"<script|<link|<img|src=|url\(|@import|https?://", page)  # nothing fetched
    assert (
        '<span class="sp l-ORG d0" data-id="s-uni" data-label="ORG" '
        'data-tip="s-uni · ORG · baghdad-university" title="s-uni · ORG · baghdad-university">جامعة '
        '<span class="sp l-LOC d1" data-id="s-bgd" data-label="LOC" data-tip="s-bgd · LOC · —" '
        'title="s-bgd · LOC · —">بغداد</span></span> و&lt;<span class="sp l-ORG d0"'
    ) in page
    assert "داعش</span>&gt;</div>" in page
    for label, info in LABEL_INFO.items():
        legend_item = f'<li title="{html.escape(info.description, quote=True)}"><span class="sp l-{label}">{label}</span>'
        assert legend_item in page
        assert f"border-color: {info.colour}" in page


def place(document: Document, surface: str, label: str, span_id: str, value: str | None = None) -> Span:
    start = document.text.index(surface)
    return Span(start, start + len(surface), label, span_id, surface, value)


@pytest.fixture
def annotated(repo: Repo) -> Repo:
    """Only hand-placed spans on the first article (nested ORG included), so the picture is known."""
    for path in repo.annotations_dir.glob("*.json"):
        path.unlink()
    document = next(iter(iter_documents(repo)))
    team = "فريق التحقيق الدولي في جرائم داعش"
    team_start = document.text.index(team)
    write_annotations(
        repo,
        document,
        [
            place(document, team, "ORG", "p-team", "unitad"),
            Span(
                team_start + len(team) - 4, team_start + len(team), "ORG", "p-isis", "داعش", "islamic-state"
            ),
            place(document, "داعش", "ORG", "p-isis-1", "islamic-state"),
            place(document, "بغداد", "LOC", "p-baghdad", "baghdad"),
            place(document, "العشرين من شباط/ فبراير", "DATE", "p-date", "2019-02-20"),
            place(document, "عادل عبد المهدي", "PERSON", "p-mahdi", "Adil Abdul-Mahdi"),
            place(document, "60", "QUANTITY", "p-sixty", "60"),
        ],
    )
    return repo


def test_preview_command_writes_one_file(
    annotated: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "preview.html"
    assert main(["--root", str(annotated.root), "preview", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    page = out.read_text(encoding="utf-8")
    assert page.count("<article") == 5
    assert page.count('class="sp l-') == 7 + 6  # seven spans and the six legend entries
    assert 'data-id="p-isis"' in page


@pytest.mark.browser
def test_preview_in_chromium(annotated: Repo, tmp_path: Path) -> None:
    out = tmp_path / "preview.html"
    assert main(["--root", str(annotated.root), "preview", "--out", str(out)]) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        assert requests == [out.as_uri()]  # one file, nothing else fetched
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        outer = page.locator('[data-id="p-team"]')
        inner = page.locator('[data-id="p-team"] [data-id="p-isis"]')
        assert inner.count() == 1
        colours = [loc.evaluate("e => getComputedStyle(e).backgroundColor") for loc in (outer, inner)]
        assert colours == ["rgba(31, 119, 180, 0.16)", "rgba(31, 119, 180, 0.38)"]  # ORG #1f77b4, tinted
        # right to left: the legend's first label (ORG) stands right of the second (PLATFORM)
        org = page.locator(".legend li").nth(0).bounding_box()
        platform = page.locator(".legend li").nth(1).bounding_box()
        assert org is not None
        assert platform is not None
        assert org["x"] > platform["x"] + platform["width"]
        page.screenshot(path=str(ARTIFACTS / "preview.png"), full_page=False)
        inner.hover()
        tip = inner.evaluate("e => getComputedStyle(e, '::after').content")
        assert tip == '"p-isis · ORG · islamic-state"'
        outer_tip = outer.evaluate("e => getComputedStyle(e, '::after').content")
        assert outer_tip in ("none", "normal")  # only the innermost hovered span shows its tooltip
        page.screenshot(path=str(ARTIFACTS / "preview-hover.png"), full_page=False)
    assert (ARTIFACTS / "preview.png").stat().st_size > 10_000
    assert (ARTIFACTS / "preview-hover.png").stat().st_size > 10_000


def test_the_page_counts_statuses_and_lists_shared_story_clusters() -> None:
    documents = [
        PreviewDocument("a", None, "نص", (), "complete", "a"),
        PreviewDocument("b", None, "نص", (), "unannotated", "a"),
        PreviewDocument("c", None, "نص", (), "in_progress", "c"),
        PreviewDocument("d", None, "نص", (), "complete", "d"),
    ]
    page = render_page(documents, "t")
    assert "annotation status: in_progress 1 · complete 2 · unannotated" not in page  # the order of the work
    assert "annotation status: unannotated 1 · in_progress 1 · complete 2</p>" in page
    assert "story clusters with more than one document: 1</p>" in page
    assert '<li>a: <a href="#doc-a">a</a>, <a href="#doc-b">b</a></li>' in page
    assert "b · unannotated · 0 spans" in page


@pytest.mark.parametrize("released", [False, True])
def test_preview_of_a_grown_corpus_shows_the_new_articles(repo: Repo, tmp_path: Path, released: bool) -> None:
    from test_unlabeled import SEED, add_articles

    from rasd.pipeline import build

    add_articles(repo)
    build(repo, progress=False)
    out = tmp_path / "preview.html"
    assert main(["--root", str(repo.root), "preview", "--out", str(out), *(["--released"] * released)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "unannotated 2" in page
    assert "story clusters with more than one document: 1</p>" in page
    assert (
        f'<li>{SEED}: <a href="#doc-{SEED}">{SEED}</a>, <a href="#doc-005_nearcopy">005_nearcopy</a></li>'
        in page
    )


# --- the example disagreement ----------------------------------------------------------------------

DISPUTED = "قالت وزارة<الصحة في بغداد إن 12 مصابا نقلوا."


def at(surface: str, label: str, span_id: str) -> Span:
    start = DISPUTED.index(surface)
    return Span(start, start + len(surface), label, span_id, surface)


@pytest.mark.parametrize(
    ("left", "right", "region"),
    [
        ([], [], None),
        ([(0, 4, "ORG")], [(0, 4, "ORG")], None),
        ([(0, 4, "ORG")], [(0, 4, "LOC")], (0, 4)),  # same extent, another label
        ([(0, 4, "ORG")], [(2, 4, "ORG")], (0, 4)),  # a boundary
        ([(0, 4, "ORG"), (3, 9, "LOC")], [(2, 4, "ORG")], (0, 9)),  # overlapping differences join
        ([(0, 4, "ORG"), (6, 9, "LOC")], [(2, 4, "ORG")], (0, 4)),  # the first difference only
        ([(0, 4, "ORG"), (6, 9, "LOC")], [(0, 4, "ORG")], (6, 9)),  # shared spans are no difference
        ([], [(5, 7, "DATE")], (5, 7)),  # drawn by one side only
    ],
)
def test_first_difference(
    left: list[tuple[int, int, str]], right: list[tuple[int, int, str]], region: tuple[int, int] | None
) -> None:
    def spans(keys: list[tuple[int, int, str]]) -> list[Span]:
        return [Span(s, e, label, f"s{s}-{e}", "x" * (e - s)) for s, e, label in keys]

    assert first_difference(spans(left), spans(right)) == region
    assert first_difference(spans(right), spans(left)) == region


def test_the_example_disagreement_shows_both_versions_escaped_and_marked() -> None:
    shared = at("بغداد", "LOC", "both")
    ana = [at("وزارة<الصحة", "ORG", "ana-1"), shared]
    bob = [at("الصحة", "ORG", "bob-1"), shared, at("12", "QUANTITY", "bob-2")]
    documents = [("doc-0", "نص", {"a": [], "b": []}), ("doc-1", DISPUTED, {"bob<b>": bob, "ana": ana})]
    disagreement = first_disagreement(documents)
    assert disagreement is not None
    assert disagreement.annotators == ("ana", "bob<b>")
    assert (disagreement.start, disagreement.end) == (DISPUTED.index("وزارة"), DISPUTED.index(" في"))
    page = render_page([PreviewDocument("doc-1", None, DISPUTED, ())], "t", Example(2, disagreement))
    section = page.split('<section class="disagreement" id="disagreement">', 1)[1].split("</section>", 1)[0]
    assert "<b>" not in section
    assert "وزارة<" not in section
    assert section.count('<figure class="side">') == 2
    assert '<bdi>ana</bdi>: ORG ‹<bdi dir="rtl">وزارة&lt;الصحة</bdi>› [5, 16)' in section
    assert '<bdi>bob&lt;b&gt;</bdi>: ORG ‹<bdi dir="rtl">الصحة</bdi>› [11, 16)' in section
    assert '<a href="#doc-doc-1">doc-1</a>' in section
    marked = re.findall(r'class="sp l-\w+ d\d dis" data-id="([^"]+)"', section)
    assert marked == ["ana-1", "bob-1"]  # 12 differs too, but after the first difference
    assert section.count('data-id="both"') == 2  # shared: shown on both sides, not marked
    assert re.search(r'class="sp l-LOC d0" data-id="both"', section)


@pytest.mark.parametrize(
    ("example", "says"),
    [
        (Example(), "No document has been annotated by two annotators yet"),
        (
            Example(3, None),
            "3 documents were annotated by two or more annotators, and they agree on every span.",
        ),
    ],
)
def test_without_a_disagreement_the_section_says_why(example: Example, says: str) -> None:
    page = render_page([PreviewDocument("d", None, "نص", ())], "t", example)
    assert '<h2 dir="ltr">An example disagreement</h2>' in page
    assert says in page


def test_the_preview_and_the_card_show_two_annotators_work(repo: Repo, tmp_path: Path) -> None:
    """Two annotators' files: the page shows where they differ, the card their agreement per label."""
    from rasd.pipeline import build

    out = tmp_path / "preview.html"
    assert main(["--root", str(repo.root), "preview", "--out", str(out)]) == 0
    assert "No document has been annotated by two annotators yet" in out.read_text(encoding="utf-8")
    document = next(iter(iter_documents(repo)))
    isis = place(document, "داعش", "ORG", "x-isis", "islamic-state")
    work = [
        AnnotatorWork("ana@example.com", document, (isis, place(document, "بغداد", "LOC", "x-bgd"))),
        AnnotatorWork("bob", document, (isis,)),
    ]
    transaction = Transaction(repo.root, "test")
    stage_annotator_work(repo, transaction, work)
    transaction.commit()
    assert main(["--root", str(repo.root), "preview", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    baghdad = document.text.index("بغداد")
    assert f"characters [{baghdad}, {baghdad + 5}): <bdi>ana@example.com</bdi> and <bdi>bob</bdi>" in page
    assert "<bdi>bob</bdi>: no span here</figcaption>" in page
    assert re.search(r'class="sp l-LOC d\d dis" data-id="x-bgd"', page)
    build(repo, progress=False)
    agreement = get_section(repo.card_file.read_text(encoding="utf-8"), "agreement")
    assert "Measured on 1 documents annotated by two or more of 2 annotators" in agreement
    assert "| ORG | 1.000 | 1.000 | 2 |" in agreement
    assert "| LOC | 0.000 | 0.000 | 1 |" in agreement
    assert "| all | 0.667 | 0.667 | 3 |" in agreement  # 2 * 1 / (2 + 1)
