"""The entity registry: one canonical id per real-world entity, with its spellings.

``annotation/entities.json`` lists every organisation, platform, person and place
the gold data names, with the surface forms (aliases) it takes in the corpus.
It is what makes ``تيليغرام``, ``التليغرام`` and ``تلغرام`` one entity: their
spans all carry the registry id as their value (PERSON spans carry the
registry's canonical Latin-script ``name``).  The pre-annotator proposes spans
from the aliases and the consistency checks (``rasd check``) verify every value
against the registry, so the file is read through this module only.

Format::

    {"entities": [{"id": "telegram", "label": "PLATFORM", "name": "Telegram",
                   "wikidata": "Q15616276", "aliases": ["تيليغرام", "التليغرام"]}]}

A repository without the file has no canonical ids yet (an empty registry);
a file that exists but is malformed is an error listing every problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.core.errors import EntityRegistryError, RasdError, raise_all
from rasd.core.labels import LABELS
from rasd.core.paths import Repo

REGISTRY_FILE = "entities.json"
ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
ENTITY_LABELS: tuple[str, ...] = ("ORG", "PLATFORM", "PERSON", "LOC")
"""Labels whose spans name an entity; QUANTITY and DATE values are computed, not registered."""

FIELDS = ("id", "label", "name", "wikidata", "aliases")


@dataclass(frozen=True)
class Entity:
    """One real-world entity: canonical id, label, canonical name, QID, surface forms."""

    id: str
    label: str
    name: str
    wikidata: str | None
    aliases: tuple[str, ...]

    @property
    def value(self) -> str:
        """The normalised value a span of this entity carries (spec: PERSON → name, else id)."""
        return self.name if self.label == "PERSON" else self.id


@dataclass(frozen=True)
class Registry:
    """The loaded registry: lookups by id and by surface form."""

    entities: tuple[Entity, ...] = ()
    file: str = f"annotation/{REGISTRY_FILE}"
    _by_id: Mapping[str, Entity] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_alias: Mapping[str, tuple[Entity, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        aliases: dict[str, list[Entity]] = {}
        for entity in self.entities:
            for alias in entity.aliases:
                aliases.setdefault(alias, []).append(entity)
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entities})
        object.__setattr__(self, "_by_alias", {a: tuple(es) for a, es in aliases.items()})

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def by_alias(self, surface: str) -> list[Entity]:
        """Every entity that has ``surface`` exactly as one of its aliases (any label)."""
        return list(self._by_alias.get(surface, ()))

    def by_value(self, label: str, value: str) -> Entity | None:
        """The entity a span's normalised value points to (id, or name for PERSON)."""
        for entity in self.entities:
            if entity.label == label and entity.value == value:
                return entity
        return None

    def aliases(self) -> list[tuple[str, Entity]]:
        """Every (alias, entity) pair, longest alias first (what a matcher wants)."""
        pairs = [(alias, e) for e in self.entities for alias in e.aliases]
        return sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0], pair[1].id))


def registry_path(repo: Repo) -> Path:
    return repo.annotation_dir / REGISTRY_FILE


# --- parsing: one small check per field, all errors collected -----------------------------------


def _where(index: int, record: Any) -> str:
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        return f"entity {record['id']!r}"
    return f"entity #{index}"


def _field_errors(record: dict[str, Any], where: str, file: str) -> Iterator[RasdError]:
    """Type and format of each field of one entry."""
    for key in FIELDS:
        if key not in record:
            yield EntityRegistryError(
                f"{where}: missing field {key!r}",
                file=file,
                hint=f"every entity has {', '.join(FIELDS)} (wikidata may be null)",
                entity=record.get("id"),
                field=key,
            )
    for key in sorted(set(record) - set(FIELDS)):
        yield EntityRegistryError(
            f"{where}: unknown field {key!r}",
            file=file,
            hint=f"use only {', '.join(FIELDS)}",
            entity=record.get("id"),
            field=key,
        )
    entity_id = record.get("id")
    if "id" in record and not (isinstance(entity_id, str) and ENTITY_ID.match(entity_id)):
        yield EntityRegistryError(
            f"{where}: id {entity_id!r} is not a lowercase ASCII slug",
            file=file,
            hint="use lowercase letters, digits, '-' or '_' (e.g. 'islamic-state')",
            entity=entity_id,
        )
    label = record.get("label")
    if "label" in record and label not in ENTITY_LABELS:
        known = "a computed label, not an entity" if label in LABELS else "not in the label set"
        yield EntityRegistryError(
            f"{where}: unknown label {label!r} ({known})",
            file=file,
            hint=f"use one of {', '.join(ENTITY_LABELS)}",
            entity=entity_id,
            label=label,
        )
    name = record.get("name")
    if "name" in record and not (isinstance(name, str) and name.strip() == name and name):
        yield EntityRegistryError(
            f"{where}: name {name!r} must be a non-empty string without edge spaces",
            file=file,
            hint="write the canonical name",
            entity=entity_id,
        )
    elif label == "PERSON" and isinstance(name, str) and ARABIC_LETTER.search(name):
        yield EntityRegistryError(
            f"{where}: PERSON name {name!r} is in Arabic script",
            file=file,
            hint="a person's canonical name is Latin-script (e.g. 'Rita Katz'); Arabic forms go in aliases",
            entity=entity_id,
        )
    wikidata = record.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and WIKIDATA_ID.match(wikidata)):
        yield EntityRegistryError(
            f"{where}: wikidata {wikidata!r} is not a QID",
            file=file,
            hint="write it as 'Q' and digits, or null when not certain",
            entity=entity_id,
        )
    aliases = record.get("aliases")
    if "aliases" in record and not (isinstance(aliases, list) and aliases):
        yield EntityRegistryError(
            f"{where}: aliases must be a non-empty list",
            file=file,
            hint="list every surface form the entity takes in the corpus",
            entity=entity_id,
        )
    elif isinstance(aliases, list):
        seen: set[str] = set()
        for alias in aliases:
            if not (isinstance(alias, str) and alias and alias.strip() == alias):
                yield EntityRegistryError(
                    f"{where}: alias {alias!r} must be a non-empty string without edge spaces",
                    file=file,
                    hint="write the surface form exactly as in the text, without proclitics or quotes",
                    entity=entity_id,
                    alias=alias,
                )
            elif alias in seen:
                yield EntityRegistryError(
                    f"{where}: alias {alias!r} is listed twice",
                    file=file,
                    hint="delete the repeat",
                    entity=entity_id,
                    alias=alias,
                )
            else:
                seen.add(alias)


