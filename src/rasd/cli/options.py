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
