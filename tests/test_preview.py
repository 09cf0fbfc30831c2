"""``rasd preview``: one self-contained right-to-left HTML page, checked as markup and in Chromium."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from browser import chromium
from conftest import ROOT

from rasd.cli import main
from rasd.core.labels import LABEL_INFO
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.dataset.preview import PreviewDocument, nest, render_page
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
