"""Nothing bad is silently accepted (issue #8): each folder of ``tests/bad_inputs/`` plants one bad input.

A case is a folder with ``expected.json`` (``description``, the error ``code`` the
command must report, and how to plant the input: ``edit`` / ``copy`` / ``symlink``
/ ``mkdir`` / ``env``) and optional ``files/`` copied over a scratch repository.
Every command of the case (``validate`` and ``build`` by default) must exit 1,
print the code and no traceback, and leave every file as it was. A case that
still fails that (a known gap) says why in ``xfail`` and runs as a strict xfail.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from rasd.cli import main
from rasd.core.paths import Repo

CASES = Path(__file__).parent / "bad_inputs"
DEFAULT_COMMANDS = [["validate"], ["build", "--quiet"]]


def load_case(folder: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return case


def plant(case: dict[str, Any], folder: Path, root: Path) -> None:
    """Apply the case to the scratch repository at ``root``."""
    if (folder / "files").is_dir():
        shutil.copytree(folder / "files", root, dirs_exist_ok=True)
    for edit in case.get("edit", []):
        path = root / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["replace"] in text, f"case error: {edit['replace']!r} is not in {edit['file']}"
        path.write_text(text.replace(edit["replace"], edit["with"], 1), encoding="utf-8")
    for copy in case.get("copy", []):
        shutil.copyfile(root / copy["from"], root / copy["to"])
    for link in case.get("symlink", []):
        (root / link["link"]).symlink_to(link["target"])
    for name in case.get("mkdir", []):
        (root / name).mkdir()


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``: file bytes, link targets, folders."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = "link -> " + os.readlink(path)
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = path.read_bytes()
    return found


def case_params() -> list[Any]:
    """One param per case folder; a case whose ``expected.json`` has ``xfail`` (why) is a strict xfail."""
    params = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        why = load_case(folder).get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
        params.append(pytest.param(folder, id=folder.name, marks=marks))
    return params


@pytest.mark.parametrize("folder", case_params())
def test_a_bad_input_is_a_named_error_and_changes_nothing(
    folder: Path,
    repo: Repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = load_case(folder)
    assert case["description"]
    plant(case, folder, repo.root)
    for key, value in case.get("env", {}).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo.root)
    before = snapshot(repo.root)
    for command in case.get("commands", DEFAULT_COMMANDS):
        status = main(["--root", str(repo.root), *command])
        err = capsys.readouterr().err
        assert status == 1, (command, err)
        assert f"error[{case['code']}]" in err, (command, err)
        assert "Traceback" not in err
        assert snapshot(repo.root) == before, f"{command} changed files"


def test_every_case_names_a_code_of_the_catalogue() -> None:
    from rasd.core.errors import CATALOGUE, RasdError
    from rasd.core.problems import index  # noqa: F401  # registers every entry

    classes, todo = set(), [RasdError]
    while todo:
        cls = todo.pop()
        classes.add(cls.category_code)
        todo += cls.__subclasses__()
    codes = {load_case(p)["code"] for p in CASES.iterdir() if p.is_dir()}
    assert codes <= set(CATALOGUE) | classes, codes - set(CATALOGUE) - classes
    assert len(codes - classes) >= len(codes) - 1  # an entry each, but the JSON Lines case (another area)
