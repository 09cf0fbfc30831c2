"""Catalogue entries: Label Studio tasks, exports, pre-annotation files and the server (RASD-E6xx).

| range | what |
|---|---|
| W60x | warnings: an annotation held back |
| E60x | the shape of an export (a list of tasks) |
| E61x | tasks against the corpus (unknown document, changed text, duplicate task) |
| E62x, E63x | regions of an annotation (labels, offsets, per-region text areas) |
| E64x | the ``--predictions-file`` JSON Lines |
| E65x, E66x | the server (URL, token, project, answers) |
| E67x | options of ``rasd ls`` |
"""

from __future__ import annotations

from rasd.core.errors import LabelStudioError, RequestError, StaleAnnotationError, problem

# --- the shape of an export ---------------------------------------------------------------------

_EXPORT_AS_JSON = "export the project as JSON from Label Studio; do not edit the export by hand"

NOT_AN_EXPORT = problem(
    "RASD-E601",
    LabelStudioError,
    "not a Label Studio JSON export (expected a list of tasks)",
    fix="export the project as JSON (not JSON-MIN or CSV) and pass that file",
    meaning="The file parses as JSON but is not a list of tasks.",
)
TASK_NOT_AN_OBJECT = problem(
    "RASD-E602",
    LabelStudioError,
    "task is not a JSON object",
    fix=_EXPORT_AS_JSON,
    meaning="An item of the export's task list is not an object.",
)
TASK_WITHOUT_DATA = problem(
    "RASD-E603",
    LabelStudioError,
    "task has no data object",
    fix=_EXPORT_AS_JSON,
    meaning="A task has no ``data`` object (where the document id and text live).",
)
TASK_DATA_FIELD = problem(
    "RASD-E604",
    LabelStudioError,
    "data.{key} is missing or not a string",
    fix=_EXPORT_AS_JSON,
    meaning="A task's ``data.id`` or ``data.text`` is missing or not a string.",
)
TASK_FIELD_NOT_A_LIST = problem(
    "RASD-E605",
    LabelStudioError,
    "{key} is not a list",
    fix=_EXPORT_AS_JSON,
    meaning="A task's ``annotations`` or ``drafts`` is not a list.",
)
ANNOTATION_NOT_AN_OBJECT = problem(
    "RASD-E606",
    LabelStudioError,
    "an annotation is not an object with a result list",
    fix=_EXPORT_AS_JSON,
    meaning="An annotation is not an object, or its ``result`` is not a list.",
)
RESULT_NOT_AN_OBJECT = problem(
    "RASD-E607",
    LabelStudioError,
    "annotation {annotation} has a result item that is not an object",
    fix=_EXPORT_AS_JSON,
    meaning="An item of an annotation's ``result`` list is not an object.",
)

# --- warnings -----------------------------------------------------------------------------------

EMPTY_ANNOTATION_HELD = problem(
    "RASD-W601",
    LabelStudioError,
    "{annotation} has no regions but the gold has {count} span(s): held back, the gold is left unchanged",
    fix="if the document really mentions nothing, pull again with --accept-empty; otherwise the "
    "annotation was submitted by mistake: redo it in Label Studio",
    meaning="An empty submitted annotation would delete every gold span of its document; it is applied "
    "only with --accept-empty.",
)

# --- tasks against the corpus -------------------------------------------------------------------

UNKNOWN_DOCUMENT = problem(
    "RASD-E611",
    LabelStudioError,
    "task names a document that is not in dataset/raw",
    fix="restore the raw file, or delete the task in Label Studio",
    meaning="A task's ``data.id`` names no document of the corpus.",
)
TASK_TEXT_CHANGED = problem(
    "RASD-E612",
    StaleAnnotationError,
    "the task's data.text differs from the document's text (first difference at code point "
    "{offset}; {task_length} vs {document_length} code points)",
    fix="the document changed after the push: carry the annotators' work over by hand, "
    "then delete the task and push again",
    meaning="The document's text changed after its task was made; the regions may point elsewhere.",
)
DUPLICATE_TASK = problem(
    "RASD-E613",
    LabelStudioError,
    "second task for this document (the first is {first})",
    fix="delete the duplicate task in Label Studio (keep the one with the annotators' work)",
    meaning="Two tasks of one export name the same document.",
)

# --- regions ------------------------------------------------------------------------------------

