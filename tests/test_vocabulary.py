"""Adding a label is one row: a copy of the package with a seventh label generates it everywhere.

The test copies ``src/rasd`` to a temporary folder, adds one member to ``Label``
(the only edit ARCHITECTURE.md asks for), and in a fresh interpreter renders every
label-dependent artefact: both JSON Schemas, the HF ``ClassLabel``s and BIO tags,
the Label Studio config, the preview's colours and legend, and the card's label table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rasd"
NEW_MEMBER = '    EVENT = ("EVENT", "Named events: conferences, campaigns, attacks.", "#17becf", "v")\n'

PROBE = r"""
import json
from rasd.core.labels import LABELS, BIO_TAGS, Label
from rasd.validation import schema
from rasd.dataset import features, preview
from rasd.labelstudio import config

def enum_of(document):
    found = []
    def walk(node):
        if isinstance(node, dict):
            if "enum" in node and "ORG" in node["enum"]:
                found.append(node["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(document)
    return found

print(json.dumps({
    "labels": list(LABELS),
    "bio": list(BIO_TAGS),
    "document_schema": enum_of(schema.document_schema()),
    "annotation_schema": enum_of(schema.annotation_schema()),
    "span_classlabel": features.SPAN_LABEL.names,
    "ner_classlabel": features.NER_TAG.names,
    "label_studio": config.label_config(),
    "preview_css": preview.stylesheet(),
    "colour": Label.EVENT.colour if "EVENT" in Label.__members__ else None,
}))
"""


def render(package_root: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True, cwd=package_root
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_one_new_member_reaches_every_generated_artefact(tmp_path: Path) -> None:
    copy = tmp_path / "src" / "rasd"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    labels = copy / "core" / "labels.py"
    source = labels.read_text(encoding="utf-8")
    anchor = '    LOC = ("LOC",'
    assert anchor in source
    head, _, tail = source.partition(anchor)
    line_end = tail.index("\n") + 1
    labels.write_text(head + anchor + tail[:line_end] + NEW_MEMBER + tail[line_end:], encoding="utf-8")

    before = render(SRC.parent)
    after = render(copy.parent)

    assert before["labels"] == ["ORG", "PLATFORM", "PERSON", "QUANTITY", "DATE", "LOC"]
    assert after["labels"] == [
        *before["labels"],
        "EVENT",
    ]  # appended: existing ClassLabel ids keep their meaning
    assert after["bio"] == [*before["bio"], "B-EVENT", "I-EVENT"]
    assert after["span_classlabel"] == after["labels"]
    assert after["ner_classlabel"] == after["bio"]
    for name in ("document_schema", "annotation_schema"):
        assert before[name], f"{name} lists no labels"
        assert all(enum == after["labels"] for enum in after[name])
    assert 'value="EVENT"' in str(after["label_studio"])
    assert 'value="EVENT"' not in str(before["label_studio"])
    assert "#17becf" in str(after["label_studio"]).lower()
    assert ".l-EVENT" in str(after["preview_css"])
    assert ".l-EVENT" not in str(before["preview_css"])
    assert after["colour"] == "#17becf"
