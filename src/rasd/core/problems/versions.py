"""Catalogue entries: the build, releases, verify, checkout and publish (RASD-E5xx).

| codes | what |
|---|---|
| E501-E519 | release records, build manifests and diff files (``rasd.formats.records``) |
| E521-E529 | the build and the released data |
| E531-E539 | version numbers and bumps (``VersionError``) |
| E541-E549 | cutting a release |
| E551-E569 | ``rasd verify`` (``VerifyError``) |
| E571-E579 | checkout, git and publish |
"""

from __future__ import annotations

from rasd.core.errors import ReleaseError, VerifyError, VersionError, problem

RESTORE = "restore the file from git (releases are immutable)"

# --- record files: rasd.formats.records -------------------------------------------------------

RECORD_UNREADABLE = problem(
    "RASD-E501",
    ReleaseError,
    "cannot read {kind}: {reason}",
    fix=RESTORE,
    meaning="A release record or diff file is not valid UTF-8 JSON (or repeats a key, or holds NaN).",
)
RECORD_NOT_OBJECT = problem(
    "RASD-E502",
    ReleaseError,
    "a {kind} must be a JSON object",
    fix=RESTORE,
    meaning="The top level of a release record, build manifest or diff file is not a JSON object.",
)
RECORD_LACKS_KEY = problem(
    "RASD-E503",
    ReleaseError,
    "release record lacks {key!r}",
    fix=RESTORE,
    meaning="A release record, build manifest or diff file lacks a key every such file has.",
)
RECORD_WRONG_TYPE = problem(
    "RASD-E504",
    ReleaseError,
    "{key!r} must be {expected}, not {found}",
    fix=RESTORE,
    meaning="A value in a release record, build manifest or diff file has the wrong JSON type.",
)
RECORD_ENTRIES_NOT_OBJECT = problem(
    "RASD-E505",
    ReleaseError,
    "{key!r} must be an object of file entries",
    fix=RESTORE,
    meaning="The ``files`` or ``sources`` of a release record (or a manifest's ``files``) is not an object.",
)
RECORD_BAD_ENTRY = problem(
    "RASD-E506",
    ReleaseError,
    "entry {name!r} lacks sha256, bytes or git_blob",
    fix=RESTORE,
    meaning="A file entry lacks one of its fields, or ``bytes`` is not an integer (65.0 and true are not).",
)
RECORD_WRONG_VERSION = problem(
    "RASD-E507",
    ReleaseError,
    "the record says version {recorded}, its name says {version}",
    fix=RESTORE,
    meaning="A release record's ``version`` is not the version in its file name.",
)
NOT_RELEASED = problem(
    "RASD-E508",
    ReleaseError,
    "version {version} is not released: no record and no git tag {git_tag}",
    fix="list the releases with `rasd releases`, or fetch the tags (git fetch --tags)",
    meaning="A command names a version that has neither a release record nor a git tag.",
)

# --- the build and the released data ----------------------------------------------------------

BUILD_WOULD_CHANGE_RELEASE = problem(
    "RASD-E521",
    ReleaseError,
    "the build would change released data: it {difference}",
    fix="version {version} is released and immutable: run `rasd release --bump minor` "
    "(or the bump `rasd diff` says) to release the change as a new version, "
    "or set dataset/VERSION to the next, unreleased version to keep building work in progress",
    meaning="The build made data files that differ from the released version named in dataset/VERSION.",
)
NO_CARD_FRONT_MATTER = problem(
    "RASD-E522",
    ReleaseError,
    "the card has no YAML front matter",
    fix="start it with a --- block",
    meaning="``dataset_card.md`` does not start with its YAML block.",
)
NO_CARD_SECTION = problem(
    "RASD-E523",
    ReleaseError,
    "the card has no generated section {name!r}",
    fix="add the two lines {start} and {end} where the section belongs",
    meaning="The card lacks the markers of a section the build generates.",
)
NO_CROISSANT_TYPE = problem(
    "RASD-E524",
    ReleaseError,
    "no Croissant type for feature {where} ({feature})",
    fix="add its dtype to VALUE_TYPES",
    meaning="A released feature has a dtype the Croissant generator does not map.",
)
NO_LICENCE_URL = problem(
    "RASD-E525",
    ReleaseError,
    "no licence URL known for {licence!r}",
    fix="add it to croissant.LICENSE_URLS",
    meaning="The card's licence has no URL for the Croissant metadata.",
)
RAW_NOT_RELEASED = problem(
    "RASD-E526",
    ReleaseError,
    "document is in dataset/raw but not in the released data",
    fix="run `rasd build`",
    meaning="A raw article has no record in the released parquet files.",
)
RELEASED_WITHOUT_RAW = problem(
    "RASD-E527",
    ReleaseError,
    "released document has no raw file",
    fix="run `rasd build` (or restore its raw file)",
    meaning="The released parquet files hold a document whose raw article is gone.",
)