RESULT_WITHOUT_REGION = problem(
    "RASD-E621",
    LabelStudioError,
    "result of type {type!r} has no region id",
    fix="relations and other result types are not part of Rasd: remove them",
    meaning="A result item has no region id (a relation, or a tool Rasd does not use).",
)
RESULT_NOT_IN_CONFIG = problem(
    "RASD-E622",
    LabelStudioError,
    "result from {from_name!r} of type {type!r} is not part of the Rasd labeling config",
    fix="push the current labeling config (`rasd ls push`) and redo this region",
    meaning="A result comes from a control the generated labeling config does not have.",
)
REGION_WITHOUT_LABEL = problem(
    "RASD-E623",
    LabelStudioError,
    "region has a value or note but no label",
    fix="delete the region in Label Studio and label the text again",
    meaning="A region has per-region text areas but no labelled result.",
)
REGION_LABEL_RESULTS = problem(
    "RASD-E624",
    LabelStudioError,
    "region has {count} label results",
    fix="delete the region in Label Studio and label the text again",
    meaning="One region id carries several labelled results.",
)
REGION_LABEL_COUNT = problem(
    "RASD-E625",
    LabelStudioError,
    "region must carry exactly one label, not {labels!r}",
    fix="keep one label per region (duplicate the region for a second label)",
    meaning="A labelled result has no label or several.",
)
LABEL_NOT_IN_SET = problem(
    "RASD-E626",
    LabelStudioError,
    "label {label!r} is not in the label set",
    fix="relabel it as one of {labels} (or add the label to rasd.core.labels first)",
    meaning="A region's label is not one of the project's labels.",
)
REGION_WITHOUT_OFFSETS = problem(
    "RASD-E627",
    LabelStudioError,
    "region has no integer start/end or no value.text",
    fix="export from a Text tag with saveTextResult=yes (the generated config does)",
    meaning="A region's offsets are not integers (65.0 and true are refused) or it has no text.",
)
REGION_TEXT_MISMATCH = problem(
    "RASD-E628",
    LabelStudioError,
    "value.text {shown!r} matches neither text[{start}:{end}] read as code points "
    "({as_code_points}) nor read as UTF-16 code units ({as_units})",
    fix="delete the region in Label Studio and select the text again",
    meaning="A region's offsets select other text than its ``value.text``, read either way.",
)
TEXT_AREA_NOT_TEXT = problem(
    "RASD-E629",
    LabelStudioError,
    "the {name} of the region is not text",
    fix="type plain text in the region's field",
    meaning="A per-region value or note holds something other than strings.",
)
TEXT_AREA_SEVERAL = problem(
    "RASD-E631",
    LabelStudioError,
    "the region has {count} {name}s ({texts})",
    fix="keep one {name} per region in Label Studio",
    meaning="A region has several non-empty values or notes.",
)

# --- the --predictions-file JSON Lines ------------------------------------------------------------

PREDICTION_LINE_SHAPE = problem(
    "RASD-E641",
    LabelStudioError,
    'expected {{"document": <known document id>, "spans": [...]}}',
    fix="name a document of dataset/raw and give its spans as a list",
    meaning="A line of the pre-annotations file is not an object naming a known document and its spans.",
)
PREDICTION_SPAN_SHAPE = problem(
    "RASD-E642",
    LabelStudioError,
    "span #{number} is not {{start, end, label[, score 0..1, value, id]}}",
    fix="give integer code-point offsets, a label name and a score between 0 and 1",
    meaning="A pre-annotated span lacks integer offsets or a label, or its score is outside 0..1.",
)

# --- the server ---------------------------------------------------------------------------------

NO_URL = problem(
    "RASD-E651",
    RequestError,
    "no Label Studio URL",
    fix="pass --url URL or set {variable}",
    meaning="A server command was given no server address.",
)
NO_TOKEN = problem(
    "RASD-E652",
    RequestError,
    "no Label Studio API token",
    fix="set {variable} to the access token from Label Studio's Account & Settings page",
    meaning="A server command found no API token in the environment (never on the command line).",
)
NO_PROJECT = problem(
    "RASD-E653",
    RequestError,
    "Label Studio has no project titled {title!r}",
    fix="check --project, or create it with `rasd ls push`",
    meaning="The server has no project with exactly this title.",
)
SEVERAL_PROJECTS = problem(
    "RASD-E654",
    RequestError,
    "{count} projects are titled {title!r} (ids {ids})",
    fix="rename or delete all but one in Label Studio",
    meaning="Several projects share the title, so Rasd cannot tell which one is meant.",
)
PROJECT_REFUSED = problem(
    "RASD-E655",
    LabelStudioError,
    "the server refused to create or update the project: {answer}",
    fix="correct what the server names (titles have at most 50 characters; a label still used "
    "by annotations cannot leave the config: relabel or delete those regions first)",
    meaning="Creating the project or updating its labeling config was refused by the server.",
)
TASK_STALE_ON_SERVER = problem(
    "RASD-E656",
    StaleAnnotationError,
    "the document's text changed since it was pushed; the task was not overwritten",
    fix="pull the annotators' work first, then delete the task in Label Studio and push again",
    meaning="A pushed task holds an older text of its document; push leaves it alone.",
)

