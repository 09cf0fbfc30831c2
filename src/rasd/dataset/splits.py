"""Splits: decided by the document id alone, so they never reshuffle.

A document's bucket is the first 32 bits of ``sha256("rasd-split-v1:" + id)``
modulo 100: buckets 0-9 go to ``test``, 10-19 to ``validation``, the rest to
``train``.  Adding documents never moves an existing one, and the expected
proportions (80/10/10) hold as the corpus grows.  A split with no document yet
is simply not declared.
"""

from __future__ import annotations

import hashlib

SPLIT_SALT = "rasd-split-v1:"
SPLITS: tuple[tuple[str, int], ...] = (("test", 10), ("validation", 20), ("train", 100))
SPLIT_ORDER = ("train", "validation", "test")


def split_bucket(doc_id: str) -> int:
    return int(hashlib.sha256((SPLIT_SALT + doc_id).encode("utf-8")).hexdigest()[:8], 16) % 100


def split_for(doc_id: str) -> str:
    bucket = split_bucket(doc_id)
    return next(name for name, below in SPLITS if bucket < below)
