"""What a two-annotator pull rewrites when it changes no gold (``rasd ls import-export``, no server).

The server test ``test_labelstudio_server.py`` compares only gold files and the
card after such a pull because ``dataset/MANIFEST.json`` changed too.  This pins
down why, without the server: the card's agreement section now reports the two
annotators, ``dataset/README.md`` is the card's copy, and the build manifest
records the README's sha256 and size.  Nothing else changes (no data file, no
Croissant, no schema), the manifest differs in the README entry alone, and a
second import of the same export writes nothing: a consequence of the new
annotator work, not a nondeterministic build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rasd.cli import main
from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus
from rasd.labelstudio.tasks import spans_to_results

pytest_plugins = ["ls_server"]

from ls_server import EMOJI_DOC, PLAIN_DOC, PLAIN_RAW, add_gold, tree_bytes  # noqa: E402


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def two_annotator_export(repo: Repo, path: Path) -> Path:
    """The gold document's task: one annotator drew its gold (values too), the other all but the last span."""
    (doc,) = [d for d in load_corpus(repo) if d.id == EMOJI_DOC]
    spans = sorted(doc.spans)
    annotations = [
        {"id": 10, "completed_by": {"id": 1, "email": "ana@example.com"}, "result": spans_to_results(spans)},
        {
            "id": 11,
            "completed_by": {"id": 2, "email": "zoe@example.com"},
            "result": spans_to_results(spans[:-1]),
        },
    ]
    task = {"id": 1, "data": {"id": EMOJI_DOC, "text": doc.text}, "annotations": annotations}
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return path


def test_a_pull_with_no_gold_change_rewrites_the_card_and_its_manifest_entry_only(
    repo: Repo, tmp_path: Path
) -> None:
    (repo.raw_dir / f"{PLAIN_DOC}.txt").write_text(PLAIN_RAW, encoding="utf-8")
    add_gold(repo)  # gold everywhere, and a build
    export = two_annotator_export(repo, tmp_path / "export.json")
    before = tree_bytes(repo)
    assert main(["--root", str(repo.root), "ls", "import-export", str(export)]) == 0
    after = tree_bytes(repo)
    kept = [
        f"dataset/annotations/by_annotator/{who}/{EMOJI_DOC}.json"
        for who in ("ana@example.com", "zoe@example.com")
    ]
    assert changed(before, after) == ["dataset/MANIFEST.json", "dataset/README.md", *kept, "dataset_card.md"]
    assert b"annotated by two or more of 2 annotators" in after["dataset_card.md"]
    assert after["dataset/README.md"] == after["dataset_card.md"]
    old, new = (json.loads(tree["dataset/MANIFEST.json"])["files"] for tree in (before, after))
    assert [name for name in old.keys() | new.keys() if old.get(name) != new.get(name)] == ["README.md"]
    readme = after["dataset/README.md"]
    assert new["README.md"] == {"sha256": hashlib.sha256(readme).hexdigest(), "bytes": len(readme)}

    assert main(["--root", str(repo.root), "ls", "import-export", str(export)]) == 0
    assert changed(after, tree_bytes(repo)) == []
