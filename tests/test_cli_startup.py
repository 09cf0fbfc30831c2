"""Every ``rasd`` command starts light: the parser imports no heavy library, each command its own group.

Building the parser (every group, as ``rasd --help`` does) must not import
``datasets``, matplotlib, Dask or pyarrow: the commands import the library when
they run.  Checked in a fresh interpreter, where ``sys.modules`` shows what an
import pulled in.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

import rasd
from rasd import cli
from rasd.cli import dataset as dataset_group
from rasd.dataset import buildpass

HEAVY = ("datasets", "matplotlib", "dask", "pyarrow", "pandas", "rasd.pipeline", "rasd.dataset.build")
SRC = Path(rasd.__file__).resolve().parents[1]


def imported_by(code: str, names: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``names`` in ``sys.modules`` after ``code`` ran in a fresh interpreter of this source."""
    probe = f"import sys\n{code}\nprint(','.join(m for m in {names!r} if m in sys.modules))\n"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    return [name for name in done.stdout.strip().split(",") if name]


def test_building_the_whole_parser_imports_no_heavy_library() -> None:
    assert imported_by("import rasd.__main__\nfrom rasd import cli\ncli.parser()") == []


@pytest.mark.parametrize("group", cli.GROUPS)
def test_no_command_group_imports_a_heavy_library(group: str) -> None:
    assert imported_by(f"import rasd.cli.{group}") == []


def test_the_label_studio_group_imports_its_library_when_a_command_runs() -> None:
    # jsonschema (through the gold reader), ijson and the merge: ~0.2 CPU-s that `rasd ls --help` does without
    library = (
        "jsonschema",
        "ijson",
        "rasd.labelstudio.merge",
        "rasd.gold.agreement",
        "rasd.preannotate.stored",
    )
    assert imported_by("import rasd.cli.ls", library) == []


def test_every_group_maps_its_commands_so_a_command_imports_its_group_alone() -> None:
    assert set(cli.COMMANDS) == set(cli.GROUPS)
    assert cli.groups_for(["--root", "repo", "preannotate", "--workers", "1"]) == ("preannotate",)
    assert cli.groups_for(["validate", "--help"]) == ("dataset",)
    assert cli.groups_for(["release", "--bump", "minor"]) == ("release",)


@pytest.mark.parametrize(
    "argv",
    [["-h", "build"], ["--help", "ls", "pull"], ["--he", "preannotate"], ["--root", "r", "-h", "check"]],
)
def test_top_level_help_before_a_command_lists_every_group(argv: list[str]) -> None:
    # argparse prints the top-level help for these, which lists every command
    assert cli.groups_for(argv) == cli.GROUPS


def test_an_abbreviated_root_still_skips_its_value() -> None:
    # argparse reads --ro as --root, so "ls" is the folder and "build" the command
    assert cli.command_of(["--ro", "ls", "build"]) == "build"
    assert cli.groups_for(["--ro", "ls", "build"]) == ("dataset",)


def test_the_batch_default_shown_by_the_parser_is_the_builds() -> None:
    top = argparse.ArgumentParser()
    dataset_group.register(top.add_subparsers(dest="command"))
    assert top.parse_args(["build"]).batch == buildpass.BATCH
