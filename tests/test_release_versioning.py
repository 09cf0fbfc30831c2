"""Semantic versions, the written bump rules, and malformed version inputs and release records."""

from __future__ import annotations

import json

import pytest

from rasd.cli import main
from rasd.core.errors import ReleaseError, VersionError
from rasd.core.paths import Repo
from rasd.versions.manifest import load_record, released_versions
from rasd.versions.versioning import Version, bumped, check_bump, parse_version, required_bump


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.1.0", (0, 1, 0)), ("v1.2.3", (1, 2, 3)), ("dataset-v10.0.2", (10, 0, 2)), (" 2.0.0\n", (2, 0, 0))],
)
def test_parse_version(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_version(text) == Version(*expected)


@pytest.mark.parametrize("text", ["1.2", "01.2.3", "1.2.3-rc1", "", "v", "1.2.3.4", "one.two.three"])
def test_a_malformed_version_names_its_file(text: str) -> None:
    with pytest.raises(VersionError) as caught:
        parse_version(text, file="dataset/VERSION")
    assert str(caught.value) == (
        f"dataset/VERSION: {text.strip()!r} is not a version. "
        "Fix: write MAJOR.MINOR.PATCH with no leading zeros, e.g. 0.2.0 or v0.2.0"
    )
    assert caught.value.values["version"] == text


def test_versions_order_numerically() -> None:
    assert max(parse_version(v) for v in ["0.9.0", "0.10.0", "0.2.5"]) == Version(0, 10, 0)
    assert str(Version(1, 2, 3)) == "1.2.3"
    assert (Version(1, 2, 3).tag, Version(1, 2, 3).git_tag) == ("v1.2.3", "dataset-v1.2.3")


@pytest.mark.parametrize(("bump", "expected"), [("patch", "1.2.4"), ("minor", "1.3.0"), ("major", "2.0.0")])
def test_bumped(bump: str, expected: str) -> None:
    assert str(bumped(Version(1, 2, 3), bump)) == expected


@pytest.mark.parametrize(
    ("changes", "needed"),
    [
        (set(), "patch"),
        ({"card"}, "patch"),
        ({"metadata-changed"}, "patch"),
        ({"metadata-changed", "span-value-changed"}, "minor"),
        ({"span-boundary-moved"}, "minor"),
        ({"document-added", "text-changed"}, "minor"),
        ({"span-added", "label-set"}, "major"),
        ({"schema"}, "major"),
    ],
)
def test_required_bump(changes: set[str], needed: str) -> None:
    assert required_bump(changes) == needed


def test_a_too_small_bump_names_what_needs_more() -> None:
    with pytest.raises(VersionError) as caught:
        check_bump("minor", {"label-set", "span-added", "metadata-changed"})
    assert str(caught.value).startswith(
        "a minor release is too small: the label set changed (names or their order, i.e. the ClassLabel "
        "integers), which needs a major release. Fix: run `rasd release --bump major`"
    )
    check_bump("major", {"span-added"})  # a bigger bump than needed is allowed


def test_an_unknown_bump_is_refused() -> None:
    with pytest.raises(VersionError) as caught:
        check_bump("huge", set())
    assert str(caught.value) == "unknown bump 'huge'. Fix: use one of patch, minor, major"


def test_verify_reports_a_malformed_version_file(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    (repo.dataset_dir / "VERSION").write_text("0.2\n", encoding="utf-8")
    assert main(["--root", str(repo.root), "verify"]) == 1
    assert capsys.readouterr().err == (
        "error[RASD-E531]: dataset/VERSION: '0.2' is not a version. "
        "Fix: write MAJOR.MINOR.PATCH with no leading zeros, e.g. 0.2.0 or v0.2.0\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "{not json",
            "cannot read release record: invalid JSON at line 1, column 2: "
            "Expecting property name enclosed in double quotes",
        ),
        ("[]", "a release record must be a JSON object"),
        (json.dumps({"version": "0.1.0"}), "release record lacks 'bump'"),
        (
            json.dumps(
                {
                    "version": "0.1.0",
                    "bump": "minor",
                    "labels": [],
                    "features_sha256": "x",
                    "files": {"a": {"sha256": "y"}},
                    "sources": {},
                }
            ),
            "entry 'a' lacks sha256, bytes or git_blob",
        ),
        (
            json.dumps(
                {
                    "version": "0.2.0",
                    "bump": "minor",
                    "labels": [],
                    "features_sha256": "x",
                    "files": {},
                    "sources": {},
                }
            ),
            "the record says version 0.2.0, its name says 0.1.0",
        ),
    ],
)
def test_a_damaged_release_record_names_its_file(repo: Repo, content: str, problem: str) -> None:
    path = repo.dataset_dir / "releases" / "v0.1.0.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(content, encoding="utf-8")
    assert released_versions(repo) == [Version(0, 1, 0)]
    with pytest.raises(ReleaseError) as caught:
        load_record(repo, Version(0, 1, 0))
    assert str(caught.value).startswith(f"dataset/releases/v0.1.0.json: {problem}")
    assert "Fix: restore" in str(caught.value)


def test_a_record_with_a_bad_name_is_reported(repo: Repo) -> None:
    path = repo.dataset_dir / "releases" / "v0.1.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(VersionError) as caught:
        released_versions(repo)
    assert str(caught.value).startswith("dataset/releases/v0.1.json: 'v0.1' is not a version.")


def test_an_unreleased_version_cannot_be_loaded(repo: Repo) -> None:
    with pytest.raises(ReleaseError) as caught:
        load_record(repo, Version(9, 9, 9))
    assert str(caught.value) == (
        "dataset/releases/v9.9.9.json: version 9.9.9 is not released: no record and no git tag dataset-v9.9.9. "
        "Fix: list the releases with `rasd releases`, or fetch the tags (git fetch --tags)"
    )
