"""Validate: raw records → the typed model, or precise diagnostics.

Structure (fields, types, known ids) is checked by the JSON Schemas of ``schema.py``;
what a schema cannot say (``inspected`` among ``communes``, the two languages agreeing,
unsafe HTML, titles valid on the bulletin's date) is checked here."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
from decimal import Decimal
from pathlib import Path

import fastjsonschema
import jsonschema

from . import urls
from .diagnostics import Report, did_you_mean
from .load import Positioned, RawDocument
from .model import Action, Bulletin, Difficulty, Figure, FollowUp, Page, Registry

LANGUAGE_NAMES = {"vi": "Vietnamese", "fr": "French"}
_FORMATS = jsonschema.FormatChecker(["date"])


def dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "a mapping",
            type(None): "empty"}.get(type(value), type(value).__name__)


_WANTED = {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
           "object": "a mapping of fields", "boolean": "true or false"}


def inline_refs(schema: dict) -> dict:
    """The schema with every local ``$ref`` replaced by its target (ours are not recursive):
    resolving references was most of the validation time on a large archive."""
    defs = schema.get("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node and node["$ref"].startswith("#/$defs/"):
                target = walk(defs[node["$ref"][len("#/$defs/"):]])
                return {**target, **{k: walk(v) for k, v in node.items() if k != "$ref"}}
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_VALIDATORS: dict[int, tuple[dict, jsonschema.protocols.Validator, object]] = {}
_COMPILED: dict[str, tuple[jsonschema.protocols.Validator, object]] = {}


def _validator(schema: dict):
    """One validator per schema object (a build validates thousands of files): jsonschema
    explains every mistake; fastjsonschema, compiled to Python, only says yes or no,
    twenty times faster, so the build asks it first and jsonschema only about files it
    refuses (tests/test_schema.py checks that the two agree)."""
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        # the same registries give an equal schema: the live preview reloads them often
        same = _COMPILED.get(json.dumps(schema, sort_keys=True))
        if same is None:
            inlined = inline_refs(schema)
            fast = fastjsonschema.compile({k: v for k, v in inlined.items() if k != "$schema"},
                                          formats={"date": lambda value: _FORMATS.conforms(value, "date")},
                                          use_default=False)
            same = (jsonschema.Draft202012Validator(inlined, format_checker=_FORMATS), fast)
            _COMPILED[json.dumps(schema, sort_keys=True)] = same
        cached = (schema, *same)
        _VALIDATORS[id(schema)] = cached
    return cached[1], cached[2]


def schema_accepts(value, schema: dict) -> bool:
    """The fast yes/no of the schema (see _validator)."""
    try:
        _validator(schema)[1](value)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_schema(doc: Positioned, schema: dict, shown: str, report: Report, whole: str = "front matter") -> bool:
    """Report every schema violation of ``doc`` in editor's words; True when none.
    ``whole`` names the document itself (a registry is a file, not a front matter)."""
    if schema_accepts(doc.value, schema):
        return True
    validator = _validator(schema)[0]
    clean = True
    errors = sorted(validator.iter_errors(doc.value), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    # A value of the wrong type ('group: "1"') also fails its enum; say only the first.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    for err in errors:
        clean = False
        path = tuple(err.absolute_path)
        if err.validator == "enum" and (path in mistyped or not err.validator_value):
            continue  # an empty enum: its registry did not load, which is reported there
        name = dotted(path) if path else whole
        line, col = doc.where(path)
        kind, value = err.validator, err.instance
        title = err.schema.get("title") if isinstance(err.schema, dict) else None
        if kind == "required":
            missing = [m for m in err.validator_value if not isinstance(value, dict) or m not in value]
            for field in missing:
                where = "" if not path else f" in {name}"
                report.error(shown, line, col, f"missing required field '{field}'{where}",
                             f"add a line '{field}: ...'")
        elif kind == "additionalProperties":
            allowed = list(err.schema.get("properties", {}))
            extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
            for extra in extras:
                kline, kcol = doc.where(path + (extra,), key=True)
                hint = did_you_mean(extra, allowed) or (f"allowed fields: {', '.join(allowed)}" if allowed else "")
                report.error(shown, kline, kcol, f"unknown field '{dotted(path + (extra,))}'", hint)
            if not extras:
                report.error(shown, line, col, f"{name}: {err.message}")
        elif kind == "enum":
            label = title or "value"
            choices = err.validator_value
            hint = did_you_mean(value, choices)
            if not hint and len(choices) <= 12:
                hint = "known: " + ", ".join(map(str, choices))
            where = {"commune": "site_config/communes.yml", "person": "site_config/people.yml",
                     "addressee": "site_config/communes.yml and site_config/bodies.yml",
                     "difficulty tag": "site_config/difficulties.yml",
                     "working group": "site_config/groups.yml"}.get(label)
            if not hint and where:
                hint = f"see {where}"
            report.error(shown, line, col, f"unknown {label} '{value}' in {name}", hint)
        elif kind == "type":
            wanted = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
            report.error(shown, line, col, f"{name} must be {_WANTED.get(wanted, wanted)}, not {_type_name(value)}",
                         _type_hint(wanted, name) if path else _WHOLE_HINT.get(wanted, ""))
        elif kind in ("pattern", "maxLength") and title in ITEM_ID_KINDS:
            prefix = ITEM_ID_KINDS[title]
            if kind == "maxLength":
                report.error(shown, line, col, f"{name} is too long: {len(value):,} characters",
                             f"at most {err.validator_value} are allowed: a short id, e.g. '{prefix}-2'")
            elif re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) and not value.startswith(f"{prefix}-"):
                report.error(shown, line, col, f"{name} '{value}' does not start with '{prefix}-'",
                             f"a {title[:-3]}'s id is '{prefix}-' and a number or words, e.g. '{prefix}-2'")
            else:
                report.error(shown, line, col, f"{name} '{value}' is not a valid id",
                             f"write '{prefix}-' then lower-case ASCII letters, digits and hyphens, e.g. "
                             f"'{prefix}-2'")
        elif kind == "pattern" and title == "item reference":
            report.error(shown, line, col, f"{name} '{value}' is not a reference to an item",
                         "write '<bulletin id>#<item id>', e.g. '2025-08-04-group-3#d-16'")
        elif kind in ("pattern", "format") and title == "date":
            report.error(shown, line, col, f"invalid date '{value}' in {name}",
                         "write a real calendar date as YYYY-MM-DD, e.g. 2025-08-04")
        elif kind == "pattern" and title == "text":
            report.error(shown, line, col, f"{name} is empty", "write the text between the quotes")
        elif kind == "maxLength":
            limit = err.validator_value
            where = " and put the details in the body" if whole == "front matter" else ""
            report.error(shown, line, col, f"{name} is too long: {len(value):,} characters",
                         f"at most {limit:,} are allowed: shorten it{where}")
        elif kind == "pattern" and title == "URL":
            report.error(shown, line, col, f"{name} is not an http(s) URL: '{value}'",
                         "write the full address, starting with https://")
        elif kind == "pattern" and title in _CONTACT_HINTS:
            article = "an" if title[0] in "aeiou" else "a"
            report.error(shown, line, col, f"{name} is not {article} {title}: '{value}'", _CONTACT_HINTS[title])
        elif kind == "pattern":
            report.error(shown, line, col, f"{name} '{value}' is not a valid id",
                         "use lower-case ASCII letters, digits and hyphens, e.g. 'dong-kinh'")
        elif kind == "uniqueItems":
            seen, dupes = [], []  # a list: items may be unhashable ('communes: [[a], [a]]')
            for item in value:
                if item in seen and item not in dupes:
                    dupes.append(item)
                seen.append(item)
            report.error(shown, line, col, f"{name} lists {', '.join(repr(d) for d in dupes)} more than once",
                         "remove the repeated entry")
        elif kind == "minItems" and title == "paragraphs":
            report.error(shown, line, col, f"{name} is empty", "write at least one paragraph, as a line '- \"...\"'")
        elif kind == "minItems":
            report.error(shown, line, col, f"{name} is empty", "list at least one id, e.g. [dong-kinh]")
        elif kind == "minProperties":
            report.error(shown, line, col, f"{name} is empty",
                         f"give at least one of {', '.join(err.schema.get('properties', {}))}, or remove '{name}'")
        else:
            report.error(shown, line, col, f"{name}: {err.message}")
    return clean


# The schema's titles of item ids (schema._action) and the prefix each must start with.
ITEM_ID_KINDS = {"recommendation id": "r", "directive id": "d"}
_CONTACT_HINTS = {"phone number": "write digits, spaces, dots, hyphens or brackets, with an optional leading "
                                   "'+' and the country code",
                  "email address": "write one address, e.g. 'name@example.org'"}
_WHOLE_HINT = {"object": "write one 'name: value' per line", "array": "write one '- ...' entry per line"}


def _type_hint(wanted: str, name: str) -> str:
    return {
        "array": f"write a list, e.g. '{name.split('.')[-1]}: [dong-kinh, ky-lua]'",
        "integer": "write the number without quotes, e.g. 'group: 1'",
        "number": "write the number without quotes or spaces, e.g. 'value: 6600'",
        "string": "put the text between double quotes",
        "object": "indent the fields under this key",
        "boolean": "write true or false",
    }.get(wanted, "")


UNSAFE_TAG = re.compile(r"<\s*(script|style|link|iframe|object|embed|frame|frameset|applet|base|meta|form)\b", re.I)
# A tag as browsers read it: a '>' inside a quoted value does not end it (<img alt=">" onerror=...>),
# and a tag left open runs on (Markdown's own '</p>' closes it on the page).
HTML_TAG = re.compile(r"""<[a-zA-Z](?:"[^"]*"?|'[^']*'?|[^"'>])*>?""")
# Browsers also split attributes at '/' and after a closing quote: <img/onerror=...>, <a title="x"onclick=...>.
EVENT_ATTR = re.compile(r"[\s/\"'](on[a-z]+)\s*=", re.I)
# Markdown's attribute lists ('{: onclick=... }' after a paragraph) write attributes too.
ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
JS_URL = re.compile(r"(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|v\s*b\s*s\s*c\s*r\s*i\s*p\s*t)\s*:|data\s*:\s*text/html", re.I)
# Any attribute value (SVG's <animate to=...> and <set to=...> set links too), a Markdown link
# target or an autolink; browsers skip leading control characters and spaces in a URL.
URL_CONTEXT = re.compile(r"(?:\]\(\s*<?|\]:\s*<?|[\w:-]+\s*=\s*[\"']?|<)[\x00-\x20]*$", re.I)
CHAR_REF = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def _decode_refs(text: str) -> tuple[str, list[int]]:
    """``text`` with character references decoded, as browsers do in URLs ('jav&#97;script:'
    is 'javascript:'), and for each decoded character its offset in ``text``."""
    out, where, pos = [], [], 0
    for m in CHAR_REF.finditer(text):
        char = html.unescape(m.group(0))
        out += [text[pos:m.start()], char]
        where += [*range(pos, m.start()), *[m.start()] * len(char)]
        pos = m.end()
    out.append(text[pos:])
    where += range(pos, len(text))
    return "".join(out), where


