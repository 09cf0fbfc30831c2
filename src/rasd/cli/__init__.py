"""The ``rasd`` command: a thin argparse layer over library functions.

Each command group lives in its own module with a ``register(subparsers)``
function; ``GROUPS`` lists them.  Every command works on the repository in the
current directory or the one given with ``--root``.  Errors Rasd knows about
print their message (file, document, span, fix) and exit 1; bad arguments exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from rasd.core.errors import RasdError, RasdErrors
from rasd.core.paths import Repo

# Modules under rasd.cli that add commands; each defines register(subparsers).
GROUPS: tuple[str, ...] = ("dataset", "check", "release", "preannotate", "ls")

Handler = Callable[[argparse.Namespace, Repo], int]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="rasd", description=__doc__.splitlines()[0] if __doc__ else None)
    top.add_argument(
        "--root", default=".", help="the Rasd repository to work on (default: the current directory)"
    )
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        import_module(f"rasd.cli.{group}").register(subparsers)
    return top


def report_errors(error: RasdError) -> None:
    errors = error.errors if isinstance(error, RasdErrors) else [error]
    for e in errors:
        print(f"{e.kind}[{e.code}]: {e}", file=sys.stderr)
    if len(errors) > 1:
        print(f"{len(errors)} errors", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    repo = Repo(args.root)
    if not (repo.root / "dataset").is_dir():
        print(
            f"error: {repo.root} is not a Rasd repository (no dataset/ folder). Fix: pass --root DIR",
            file=sys.stderr,
        )
        return 2
    handler: Handler = args.handler
    try:
        return handler(args, repo)
    except RasdError as error:
        report_errors(error)
        return 1


if __name__ == "__main__":
    sys.exit(main())
