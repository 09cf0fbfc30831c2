"""Catalogue entries: registry."""

from __future__ import annotations
