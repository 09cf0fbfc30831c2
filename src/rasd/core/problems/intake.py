"""Catalogue entries: intake."""

from __future__ import annotations
