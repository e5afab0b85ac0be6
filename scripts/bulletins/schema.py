"""JSON Schemas: of a bulletin's front matter (published for editors' YAML language
servers) and of the registries. The checker validates with these very schemas, so the
checker and what editors' editors say cannot disagree."""

from __future__ import annotations

from .model import STATUSES, Registry

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE = {"title": "date", "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date",
        "description": "A calendar date written YYYY-MM-DD."}
# Length limits, in characters, well above the seed's longest (title 141, summary 380, label 65,
# item text 267; registry text 204): a summary is copied into every list and feed it appears in.
MAX_TITLE, MAX_SUMMARY, MAX_TEXT = 300, 600, 1000


def _text(limit: int, description: str) -> dict:
    return {"title": "text", "type": "string", "pattern": r"\S", "maxLength": limit, "description": description}


TEXT = _text(MAX_TEXT, f"Non-empty text in the file's language, at most {MAX_TEXT} characters.")
TITLE = _text(MAX_TITLE, f"Non-empty text in the file's language, at most {MAX_TITLE} characters.")
SUMMARY = _text(MAX_SUMMARY, f"Non-empty text in the file's language, at most {MAX_SUMMARY} characters.")
TEXT_BY_LANG = {"title": "text in both languages", "type": "object", "additionalProperties": False,
                "required": ["vi", "fr"], "properties": {"vi": TEXT, "fr": TEXT}}


def _list_of(ref: str, description: str, min_items: int = 0) -> dict:
    schema = {"type": "array", "items": {"$ref": ref}, "uniqueItems": True, "description": description}
    if min_items:
        schema["minItems"] = min_items
    return schema


# An item's id: 'r-' (recommendation) or 'd-' (directive), then a number or words; permanent.
ITEM_ID_WORDS = r"[a-z0-9]+(-[a-z0-9]+)*"
MAX_ITEM_ID = 40
# A full reference: '<bulletin id>#<item id>' (the item's URL is the bulletin's + '#<item id>').
ITEM_REFERENCE = r"^\d{4}-\d{2}-\d{2}(-[a-z0-9]+)+#[rd]-" + ITEM_ID_WORDS + "$"


def _action(prefix: str, kind: str) -> dict:
    return {
        "type": "object", "additionalProperties": False, "required": ["id", "text"],
        "properties": {
            "id": {"title": f"{kind} id", "type": "string", "pattern": f"^{prefix}-{ITEM_ID_WORDS}$",
                   "maxLength": MAX_ITEM_ID,
                   "description": f"Permanent id of the {kind} within its bulletin ('{prefix}-1', "
                                  f"'{prefix}-2', …): the anchor of its URL; never renumbered or reused."},
            "text": {"$ref": "#/$defs/text"}, "communes": _list_of("#/$defs/commune", "Commune ids from "
                                                                    "site_config/communes.yml."),
            "tags": _list_of("#/$defs/tag", "Difficulty ids this answers."),
            "to": _list_of("#/$defs/addressee", "Who must act: commune ids or provincial body ids.", 1),
        },
    }


