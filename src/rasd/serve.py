"""``rasd ls serve``: the pre-annotator as a Label Studio ML backend that learns from annotators.

``rasd.labelstudio.backend`` speaks the protocol and ``rasd.preannotate``
suggests spans; they are siblings and never import each other, so this module
(beside ``pipeline.py``, the other place where layers are composed) puts them
together as a ``Model``:

* ``predict`` runs ``predict_text`` with the registry's lexicon plus every name
  in ``annotation/learned.jsonl``;
* ``learn`` records the names of a submitted annotation in that file (one line
  per text, label, annotator and task; an updated annotation replaces its task's
  lines for that annotator, a deleted one removes them), then the next
  prediction suggests them everywhere in the corpus;
* the model version is the rules' version plus a digest of the learned names,
  so Label Studio asks again for tasks it predicted before a name was learned.

The file is re-read when it changes on disk, so a reviewer who deletes a line
while the server runs is heard at the next request.  Nothing here writes gold.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.formats.learned import LearnedName, learned_path, read_learned, write_learned
from rasd.formats.registry import load_registry
from rasd.labelstudio.backend import Confirmed, make_server
from rasd.preannotate.learned import learnable, learned_version, with_learned
from rasd.preannotate.lexicon import Lexicon, registry_lexicon
from rasd.preannotate.suggest import predict_text

Clock = Callable[[], str]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def names_of(
    confirmed: Confirmed, earlier: dict[tuple[str, str, str, str], LearnedName], now: str
) -> list[LearnedName]:
    """The learned lines of one annotation (names only); a name already recorded keeps its first time."""
    lines: dict[tuple[str, str, str, str], LearnedName] = {}
    for text, label in confirmed.names:
        if not learnable(label):
            continue
        line = LearnedName(text, label, confirmed.annotator, confirmed.task, now, confirmed.annotation)
        lines.setdefault(line.key, earlier.get(line.key, line))
    return list(lines.values())


def merge_learned(
    names: Sequence[LearnedName], confirmed: Sequence[Confirmed], now: str
) -> list[LearnedName]:
    """``names`` with each annotation's (task, annotator) lines replaced by what it confirms now."""
    replaced = {(c.task, c.annotator) for c in confirmed}
    earlier = {n.key: n for n in names}
    kept = [n for n in names if (n.task, n.annotator) not in replaced]
    for item in confirmed:
        kept += names_of(item, earlier, now)
    return kept


class LearningModel:
    """The pre-annotator plus the learned names of ``annotation/learned.jsonl``; safe across threads."""

    def __init__(self, repo: Repo, *, clock: Clock = utc_now) -> None:
        self.path = learned_path(repo)
        self.shown = repo.relative(self.path)
        self.base: Lexicon = registry_lexicon(load_registry(repo))
        self.clock = clock
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._names: tuple[LearnedName, ...] = ()
        self._lexicon = self.base
        self._version = learned_version(())
        with self._lock:
            self._refresh()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _refresh(self) -> None:
        """Re-read the file when it changed on disk (a reviewer's edit); the caller holds the lock."""
        stamp = self._file_stamp()
        if stamp != self._stamp:
            self._use(read_learned(self.path, file=self.shown))
            self._stamp = stamp

    def _use(self, names: Sequence[LearnedName]) -> None:
        self._names = tuple(names)
        self._lexicon = with_learned(self.base, self._names)
        self._version = learned_version(self._names)

    def _save(self, names: Sequence[LearnedName]) -> None:
        write_learned(self.path, names, file=self.shown)
        self._use(names)
        self._stamp = self._file_stamp()

    @property
    def names(self) -> tuple[LearnedName, ...]:
        with self._lock:
            self._refresh()
            return self._names

    def version(self) -> str:
        with self._lock:
            self._refresh()
            return self._version

    def predict(self, document: str, text: str) -> Sequence[Span]:
        with self._lock:
            self._refresh()
            lexicon = self._lexicon
        return predict_text(document, text, lexicon)

    def learn(self, confirmed: Sequence[Confirmed]) -> int:
        """Record the names of ``confirmed``; the number of lines they have in the file now."""
        with self._lock:
            self._refresh()
            names = merge_learned(self._names, confirmed, self.clock())
            if names != list(self._names):
                self._save(names)
            tasks = {(c.task, c.annotator) for c in confirmed}
            return sum((n.task, n.annotator) in tasks for n in names)

    def forget(self, annotations: Sequence[int]) -> int:
        """Remove the lines of deleted annotations; the number removed."""
        gone = set(annotations)
        with self._lock:
            self._refresh()
            kept = [n for n in self._names if n.annotation not in gone]
            removed = len(self._names) - len(kept)
            if removed:
                self._save(kept)
            return removed


def backend_server(
    repo: Repo, host: str, port: int, *, log: Callable[[str], None] | None = None
) -> tuple[ThreadingHTTPServer, LearningModel]:
    """The ML backend for ``repo`` bound to ``host:port`` (not yet serving) and its model."""
    model = LearningModel(repo)
    return make_server(model, host, port, log=log), model
