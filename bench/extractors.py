"""Which HTML extractor `rasd add` uses: trafilatura against jusText on Arabic news pages.

The pages are built here around the project's own Arabic passages
(annotation/devset/dev.jsonl, written by the project): each passage becomes the
article body, split into paragraphs, inside the furniture of a news page
(menus, a "most read" box, share buttons, a comment thread, a footer), in three
layouts. Scores per extractor, over every page: body recall (share of the
article's sentences kept whole), furniture leaked (share of chrome strings that
reach the output), and pages per second.

    python bench/extractors.py [--pages N]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import justext
import trafilatura

ROOT = Path(__file__).resolve().parents[1]
CHROME = [
    "الرئيسية",
    "أخبار العالم",
    "الأكثر قراءة",
    "شارك على فيسبوك",
    "أضف تعليقك",
    "جميع الحقوق محفوظة",
    "اشترك في النشرة البريدية",
    "مقالات ذات صلة",
]
COMMENT = "تعليق من قارئ: هذا الخبر مهم جدا ويجب متابعته باستمرار"

LAYOUTS = [
    "<nav>{nav}</nav><main><h1>{title}</h1><article>{body}</article></main>"
    "<aside><h3>الأكثر قراءة</h3>{links}</aside>"
    "<section class=comments><h3>أضف تعليقك</h3><p>{comment}</p></section>"
    "<footer>جميع الحقوق محفوظة — اشترك في النشرة البريدية</footer>",
    "<div id=menu>{nav}</div><div class=content><h2>{title}</h2><div class=text>{body}</div>"
    "<div class=share>شارك على فيسبوك</div></div><div class=related><b>مقالات ذات صلة</b>{links}</div>"
    "<div class=footer>جميع الحقوق محفوظة</div>",
    "<table><tr><td>{nav}</td></tr>"
    "<tr><td><h1>{title}</h1>{body}</td><td>الأكثر قراءة{links}</td></tr></table>"
    "<p class=comment>{comment}</p><p>جميع الحقوق محفوظة</p>",
]


def page(title: str, text: str, layout: str) -> str:
    sentences = [s.strip() for s in re.split(r"(?<=[.!؟])\s+", text) if s.strip()]
    body = "".join(f"<p>{s}</p>" for s in sentences)
    nav = " | ".join(
        f"<a href='/{i}'>{w}</a>" for i, w in enumerate(["الرئيسية", "أخبار العالم", "رياضة", "اقتصاد"])
    )
    links = (
        "<ul>" + "".join(f"<li><a href='/x{i}'>عنوان خبر آخر رقم {i}</a></li>" for i in range(5)) + "</ul>"
    )
    inner = layout.format(nav=nav, title=title, body=body, links=links, comment=COMMENT)
    head = f"<head><meta charset=utf-8><title>{title}</title></head>"
    return f"<!doctype html><html lang=ar dir=rtl>{head}<body>{inner}</body></html>"


def with_trafilatura(html: str) -> str:
    return trafilatura.extract(html, include_comments=False, include_tables=True, favor_precision=True) or ""


def with_justext(html: str) -> str:
    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("Arabic"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


EXTRACTORS: dict[str, Callable[[str], str]] = {"trafilatura": with_trafilatura, "justext": with_justext}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    rows = [
        json.loads(line) for line in (ROOT / "annotation/devset/dev.jsonl").read_text("utf-8").splitlines()
    ]
    pages = []
    for i, row in enumerate(rows[: args.pages]):
        text = row["text"]
        pages.append((text, page(text.split(" ", 6)[-1][:40], text, LAYOUTS[i % len(LAYOUTS)])))
    print(f"{len(pages)} pages built around the project's own passages, {len(LAYOUTS)} layouts")
    print(f"{'extractor':12} {'layout':>6} {'body recall':>12} {'chrome leaked':>14} {'pages/s':>9}")
    for (name, extract), layout in itertools.product(EXTRACTORS.items(), range(len(LAYOUTS))):
        kept = total = leaked = 0
        started = time.perf_counter()
        chosen = pages[layout :: len(LAYOUTS)]
        for text, html in chosen:
            out = extract(html)
            sentences = [s.strip() for s in re.split(r"(?<=[.!؟])\s+", text) if s.strip()]
            kept += sum(s in out for s in sentences)
            total += len(sentences)
            leaked += sum(c in out for c in [*CHROME, COMMENT])
        seconds = time.perf_counter() - started
        chrome = leaked / (len(chosen) * (len(CHROME) + 1))
        print(f"{name:12} {layout:6} {kept / total:12.3f} {chrome:14.3f} {len(chosen) / seconds:9.1f}")


if __name__ == "__main__":
    main()
