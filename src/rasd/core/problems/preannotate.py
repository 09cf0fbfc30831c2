"""Catalogue entries: suggestions, pre-annotation input, built-in lists, tokens (RASD-E7xx).

| codes | what |
|---|---|
| E701-E709 | stored suggestions, ``dataset/predictions/<id>.json`` |
| E711-E719 | ``rasd preannotate --input``: JSON Lines of texts |
| E721-E729 | ``rasd eval --devset``: gold passages in JSON Lines |
| E751-E759 | the built-in place and platform lists |
| E781-E789 | tokens and BIO tags of the ``tokens`` config |
"""

from __future__ import annotations

from rasd.core.errors import GazetteerError, PredictionFileError, RequestError, SpanError, problem

_REDO = "run `rasd preannotate` again"
_ONE_OBJECT_PER_LINE = 'write one object per line: {{"id": "...", "text": "..."}}'

# --- stored suggestions ----------------------------------------------------------------------------

PREDICTIONS_UNREADABLE = problem(
    "RASD-E701",
    PredictionFileError,
    "cannot read predictions: {reason}",
    fix=_REDO,
    meaning="A suggestions file is not UTF-8 or not valid JSON (a repeated key or NaN included).",
)
PREDICTIONS_NOT_AN_OBJECT = problem(
    "RASD-E702",
    PredictionFileError,
    "expected an object with a 'spans' list",
    fix=_REDO,
    meaning="A suggestions file is valid JSON but not an object holding a list of spans.",
)
PREDICTIONS_FIELD_NOT_TEXT = problem(
    "RASD-E703",
    PredictionFileError,
    "the field {field!r} must be a string",
    fix=_REDO,
    meaning="A suggestions file lacks its document id, text digest or model version, or one is not a string.",
)
PREDICTION_SPAN_MALFORMED = problem(
    "RASD-E704",
    PredictionFileError,
    "span #{index} is malformed ({reason})",
    fix=_REDO,
    meaning="A suggested span lacks a field, has a field of the wrong type (offsets must be integers, "
    "not 65.0 or true) or a label outside the label set.",
)
PREDICTIONS_WITHOUT_DOCUMENT = problem(
    "RASD-E705",
    PredictionFileError,
    "predictions for a document that has no raw file",
    fix="delete the file or restore the raw article",
    meaning="A suggestions file names a document that is not in ``dataset/raw/``.",
)
PREDICTIONS_STALE = problem(
    "RASD-E706",
    PredictionFileError,
    "the document text changed since these predictions were made",
    fix=_REDO,
    meaning="The text digest a suggestions file records is not the digest of the document's text now.",
)

# --- rasd preannotate --input --------------------------------------------------------------------

INPUT_LINE_NOT_JSON = problem(
    "RASD-E711",
    PredictionFileError,
    "line {line}: invalid JSON ({reason} at column {column})",
    fix=_ONE_OBJECT_PER_LINE,
    meaning="A line of a pre-annotation input file is not valid JSON.",
)
INPUT_LINE_NOT_A_TEXT = problem(
    "RASD-E712",
    PredictionFileError,
    "line {line}: expected an object with string fields 'id' and 'text'",
    fix=_ONE_OBJECT_PER_LINE,
    meaning="A line of a pre-annotation input file is JSON but not an object with a string id and text.",
)
INPUT_DUPLICATE_ID = problem(
    "RASD-E713",
    PredictionFileError,
    "line {line}: the id {id!r} is already used on line {first}",
    fix="give every text its own id",
    meaning="Two lines of a pre-annotation input file share an id, so their outputs could not be told apart.",
)
INPUT_EMPTY_TEXT = problem(
    "RASD-E714",
    PredictionFileError,
    "line {line}: the text is empty",
    fix="drop the line, or give it the text to annotate",
    meaning="A line of a pre-annotation input file has an empty or blank text: nothing to annotate.",
)
INPUT_OPTIONS_TOGETHER = problem(
    "RASD-E715",
    RequestError,
    "--input and --output go together",
    fix="pass both, or neither to annotate the dataset",
    meaning="``rasd preannotate`` was given only one of ``--input`` and ``--output``.",
)
INPUT_FILE_MISSING = problem(
    "RASD-E716",
    RequestError,
    "no such input file: {path}",
    fix="pass a JSON Lines file of {{id, text}}",
    meaning="The ``--input`` file of ``rasd preannotate`` does not exist or is not a file.",
)
CARD_NEEDS_FULL_EVALUATION = problem(
    "RASD-E717",
    RequestError,
    "the card shows the held-out figures of the full suggester only",
    fix="drop --no-held-out and --no-builtins",
    meaning="``rasd eval --write-card`` was combined with an option that changes what is measured.",
)

