"""Story clusters of the corpus and the split of every document, decided per cluster.

``assign`` reads every document's text once (``rasd.dataset.neardup``:
MinHash/LSH at ``NEAR_DUPLICATE_THRESHOLD``, exact copies on top), reads the
split each document already has in the data on disk (``dataset/data/spans`` and
``dataset/data/unlabeled``: what the current release holds), and gives each
document its split with ``cluster_splits``: a released document keeps its
split, a new document joins its cluster's split, a new cluster gets
``split_for(cluster id)``.  A cluster already released in two splits is refused
(``RASD-E529``) naming its documents: nothing decides which copy is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rasd.core.errors import RasdError, raise_all
from rasd.core.paths import Repo
from rasd.core.problems.versions import CLUSTER_IN_TWO_SPLITS
from rasd.dataset.neardup import NEAR_DUPLICATE_THRESHOLD, Clusters, cluster_splits, story_clusters
from rasd.dataset.parquet import iter_column
from rasd.dataset.splits import split_for
from rasd.intake.ingest import iter_documents

SPLIT_CONFIGS = ("spans", "unlabeled")
"""The configs that hold every document once (``tokens`` repeats ``spans``)."""


@dataclass(frozen=True)
class Assignment:
    """Every document's story cluster and split."""

    clusters: Clusters
    splits: dict[str, str]

    def cluster_of(self, doc_id: str) -> str:
        return self.clusters.of[doc_id]

    def shared(self) -> dict[str, list[str]]:
        """Clusters with more than one member: cluster id -> members."""
        return {c: m for c, m in self.clusters.members().items() if len(m) > 1}


def released_splits(repo: Repo) -> dict[str, str]:
    """The split each document has in the data on disk (file names ``SPLIT-NNNNN-of-NNNNN.parquet``).

    A damaged file (``RASD-E528``) is skipped: the build rewrites it, its documents
    get their cluster's split again, and the release guard still refuses any change
    to the data of a released version.
    """
    found: dict[str, str] = {}
    for config in SPLIT_CONFIGS:
        for path in sorted((repo.data_dir / config).glob("*.parquet")):
            split = path.name.split("-", 1)[0]
            try:
                ids = [str(doc_id) for doc_id in iter_column(path, "id", file=repo.relative(path))]
            except RasdError:
                continue
            found.update(dict.fromkeys(ids, split))
    return found


def _texts(repo: Repo) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every readable article.

    Raw files that cannot be read are left out here: the build's record pass reads
    the corpus again and reports them with every other problem.
    """
    try:
        for document in iter_documents(repo):
            yield document.id, document.text
    except RasdError:
        return


def assign(repo: Repo) -> Assignment:
    """Cluster the corpus and split it per cluster; raise when a released cluster straddles splits."""
    return assign_clusters(repo, story_clusters(_texts(repo)))


def assign_clusters(repo: Repo, clusters: Clusters) -> Assignment:
    """Split already-found clusters (the build finds them in parallel); raise on a straddling cluster."""
    previous = {d: s for d, s in released_splits(repo).items() if d in clusters.of}
    splits, conflicts = cluster_splits(clusters, previous, split_for)
    raise_all(
        CLUSTER_IN_TWO_SPLITS(
            file=repo.relative(repo.data_dir),
            cluster=conflict.cluster,
            members=", ".join(f"{doc} in {split}" for doc, split in sorted(conflict.splits.items())),
            threshold=NEAR_DUPLICATE_THRESHOLD,
        )
        for conflict in conflicts
    )
    return Assignment(clusters, splits)