def bulletin_schema(registry: Registry) -> dict:
    """The front matter schema, with the registries' ids as enums (completion as you type)."""
    communes = _list_of("#/$defs/commune", "Commune ids from site_config/communes.yml.")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bulletins.lang-son.example/schema/bulletin.schema.json",
        "title": "Bulletin front matter",
        "description": "Front matter of content/bulletins/<id>.<lang>.md; see docs/format.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["date", "group", "leader", "communes", "title", "summary"],
        "properties": {
            "date": {"$ref": "#/$defs/date", "description": "Day of the visit (YYYY-MM-DD)."},
            "updated": {"$ref": "#/$defs/date", "description": "Day the bulletin was last corrected."},
            "date_assumed": {"type": "boolean", "description": "true when the source does not state the day of "
                             "the meeting and `date` is inferred (e.g. the day the same article gives for "
                             "another group); the site says so beside the date."},
            "group": {"$ref": "#/$defs/group"},
            "leader": {"$ref": "#/$defs/person", "description": "Who led the working group that day."},
            "participants": _list_of("#/$defs/person", "Other people the bulletin names."),
            "communes": _list_of("#/$defs/commune", "Every ward/commune the group worked with.", 1),
            "inspected": _list_of("#/$defs/commune", "Where the group inspected on the ground (among communes)."),
            "title": {"$ref": "#/$defs/title", "description": f"Headline in the file's language (at most {MAX_TITLE} "
                                                             "characters)."},
            "summary": {"$ref": "#/$defs/summary", "description": "One or two sentences for lists and feeds (at most "
                                                                  f"{MAX_SUMMARY} characters)."},
            "figures": {"type": "array", "items": {"$ref": "#/$defs/figure"}},
            "difficulties": {"type": "array", "items": {"$ref": "#/$defs/difficulty"}},
            "recommendations": {"type": "array", "items": {"$ref": "#/$defs/recommendation"}},
            "directives": {"type": "array", "items": {"$ref": "#/$defs/directive"}},
            "follow_ups": {"type": "array", "items": {"$ref": "#/$defs/follow_up"},
                           "description": "What became of items of earlier bulletins, as of this bulletin."},
            "source": {"title": "URL", "type": "string", "pattern": r"^https?://[^\s]+$",
                       "description": "The original article (http or https URL)."},
        },
        "$defs": {
            "date": DATE,
            "text": TEXT,
            "title": TITLE,
            "summary": SUMMARY,
            "group": {"title": "working group", "type": "integer", "enum": sorted(registry.groups),
                      "description": "Working group number from site_config/groups.yml."},
            "person": {"title": "person", "type": "string", "enum": sorted(registry.people)},
            "commune": {"title": "commune", "type": "string", "enum": sorted(registry.communes)},
            "tag": {"title": "difficulty tag", "type": "string", "enum": sorted(registry.tags)},
            "figure": {
                "type": "object", "additionalProperties": False, "required": ["label", "value"],
                "properties": {"label": {"$ref": "#/$defs/text"},
                               "value": {"type": "number"},
                               "approximate": {"type": "boolean"},
                               "communes": communes},
            },
            "difficulty": {
                "type": "object", "additionalProperties": False, "required": ["tag", "text"],
                "properties": {"tag": {"$ref": "#/$defs/tag"}, "text": {"$ref": "#/$defs/text"},
                               "communes": communes},
            },
            "addressee": {"title": "addressee", "type": "string",
                          "enum": sorted({*registry.communes, *registry.bodies}),
                          "description": "A commune id (site_config/communes.yml) or a provincial body id "
                                         "(site_config/bodies.yml)."},
            "recommendation": _action("r", "recommendation"),
            "directive": _action("d", "directive"),
            "follow_up": {
                "type": "object", "additionalProperties": False, "required": ["item", "status", "text"],
                "properties": {
                    "item": {"title": "item reference", "type": "string", "pattern": ITEM_REFERENCE,
                             "description": "The item followed up: '<bulletin id>#<item id>', e.g. "
                                            "'2025-08-04-group-3#d-16'."},
                    "status": {"title": "status", "type": "string", "enum": list(STATUSES),
                               "description": "What became of it: " + ", ".join(STATUSES) + "."},
                    "date": {"$ref": "#/$defs/date", "description": "Day the status was reached (default: the "
                                                                   "bulletin's date)."},
                    "text": {"$ref": "#/$defs/text"}},
            },
        },
    }


def page_schema() -> dict:
    """Front matter of a static page in content/pages."""
    return {"type": "object", "additionalProperties": False, "required": ["title"],
            "properties": {"title": TITLE}, "$defs": {"text": TEXT}}


def _registry_list(item: dict) -> dict:
    return {"type": "array", "items": item, "$defs": {"date": DATE, "text": TEXT}}


# A statement of the about page (legal notice, sources, accessibility, privacy): paragraphs of
# plain text in each language.
PARAGRAPHS = {"title": "paragraphs", "type": "array", "items": TEXT, "minItems": 1, "description": "Paragraphs of plain text."}
PARAGRAPHS_BY_LANG = {"title": "paragraphs in both languages", "type": "object", "additionalProperties": False,
                      "required": ["vi", "fr"], "properties": {"vi": PARAGRAPHS, "fr": PARAGRAPHS}}
