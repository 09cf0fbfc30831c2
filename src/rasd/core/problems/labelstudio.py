"""Catalogue entries: labelstudio."""

from __future__ import annotations
