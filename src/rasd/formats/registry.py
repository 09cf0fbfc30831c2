"""``annotation/entities.json``: the entity registry's one reader and writer.

The registry gives one canonical id per real-world entity, with its spellings::

    {"entities": [{"id": "telegram", "label": "PLATFORM", "name": "Telegram",
                   "wikidata": "Q15616276", "aliases": ["تيليغرام", "التليغرام"]}]}

A repository without the file has no canonical ids yet (an empty registry); a
file that exists but is malformed is an error listing every problem.  Each field
has one small check (``iter_*_problems``); the registry-wide checks (ids, aliases
and names used twice) run on the entities that passed them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.core.errors import RasdError, raise_all
from rasd.core.io import atomic_write_json, read_json
from rasd.core.labels import ENTITY_LABELS, LABELS, Label
from rasd.core.paths import Repo
from rasd.core.problems.registry import (
    ALIAS_SHARED,
    ENTITY_ALIAS_TWICE,
    ENTITY_BAD_ALIAS,
    ENTITY_BAD_ID,
    ENTITY_BAD_LABEL,
    ENTITY_BAD_NAME,
    ENTITY_BAD_WIKIDATA,
    ENTITY_ID_TWICE,
    ENTITY_MISSING_FIELD,
    ENTITY_NO_ALIASES,
    ENTITY_NOT_OBJECT,
    ENTITY_UNKNOWN_FIELD,
    PERSON_NAME_ARABIC,
    PERSON_NAME_TWICE,
    REGISTRY_NOT_OBJECT,
)
from rasd.validation.schema import iter_lone_surrogate_problems

REGISTRY_FILE = "entities.json"
ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
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
        return self.name if self.label == Label.PERSON else self.id


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


# --- one entry: one small check per field, all errors collected ----------------------------------


@dataclass(frozen=True)
class Place:
    """Where an entry is: the file, and how messages name the entry."""

    file: str
    where: str
    entity: object


FieldCheck = Callable[[dict[str, Any], Place], Iterator[RasdError]]


def _place(index: int, record: Any, file: str) -> Place:
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        return Place(file, f"entity {record['id']!r}", record["id"])
    return Place(file, f"entity #{index}", record.get("id") if isinstance(record, dict) else None)


def _is_trimmed_text(value: object) -> bool:
    """A non-empty string without white space at its edges."""
    return isinstance(value, str) and bool(value) and value.strip() == value


def iter_field_set_problems(record: dict[str, Any], place: Place) -> Iterator[RasdError]:
    """Every field present, no unknown field."""
    fields = ", ".join(FIELDS)
    for key in FIELDS:
        if key not in record:
            yield ENTITY_MISSING_FIELD(file=place.file, where=place.where, field=key, fields=fields)
    for key in sorted(set(record) - set(FIELDS)):
        yield ENTITY_UNKNOWN_FIELD(file=place.file, where=place.where, field=key, fields=fields)


def iter_id_problems(record: dict[str, Any], place: Place) -> Iterator[RasdError]:
    entity_id = record.get("id")
    if "id" in record and not (isinstance(entity_id, str) and ENTITY_ID.match(entity_id)):
        yield ENTITY_BAD_ID(file=place.file, where=place.where, entity=entity_id)


def iter_label_problems(record: dict[str, Any], place: Place) -> Iterator[RasdError]:
    label = record.get("label")
    if "label" in record and label not in ENTITY_LABELS:
        known = "a computed label, not an entity" if label in LABELS else "not in the label set"
        yield ENTITY_BAD_LABEL(
            file=place.file,
            where=place.where,
            entity=place.entity,
            label=label,
            known=known,
            labels=", ".join(ENTITY_LABELS),
        )


def iter_name_problems(record: dict[str, Any], place: Place) -> Iterator[RasdError]:
    name = record.get("name")
    if "name" in record and not _is_trimmed_text(name):
        yield ENTITY_BAD_NAME(file=place.file, where=place.where, entity=place.entity, name=name)
    elif record.get("label") == Label.PERSON and isinstance(name, str) and ARABIC_LETTER.search(name):
        yield PERSON_NAME_ARABIC(file=place.file, where=place.where, entity=place.entity, name=name)


def iter_wikidata_problems(record: dict[str, Any], place: Place) -> Iterator[RasdError]:
    wikidata = record.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and WIKIDATA_ID.match(wikidata)):
        yield ENTITY_BAD_WIKIDATA(file=place.file, where=place.where, entity=place.entity, wikidata=wikidata)


def iter_alias_problems(record: dict[str, Any], place: Place) -> Iterator[RasdError]:
    """A non-empty list of distinct, trimmed strings."""
    aliases = record.get("aliases")
    if "aliases" in record and not (isinstance(aliases, list) and aliases):
        yield ENTITY_NO_ALIASES(file=place.file, where=place.where, entity=place.entity)
        return
    seen: set[str] = set()
    for alias in aliases if isinstance(aliases, list) else ():
        if not _is_trimmed_text(alias):
            yield ENTITY_BAD_ALIAS(file=place.file, where=place.where, entity=place.entity, alias=alias)
        elif alias in seen:
            yield ENTITY_ALIAS_TWICE(file=place.file, where=place.where, entity=place.entity, alias=alias)
        else:
            seen.add(alias)


FIELD_CHECKS: tuple[FieldCheck, ...] = (
    iter_field_set_problems,
    iter_id_problems,
    iter_label_problems,
    iter_name_problems,
    iter_wikidata_problems,
    iter_alias_problems,
)


def _entity_from(record: dict[str, Any]) -> Entity:
    """The entity of a record that passed every field check."""
    return Entity(**{**{key: record[key] for key in FIELDS}, "aliases": tuple(record["aliases"])})


def _entity_to(entity: Entity) -> dict[str, Any]:
    """The record of an entity, fields in the file's order."""
    return {**dataclasses.asdict(entity), "aliases": list(entity.aliases)}


