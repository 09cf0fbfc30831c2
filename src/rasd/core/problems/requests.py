"""Catalogue entries: what was asked cannot be done as asked (RASD-E0xx, ``RequestError``).

Options, arguments, folders and the environment a command needs; the library
raises these, the command line only prints them.
"""

from __future__ import annotations

from rasd.core.errors import RequestError, problem

FOLDER_NOT_EMPTY = problem(
    "RASD-E011",
    RequestError,
    "{target} is not an empty folder",
    fix="give a new or empty folder",
    meaning="``rasd checkout`` writes a release into a new or empty folder only.",
)
BAD_REPO_ID = problem(
    "RASD-E012",
    RequestError,
    "{repo_id!r} is not a Hub repository id",
    fix="write ORG/NAME, e.g. my-lab/rasd",
    meaning="``rasd publish --repo-id`` is not ORG/NAME.",
)
NO_HF_TOKEN = problem(
    "RASD-E013",
    RequestError,
    "no Hugging Face token: {variable} is not set",
    fix="export {variable}=hf_... (a write token), or use --dry-run to see the plan",
    meaning="``rasd publish`` needs a write token in the environment.",
)
NOTHING_TO_COMPARE = problem(
    "RASD-E014",
    RequestError,
    "nothing released to compare with",
    fix="run `rasd release --bump minor` first",
    meaning="``rasd diff`` with no argument before the first release.",
)
NO_DOCUMENTS = problem(
    "RASD-E015",
    RequestError,
    "no documents to build",
    fix="add raw articles (*.txt, UTF-8) to dataset/raw/",
    meaning="``rasd build`` found no raw article.",
)
NO_RELEASED_DATA = problem(
    "RASD-E016",
    RequestError,
    "no released data",
    fix="run `rasd build` first",
    meaning="``rasd stats`` before any build: there are no parquet files to count.",
)
