"""Article sources for `rasd add`: every reader streams articles with provenance, bad rows are named."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Dataset

from rasd.core.errors import RasdError
from rasd.intake.sources import Incoming, iter_incoming

BODY = [
    "أعلنت وكالة يوروبول يوم الخميس أنها أزالت آلاف الحسابات التابعة لتنظيم داعش من منصة تيليغرام.",
    "وقال المتحدث باسم الوكالة إن الحملة استمرت يومين بمشاركة عشر دول أوروبية.",
    "وأضاف أن التنظيم يحاول منذ ذلك الحين نقل قنواته إلى تطبيقات أصغر مثل روكت تشات وهوب.",
]
PAGE = f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>يوروبول تحذف حسابات داعش</title><meta property="og:site_name" content="موقع المرصد"></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/world">العالم</a> | <a href="/sport">رياضة</a></nav>
<header><h1>يوروبول تحذف حسابات داعش</h1></header>
<article>{"".join(f"<p>{p}</p>" for p in BODY)}</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/1">خبر رياضي</a></li><li><a href="/2">طقس الغد</a></li></ul></aside>
<footer>جميع الحقوق محفوظة ٢٠٢٠ — اتصل بنا — سياسة الخصوصية</footer></body></html>"""


def only(items: list[Incoming | RasdError]) -> list[Incoming]:
    assert all(isinstance(i, Incoming) for i in items), items
    return [i for i in items if isinstance(i, Incoming)]


def test_text_files_keep_their_bytes_hash(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("نص المقال\n".encode())
    [article] = only(list(iter_incoming(path, "a.txt")))
    assert article.text == "نص المقال\n"
    assert article.original_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (article.extractor, article.origin, article.id) == ("plain text", "a.txt", None)


def test_html_keeps_the_article_and_drops_the_page_around_it(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = only(list(iter_incoming(path)))
    for paragraph in BODY:
        assert paragraph in article.text
    for chrome in ("الرئيسية", "الأكثر قراءة", "سياسة الخصوصية"):
        assert chrome not in article.text
    assert article.extractor.startswith("trafilatura ")
    assert article.original_sha256 == hashlib.sha256(PAGE.encode()).hexdigest()


def test_json_lines_and_csv_rows_carry_their_fields(tmp_path: Path) -> None:
    jsonl = tmp_path / "dump.jsonl"
    rows = [
        {"text": BODY[0], "id": "ep-1", "url": "https://example.org/1", "outlet": "المرصد"},
        {"text": BODY[1], "published": "2020-03-02"},
    ]
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    first, second = only(list(iter_incoming(jsonl, "dump.jsonl")))
    assert (first.id, first.url, first.outlet, first.origin) == (
        "ep-1",
        "https://example.org/1",
        "المرصد",
        "dump.jsonl#1",
    )
    assert (second.id, second.published, second.origin) == (None, "2020-03-02", "dump.jsonl#2")
    csv_path = tmp_path / "dump.csv"
    csv_path.write_text(f"id,text,title\nc-1,{BODY[2]},عنوان\n", encoding="utf-8")
    [row] = only(list(iter_incoming(csv_path, "dump.csv")))
    assert (row.id, row.text, row.title, row.origin, row.extractor) == (
        "c-1",
        BODY[2],
        "عنوان",
        "dump.csv#2",
        "csv",
    )


def test_parquet_and_dataset_folders_stream_every_row(tmp_path: Path) -> None:
    table = pa.table({"text": BODY, "outlet": ["أ", "ب", None]})
    pq.write_table(table, tmp_path / "a.parquet")
    assert [a.text for a in only(list(iter_incoming(tmp_path / "a.parquet")))] == BODY
    Dataset.from_dict({"text": BODY, "title": ["1", "2", "3"]}).save_to_disk(str(tmp_path / "hf"))
    articles = only(list(iter_incoming(tmp_path / "hf", "hf")))
    assert [(a.text, a.title, a.extractor) for a in articles] == [
        (t, n, "datasets") for t, n in zip(BODY, "123", strict=True)
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("x.jsonl", '{"title": "no text"}\n', "RASD-E182"),
        ("x.jsonl", '{"text": "   "}\n', "RASD-E182"),
        ("x.jsonl", '{"text": "نص", "id": "../etc"}\n', "RASD-E184"),
        ("x.jsonl", '{"text": "نص", "published": 2019}\n', "RASD-E183"),
        ("x.jsonl", '{"text": "نص", "text": "آخر"}\n', "RASD-E913"),
        ("x.csv", "title\nبلا نص\n", "RASD-E182"),
        ("x.docx", "binary", "RASD-E181"),
        (
            "x.html",
            "<html><head><title>x</title></head><body><script>var a;</script></body></html>",
            "RASD-E185",
        ),
    ],
)
def test_bad_rows_are_named_not_skipped(tmp_path: Path, name: str, content: str, code: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    try:
        found = list(iter_incoming(path, name))
    except RasdError as error:  # file-level problems (bad JSON) are raised, row-level ones yielded
        found = [error]
    assert [item.code for item in found if isinstance(item, RasdError)] == [code]


def test_csv_streams_quoted_lines_long_values_and_names_bad_rows(tmp_path: Path) -> None:
    long_text = " ".join(BODY) * 1200  # over the csv module's 128 KiB default field limit
    path = tmp_path / "rows.csv"
    path.write_text(
        "\ufeffid,text\n"
        f'a,"{BODY[0]}\n\n{BODY[1]}, مع فاصلة"\n'
        f"b,{long_text}\n"
        f"c,{BODY[2]},و بقية النص بعد فاصلة\n",
        encoding="utf-8",
    )
    found = list(iter_incoming(path, "rows.csv"))
    first, second = only(found[:2])
    assert (first.id, first.text, first.origin) == ("a", f"{BODY[0]}\n\n{BODY[1]}, مع فاصلة", "rows.csv#2")
    assert (second.text, second.origin) == (long_text, "rows.csv#3")
    [problem] = found[2:]
    assert isinstance(problem, RasdError)
    assert (problem.code, str(problem).split(":")[0]) == ("RASD-E194", "rows.csv#4")


def test_csv_rows_are_read_one_at_a_time(tmp_path: Path) -> None:
    """The first row comes out before the reader has seen the bad byte further down the file."""
    path = tmp_path / "rows.csv"
    path.write_bytes(f"text\n{BODY[0]}\n{BODY[1]}\n".encode() + b"\xff\n")
    rows = iter_incoming(path, "rows.csv")
    first = next(rows)  # a reader of the whole file would raise here
    assert isinstance(first, Incoming)
    assert first.text == BODY[0]
    with pytest.raises(RasdError):
        list(rows)


def test_a_bad_byte_in_a_csv_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes("text\nنص سليم\n".encode() + b"\xe1\xff bad\n")
    with pytest.raises(RasdError) as caught:
        list(iter_incoming(path, "rows.csv"))
    assert str(caught.value).startswith("rows.csv:3")
