"""Article sources for `rasd add`: every reader streams articles with provenance, bad rows are named."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Dataset

from rasd.cli import main
from rasd.core.errors import RasdError, unbundle
from rasd.core.paths import Repo
from rasd.intake.add import add_articles
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


# --- #8: a link to nothing names the link; a 100 MB line is refused before it is read ---------------


@pytest.mark.parametrize("where", ["beside", "inside the repository", "outside"])
def test_a_dangling_link_in_raw_is_named_by_the_link_and_says_where_it_points(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    target = {
        "beside": "005_original.txt",  # relative: dataset/raw/005_original.txt, absent
        "inside the repository": str(repo.root / "gone" / "article.txt"),
        "outside": str(tmp_path / "elsewhere" / "article.txt"),
    }[where]
    (repo.raw_dir / "005_gone.txt").symlink_to(target)
    assert main(["--root", str(repo.root), "build", "--quiet"]) == 1
    (line,) = capsys.readouterr().err.splitlines()[:1]
    assert line.startswith("error[RASD-E106]: dataset/raw/005_gone.txt: '005_gone.txt' is not a readable")
    assert f"a link to {target!r}, which does not exist" in line


HUGE = 100 * 1024 * 1024
"""A 100 MB input: far over any limit, written without one newline."""
LIMIT = 1_000_000
"""RASD_MAX_RAW_BYTES for these tests: a page or line may then take 3 MB + 1 MiB."""


def write_huge(path: Path, head: bytes, tail: bytes) -> Path:
    """``head``, then Arabic letters up to 100 MB, then ``tail``: one line, written a MiB at a time."""
    block = "ب".encode() * (512 * 1024)
    with path.open("wb") as out:
        out.write(head)
        for _ in range(HUGE // len(block)):
            out.write(block)
        out.write(tail)
    return path


def peak_while(run: Callable[[], object]) -> tuple[object, int]:
    """What ``run`` returns or raises, and the peak of Python's allocations meanwhile."""
    tracemalloc.start()
    try:
        try:
            result: object = run()
        except RasdError as error:
            result = error
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("name", "head", "tail", "file"),
    [
        ("rows.jsonl", b'{"text": "', b'"}\n{"text": "\xd9\x86\xd8\xb5"}\n', "rows.jsonl#1"),
        ("rows.csv", b'text\n"', b'"\n', "rows.csv:2"),
        ("page.txt", b"", b"", "page.txt"),
        ("page.html", b"<html><body><p>", b"</p></body></html>", "page.html"),
    ],
)
def test_a_100_mb_single_line_source_is_a_named_error_in_bounded_memory(
    repo: Repo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    head: bytes,
    tail: bytes,
    file: str,
) -> None:
    monkeypatch.setenv("RASD_MAX_RAW_BYTES", str(LIMIT))
    source = write_huge(tmp_path / name, head, tail)
    before = sorted(p.name for p in repo.raw_dir.iterdir())
    caught, peak = peak_while(lambda: add_articles(repo, [source], retrieved="2026-12-01"))
    assert isinstance(caught, RasdError)
    problems = unbundle(caught)
    assert "RASD-E196" in [p.code for p in problems]
    assert file in [p.file for p in problems]
    assert peak < 10 * LIMIT < HUGE / 10  # one article's worth, never the 100 MB
    assert sorted(p.name for p in repo.raw_dir.iterdir()) == before  # nothing added


def test_the_line_after_a_huge_one_is_still_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_MAX_RAW_BYTES", str(LIMIT))
    source = write_huge(tmp_path / "rows.jsonl", b'{"text": "', b'"}\n{"text": "\xd9\x86\xd8\xb5"}\n')
    huge, small = iter_incoming(source, "rows.jsonl")
    assert isinstance(huge, RasdError)
    assert (huge.code, huge.file) == ("RASD-E196", "rows.jsonl#1")
    assert isinstance(small, Incoming)
    assert (small.text, small.origin) == ("نص", "rows.jsonl#2")


def test_a_100_mb_raw_file_without_newlines_is_refused_unread(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_huge(repo.raw_dir / "005_huge.txt", b"", b"")
    (status, peak) = peak_while(lambda: main(["--root", str(repo.root), "validate"]))
    assert status == 1
    assert "error[RASD-E109]: dataset/raw/005_huge.txt: document 005_huge: the file is 104857600 bytes" in (
        capsys.readouterr().err
    )
    assert peak < HUGE / 10
