"""The whole catalogue: every class and every entry, rendered as ``docs/errors.md``.

Run ``python -m rasd.core.problems.index > docs/errors.md`` (``make docs``).
"""

from __future__ import annotations

from rasd.core.errors import CATALOGUE, RasdError
from rasd.core.problems import (  # noqa: F401  # importing an area registers its entries
    engine,
    gold,
    intake,
    intake_sources,
    labelstudio,
    preannotate,
    registry,
    requests,
    spans,
    storage,
    versions,
)


def catalogue_markdown() -> str:
    """``docs/errors.md``: every class and every entry, with code, meaning and fix."""
    lines = [
        "# Error index",
        "",
        "Generated from `src/rasd/core/errors.py` (classes) and `src/rasd/core/problems/` (entries) by",
        "`make docs`; a test keeps it current. Every message reads",
        "`FILE: document DOC: span SPAN: PROBLEM. Fix: HINT`, and the command line shows the code",
        "first: `error[RASD-E201]: ...`. Values in braces are filled in from the data.",
        "",
        "## Classes",
        "",
        "| code | class | what is wrong |",
        "|---|---|---|",
    ]
    classes = sorted(_all_classes(), key=lambda c: (c.category_code, c.__name__))
    lines += [f"| {c.category_code} | `{c.__name__}` | {_first_line(c.__doc__)} |" for c in classes]
    lines += ["", "## Problems", ""]
    for code in sorted(CATALOGUE):
        entry = CATALOGUE[code]
        lines += [
            f"### {code}",
            "",
            f"`{entry.cls.__name__}`: {entry.meaning}",
            "",
            f"- message: `{entry.template}`",
            f"- fix: {entry.fix}",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _all_classes() -> list[type[RasdError]]:
    found: list[type[RasdError]] = []
    todo: list[type[RasdError]] = [RasdError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def _first_line(doc: str | None) -> str:
    return doc.strip().splitlines()[0] if doc and doc.strip() else ""


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
