"""Documents read one at a time by id, never the corpus: for the commands that need only some of them.

``rasd ls agreement`` needs the documents its export names, and a
``--predictions-file`` the documents its lines name; each is read as the
import's workers read theirs (``rasd.labelstudio.taskwork.read_one``: the raw
file, cleaned, with its metadata and gold), so memory holds the ids and one
document, whatever the corpus size.  A named document that cannot be read
raises its problems, as reading the whole corpus did.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rasd.core.errors import raise_all
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.formats.metadata import Metadata
from rasd.gold.annotations import read_gold
from rasd.intake.ingest import RAW_SUFFIX, checked_metadata, raw_ids
from rasd.labelstudio.taskwork import CheckJob, read_one


class DocumentsById(Mapping[str, Document]):
    """The corpus as a mapping from id to document with its gold spans, each read when it is asked for.

    The ids are those of the raw files (listed once); the last document read is
    kept, so consecutive lookups of one document read it once.
    """

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.metadata: Metadata = checked_metadata(repo)
        self.ids: list[str] = raw_ids(repo)
        self._known = frozenset(self.ids)
        self._last: Document | None = None

    def __getitem__(self, doc_id: str) -> Document:
        if doc_id not in self._known:
            raise KeyError(doc_id)
        if self._last is not None and self._last.id == doc_id:
            return self._last
        job = CheckJob(doc_id, *self.metadata.source_for(doc_id, doc_id + RAW_SUFFIX))
        document, seen = read_one(self.repo, job)
        raise_all(seen.raw_problems, summary="problems in dataset/raw")  # as reading the corpus bundles them
        assert document is not None  # a document without raw problems was read
        if seen.gold_problems:
            read_gold(self.repo, document)  # raises them again, bundled as reading the corpus raised them
            raise_all(seen.gold_problems)  # the file changed in between: the problems read first
        self._last = document
        return document

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)
