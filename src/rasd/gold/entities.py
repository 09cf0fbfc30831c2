"""The entity registry, as the gold layer and its callers know it.

The file ``annotation/entities.json`` is read and written by
``rasd.formats.registry``; these names stay importable here until every caller
imports them from there (the lead repoints ``rasd.preannotate`` and ``bench``).
"""

from __future__ import annotations

from rasd.formats.registry import Entity, Registry, load_registry, parse_registry, registry_path

__all__ = ["Entity", "Registry", "load_registry", "parse_registry", "registry_path"]