# --- the whole registry: checks across entries ---------------------------------------------------


def iter_duplicate_id_problems(entities: list[Entity], file: str) -> Iterator[RasdError]:
    seen: set[str] = set()
    for entity in entities:
        if entity.id in seen:
            yield ENTITY_ID_TWICE(file=file, entity=entity.id)
        seen.add(entity.id)


def iter_shared_alias_problems(entities: list[Entity], file: str) -> Iterator[RasdError]:
    """One surface form may name two entities only if their labels differ."""
    owner: dict[tuple[str, str], str] = {}
    for entity in entities:
        for alias in entity.aliases:
            first = owner.setdefault((entity.label, alias), entity.id)
            if first != entity.id:
                yield ALIAS_SHARED(file=file, entity=entity.id, alias=alias, label=entity.label, other=first)


def iter_duplicate_name_problems(entities: list[Entity], file: str) -> Iterator[RasdError]:
    """Two people with the same canonical name could not be told apart by span values."""
    owner: dict[tuple[str, str], str] = {}
    for entity in entities:
        first = owner.setdefault((entity.label, entity.value), entity.id)
        if first != entity.id and entity.label == Label.PERSON:
            yield PERSON_NAME_TWICE(file=file, entity=entity.id, name=entity.name, other=first)


REGISTRY_CHECKS = (iter_duplicate_id_problems, iter_shared_alias_problems, iter_duplicate_name_problems)


def _entries(data: Any, file: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list) or set(data) != {"entities"}:
        raise REGISTRY_NOT_OBJECT(file=file)
    return list(data["entities"])


def parse_registry(data: Any, file: str) -> Registry:
    """Check the parsed JSON of a registry file and build the ``Registry``; raise every problem."""
    errors: list[RasdError] = list(iter_lone_surrogate_problems(data, file=file, document=None))
    entities: list[Entity] = []
    for index, record in enumerate(_entries(data, file)):
        place = _place(index, record, file)
        if not isinstance(record, dict):
            errors.append(ENTITY_NOT_OBJECT(file=file, where=place.where, fields=", ".join(FIELDS)))
            continue
        problems = [error for check in FIELD_CHECKS for error in check(record, place)]
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
    return parse_registry(read_json(path, file=shown), shown)


def write_registry(repo: Repo, registry: Registry) -> bool:
    """Write the registry atomically (after checking it); True when the file changed."""
    data = {"entities": [_entity_to(e) for e in registry]}
    parse_registry(data, registry.file)
    return atomic_write_json(registry_path(repo), data)