def unsafe_html(text: str) -> list[tuple[int, str, str]]:
    """Offsets and descriptions of markup in Markdown that would run script in a reader's browser."""
    found = []
    for m in UNSAFE_TAG.finditer(text):
        found.append((m.start(), f"raw HTML <{m.group(1).lower()}> is not allowed",
                      "remove it; bulletins may not embed scripts, styles or frames"))
    for tag in (*HTML_TAG.finditer(text), *ATTR_LIST.finditer(text)):
        for attr in EVENT_ATTR.finditer(" " + tag.group(0)[1:]):
            found.append((tag.start() + attr.start(1), f"HTML event attribute '{attr.group(1).lower()}=' runs script",
                          "remove the attribute"))
    decoded, where = _decode_refs(text)
    for m in JS_URL.finditer(decoded):
        before = decoded[max(0, m.start() - 40):m.start()]
        if URL_CONTEXT.search(before):
            found.append((where[m.start()], "a 'javascript:' (or script-running) URL is not allowed",
                          "link to an https:// address instead"))
    return sorted(found)


# In plain text (titles, summaries, labels, items, registries) markup is shown as typed: the
# site escapes it. Say so, rather than let an editor expect bold, a link or a tag.
MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|<!--|\{:[^{}]*\}|\{\s*[#.][\w-][^{}]*\}|!?\[[^\]]*\]\([^)]*\)"
                    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
TEXT_KEYS = ("title", "summary", "label", "text")


def check_plain_text(doc: Positioned, shown: str, report: Report, keys: tuple[str, ...] | None = TEXT_KEYS,
                     path: tuple = (), value=None) -> None:
    """Warn about markup in the text values of ``doc`` (those under ``keys``; every one if None)."""
    value = doc.value if not path else value
    if isinstance(value, dict):
        for key, item in value.items():
            check_plain_text(doc, shown, report, keys, path + (key,), item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_plain_text(doc, shown, report, keys, path + (i,), item)
    elif isinstance(value, str) and (keys is None or any(k in keys for k in path if isinstance(k, str))):
        found = MARKUP.search(value)
        if found:
            snippet = found.group() if len(found.group()) <= 40 else found.group()[:37] + "..."
            report.warning(shown, *doc.where(path), f"{dotted(path)} is plain text: '{snippet}' will be shown as typed",
                           "remove the markup; only the body (below the front matter) is Markdown")


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    before = text[:offset]
    return first_line + before.count("\n"), offset - (before.rfind("\n") + 1) + 1


MAX_BODY = 100_000  # characters; the seed's longest body has 5,221


def check_body(raw: RawDocument, report: Report, *, heading_level: bool = True) -> None:
    if not re.sub(r"<!--.*?-->", "", raw.body, flags=re.S).strip():
        report.error(raw.path, raw.front_end_line, 1, "the body (text after the front matter) is empty",
                     "write the bulletin's narrative below the closing '---'")
        return
    if len(raw.body) > MAX_BODY:  # at the first character past the limit
        line, col = _position(raw.body, MAX_BODY, raw.body_line)
        report.error(raw.path, line, col, f"the body is too long: {len(raw.body):,} characters",
                     f"at most {MAX_BODY:,} are allowed (the limit is passed here): shorten it")
    for offset, message, hint in unsafe_html(raw.body):
        line, col = _position(raw.body, offset, raw.body_line)
        report.error(raw.path, line, col, message, hint)
    if heading_level:
        for m in re.finditer(r"^# ", raw.body, re.M):
            line, col = _position(raw.body, m.start(), raw.body_line)
            report.warning(raw.path, line, col, "a level-1 heading in the body",
                           "the title is the page's only '#' heading; use '##'")


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving since 1975), without needing tzdata.
LANG_SON_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")


def today() -> dt.date:
    """Today's date in Lạng Sơn. Tests set it with BULLETINS_TODAY=YYYY-MM-DD (a value that
    is not a date is ignored: the clock is used)."""
    fixed = os.environ.get("BULLETINS_TODAY", "")
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        return dt.datetime.now(LANG_SON_TIME).date()


# The site prints figures with Babel's decimal pattern for vi and fr ('#,##0.###'): at most
# three decimals. Anything finer would be published rounded (1.5e-7 as '0'), anything from
# 10^15 up is no count a bulletin reports (1.0e+308 made Babel fail the build).
MAX_FIGURE = 10 ** 15
FIGURE_DECIMALS = 3


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure_problem(value) -> tuple[str, str] | None:
    """Why the site cannot print ``value`` (a number the schema accepted) as written, with a
    hint; None when it can."""
    # YAML reads '.nan', '.inf' and '1.0e999' as numbers; JSON and readers have no such figure.
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, not {value}", "write the figure as digits, e.g. 'value: 6600'"
    if abs(value) >= MAX_FIGURE:
        return (f"is too large: {value}",
                f"write the figure as it will be printed, in digits below {MAX_FIGURE:,}, e.g. 'value: 6600'")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if -number.as_tuple().exponent > FIGURE_DECIMALS:
        rounded = _plain(number.quantize(Decimal(1).scaleb(-FIGURE_DECIMALS)))
        return (f"has more than {FIGURE_DECIMALS} decimals: {value}",
                f"the site prints at most {FIGURE_DECIMALS} and would show {rounded}; round the figure, or "
                "count it in a smaller unit (and say so in the label)")
    return None


# Facts that must agree between the two language files; text may differ.
NEUTRAL_FIELDS = ("date", "date_assumed", "updated", "group", "leader", "participants", "communes", "inspected", "source")
NEUTRAL_ITEM_FIELDS = {
    "figures": ("value", "approximate", "communes"),
    "difficulties": ("tag", "communes"),
    "recommendations": ("id", "communes", "tags", "to"),
    "directives": ("id", "communes", "tags", "to"),
    "follow_ups": ("item", "status", "date"),
}
DEFAULTS = {"approximate": False, "communes": None, "tags": [], "participants": [], "inspected": [],
            "updated": None, "source": None, "date_assumed": False, "to": [], "date": None}


def check_bulletin_semantics(raw: RawDocument, registry: Registry, report: Report) -> None:
    """What the schema cannot express, on one schema-valid file."""
    fm, doc, shown = raw.front.value, raw.front, raw.path
    check_plain_text(doc, shown, report)
    communes = fm["communes"]
    for i, commune in enumerate(fm.get("inspected", [])):
        if commune not in communes:
            line, col = doc.where(("inspected", i))
            report.error(shown, line, col, f"inspected commune '{commune}' is not among the bulletin's communes",
                         f"add '{commune}' to communes, or remove it from inspected")
    for section in ("figures", "difficulties", "recommendations", "directives"):
        for i, item in enumerate(fm.get(section, [])):
            for j, commune in enumerate(item.get("communes") or []):
                if commune not in communes:
                    line, col = doc.where((section, i, "communes", j))
                    report.error(shown, line, col,
                                 f"{section}[{i}] names commune '{commune}', which is not among the bulletin's communes",
                                 f"add '{commune}' to communes, or remove it here")
    check_item_ids(raw, report)
    for i, figure in enumerate(fm.get("figures", [])):
        problem = figure_problem(figure["value"])
        if problem:
            line, col = doc.where(("figures", i, "value"))
            report.error(shown, line, col, f"figures[{i}].value {problem[0]}", problem[1])
    day = _date(fm["date"])
    updated = _date(fm.get("updated"))
    if day and updated and updated < day:
        line, col = doc.where(("updated",))
        report.error(shown, line, col, f"updated ({updated}) is before date ({day})",
                     "updated is the day of the last correction, on or after the visit")
    now = today()
    for key, when in (("date", day), ("updated", updated)):
        if when and when > now:
            line, col = doc.where((key,))
            report.warning(shown, line, col, f"{key} ({when}) is in the future: today is {now} in Lạng Sơn",
                           "check the year, month and day" + (" of the visit" if key == "date" else
                                                              " of the last correction"))
    if day:
        check_follow_ups_alone(raw, day, report)
    if day and raw.id[:10] != fm["date"]:
        report.warning(shown, 1, 1, f"the file name's date ({raw.id[:10]}) differs from date ({fm['date']})",
                       "ids are permanent: keep the name if the bulletin is already published, else rename the file")
    if day:
        for key, people in (("leader", [fm["leader"]]), ("participants", fm.get("participants", []))):
            for i, pid in enumerate(people):
                person = registry.people.get(pid)
                if person and person.title_on(day) is None:
                    line, col = doc.where((key,) if key == "leader" else (key, i))
                    report.warning(shown, line, col, f"no title of '{pid}' is known on {day}",
                                   "add the title held on that date to site_config/people.yml")
    check_body(raw, report)


def check_item_ids(raw: RawDocument, report: Report) -> None:
    """Each recommendation and directive has its own id in the bulletin (the anchor of its URL)."""
    seen: dict[str, int] = {}
    for section in ("recommendations", "directives"):
        for i, item in enumerate(raw.front.value.get(section, [])):
            line, col = raw.front.where((section, i, "id"))
            if item["id"] in seen:
                report.error(raw.path, line, col,
                             f"id '{item['id']}' is used twice in this bulletin (also line {seen[item['id']]})",
                             "give each item its own id; ids are permanent: give the newer item the next "
                             "unused number, never a removed item's id")
            else:
                seen[item["id"]] = line


def split_reference(reference: str) -> tuple[str, str]:
    """'2025-08-04-group-3#d-16' → ('2025-08-04-group-3', 'd-16')."""
    bulletin, _, item = reference.partition("#")
    return bulletin, item


def check_follow_ups_alone(raw: RawDocument, day: dt.date, report: Report) -> None:
    """What one file can say of its follow-ups: not of itself, one per item, not dated after
    the bulletin. Whether the item exists, and its date, need the whole site (check_follow_ups)."""
    seen: dict[str, int] = {}
    for i, follow_up in enumerate(raw.front.value.get("follow_ups", [])):
        reference = follow_up["item"]
        line, col = raw.front.where(("follow_ups", i, "item"))
        if split_reference(reference)[0] == raw.id:
            report.error(raw.path, line, col, f"follow_ups[{i}].item '{reference}' is an item of this bulletin: "
                         "a bulletin cannot follow up itself",
                         "a later bulletin reports what became of it; give the status in that bulletin")
        if reference in seen:
            report.error(raw.path, line, col, f"follow_ups[{i}].item '{reference}' is followed up twice in this "
                         f"bulletin (also line {seen[reference]})",
                         "give one follow-up per item: its status as of this bulletin")
        else:
            seen[reference] = line
        when = _date(follow_up.get("date"))
        if when and when > day:
            report.error(raw.path, *raw.front.where(("follow_ups", i, "date")),
                         f"follow_ups[{i}].date ({when}) is after the bulletin's date ({day})",
                         "a bulletin reports what happened up to its own date; correct the date, or report "
                         "the follow-up in a later bulletin")


def follow_up_places(docs: dict[str, RawDocument]) -> dict[str, tuple[str, list[tuple[tuple[int, int], ...]]]]:
    """Where each follow-up of a bulletin's files is written: lang → (path, [(item's line and
    column, date's)]), for the whole-site checks once every bulletin is loaded."""
    places = {}
    for lang, doc in docs.items():
        rows = [(doc.front.where(("follow_ups", i, "item")), doc.front.where(("follow_ups", i, "date")))
                for i in range(len(doc.front.value.get("follow_ups", [])))]
        if rows:
            places[lang] = (doc.path, rows)
    return places


def check_follow_ups(bulletins: list[Bulletin], places: dict[str, dict], present: set[str], report: Report) -> None:
    """Follow-ups against the whole site: the item exists, and the follow-up is not dated before
    the item's bulletin. ``places``: bulletin id → follow_up_places; ``present``: ids with files
    (a bulletin that failed its own checks has its own errors: its items are not 'unknown')."""
    by_id = {b.id: b for b in bulletins}
    for bulletin in bulletins:
        for i, follow_up in enumerate(bulletin.follow_ups):
            target_id, item_id = split_reference(follow_up.item)
            if target_id == bulletin.id:
                continue  # reported by check_follow_ups_alone
            target = by_id.get(target_id)
            problem = None
            if target is None and target_id not in present:
                problem = (0, f"follow_ups[{i}].item names an unknown bulletin '{target_id}'",
                           did_you_mean(target_id, sorted(by_id)) or "see content/bulletins/ for bulletin ids")
            elif target is not None:
                items = [a.id for a in (*target.recommendations, *target.directives)]
                if item_id not in items:
                    problem = (0, f"follow_ups[{i}].item names an unknown item '{item_id}' of {target_id}",
                               did_you_mean(follow_up.item, [f"{target_id}#{known}" for known in items])
                               or f"its items are {', '.join(items) or 'none'}")
                elif follow_up.date < target.date:
                    problem = (1, f"follow_ups[{i}].date ({follow_up.date}) is before the date of {target_id} "
                                  f"({target.date})",
                               "a follow-up reports what happened after the item was recorded; correct the date")
            if problem:
                which, message, hint = problem
                for path, rows in places.get(bulletin.id, {}).values():
                    report.error(path, *rows[i][which], message, hint)


def compare_translations(primary: RawDocument, other: RawDocument, report: Report) -> bool:
    """The two languages must state the same facts: report each disagreement with both values."""
    a, b = primary.front.value, other.front.value
    agree = True

    def differ(path, va, vb, fact=None):
        nonlocal agree
        agree = False
        line, col = other.front.where(path)
        report.error(other.path, line, col,
                     f"{fact or dotted(path)} disagrees with the {LANGUAGE_NAMES[primary.lang]} file: "
                     f"{_show(vb)} here, {_show(va)} in {primary.path}",
                     "the two languages must state the same facts; correct the wrong one")

    for key in NEUTRAL_FIELDS:
        va, vb = a.get(key, DEFAULTS.get(key)), b.get(key, DEFAULTS.get(key))
        if _differ(va, vb):
            differ((key,), va, vb)
    for section, keys in NEUTRAL_ITEM_FIELDS.items():
        la, lb = a.get(section, []), b.get(section, [])
        if len(la) != len(lb):
            differ((section,), len(la), len(lb), fact=f"the number of {section}")
            continue
        for i, (ia, ib) in enumerate(zip(la, lb)):
            for key in keys:
                va, vb = ia.get(key, DEFAULTS.get(key)), ib.get(key, DEFAULTS.get(key))
                if _differ(va, vb):
                    differ((section, i, key), va, vb)
    return agree


def _differ(va, vb) -> bool:
    """``!=``, except that NaN equals NaN: a '.nan' figure has its own error, not a disagreement."""
    return va != vb and not (isinstance(va, float) and isinstance(vb, float) and math.isnan(va) and math.isnan(vb))


def _show(value) -> str:
    if value is None:
        return "(absent)"
    if isinstance(value, bool):  # as the editor writes it in YAML, not Python's True/False
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return f"'{value}'" if isinstance(value, str) else str(value)


def build_bulletin(docs: dict[str, RawDocument]) -> Bulletin:
    """Merge the (already validated and agreeing) language files of one id."""
    lang0 = "vi" if "vi" in docs else next(iter(docs))
    fm = docs[lang0].front.value
    communes = tuple(fm["communes"])

    def texts(getter):
        return {lang: getter(doc.front.value).strip() for lang, doc in docs.items()}

    def item_text(section, i, key):
        return {lang: doc.front.value[section][i][key].strip() for lang, doc in docs.items()}

    def actions(section):
        return [Action(item_text(section, i, "text"), tuple(item.get("communes") or communes),
                       tuple(item.get("tags", [])), id=item["id"], to=tuple(item.get("to", [])))
                for i, item in enumerate(fm.get(section, []))]

    day = dt.date.fromisoformat(fm["date"])

    return Bulletin(
        id=docs[lang0].id,
        date=day,
        updated=_date(fm.get("updated")),
        date_assumed=bool(fm.get("date_assumed", False)),
        group=int(fm["group"]),  # 'group: 1.0' passes the schema (JSON has one number type)
        leader=fm["leader"],
        participants=tuple(fm.get("participants", [])),
        communes=communes,
        inspected=tuple(fm.get("inspected", [])),
        source=fm.get("source"),
        title=texts(lambda f: f["title"]),
        summary=texts(lambda f: f["summary"]),
        body={lang: doc.body.strip() + "\n" for lang, doc in docs.items()},
        paths={lang: doc.path for lang, doc in docs.items()},
        figures=[Figure(item_text("figures", i, "label"), item["value"], bool(item.get("approximate", False)),
                        tuple(item.get("communes") or communes)) for i, item in enumerate(fm.get("figures", []))],
        difficulties=[Difficulty(item["tag"], tuple(item.get("communes") or communes),
                                 item_text("difficulties", i, "text"))
                      for i, item in enumerate(fm.get("difficulties", []))],
        recommendations=actions("recommendations"),
        directives=actions("directives"),
        follow_ups=[FollowUp(item["item"], item["status"], _date(item.get("date")) or day,
                             item_text("follow_ups", i, "text"))
                    for i, item in enumerate(fm.get("follow_ups", []))],
    )


def build_page(docs: dict[str, RawDocument]) -> Page:
    return Page(id=next(iter(docs.values())).id,
                title={lang: doc.front.value["title"].strip() for lang, doc in docs.items()},
                body={lang: doc.body.strip() + "\n" for lang, doc in docs.items()},
                paths={lang: doc.path for lang, doc in docs.items()})


def group_by_id(docs: list[RawDocument], report: Report) -> dict[str, dict[str, RawDocument]]:
    """Pair the language files of each id; the same id+language twice is an error."""
    by_id: dict[str, dict[str, RawDocument]] = {}
    for doc in docs:
        langs = by_id.setdefault(doc.id, {})
        if doc.lang in langs:
            report.error(doc.path, 1, 1, f"duplicate id '{doc.id}' ({doc.lang}): also {langs[doc.lang].path}",
                         "ids must be unique; rename or remove one of the two files")
            continue
        langs[doc.lang] = doc
    return by_id


def missing_translations(by_id: dict[str, dict[str, RawDocument]], report: Report,
                         present: frozenset = frozenset()) -> None:
    """Warn about languages with no file; ``present`` holds the (id, lang) files that exist
    but failed to load, which have their own errors and are not missing."""
    for ident, langs in by_id.items():
        for lang in ("vi", "fr"):
            if lang not in langs and (ident, lang) not in present:
                other = next(iter(langs.values()))
                expected = Path(other.path).with_name(f"{ident}.{lang}.md")
                report.warning(other.path, 1, 1, f"missing {LANGUAGE_NAMES[lang]} translation",
                               f"add {expected}")


# What the site itself writes at /<lang>/<name>/, where a static page content/pages/<id>.<lang>.md
# would be written too: the generated sections (urls.py), the theme's assets and Pagefind's index.
RESERVED_PAGE_IDS = tuple(sorted({
    *(section("vi").split("/")[1] for section in (urls.archive, urls.communes, urls.difficulties, urls.groups,
                                                  urls.follow_ups, urls.subscribe, urls.search)),
    "assets", "pagefind",
}))


def check_page_id(raw: RawDocument, report: Report) -> bool:
    """A static page may not take the URL of a page the site generates; True when it does not."""
    if raw.id not in RESERVED_PAGE_IDS:
        return True
    report.error(raw.path, 1, 1, f"page id '{raw.id}' is taken: the site writes its own /{raw.lang}/{raw.id}/",
                 f"rename the file; these ids are reserved: {', '.join(RESERVED_PAGE_IDS)}")
    return False