def _entity_from(record: dict[str, Any]) -> Entity:
    return Entity(
        id=record["id"],
        label=record["label"],
        name=record["name"],
        wikidata=record["wikidata"],
        aliases=tuple(record["aliases"]),
    )


def duplicate_id_errors(entities: list[Entity], file: str) -> Iterator[RasdError]:
    seen: set[str] = set()
    for entity in entities:
        if entity.id in seen:
            yield EntityRegistryError(
                f"entity {entity.id!r}: id is used by two entities",
                file=file,
                hint="merge the two entries or give one a different id",
                entity=entity.id,
            )
        seen.add(entity.id)


def shared_alias_errors(entities: list[Entity], file: str) -> Iterator[RasdError]:
    """One surface form may name two entities only if their labels differ."""
    owner: dict[tuple[str, str], str] = {}
    for entity in entities:
        for alias in entity.aliases:
            first = owner.setdefault((entity.label, alias), entity.id)
            if first != entity.id:
                yield EntityRegistryError(
                    f"entity {entity.id!r}: alias {alias!r} is also claimed by {entity.label} {first!r}",
                    file=file,
                    hint="a surface form names one entity per label: remove it from one of them",
                    entity=entity.id,
                    alias=alias,
                    other=first,
                )


def duplicate_value_errors(entities: list[Entity], file: str) -> Iterator[RasdError]:
    """Two people with the same canonical name could not be told apart by span values."""
    owner: dict[tuple[str, str], str] = {}
    for entity in entities:
        first = owner.setdefault((entity.label, entity.value), entity.id)
        if first != entity.id and entity.label == "PERSON":
            yield EntityRegistryError(
                f"entity {entity.id!r}: canonical name {entity.name!r} is also the name of {first!r}",
                file=file,
                hint="make the names distinct (add a middle name or a qualifier)",
                entity=entity.id,
                other=first,
            )


REGISTRY_CHECKS = (duplicate_id_errors, shared_alias_errors, duplicate_value_errors)


def parse_registry(data: Any, file: str) -> Registry:
    """Check the parsed JSON of a registry file and build the ``Registry``; raise every problem."""
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list) or set(data) != {"entities"}:
        raise EntityRegistryError(
            "the registry must be an object with a single key 'entities' holding a list",
            file=file,
            hint='write {"entities": [...]}',
        )
    errors: list[RasdError] = []
    entities: list[Entity] = []
    for index, record in enumerate(data["entities"]):
        where = _where(index, record)
        if not isinstance(record, dict):
            errors.append(
                EntityRegistryError(f"{where}: not an object", file=file, hint="see the format above")
            )
            continue
        problems = list(_field_errors(record, where, file))
        errors += problems
        if not problems:
            entities.append(_entity_from(record))
    for check in REGISTRY_CHECKS:
        errors += check(entities, file)
    raise_all(errors, summary="problems in the entity registry")
    return Registry(tuple(entities), file)


def load_registry(repo: Repo) -> Registry:
    """Read ``annotation/entities.json``; an absent file is an empty registry."""
    path = registry_path(repo)
    shown = repo.relative(path)
    if not path.exists():
        return Registry((), shown)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise EntityRegistryError("not UTF-8", file=shown, hint="re-save the file as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise EntityRegistryError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            file=shown,
            hint="fix the syntax (a missing comma or quote is the usual cause)",
            line=exc.lineno,
        ) from exc
    return parse_registry(data, shown)