# --- rasd eval --devset ------------------------------------------------------------------------------

DEVSET_SPAN_MALFORMED = problem(
    "RASD-E721",
    PredictionFileError,
    "line {line}: span {index}: {reason}",
    fix='write each span as {{"start": 0, "end": 5, "label": "LOC", "text": "..."}}, '
    "with text[start:end] == text",
    meaning="A gold span of a development-set passage (``rasd eval --devset``) is malformed or off its text.",
)
DEVSET_FILE_MISSING = problem(
    "RASD-E722",
    RequestError,
    "no such development-set file: {path}",
    fix="pass JSON Lines of passages with their gold spans (annotation/devset/*.jsonl)",
    meaning="A file given to ``rasd eval --devset`` does not exist or is not a file.",
)

# --- built-in lists ----------------------------------------------------------------------------------

GAZETTEER_LINE_MALFORMED = problem(
    "RASD-E751",
    GazetteerError,
    "line {line}: expected {shape}, got {text!r}",
    fix="separate the three fields with single tabs and the names with '|'",
    meaning="A line of ``preannotate/data/places.tsv`` or ``platforms.tsv`` does not have its three fields.",
)

# --- tokens --------------------------------------------------------------------------------------------

SPAN_OFF_TOKEN_BOUNDARIES = problem(
    "RASD-E781",
    SpanError,
    "[{start}, {end}) does not fall on token boundaries",
    fix="tokenize with the span boundaries (tokenize(text, boundaries)) before aligning",
    meaning="A span starts or ends inside a token, or covers none, so it has no BIO tags.",
)
TWO_OUTERMOST_SPANS = problem(
    "RASD-E782",
    SpanError,
    "two outermost spans cover [{start}, {end}); BIO can hold only one",
    fix="delete the duplicate span or nest one inside a larger one",
    meaning="Two spans with the same offsets and no span around them: the ``tokens`` config's one "
    "BIO layer cannot hold both.",
)
TOKENS_AND_TAGS_DIFFER = problem(
    "RASD-E783",
    RequestError,
    "{tokens} tokens but {tags} tags",
    fix="pass one BIO tag per token",
    meaning="``bio_tags_to_offsets`` was given token and tag sequences of different lengths.",
)

INPUT_CONTROL_CHARACTER = problem(
    "RASD-E718",
    PredictionFileError,
    "line {line}: the text holds the control character U+{codepoint:04X} at offset {offset}",
    fix="remove NUL and the other C0 control characters (tab and line breaks are fine) from the text",
    meaning="A pre-annotation input text holds a C0 control character (raw articles may not either).",
)

# --- annotation/learned.jsonl: names annotators confirmed, candidates for the lexicon ----------------

LEARNED_LINE_MALFORMED = problem(
    "RASD-E791",
    PredictionFileError,
    "line {line}: {reason}",
    fix='each line is {{"text": ..., "label": ..., "annotator": ..., "task": ..., "time": ...}}; '
    "correct the line or delete it (the file is a list of candidates, never gold)",
    meaning="A line of ``annotation/learned.jsonl`` (what ``rasd ls serve`` learned from annotators) "
    "is not a learned name.",
)