SITE_SCHEMA = {
    "title": "The site's public face",
    "description": "site_config/site.yml: who publishes the site, how to reach them, the legal notice, "
                   "sources, accessibility statement and privacy note (footer and /<lang>/about/); "
                   "see docs/format.md.",
    "type": "object", "additionalProperties": False,
    "required": ["legal_notice", "sources", "accessibility", "privacy", "no_publisher", "no_contact"],
    "properties": {
        "publisher": {**TEXT_BY_LANG, "description": "The agency responsible for the site (Decree 42/2022/ND-CP)."},
        "contact": {
            "type": "object", "additionalProperties": False, "minProperties": 1,
            "description": "How to reach the publisher; each line optional.",
            "properties": {
                "address": {**TEXT_BY_LANG, "description": "Postal address, in both languages."},
                "phone": {"title": "phone number", "type": "string", "pattern": r"^\+?[0-9][0-9 .()-]{4,28}[0-9]$",
                          "description": "Digits, spaces, dots, hyphens, brackets; an optional leading '+'."},
                "email": {"title": "email address", "type": "string", "maxLength": 254,
                          "pattern": r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"},
                "web": {"title": "URL", "type": "string", "pattern": r"^https?://[^\s]+$",
                        "description": "The publisher's website (http or https URL)."},
            }},
        "legal_notice": PARAGRAPHS_BY_LANG,
        "sources": PARAGRAPHS_BY_LANG,
        "accessibility": PARAGRAPHS_BY_LANG,
        "privacy": PARAGRAPHS_BY_LANG,
        "no_publisher": {**TEXT_BY_LANG, "description": "Shown on the about page while publisher is absent."},
        "no_contact": {**TEXT_BY_LANG, "description": "Shown where the contact would be (and as how to report an "
                                                      "accessibility problem) while contact is absent."},
    },
}


REGISTRY_SCHEMAS = {
    "communes.yml": _registry_list({
        "type": "object", "additionalProperties": False,
        "required": ["id", "code", "name_vi", "name_ascii", "type", "former_district"],
        "properties": {
            "id": {"type": "string", "pattern": SLUG},
            "code": {"type": "string", "pattern": r"^\d{5}$"},
            "name_vi": TEXT, "name_ascii": TEXT,
            "type": {"title": "commune type", "enum": ["ward", "commune"]},
            "former_district": TEXT,
            "former_districts": {"type": "array", "items": TEXT},
            "merged_from": {"type": "array", "items": TEXT},
            "alt_spelling": TEXT,
            "uncertain": {"type": "boolean"},
            "note": TEXT,
        }}),
    "people.yml": _registry_list({
        "type": "object", "additionalProperties": False, "required": ["id", "name_vi", "name_ascii", "titles"],
        "properties": {
            "id": {"type": "string", "pattern": SLUG},
            "name_vi": TEXT, "name_ascii": TEXT,
            "uncertain": {"type": "boolean"}, "note": TEXT,
            # the diacritics of name_vi are a guess: the site prints name_ascii, as the source wrote it
            "name_guessed": {"type": "boolean"},
            "titles": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["vi", "fr"],
                "properties": {"from": DATE, "until": DATE, "vi": TEXT, "fr": TEXT}}},
        }}),
    "groups.yml": _registry_list({
        "type": "object", "additionalProperties": False, "required": ["number", "name"],
        "properties": {"number": {"type": "integer", "minimum": 1}, "name": TEXT_BY_LANG}}),
    "difficulties.yml": _registry_list({
        "type": "object", "additionalProperties": False, "required": ["id", "label", "definition"],
        "properties": {"id": {"type": "string", "pattern": SLUG},
                       "label": TEXT_BY_LANG, "definition": TEXT_BY_LANG}}),
    "bodies.yml": _registry_list({
        "type": "object", "additionalProperties": False, "required": ["id", "name"],
        "description": "A provincial body a recommendation or directive may be addressed to (`to:`).",
        "properties": {"id": {"type": "string", "pattern": SLUG, "maxLength": 60},
                       "name": TEXT_BY_LANG}}),
    "ui.yml": {"type": "object", "additionalProperties": TEXT_BY_LANG,
               "propertyNames": {"pattern": r"^[a-z0-9_]+$"}},
    "site.yml": SITE_SCHEMA,
}

