"""Error hierarchy: every problem names where it is and says what to do.

Each error carries the offending values (file, document id, span id) as
attributes so callers and tests can inspect them, and renders one line of the
form ``FILE: document DOC: span SPAN: PROBLEM. Fix: HINT``.  Validation code
collects these instead of raising at the first one; ``RasdErrors`` bundles a
collection when a caller must stop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class RasdError(ValueError):
    """Base of every error Rasd reports about its inputs."""

    kind = "error"

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


class RawInputError(RasdError):
    """A raw article file cannot be ingested (encoding, empty, duplicate, bad name)."""


class SchemaViolation(RasdError):
    """A record breaks the JSON Schema (structure)."""


class SpanError(RasdError):
    """A span breaks a rule the schema cannot express (meaning)."""


class AnnotationFileError(RasdError):
    """A gold annotation file is malformed or does not match its document."""


class StaleAnnotationError(AnnotationFileError):
    """The document text changed since the annotations were made on it."""


class MigrationError(AnnotationFileError):
    """A span could not be carried over to a document's new text."""


class ReleaseError(RasdError):
    """The released dataset is inconsistent with its manifest or version."""


class UsageError(RasdError):
    """A command-line argument is wrong."""


class RasdErrors(RasdError):
    """Several errors found together; raised once all of them are collected."""

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
