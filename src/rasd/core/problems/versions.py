"""Catalogue entries: versions."""

from __future__ import annotations
