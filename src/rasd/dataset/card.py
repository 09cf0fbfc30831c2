"""The dataset card: hand-written prose with generated parts between markers.

``dataset_card.md`` is the source; the build fills the YAML keys it owns
(``configs``, ``dataset_info``, ``size_categories``, ``version``) and every
section between ``<!-- rasd:NAME:start -->`` and ``<!-- rasd:NAME:end -->``,
then copies the result to ``dataset/README.md`` (the Hub README).  Numbers are
never typed by hand.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from rasd.core.problems.versions import NO_CARD_FRONT_MATTER, NO_CARD_SECTION

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_SECTION = re.compile(r"(<!-- rasd:([\w-]+):start -->).*?(<!-- rasd:\2:end -->)", re.DOTALL)

GENERATED_KEYS: tuple[str, ...] = ("version", "size_categories", "configs", "dataset_info")
"""The YAML keys the build owns; every other key is written by people."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT.match(text)
    if not match:
        raise NO_CARD_FRONT_MATTER(file="dataset_card.md")
    meta = yaml.safe_load(match.group(1)) or {}
    return meta, text[match.end() :]


def join_front_matter(meta: dict[str, Any], body: str) -> str:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n{body}"


def section_markers(name: str) -> tuple[str, str]:
    return f"<!-- rasd:{name}:start -->", f"<!-- rasd:{name}:end -->"


def set_section(text: str, name: str, content: str) -> str:
    """Replace what stands between the markers of section ``name``."""
    start, end = section_markers(name)
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise NO_CARD_SECTION(file="dataset_card.md", name=name, start=start, end=end)
    return pattern.sub(lambda _: f"{start}\n{content.strip()}\n{end}", text, count=1)


def get_section(text: str, name: str) -> str:
    start, end = section_markers(name)
    match = re.search(re.escape(start) + r"\n?(.*?)\n?" + re.escape(end), text, re.DOTALL)
    return match.group(1) if match else ""


def render_card(template: str, meta_updates: dict[str, Any], sections: dict[str, str]) -> str:
    meta, body = split_front_matter(template)
    meta.update(meta_updates)
    for name, content in sections.items():
        body = set_section(body, name, content)
    return join_front_matter(meta, body)


def hand_written(text: str) -> tuple[dict[str, Any], str]:
    """What people wrote in a card: the YAML without the generated keys, the body with empty sections.

    Two cards with the same hand-written parts differ only in what the build
    generates from the data (a release with no data change and this equal is no change).
    """
    meta, body = split_front_matter(text)
    kept = {key: value for key, value in meta.items() if key not in GENERATED_KEYS}
    return kept, _SECTION.sub(lambda m: m.group(1) + m.group(3), body)


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
