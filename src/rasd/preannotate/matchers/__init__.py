"""The matchers: one module per kind of evidence, each a function from a ``Context`` to candidates.

| module | evidence |
|---|---|
| ``names`` | registry aliases and the built-in lists of places, platforms and organisations (``lexicon``) |
| ``figures`` | the date and number grammars of ``rasd.text.dates`` and ``rasd.text.numbers`` |
| ``quoted`` | a quoted, bracketed or Latin-script name after a type word or naming verb |
| ``orgs`` | a head noun and its modifiers (وزارة الخارجية الأمريكية), a nationality after a name |
| ``places`` | a place type word fused to a known place (جسر لندن) |
| ``persons`` | a title cue and the name it introduces, or a name between a speech verb and a title |
| ``repeated`` | the other mentions, in the same text, of a name a cue found |
"""
