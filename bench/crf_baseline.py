"""Experiment: a CRF trained on the gold, leave-one-document-out, against the rule-based suggester.

Issue #5 asks whether a statistical tagger beats the rules.  This trains a
linear-chain CRF (python-crfsuite) on the outermost gold spans of four
documents and tags the fifth, with the same held-out registry the rules get
(a registry-membership feature), and prints strict F1 per label beside the
rules' figures.  Tokens are the project's tokens; at test time a word is cut
after a conjunction و or before an article after ب/ل (وبالعراق -> و + ب + العراق)
so that a span can start after a proclitic, as the gold does.

Needs ``pip install python-crfsuite`` (not a project dependency: the CRF is
not shipped, see the report printed at the end).

    .venv/bin/python bench/crf_baseline.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from rasd.core.labels import LABELS
from rasd.core.paths import Repo
from rasd.core.spans import outermost
from rasd.gold.annotations import load_corpus
from rasd.gold.entities import load_registry
from rasd.preannotate.evaluate import Counts, evaluate_documents, held_out_registry, strict_counts
from rasd.preannotate.lexicon import build_lexicon
from rasd.text.arabic import fold
from rasd.text.tokens import bio_tags_to_offsets, offsets_to_bio_tags, tokenize

ROOT = Path(__file__).resolve().parents[1]


def clitic_cuts(text: str) -> list[int]:
    """Where a test-time token is cut: after و, and between ب/ل and a following ال."""
    cuts = []
    for start, end in tokenize(text):
        key = fold(text[start:end])
        offset = 0
        if key.startswith("و") and len(key) > 4:
            offset = 1
        if key[offset : offset + 3] in ("بال", "لال", "كال") or key[offset : offset + 2] == "لل":
            offset += 1
        if offset:
            cuts.append(start + offset)
    return cuts


def features(text: str, tokens: list[tuple[int, int]], names: set[str]) -> list[list[str]]:
    keys = [fold(text[s:e]) for s, e in tokens]
    rows = []
    for i, key in enumerate(keys):
        row = [f"w={key}", f"p3={key[:3]}", f"s3={key[-3:]}", f"s2={key[-2:]}", f"al={key.startswith('ال')}"]
        row += [f"digit={key[:1].isdigit()}", f"latin={key[:1].isascii() and key[:1].isalpha()}"]
        row += [f"known={key in names}"]
        for d in (-2, -1, 1, 2):
            j = i + d
            row.append(f"w{d}={keys[j] if 0 <= j < len(keys) else '<edge>'}")
        rows.append(row)
    return rows


def known_names(registry_entities: object) -> set[str]:
    lexicon = build_lexicon(registry_entities)  # type: ignore[arg-type]
    return {k for k in lexicon.exact}


def main() -> int:
    try:
        import pycrfsuite  # type: ignore[import-not-found]
    except ImportError:
        print("python-crfsuite is not installed: .venv/bin/pip install python-crfsuite")
        return 0
    repo = Repo(ROOT)
    documents = [d for d in load_corpus(repo) if d.spans]
    registry = load_registry(repo)
    totals = {label: Counts() for label in LABELS}
    overall = Counts()
    with tempfile.TemporaryDirectory() as tmp:
        for held in documents:
            names = known_names(held_out_registry(registry, documents, held.id).entities)
            trainer = pycrfsuite.Trainer(verbose=False)
            for doc in documents:
                if doc.id == held.id:
                    continue
                tokens = tokenize(doc.text, [edge for s in outermost(doc.spans) for edge in (s.start, s.end)])
                trainer.append(features(doc.text, tokens, names), offsets_to_bio_tags(tokens, doc.spans))
            trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": 200})
            model = str(Path(tmp) / f"{held.id}.crf")
            trainer.train(model)
            tagger = pycrfsuite.Tagger()
            tagger.open(model)
            tokens = tokenize(held.text, clitic_cuts(held.text))
            predicted = bio_tags_to_offsets(tokens, tagger.tag(features(held.text, tokens, names)))
            gold = [s.key for s in outermost(held.spans)]
            for label in LABELS:
                mine = [p for p in predicted if p[2] == label]
                totals[label].add(strict_counts([g for g in gold if g[2] == label], mine))
            overall.add(strict_counts(gold, predicted))
    rules = evaluate_documents(documents, registry)
    print("strict F1, leave-one-document-out (CRF scored on the outermost gold layer it can represent)")
    print("| label | CRF | rules |")
    print("|---|---|---|")
    for label in LABELS:
        print(f"| {label} | {totals[label].f1(0):.2f} | {rules.labels[label].strict.f1(0):.2f} |")
    print(f"| overall | {overall.f1(0):.2f} | {rules.overall.strict.f1(0):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
