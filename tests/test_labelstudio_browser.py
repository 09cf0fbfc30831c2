"""One real annotator session: headless Chromium labels an Arabic word in Label Studio's editor.

This is the test that settles which offsets the browser stores.  The word comes
after two emoji (each one code point but two UTF-16 code units) and a
paragraph break, so the two readings of its offsets differ by two.  Label
Studio 1.23.2's editor stores **code points**: the region's ``value.start`` is
the Python offset, not the JavaScript one.  ``rasd ls pull`` then yields
exactly the span the annotator made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import chromium
from ls_server import LabelStudioServer, mention, rasd

from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus, read_annotations

pytest_plugins = ["ls_server"]

pytestmark = [pytest.mark.labelstudio, pytest.mark.browser]

DOC = "008_browser"
RAW = "قال مصدر 😀 إن التنظيم نشر مقطعا جديدا.\n\n🚨 وأعلنت السلطات في الموصل إغلاق 60 حسابا.\n"
WORD = "الموصل"
TIMEOUT_MS = 90_000  # the editor's first load on a busy two-core runner

SELECT_WORD = """(word) => {
  const container = document.querySelector('.lsf-htx-richtext');
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return range.toString();
  }
  return null;
}"""


def label_in_browser(server: LabelStudioServer, project_id: int, task_id: int, screenshot: Path) -> None:
    """Log in, open the task, select WORD with the DOM selection API, label it LOC, submit."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ar")
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{server.url}/user/login/")
        page.fill("input[name=email]", server.username)
        page.fill("input[name=password]", server.password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/user/login" not in url)
        page.goto(f"{server.url}/projects/{project_id}/data?task={task_id}")
        page.wait_for_selector(".lsf-htx-richtext")
        page.click(".lsf-label:has-text('LOC')")  # the label first, then the text, as annotators do
        assert page.evaluate(SELECT_WORD, WORD) == WORD
        page.dispatch_event(".lsf-htx-richtext", "mouseup")
        page.wait_for_selector(f".htx-highlight:has-text('{WORD}')")
        with page.expect_response(
            lambda r: r.request.method == "POST" and f"/api/tasks/{task_id}/annotations" in r.url
        ) as submitted:
            page.click("button:has-text('Submit')")
        assert submitted.value.status == 201, submitted.value.text()
        page.wait_for_timeout(500)  # let the editor redraw the saved region before the picture
        page.screenshot(path=str(screenshot), full_page=True)


def test_a_word_labelled_in_the_browser_comes_back_as_exactly_that_span(
    gold_repo: Repo,
    label_studio: LabelStudioServer,
    project_title: str,
    artifacts: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in label_studio.env().items():
        monkeypatch.setenv(key, value)
    (gold_repo.raw_dir / f"{DOC}.txt").write_text(RAW, encoding="utf-8")
    assert rasd(gold_repo, "ls", "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    client: Any = label_studio.client()
    (project,) = [p for p in client.projects.list(title=project_title) if p.title == project_title]
    (task,) = [t for t in client.tasks.list(project=project.id) if t.data["id"] == DOC]
    document = {d.id: d for d in load_corpus(gold_repo)}[DOC]
    expected = mention(document, WORD, "LOC")
    utf16_start = len(document.text[: expected.start].encode("utf-16-le")) // 2
    assert utf16_start == expected.start + 2  # the two readings really differ here

    screenshot = artifacts / "labelstudio-browser-labelled-task.png"
    label_in_browser(label_studio, project.id, task.id, screenshot)
    assert screenshot.stat().st_size > 10_000

    # What the browser stored: code points, not UTF-16 code units.
    (annotation,) = client.annotations.list(id=task.id)
    (region,) = [r for r in annotation.result if r["type"] == "labels"]
    assert (region["value"]["start"], region["value"]["end"]) == (expected.start, expected.end)
    assert region["value"]["text"] == WORD

    before = {p.name: p.read_bytes() for p in gold_repo.annotations_dir.glob("*.json")}
    assert rasd(gold_repo, "ls", "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    (span,) = read_annotations(gold_repo, document)
    assert (span.start, span.end, span.label, span.text) == (expected.start, expected.end, "LOC", WORD)
    after = {p.name: p.read_bytes() for p in gold_repo.annotations_dir.glob("*.json")}
    assert {name for name in after if after[name] != before.get(name)} == {f"{DOC}.json"}
