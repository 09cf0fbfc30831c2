"""``rasd ls import-export`` starts light: only its command group, no build, no ``datasets``.

The CLI imports the group of the command it runs (``rasd.cli.COMMANDS``); the
map must name exactly the commands each group registers, or a command would
vanish from the parser built for it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from importlib import import_module

import pytest

from rasd import cli


def registered(group: str) -> set[str]:
    top = argparse.ArgumentParser()
    subparsers = top.add_subparsers(dest="command")
    import_module(f"rasd.cli.{group}").register(subparsers)
    return set(subparsers.choices)


@pytest.mark.parametrize("group", sorted(cli.COMMANDS))
def test_the_command_map_names_what_each_group_registers(group: str) -> None:
    assert group in cli.GROUPS
    assert set(cli.COMMANDS[group]) == registered(group)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["ls", "import-export", "x.json"], "ls"),
        (["--root", "ls", "ls", "pull"], "ls"),  # a repository named ls
        (["--root=somewhere", "check"], "check"),
        (["-h"], None),
        ([], None),
    ],
)
def test_the_command_word_skips_options_and_the_root(argv: list[str], command: str | None) -> None:
    assert cli.command_of(argv) == command


def test_unknown_or_missing_commands_load_every_group() -> None:
    assert cli.groups_for(["nonsense"]) == cli.GROUPS
    assert cli.groups_for(["--help"]) == cli.GROUPS
    assert cli.groups_for(["ls", "import-export"]) == ("ls",)


def test_the_import_command_does_not_import_the_build() -> None:
    probe = (
        "import sys\n"
        "from rasd import cli\n"
        "cli.parser(['ls', 'import-export', 'x.json'], every=False)\n"
        "heavy = sorted(m for m in ('datasets', 'matplotlib', 'pandas', 'rasd.pipeline') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
