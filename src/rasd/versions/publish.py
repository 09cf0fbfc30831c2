"""``rasd publish``: a released version to the Hugging Face Hub, tagged ``vX.Y.Z``.

What goes up is exactly the release as ``rasd checkout`` recreates it (each
file checked against the release record's sha256), never the working tree:

- the Hub dataset proper: ``README.md`` (card + YAML configs), ``data/``,
  ``croissant.json``, ``images/``;
- the release's own records: ``VERSION``, ``CHANGELOG.md``, ``MANIFEST.json``,
  ``releases/`` (records and span diffs up to this version);
- provenance: ``raw/`` (the articles byte for byte) and ``annotations/`` (the
  gold files).  They are small, under the same licence as the texts, and let
  anyone check the offset maps and rebuild the data; the README's YAML
  ``configs`` point ``load_dataset`` at the parquet files only, so they are
  never read as data.

The commit replaces the repository's contents (files of an older version that
are not in this one, such as a shard that no longer exists, are deleted), then
the commit is tagged ``vX.Y.Z`` so ``load_dataset(REPO_ID, revision="vX.Y.Z")``
reads this version forever.  ``--dry-run`` prints that plan without a token or
network.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rasd.core.digest import FileEntry, fingerprint_bytes
from rasd.core.errors import raise_all
from rasd.core.paths import Repo
from rasd.core.problems.requests import BAD_REPO_ID, NO_HF_TOKEN
from rasd.core.problems.versions import CHECKOUT_DIFFERS_FROM_PLAN, NOTHING_TO_PUBLISH, TAG_ON_HUB
from rasd.versions.checkout import checkout, release_history_files
from rasd.versions.manifest import (
    load_record,
    read_current_version,
    released_versions,
    verify,
)
from rasd.versions.versioning import Version

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
TOKEN_VARIABLE = "HF_TOKEN"


@dataclass(frozen=True)
class PublishPlan:
    repo_id: str
    version: Version
    private: bool
    files: tuple[tuple[str, FileEntry], ...]

    @property
    def tag(self) -> str:
        return self.version.tag

    @property
    def commit_message(self) -> str:
        return f"Release {self.version.tag}"

    def render(self) -> str:
        """The plan as people read it (what ``--dry-run`` prints)."""
        total = sum(entry.bytes for _, entry in self.files)
        visibility = "private" if self.private else "public"
        lines = [
            f"publish dataset {self.version.tag} to {self.repo_id} (dataset repository, {visibility})",
            f"  create the repository if it does not exist ({visibility})",
            f'  upload {len(self.files)} files ({total} bytes) in one commit "{self.commit_message}":',
        ]
        width = max(len(name) for name, _ in self.files)
        lines += [
            f"    {name:<{width}}  {entry.bytes:>9} B  sha256 {entry.sha256}" for name, entry in self.files
        ]
        lines += [
            "  delete remote files that are not in this list (except .gitattributes)",
            f"  tag that commit {self.tag}: load_dataset({self.repo_id!r}, revision={self.tag!r})",
        ]
        return "\n".join(lines)


def check_repo_id(repo_id: str) -> str:
    if not _REPO_ID.match(repo_id):
        raise BAD_REPO_ID(repo_id=repo_id)
    return repo_id


def plan_publish(
    repo: Repo, repo_id: str, version: Version | None = None, *, private: bool = False
) -> PublishPlan:
    """The files of a released version and where they go; refuse an unreleased or tampered version."""
    check_repo_id(repo_id)
    current = read_current_version(repo)
    chosen = version or current
    if chosen not in released_versions(repo):
        raise NOTHING_TO_PUBLISH(file="dataset/VERSION", version=str(chosen))
    if chosen == current:
        report = verify(repo)
        raise_all(report.errors, summary=f"files differ from release {chosen}; not publishing")
    record = load_record(repo, chosen)
    files = dict(record.all_files)
    files.update(
        {name: fingerprint_bytes(data) for name, data in release_history_files(repo, chosen).items()}
    )
    return PublishPlan(repo_id, chosen, private, tuple(sorted(files.items())))


def token_from_environment() -> str:
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise NO_HF_TOKEN(variable=TOKEN_VARIABLE)
    return token


def publish(repo: Repo, plan: PublishPlan, token: str, *, endpoint: str | None = None) -> str:
    """Upload the release and tag it; return the URL of the commit."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint, token=token)
    with tempfile.TemporaryDirectory(prefix="rasd-publish-") as tmp:
        folder = Path(tmp) / "release"
        written = set(checkout(repo, plan.version, folder))
        planned = {name for name, _ in plan.files}
        if written != planned:
            raise CHECKOUT_DIFFERS_FROM_PLAN(version=str(plan.version), names=sorted(written ^ planned))
        api.create_repo(plan.repo_id, repo_type="dataset", private=plan.private, exist_ok=True)
        tags = {ref.name for ref in api.list_repo_refs(plan.repo_id, repo_type="dataset").tags}
        if plan.tag in tags:
            raise TAG_ON_HUB(tag=plan.tag, repo_id=plan.repo_id)
        commit = api.upload_folder(
            repo_id=plan.repo_id,
            repo_type="dataset",
            folder_path=folder,
            commit_message=plan.commit_message,
            delete_patterns=["*", "**/*"],
        )
    api.create_tag(
        plan.repo_id, tag=plan.tag, tag_message=plan.commit_message, revision=commit.oid, repo_type="dataset"
    )
    return str(commit.commit_url)
