"""Rasd: an annotated Arabic span dataset and the tooling that keeps it alive."""

__version__ = "0.1.0"
