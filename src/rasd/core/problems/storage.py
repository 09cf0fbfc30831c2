"""Catalogue entries: the file system and the JSON layer every reader shares (RASD-E9xx)."""

from __future__ import annotations

from rasd.core.errors import StorageError, problem

CANNOT_READ = problem(
    "RASD-E901",
    StorageError,
    "cannot read the file ({reason})",
    fix="check that the path is a readable file (not a folder or a broken link) and its permissions",
    meaning="The operating system refused to read a file the project needs.",
)
CANNOT_WRITE = problem(
    "RASD-E902",
    StorageError,
    "cannot write the file ({reason}); nothing was changed",
    fix="free disk space or make the folder writable, then run the command again",
    meaning="A write failed (full disk, read-only folder, permissions); the atomic writer left the old file.",
)
NOT_UTF8 = problem(
    "RASD-E911",
    StorageError,
    "the file is not valid UTF-8 (byte {position})",
    fix="re-save the file as UTF-8",
    meaning="A JSON or text file the project reads is not UTF-8.",
)
INVALID_JSON = problem(
    "RASD-E912",
    StorageError,
    "invalid JSON at line {line}, column {column}: {reason}",
    fix="correct the JSON syntax at that place (a JSON validator shows it too)",
    meaning="A JSON file or one JSON Lines line cannot be parsed.",
)
DUPLICATE_KEY = problem(
    "RASD-E913",
    StorageError,
    "the key {key!r} appears twice in one object",
    fix="keep one of the two entries; JSON readers disagree on which one wins, so Rasd refuses both",
    meaning="A JSON object repeats a key; most parsers silently keep the last value, Rasd refuses.",
)
NON_FINITE_NUMBER = problem(
    "RASD-E914",
    StorageError,
    "{token} is not a JSON number",
    fix="write a finite number or null",
    meaning="NaN and Infinity are not JSON; Python's json module would accept them.",
)
