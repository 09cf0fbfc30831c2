"""Catalogue entries: spans."""

from __future__ import annotations
