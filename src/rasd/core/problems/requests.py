"""Catalogue entries: requests."""

from __future__ import annotations
