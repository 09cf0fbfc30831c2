"""The synthetic corpus every benchmark builds: the seeds' sentences recombined, spellings varied.

Imported by the scripts of ``bench/`` (run as ``python bench/NAME.py``, so this folder is on the path).
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# --- the synthetic corpus ------------------------------------------------------------------------

# Spellings that Arabic news writes both ways: hamza on alef, alef maqsura / ya, ta marbuta / ha,
# a tatweel inside a word, a diacritic.  Applied at random to the seed sentences.
VARIANTS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("ى", "ي"),
    ("ة ", "ه "),
    ("ال", "الـ"),
    ("لم", "لَم"),
)


def seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted((ROOT / "dataset" / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences += [s.strip() for s in re.split(r"(?<=[.!؟])\s+", text) if len(s.strip()) > 20]
    return sentences


def _variant(sentence: str, rng: random.Random) -> str:
    for old, new in VARIANTS:
        if rng.random() < 0.3:
            sentence = sentence.replace(old, new)
    return sentence


def article(index: int, sentences: list[str], rng: random.Random, size: int = 3000) -> str:
    """About ``size`` bytes of UTF-8: a numbered title and seed sentences with spelling variants."""
    parts = [f"وثيقة رقم {index}"]
    while sum(len(p.encode("utf-8")) for p in parts) < size:
        parts.append(_variant(rng.choice(sentences), rng))
    return "\n\n".join(parts) + "\n"


Article = Callable[[int, list[str], random.Random], str]


def make_repo(folder: Path, documents: int, seed: int = 13, text: Article = article) -> None:
    """A repository with ``documents`` synthetic raw articles (``text`` writes each) and no gold files."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    raw = folder / "dataset" / "raw"
    raw.mkdir(parents=True)
    (folder / "dataset" / "annotations").mkdir()
    shutil.copy(ROOT / "dataset_card.md", folder / "dataset_card.md")
    (folder / "dataset" / "VERSION").write_text("0.0.0\n", encoding="utf-8")
    for i in range(documents):
        (raw / f"{i:06d}_synthetic.txt").write_text(text(i, sentences, rng), encoding="utf-8")
