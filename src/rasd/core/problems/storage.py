"""Catalogue entries: storage."""

from __future__ import annotations
