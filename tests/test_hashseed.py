"""Suggestions do not depend on Python's string hashing: the same in processes with different ``PYTHONHASHSEED``.

Sets and dicts of strings iterate in an order that changes with the hash seed.
Predictions are written to files that must be byte-identical from run to run,
so no suggestion may depend on that order.  Each process suggests spans for the
repository's raw articles and prints them; every seed must print the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_repo

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys
from pathlib import Path
from rasd.core.paths import Repo
from rasd.formats.registry import load_registry
from rasd.preannotate.lexicon import registry_lexicon
from rasd.preannotate.suggest import predict_text

repo = Repo(sys.argv[1])
lexicon = registry_lexicon(load_registry(repo))
found = []
for path in sorted(repo.raw_dir.glob("*.txt")):
    text = path.read_text(encoding="utf-8")
    spans = predict_text(path.stem, text, lexicon)
    found.append([path.stem, [[s.start, s.end, s.label, s.id, s.value, s.score] for s in spans]])
print(json.dumps(found, ensure_ascii=False))
"""


def _suggestions(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT)], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_suggestions_do_not_depend_on_the_hash_seed() -> None:
    first, *others = (_suggestions(seed) for seed in ("0", "1", "4242"))
    assert '"PERSON"' in first  # the articles do get suggestions
    assert '"ORG"' in first
    assert others == [first, first]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_build_writes_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Two full builds from scratch (no cache), in processes with different hash seeds."""
    built = []
    for seed in ("0", "1"):
        repo = copy_repo(tmp_path / seed)
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "rasd", "--root", str(repo.root), "build", "--no-cache", "--quiet"]
        subprocess.run([*command, "--workers", "1"], env=env, capture_output=True, check=True)
        built.append({name: _tree(repo.root / name) for name in ("dataset", "schema", "annotation")})
    first, second = built
    assert any(name.endswith(".parquet") for name in first["dataset"])
    assert first == second
