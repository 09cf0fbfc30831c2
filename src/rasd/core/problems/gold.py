"""Catalogue entries: gold."""

from __future__ import annotations
