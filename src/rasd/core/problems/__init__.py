"""The catalogue's entries, one module per area; codes are unique and never reused.

| range | module | area |
|---|---|---|
| RASD-E0xx | ``requests`` | what was asked (options, versions, folders) |
| RASD-E1xx | ``intake`` | raw articles and their metadata |
| RASD-E2xx | ``spans`` | record structure (JSON Schema) and span meaning |
| RASD-E3xx | ``gold`` | gold annotation files and migration |
| RASD-E4xx, W4xx | ``registry`` | entity registry and consistency warnings |
| RASD-E5xx | ``versions`` | build, release, verify, checkout, publish |
| RASD-E6xx | ``labelstudio`` | Label Studio tasks, exports and server |
| RASD-E7xx | ``preannotate`` | suggestions, pre-annotation input, built-in lists |
| RASD-E9xx | ``storage`` | the file system |

``rasd.core.problems.index`` imports them all and renders ``docs/errors.md``.
"""
