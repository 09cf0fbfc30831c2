"""The on-disk formats: one module per file kind, each with exactly one typed reader and one writer.

No other module opens these files.  Every reader parses strictly (``rasd.core.io``:
repeated keys, ``NaN`` and non-integer offsets are refused), checks the structure
against the file's JSON Schema (``rasd.validation.schema``) and returns frozen
dataclasses or ``TypedDict`` records; every writer writes atomically.

| module | file |
|---|---|
| ``metadata`` | ``dataset/raw/metadata.json`` |
| ``gold`` | ``dataset/annotations/<id>.json`` |
| ``registry`` | ``annotation/entities.json`` |
| ``predictions`` | ``dataset/predictions/*.jsonl`` and pre-annotation input/output JSON Lines |
| ``records`` | ``dataset/MANIFEST.json``, ``dataset/releases/vX.Y.Z.json``, ``vX.Y.Z.diff.json`` |
| ``labelstudio`` | Label Studio task lists and exports (``TypedDict`` records) |
"""
