"""The error catalogue: every problem Rasd reports, with a stable code, a message template and a fix.

Two levels, as in rustc's error index and spaCy's ``Errors``:

* **Classes** (``SpanError``, ``LabelStudioError``, ...) say which part of the data
  is wrong; callers catch them.  Every class is defined here and derives from
  ``RasdError``.
* **Entries** (``Problem``) are the individual problems, each with a stable code
  (``RASD-E201``), a message template and a fix template.  They live in
  ``rasd.core.problems``, one module per area (codes by range).  An entry is
  called with the place (``file``, ``document``, ``span``) and the template's
  values and returns the error to raise or collect::

      raise SPAN_OUTSIDE_TEXT(file=..., document=doc.id, span=span.id, start=0, end=9, length=4)

Every error renders as one line, ``FILE: document DOC: span SPAN: PROBLEM. Fix: HINT``;
the command line prefixes the code (``error[RASD-E201]: ...``).  ``docs/errors.md``
is generated from the classes and entries (``python -m rasd.core.problems.index``,
``make docs``); a test keeps it current.

The conventions: checks are generators named ``iter_*_problems`` that yield
errors; a public function that must stop collects them all and raises one
``RasdErrors`` bundle (``raise_all``); library code never raises anything the
command line owns (argparse's exit 2 is the CLI's alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar


class RasdError(ValueError):
    """Base of every error Rasd reports about its inputs."""

    kind: ClassVar[str] = "error"
    category_code: ClassVar[str] = "RASD-E000"

    def __init__(
        self,
        problem: str,
        *,
        hint: str = "",
        file: str | None = None,
        document: str | None = None,
        span: str | None = None,
        **values: object,
    ) -> None:
        self.problem = problem
        self.hint = hint
        self.file = file
        self.document = document
        self.span = span
        self.code = self.category_code  # an entry of the catalogue sets its own code
        self.values = values
        super().__init__(self.render())

    def render(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.document:
            where.append(f"document {self.document}")
        if self.span:
            where.append(f"span {self.span}")
        text = ": ".join([*where, self.problem])
        if self.hint:
            text += f". Fix: {self.hint}"
        return text


# --- classes: which part of the data is wrong --------------------------------------------


class RequestError(RasdError):
    """What was asked cannot be done as asked: an option, a version number, a folder."""

    category_code = "RASD-E010"


class StorageError(RasdError):
    """The file system refused a read or a write (permissions, full disk, not a file)."""

    category_code = "RASD-E900"


class RawInputError(RasdError):
    """A raw article file or its metadata cannot be ingested (encoding, empty, duplicate, bad name)."""

    category_code = "RASD-E100"


class SchemaViolation(RasdError):
    """A record breaks the JSON Schema (structure)."""

    category_code = "RASD-E200"


class SpanError(RasdError):
    """A span breaks a rule the schema cannot express (meaning)."""

    category_code = "RASD-E220"


class AnnotationFileError(RasdError):
    """A gold annotation file is malformed or does not match its document."""

    category_code = "RASD-E300"


class StaleAnnotationError(AnnotationFileError):
    """The document text changed since the annotations were made on it."""

    category_code = "RASD-E320"


class MigrationError(AnnotationFileError):
    """A span could not be carried over to a document's new text."""

    category_code = "RASD-E330"


class EntityRegistryError(RasdError):
    """``annotation/entities.json`` (the canonical ids) is malformed."""

    category_code = "RASD-E400"


class ConsistencyWarning(RasdError):
    """A gold span that is probably wrong (``rasd check``); a ``note`` on the span accepts it."""

    kind = "warning"
    category_code = "RASD-W450"


class ReleaseError(RasdError):
    """The released dataset is inconsistent with its manifest, records or version."""

    category_code = "RASD-E500"


class VersionError(RasdError):
    """A version number or a bump is not valid."""

    category_code = "RASD-E530"


class VerifyError(ReleaseError):
    """A released file does not match its record."""

    category_code = "RASD-E550"


class LabelStudioError(AnnotationFileError):
    """A Label Studio task, export or server answer cannot be turned into spans."""

    category_code = "RASD-E600"


class PredictionFileError(RasdError):
    """A predictions (suggestions) file or pre-annotation input is malformed."""

    category_code = "RASD-E700"


class GazetteerError(RasdError):
    """A built-in place or platform list of the pre-annotator is malformed."""

    category_code = "RASD-E750"


class FastPathDeclined(Exception):
    """A fast path's "not here": the caller runs the complete path, which names any problem in full.

    Not a ``RasdError`` and never shown to a user: every place that raises it
    catches it a frame or two up (the gold reader's quick JSON parse, the
    parallel task export, the build's column builders, the predictions' span
    lines) and falls back.
    """


class RasdErrors(RasdError):
    """Several errors found together; raised once all of them are collected."""

    category_code = "RASD-E000"

    def __init__(self, errors: Sequence[RasdError], *, summary: str = "problems found") -> None:
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} {summary}:\n" + "\n".join(f"  - {e}" for e in self.errors))

    def render(self) -> str:  # the message is built in __init__
        return self.problem


def raise_all(errors: Iterable[RasdError], *, summary: str = "problems found") -> None:
    """Raise the one error, or all of them bundled; do nothing when there are none."""
    found = list(errors)
    if len(found) == 1:
        raise found[0]
    if found:
        raise RasdErrors(found, summary=summary)


def unbundle(error: RasdError) -> list[RasdError]:
    """The errors inside a bundle, or the one error."""
    return list(error.errors) if isinstance(error, RasdErrors) else [error]


# --- entries: one per problem, with a stable code --------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One entry of the catalogue: a stable code, its class, and message and fix templates.

    Templates use ``str.format`` fields; calling the entry fills them from its keyword
    values and returns the error (the caller raises or collects it).
    """

    code: str
    cls: type[RasdError]
    template: str
    fix: str
    meaning: str

    def __call__(
        self,
        *,
        file: str | None = None,
        document: str | None = None,
        span: str | None = None,
        fix: str | None = None,
        **values: object,
    ) -> RasdError:
        error = self.cls(
            self.template.format(**values),
            hint=(fix if fix is not None else self.fix).format(**values),
            file=file,
            document=document,
            span=span,
            **values,
        )
        error.code = self.code
        return error


CATALOGUE: dict[str, Problem] = {}


def problem(code: str, cls: type[RasdError], template: str, *, fix: str, meaning: str) -> Problem:
    """Add an entry to the catalogue; codes are unique and never reused.

    Class codes end in 0 (``RASD-E220``, ``SpanError``); an entry's code never does.
    """
    if code in CATALOGUE or code.endswith("0"):
        raise AssertionError(f"error code {code} is defined twice")
    entry = Problem(code, cls, template, fix, meaning)
    CATALOGUE[code] = entry
    return entry
