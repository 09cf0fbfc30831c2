"""Text analysis: Arabic folding and words, dates, numbers, tokens; all offsets are of the text as written.

| module | what |
|---|---|
| ``arabic`` | folding with an offset map, words, proclitics, word marks (``WORD_MARKS``, ``PROCLITICS``) |
| ``dates`` | DATE mentions and their ISO 8601 values (``ISO_DATE``) |
| ``numbers`` | QUANTITY mentions and their numbers (``NUMBER_WORDS``) |
| ``tokens`` | tokens and BIO tags of the ``tokens`` config |
| ``clean`` | raw article text to the frozen document text |
"""
