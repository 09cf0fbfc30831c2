"""Catalogue entries: the entity registry and the consistency warnings (RASD-E4xx, RASD-W4xx)."""

from __future__ import annotations

from rasd.core.errors import ConsistencyWarning, EntityRegistryError, problem

# --- annotation/entities.json (E401-E429) --------------------------------------------------------

REGISTRY_NOT_OBJECT = problem(
    "RASD-E401",
    EntityRegistryError,
    "the registry must be an object with a single key 'entities' holding a list",
    fix='write {{"entities": [...]}}',
    meaning='The top level of the registry is not {"entities": [...]}.',
)
ENTITY_NOT_OBJECT = problem(
    "RASD-E402",
    EntityRegistryError,
    "{where}: not an object",
    fix="write the entity as an object with {fields}",
    meaning="An item of the entities list is not a JSON object.",
)
ENTITY_MISSING_FIELD = problem(
    "RASD-E403",
    EntityRegistryError,
    "{where}: missing field {field!r}",
    fix="every entity has {fields} (wikidata may be null)",
    meaning="An entity lacks one of its fields.",
)
ENTITY_UNKNOWN_FIELD = problem(
    "RASD-E404",
    EntityRegistryError,
    "{where}: unknown field {field!r}",
    fix="use only {fields}",
    meaning="An entity has a field Rasd does not know (a typo would otherwise be ignored).",
)
ENTITY_BAD_ID = problem(
    "RASD-E405",
    EntityRegistryError,
    "{where}: id {entity!r} is not a lowercase ASCII slug",
    fix="use lowercase letters, digits, '-' or '_' (e.g. 'islamic-state')",
    meaning="An entity id is not a lowercase ASCII slug.",
)
ENTITY_BAD_LABEL = problem(
    "RASD-E406",
    EntityRegistryError,
    "{where}: unknown label {label!r} ({known})",
    fix="use one of {labels}",
    meaning="An entity's label is not one of the entity labels (QUANTITY and DATE are computed).",
)
ENTITY_BAD_NAME = problem(
    "RASD-E407",
    EntityRegistryError,
    "{where}: name {name!r} must be a non-empty string without edge spaces",
    fix="write the canonical name",
    meaning="An entity's canonical name is empty, not a string or has spaces at its edges.",
)
PERSON_NAME_ARABIC = problem(
    "RASD-E408",
    EntityRegistryError,
    "{where}: PERSON name {name!r} is in Arabic script",
    fix="a person's canonical name is Latin-script (e.g. 'Rita Katz'); Arabic forms go in aliases",
    meaning="A person's canonical name (the value of PERSON spans) is Latin-script.",
)
ENTITY_BAD_WIKIDATA = problem(
    "RASD-E409",
    EntityRegistryError,
    "{where}: wikidata {wikidata!r} is not a QID",
    fix="write it as 'Q' and digits, or null when not certain",
    meaning="An entity's wikidata field is not a QID.",
)
ENTITY_NO_ALIASES = problem(
    "RASD-E411",
    EntityRegistryError,
    "{where}: aliases must be a non-empty list",
    fix="list every surface form the entity takes in the corpus",
    meaning="An entity has no surface forms.",
)
ENTITY_BAD_ALIAS = problem(
    "RASD-E412",
    EntityRegistryError,
    "{where}: alias {alias!r} must be a non-empty string without edge spaces",
    fix="write the surface form exactly as in the text, without proclitics or quotes",
    meaning="An alias is empty, not a string, or has spaces at its edges.",
)
ENTITY_ALIAS_TWICE = problem(
    "RASD-E413",
    EntityRegistryError,
    "{where}: alias {alias!r} is listed twice",
    fix="delete the repeat",
    meaning="An entity lists one alias twice.",
)
ENTITY_ID_TWICE = problem(
    "RASD-E414",
    EntityRegistryError,
    "entity {entity!r}: id is used by two entities",
    fix="merge the two entries or give one a different id",
    meaning="Two entities share an id.",
)
ALIAS_SHARED = problem(
    "RASD-E415",
    EntityRegistryError,
    "entity {entity!r}: alias {alias!r} is also claimed by {label} {other!r}",
    fix="a surface form names one entity per label: remove it from one of them",
    meaning="One surface form names two entities of the same label.",
)
PERSON_NAME_TWICE = problem(
    "RASD-E416",
    EntityRegistryError,
    "entity {entity!r}: canonical name {name!r} is also the name of {other!r}",
    fix="make the names distinct (add a middle name or a qualifier)",
    meaning="Two people with one canonical name could not be told apart by span values.",
)

# --- consistency warnings of `rasd check` (W451-W479) ---------------------------------------------