DATA_FILE_UNREADABLE = problem(
    "RASD-E528",
    ReleaseError,
    "cannot read the parquet file ({reason})",
    fix="restore it from git (git checkout -- FILE) or run `rasd build`",
    meaning="A released data file is truncated or is not parquet.",
)
CLUSTER_IN_TWO_SPLITS = problem(
    "RASD-E529",
    ReleaseError,
    "story cluster {cluster} is already released in more than one split ({members}): near-copies of one "
    "story in two splits leak it from training into evaluation",
    fix="these documents are near-duplicates (similarity >= {threshold}); remove the copy that should not "
    "be in the data (rasd remove / delete its raw file), or edit it until it is a different story",
    meaning="Documents of one story cluster already sit in two splits of the released data; "
    "the build assigns splits per cluster and refuses to move a released document.",
)

# --- version numbers and bumps --------------------------------------------------------------------

NOT_A_VERSION = problem(
    "RASD-E531",
    VersionError,
    "{shown!r} is not a version",
    fix="write MAJOR.MINOR.PATCH with no leading zeros, e.g. 0.2.0 or v0.2.0",
    meaning="A version number (dataset/VERSION, a record name, a tag, an argument) is not MAJOR.MINOR.PATCH.",
)
UNKNOWN_BUMP = problem(
    "RASD-E532",
    VersionError,
    "unknown bump {bump!r}",
    fix="use one of {choices}",
    meaning="A bump is not patch, minor or major.",
)
NO_BUMP_RULE = problem(
    "RASD-E533",
    VersionError,
    "no bump rule for change {change!r}",
    fix="add it to BUMP_RULES",
    meaning="The diff reports a kind of change that the bump rules do not list (a bug in Rasd).",
)
BUMP_TOO_SMALL = problem(
    "RASD-E534",
    VersionError,
    "a {requested} release is too small: {reasons}, which needs a {needed} release",
    fix="run `rasd release --bump {needed}` (rules: label set or schema change major; "
    "spans changed minor; metadata or card only patch)",
    meaning="``rasd release --bump`` asked for a smaller bump than the changes need.",
)

# --- cutting a release ---------------------------------------------------------------------------

ALREADY_RELEASED = problem(
    "RASD-E541",
    ReleaseError,
    "version {version} already has a release record",
    fix="released versions are immutable; restore dataset/releases from git",
    meaning="The next version already has a record (a damaged or hand-edited releases folder).",
)

NOTHING_TO_RELEASE = problem(
    "RASD-E542",
    ReleaseError,
    "nothing changed since release {previous}: no document, span, label, schema, card, "
    "annotator work or agreement change",
    fix="change the gold data, the annotators' work or the card first (`rasd diff` lists what changed); "
    "a new version must differ from the one before it",
    meaning="``rasd release`` right after a release: the new version would be a copy of the last one.",
)

PREVIOUS_NOT_KEPT = problem(
    "RASD-E543",
    ReleaseError,
    "release {previous} is neither committed nor tagged: building {version} would overwrite its files "
    "while nothing else keeps them",
    fix="commit release {previous} first (git add dataset dataset_card.md schema && git commit), "
    "then release again; `rasd release --tag` commits and tags a release in one step",
    meaning="A new release would make the previous, uncommitted one unrecoverable (issue #8).",
)

# --- verify ------------------------------------------------------------------------------------

