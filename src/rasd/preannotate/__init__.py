"""Pre-annotation: rule-based suggestions, normalised values, and their evaluation against the gold.

| module | what |
|---|---|
| ``gazetteer`` | the built-in place, platform and organisation lists (``data/*.tsv``) |
| ``lexicon`` | name matching: registry aliases and built-in names, with Arabic spelling variants |
| ``candidates`` | what every matcher shares: ``Candidate``, ``Context``, word helpers, ``MODEL_VERSION`` |
| ``cues`` | the cue word tables (type words, head nouns, titles, speech verbs, stop words) |
| ``matchers`` | one module per kind of evidence (names, figures, quoted, orgs, places, persons, repeated) |
| ``resolve`` | a consistent set of candidates: no crossing, nesting only inside names |
| ``suggest`` | the suggester: ``suggest``, ``predict_text``, ``predict_document``, ``preannotate_jsonl`` |
| ``normalize`` | normalised values per label; ``rasd normalize`` |
| ``learned`` | names annotators confirmed (``annotation/learned.jsonl``) added to a copy of the lexicon |
| ``stored`` | ``dataset/predictions/<id>.json`` tied to its document (format: ``rasd.formats.predictions``) |
| ``evaluate`` | ``rasd eval``: strict and partial scores, leave-one-document-out |

Imports point down this table's dependency order: ``gazetteer`` <- ``lexicon`` <-
``candidates`` <- ``cues``/``matchers`` <- ``resolve`` <- ``stored`` <- ``normalize``
<- ``suggest`` <- ``evaluate``.
"""