LABEL_CONFLICT = problem(
    "RASD-W451",
    ConsistencyWarning,
    "{surface!r} is {reading} here {context} but elsewhere {others}",
    fix="give every mention of one entity the same label and id, or note why this one differs",
    meaning="One surface string carries different labels (or entity ids) in different places.",
)
MISSED_REPEAT = problem(
    "RASD-W452",
    ConsistencyWarning,
    "missed repeat: {surface!r} is unlabelled at {start} {context} "
    "but {label} in {example_doc} {example_context}",
    fix="label this occurrence {label} too (every mention counts), "
    "or note on span {example} why it is left out",
    meaning="A labelled string occurs elsewhere as a whole word without a span (spec rule 9).",
)
STARTS_INSIDE_WORD = problem(
    "RASD-W453",
    ConsistencyWarning,
    "starts inside the word {word!r} after {prefix!r} {context}",
    fix="a span may start after the proclitics و ف ب ل ك only; the article ال stays inside",
    meaning="A span starts inside a word, after letters that are not proclitics.",
)
ENDS_INSIDE_WORD = problem(
    "RASD-W454",
    ConsistencyWarning,
    "ends inside the word {word!r} {context}",
    fix="extend the span to the end of the word, or shrink it to the previous word end",
    meaning="A span ends inside a word.",
)
STARTS_WITH_PROCLITIC = problem(
    "RASD-W455",
    ConsistencyWarning,
    "starts with the proclitic {proclitic!r} ({surface!r}) {context}",
    fix="move the start past {proclitic!r}: conjunctions and prepositions stay outside "
    "(after ل only the preposition's ل goes: لتحالف الدولي)",
    meaning="A span includes an attached conjunction or preposition (spec rule 1).",
)
STARTS_WITH_TYPE_WORD = problem(
    "RASD-W456",
    ConsistencyWarning,
    "starts with the type word {word!r} ({surface!r}) {context}",
    fix="generic type words (تنظيم، تطبيق، منصة، موقع، شركة، مدينة، العاصمة ...) stay outside the name",
    meaning="A span includes a generic type word before the name (spec rule 2).",
)
HOLDS_QUOTE = problem(
    "RASD-W457",
    ConsistencyWarning,
    "contains the quote or bracket {quotes!r} ({surface!r}) {context}",
    fix="quotes and brackets stay outside: annotate the name inside them",
    meaning="A span includes quotes, brackets or guillemets (spec rule 3).",
)
STARTS_WITH_APPROXIMATOR = problem(
    "RASD-W458",
    ConsistencyWarning,
    "starts with the approximator {approximator!r} ({surface!r}) {context}",
    fix="a QUANTITY is the number and its scale word only: move the start to the number",
    meaning="A QUANTITY includes an approximator such as نحو or أكثر من (spec rule 5).",
)
HOLDS_COUNTED_NOUN = problem(
    "RASD-W459",
    ConsistencyWarning,
    "holds {extra!r}, which is not a number or scale word ({surface!r}) {context}",
    fix="leave the counted noun and approximators outside: the number and ألف/مليون only",
    meaning="A QUANTITY includes words that are not numbers or scale words (spec rule 5).",
)
STARTS_WITH_PREPOSITION = problem(
    "RASD-W461",
    ConsistencyWarning,
    "starts with the preposition {word!r} ({surface!r}) {context}",
    fix="a DATE is the calendar expression only: في، منذ، خلال، حتى stay outside",
    meaning="A DATE includes the preposition that introduces it.",
)
MISSING_ID = problem(
    "RASD-W462",
    ConsistencyWarning,
    "{label} {surface!r} has no canonical id {context}",
    fix="{action} (annotation/entities.json)",
    meaning="An ORG or PLATFORM span has no canonical id from the registry.",
)
UNKNOWN_ID = problem(
    "RASD-W463",
    ConsistencyWarning,
    "{label} {surface!r} has value {value!r}, but no {label} entity in the registry has that {key} {context}",
    fix="use an id from annotation/entities.json (PERSON: its name) or add the entity there",
    meaning="An entity span's value is not an id (PERSON: a name) of the registry.",
)
NOT_AN_ALIAS = problem(
    "RASD-W464",
    ConsistencyWarning,
    "{surface!r} is not among the aliases of {entity!r} {context}",
    fix="add {surface!r} to the aliases of {entity!r} (annotation/entities.json), or fix the value",
    meaning="An entity span's text is not one of its registry entity's aliases.",
)
VALUE_FORMAT = problem(
    "RASD-W465",
    ConsistencyWarning,
    "{finding} {context}",
    fix="write the value as far as the text fixes it (2019-02-20, 2019-02, 2019), or null",
    meaning="A DATE value is not an ISO 8601 calendar date, or a QUANTITY value is not a number.",
)
NEAR_COPY_GOLD_DISAGREES = problem(
    "RASD-W491",
    ConsistencyWarning,
    "the sentence {sentence!r} is annotated {here} here but {there} in {other} "
    "(same story cluster {cluster})",
    fix="annotate the sentence the same way in both documents (or note why they differ)",
    meaning="Two near-duplicate documents (one story cluster) annotate the same sentence differently.",
)