NO_BUILD_MANIFEST = problem(
    "RASD-E551",
    VerifyError,
    "no build manifest",
    fix="run `rasd build`",
    meaning="``dataset/MANIFEST.json`` is missing.",
)
MANIFEST_OTHER_VERSION = problem(
    "RASD-E552",
    VerifyError,
    "the build manifest is for version {recorded}, dataset/VERSION says {version}",
    fix="run `rasd build`",
    meaning="The build manifest was written for another version than dataset/VERSION.",
)
NOT_IN_MANIFEST = problem(
    "RASD-E553",
    VerifyError,
    "data file is not in the build manifest",
    fix="run `rasd build` (a stale or stray shard)",
    meaning="A parquet file is on disk but the build did not make it.",
)
MISSING_FROM_MANIFEST = problem(
    "RASD-E554",
    VerifyError,
    "file listed in the build manifest is missing",
    fix="run `rasd build`, or restore it from git",
    meaning="A file the build made is gone.",
)
DIFFERS_FROM_MANIFEST = problem(
    "RASD-E555",
    VerifyError,
    "sha256 differs from the build manifest (the file was changed after the build)",
    fix="restore it from git (git checkout -- FILE) or run `rasd build`",
    meaning="A file was edited after the build made it.",
)
_RESTORE_RELEASED = (
    "restore the released bytes (`rasd checkout {tag} DIR` or `git checkout {git_tag} -- {path}`), "
    "or release the change with `rasd release`"
)
MISSING_FROM_RELEASE = problem(
    "RASD-E556",
    VerifyError,
    "is missing ({where} lists it)",
    fix=_RESTORE_RELEASED,
    meaning="A file of the released version is gone from dataset/.",
)
NOT_IN_RELEASE = problem(
    "RASD-E557",
    VerifyError,
    "is not part of release {version}",
    fix=_RESTORE_RELEASED,
    meaning="dataset/ holds a generated file the release record does not list.",
)
DIFFERS_FROM_RELEASE = problem(
    "RASD-E558",
    VerifyError,
    "differs from release {version} (sha256 {actual}…, recorded {recorded}…)",
    fix=_RESTORE_RELEASED,
    meaning="A file of the released version has other bytes than its release record says.",
)

# --- checkout, git, publish -------------------------------------------------------------------------

UNRECOVERABLE = problem(
    "RASD-E571",
    ReleaseError,
    "cannot recover the bytes of release {version}: neither the working tree, nor git "
    "(by blob id or at the tag) has them",
    fix="fetch the history and tags (git fetch --tags) or restore the release commit of {version}; "
    "commit the files of every release so they stay recoverable",
    meaning="No copy of a released file's bytes is left (working tree, git objects, tag).",
)
NOT_A_GIT_REPO = problem(
    "RASD-E572",
    ReleaseError,
    "cannot tag {tag}: {root} is not a git repository",
    fix="run the release without --tag, or from a git clone",
    meaning="``rasd release --tag`` outside a git repository.",
)
TAG_EXISTS = problem(
    "RASD-E573",
    ReleaseError,
    "git tag {tag} already exists",
    fix="released versions are immutable: bump to a new version",
    meaning="The git tag of the new version is already taken.",
)
GIT_FAILED = problem(
    "RASD-E574",
    ReleaseError,
    "git {command} failed: {reason}",
    fix="fix git, then retry",
    meaning="A git command of ``rasd release --tag`` failed.",
)
NOTHING_TO_PUBLISH = problem(
    "RASD-E575",
    ReleaseError,
    "version {version} is not released, so there is nothing immutable to publish",
    fix="run `rasd release --bump {{major|minor|patch}}` first, or pass --version of a released one",
    meaning="``rasd publish`` of a version without a release record.",
)
CHECKOUT_DIFFERS_FROM_PLAN = problem(
    "RASD-E576",
    ReleaseError,
    "the checkout of {version} differs from the plan: {names}",
    fix="run `rasd verify` and retry",
    meaning="The files recreated for upload are not the ones the publish plan listed.",
)
TAG_ON_HUB = problem(
    "RASD-E577",
    ReleaseError,
    "tag {tag} is already on the Hub in {repo_id}",
    fix="a published version is immutable: release a new version and publish that",
    meaning="The Hub repository already has this version's tag.",
)
