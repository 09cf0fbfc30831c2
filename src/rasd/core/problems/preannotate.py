"""Catalogue entries: preannotate."""

from __future__ import annotations
