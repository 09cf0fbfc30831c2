"""Catalogue entries: gold annotation files in ``dataset/annotations/`` and migration (RASD-E3xx)."""

from __future__ import annotations

from rasd.core.errors import AnnotationFileError, MigrationError, StaleAnnotationError, problem

GOLD_DOCUMENT_MISMATCH = problem(
    "RASD-E301",
    AnnotationFileError,
    "file names document {stem} but its content says {content!r}",
    fix="rename the file or correct the document field",
    meaning="A gold file's name and its document field disagree.",
)
GOLD_WITHOUT_DOCUMENT = problem(
    "RASD-E302",
    AnnotationFileError,
    "annotation file has no raw document",
    fix="restore dataset/raw/{doc_id}.txt or delete the annotation file",
    meaning="A gold file names a document that has no raw article.",
)
GOLD_SAME_DOCUMENT_TWICE = problem(
    "RASD-E303",
    AnnotationFileError,
    "this file also claims document {claimed}, whose gold file is {other}",
    fix="merge its spans into {other} and delete this file",
    meaning="Two gold files claim one document; only the file named after the document is read.",
)
GOLD_WRONG_EXTENSION = problem(
    "RASD-E304",
    AnnotationFileError,
    "the extension {suffix!r} is not '.json'",
    fix="rename it to {stem}.json (lower case), or move it out of dataset/annotations/",
    meaning="A gold file whose extension is .json in another case would be silently skipped; it is refused.",
)
GOLD_STALE = problem(
    "RASD-E321",
    StaleAnnotationError,
    "the document text changed since these spans were made (text_sha256 differs)",
    fix="run `rasd migrate` to re-anchor the spans on the new text",
    meaning="The text a gold file's spans were made on is not the document's current text.",
)
SPAN_NOT_CARRIED_OVER = problem(
    "RASD-E331",
    MigrationError,
    "cannot carry over {label} {surface!r}: its raw text {where}",
    fix="re-annotate it on the new text by hand, then run `rasd migrate` again",
    meaning="Migration found no place in the new text that reads exactly the span's text.",
)