SERVER_UNREACHABLE = problem(
    "RASD-E657",
    LabelStudioError,
    "cannot reach Label Studio ({reason})",
    fix="start the server, or correct --url / LABEL_STUDIO_URL (scheme, host and port)",
    meaning="Nothing answers at the URL (connection refused, unknown host); not retried.",
)
TOKEN_REFUSED = problem(
    "RASD-E658",
    LabelStudioError,
    "the server refused the API token (HTTP {status}) for {what}: {answer}",
    fix="set LABEL_STUDIO_API_KEY to a valid access token from Label Studio's Account & Settings page "
    "(one whose user may see the project)",
    meaning="The server answered 401 or 403: the token is wrong, expired or lacks the permission.",
)
SERVER_NOT_FOUND = problem(
    "RASD-E659",
    LabelStudioError,
    "{what}: not found on the server (HTTP 404): {answer}",
    fix="check that --url is the server's root address and that the project still exists",
    meaning="The server answered 404: a wrong URL path, or a project deleted meanwhile.",
)
SERVER_FAILED = problem(
    "RASD-E661",
    LabelStudioError,
    "the server failed (HTTP {status}) on {what}: {answer}",
    fix="try again later; the server's log says what went wrong",
    meaning="The server answered 5xx (reads are retried with backoff for up to 60 s first).",
)
SERVER_TIMEOUT = problem(
    "RASD-E662",
    LabelStudioError,
    "no answer in time on {what}",
    fix="try again when the server is less busy, or check the network to it",
    meaning="The server did not answer within the time limit (reads are retried for up to 60 s first).",
)
SERVER_REFUSED = problem(
    "RASD-E663",
    LabelStudioError,
    "the server refused {what} (HTTP {status}): {answer}",
    fix="correct what the server names",
    meaning="The server answered another 4xx to a request.",
)

# --- options of rasd ls -------------------------------------------------------------------------

PREDICTIONS_FILE_WITHOUT_VERSION = problem(
    "RASD-E671",
    RequestError,
    "--predictions-file needs --predictions MODEL_VERSION",
    fix="name the model version",
    meaning="Pre-annotations are sent under a model version, which was not given.",
)
NO_PREDICTIONS_FILE = problem(
    "RASD-E672",
    RequestError,
    "no such file {path}",
    fix="pass a JSON Lines file of pre-annotations",
    meaning="The ``--predictions-file`` does not exist.",
)
NO_EXPORT_FILE = problem(
    "RASD-E673",
    RequestError,
    "no such file {path}",
    fix="pass the JSON export downloaded from Label Studio",
    meaning="The export file to import does not exist.",
)
NO_STORED_PREDICTIONS = problem(
    "RASD-E674",
    RequestError,
    "no pre-annotations in {folder}",
    fix="run `rasd preannotate` first, or pass --predictions-file FILE",
    meaning="``--predictions`` without a file reads ``dataset/predictions/``, which does not exist.",
)
NO_ANNOTATION_SOURCE = problem(
    "RASD-E675",
    RequestError,
    "say where the annotations are",
    fix="pass --export FILE or --project TITLE",
    meaning="``conflicts`` and ``agreement`` need an export file or a server project.",
)

# --- rasd ls serve: the ML backend's answers to bad requests (HTTP 4xx, never a traceback) ----------

BACKEND_NOT_JSON = problem(
    "RASD-E681",
    LabelStudioError,
    "the request body is not a JSON object: {reason}",
    fix="send one JSON object, as Label Studio does",
    meaning="A request to ``rasd ls serve`` (``/predict``, ``/setup``, ``/webhook``, ``/train``) "
    "had a body that is not UTF-8 JSON, or JSON but not an object.",
)
BACKEND_FIELD_SHAPE = problem(
    "RASD-E682",
    LabelStudioError,
    "`{field}` must be {expected}",
    fix="send the payload Label Studio's ML backend protocol describes",
    meaning="A field of a request to ``rasd ls serve`` is missing or of the wrong type "
    "(``tasks`` not a list, a task without ``data``, an annotation without ``result``...).",
)
BACKEND_TASK_WITHOUT_TEXT = problem(
    "RASD-E683",
    LabelStudioError,
    "task {task}: no text in `data.{field}`",
    fix="import tasks whose data holds the article text under `{field}` (what `rasd ls push` sends)",
    meaning="A task sent to ``rasd ls serve`` has no text where the labeling config reads it.",
)
BACKEND_NO_ENDPOINT = problem(
    "RASD-E684",
    LabelStudioError,
    "no endpoint {method} {path}",
    fix="use GET /health, POST /setup, /predict, /webhook or /train",
    meaning="A request reached ``rasd ls serve`` on a path or method the ML backend protocol does not have.",
)
BACKEND_BODY_TOO_LARGE = problem(
    "RASD-E685",
    LabelStudioError,
    "the request body is {size} bytes, more than the {limit} this backend reads",
    fix="send fewer tasks per request",
    meaning="A request to ``rasd ls serve`` declared a body larger than its limit; nothing was read.",
)
BACKEND_FAILED = problem(
    "RASD-E686",
    LabelStudioError,
    "the backend could not answer {path}: {reason}",
    fix="report this with the request that caused it; the server keeps running",
    meaning="An unexpected failure inside ``rasd ls serve`` while answering one request (HTTP 500); "
    "the server goes on serving the next one.",
)
BACKEND_CANNOT_LISTEN = problem(
    "RASD-E687",
    RequestError,
    "cannot listen on {host}:{port}: {reason}",
    fix="pass another --port (0 picks a free one), or stop the program that holds this one",
    meaning="``rasd ls serve`` could not open its port: in use, not allowed, or an address this "
    "machine does not have.",
)
