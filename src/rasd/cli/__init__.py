"""The ``rasd`` command: a thin argparse layer over library functions.

Each command group lives in its own module with a ``register(subparsers)``
function; ``GROUPS`` lists them and ``COMMANDS`` their commands, so a command
imports its own group alone.  A group imports the library inside its command
functions, when one runs: building the parser (``--help`` included) imports no
``datasets``, pyarrow, matplotlib or Dask (tests/test_cli_startup.py).  Every
command works on the repository in the current directory or the one given with
``--root``.  Errors Rasd knows about print their message (file, document, span,
fix) and exit 1; bad arguments exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from rasd.core.errors import RasdError, RasdErrors
from rasd.core.paths import Repo

# Modules under rasd.cli that add commands; each defines register(subparsers).
GROUPS: tuple[str, ...] = ("dataset", "check", "release", "preannotate", "ls", "add")

# The top-level commands each group registers, so that a command imports its group alone
# (tests/test_labelstudio_import_startup.py checks it against each group's ``register``).
COMMANDS: dict[str, tuple[str, ...]] = {
    "dataset": ("build", "validate", "stats", "migrate"),
    "check": ("check",),
    "release": ("release", "verify", "diff", "checkout", "publish", "preview", "releases"),
    "preannotate": ("preannotate", "normalize", "eval"),
    "ls": ("ls",),
    "add": ("add",),
}

Handler = Callable[[argparse.Namespace, Repo], int]


def _abbreviates(word: str, option: str) -> bool:
    """``word`` is ``option`` or a prefix argparse accepts for it (``--ro`` for ``--root``)."""
    return len(word) > 2 and option.startswith(word)


def _top_words(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """The options before the command word, and the command word (``--root``'s value skipped)."""
    options: list[str] = []
    words = iter(argv)
    for word in words:
        if _abbreviates(word, "--root"):
            next(words, None)
        elif not word.startswith("-"):
            return options, word
        else:
            options.append(word)
    return options, None


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (the first word that is neither an option nor ``--root``'s value)."""
    return _top_words(argv)[1]


def groups_for(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command groups to import: only the one that has the command, when it is known.

    The groups import the library only when a command runs (``datasets`` and
    matplotlib cost about a CPU-second), but what their parsers need still costs
    something; ``rasd ls import-export`` needs none of the other groups.
    Help (``rasd -h build`` too: it prints the top-level help), a missing or an
    unknown command: every group.
    """
    options, command = _top_words(sys.argv[1:] if argv is None else argv)
    if any(word == "-h" or _abbreviates(word, "--help") for word in options):
        return GROUPS
    owner = next((group for group, words in COMMANDS.items() if command in words), None)
    return (owner,) if owner in GROUPS else GROUPS


def parser(argv: Sequence[str] | None = None, *, every: bool = True) -> argparse.ArgumentParser:
    """The ``rasd`` parser; with ``every=False``, only the group of ``argv``'s command (faster start)."""
    top = argparse.ArgumentParser(prog="rasd", description=__doc__.splitlines()[0] if __doc__ else None)
    top.add_argument(
        "--root", default=".", help="the Rasd repository to work on (default: the current directory)"
    )
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS if every else groups_for(argv):
        import_module(f"rasd.cli.{group}").register(subparsers)
    _accept_root_after_command(top)
    return top


def _accept_root_after_command(command: argparse.ArgumentParser) -> None:
    """Let ``--root DIR`` stand after the command too (``rasd validate --root DIR``).

    The sub-command's copy has no default of its own, so a ``--root`` given before
    the command is kept unless one is given after it.
    """
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                if "--root" not in sub._option_string_actions:
                    sub.add_argument("--root", default=argparse.SUPPRESS, help="same as rasd --root DIR")
                _accept_root_after_command(sub)


def recover_interrupted(repo: Repo) -> list[str]:
    """``rasd.versions.staging.recover_interrupted``, imported only when a command runs."""
    from rasd.versions.staging import recover_interrupted as recover

    return recover(repo)


def report_errors(error: RasdError) -> None:
    errors = error.errors if isinstance(error, RasdErrors) else [error]
    for e in errors:
        print(f"{e.kind}[{e.code}]: {e}", file=sys.stderr)
    if len(errors) > 1:
        print(f"{len(errors)} errors", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser(argv, every=False).parse_args(argv)
    repo = Repo(args.root)
    if not (repo.root / "dataset").is_dir():
        print(
            f"error: {repo.root} is not a Rasd repository (no dataset/ folder). Fix: pass --root DIR",
            file=sys.stderr,
        )
        return 2
    handler: Handler = args.handler
    try:
        for line in recover_interrupted(repo):  # a write killed half-way is finished or undone first
            print(f"note: {line}", file=sys.stderr)
        return handler(args, repo)
    except RasdError as error:
        report_errors(error)
        return 1


if __name__ == "__main__":
    sys.exit(main())
