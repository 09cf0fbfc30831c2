"""The reference the name matcher's fast paths are held to: ``match_names`` as a plain loop.

Shared by the fast-path tests (``tests/test_preannotate_fastpaths*.py``,
``tests/test_preannotate_names_fast.py``): the longest name is tried at every
word with every reading, through the unchanged ``_best_at``.
"""

from __future__ import annotations

from rasd.preannotate.lexicon import Lexicon, Match, _best_at, loose_readings
from rasd.text.arabic import words


def plain_names(text: str, lexicon: Lexicon) -> list[Match]:
    """``match_names`` as a plain loop: the longest name tried at every word, every reading."""
    ws = words(text)
    found = []
    for i, word in enumerate(ws):
        best = _best_at(text, ws, i, loose_readings(word.text), lexicon)
        if best is not None:
            found += [Match(best[1], best[2], entry) for entry in best[3]]
    return found
