"""Options several commands share."""

from __future__ import annotations

import argparse

from rasd.core.engine import KINDS

ENGINE_HELP = """\
engine (default: local processes, every core; RASD_ENGINE, RASD_WORKERS and
RASD_SCHEDULER_ADDRESS set the same):
  --workers 1                                 in this process
  --engine cluster --address local            a Dask LocalCluster on this machine
  --engine cluster --address tcp://HOST:8786  a running Dask scheduler
"""


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine``, ``--workers`` and ``--address``: where the per-document work runs."""
    group = parser.add_argument_group("parallel engine (Dask)")
    group.add_argument("--engine", choices=KINDS, default=None, help="local (default), sync or cluster")
    group.add_argument(
        "--workers", type=int, default=None, metavar="N", help="worker processes (default: every core)"
    )
    group.add_argument(
        "--address", default=None, help="a Dask scheduler address, or 'local' for a LocalCluster"
    )


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a usage error otherwise, never a traceback)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def add_engine_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    *,
    tail: str | None = None,
    epilog: str = "",
) -> argparse.ArgumentParser:
    """A command whose per-document work runs on the engine: its parser, with the engine's options and help.

    ``summary`` is the one-line help; with ``tail``, it also opens the description
    (capitalised, ``tail`` appended).  ``epilog`` comes before the engine's help.
    """
    parser = subparsers.add_parser(
        name,
        help=summary,
        description=None if tail is None else summary[0].upper() + summary[1:] + tail,
        epilog=(epilog + "\n" if epilog else "") + ENGINE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_engine_options(parser)
    return parser
