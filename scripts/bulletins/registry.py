"""Load and check the registries of ``site_config/``: communes, people, groups,
difficulty tags, provincial bodies, UI strings and the site's public face."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

from .diagnostics import Report, did_you_mean, relpath
from .load import Positioned, parse_yaml, read_text
from .model import Commune, Contact, Group, Person, ProvincialBody, Registry, SiteInfo, Tag, Title
from .schema import REGISTRY_SCHEMAS
from .validate import check_plain_text, check_schema

REGISTRY_FILES = tuple(REGISTRY_SCHEMAS)
# Every UI string the site uses (site_config/ui.yml must define each, in vi and fr).
UI_KEYS = (
    "site_name", "site_description", "language_name", "home", "latest_bulletins", "all_bulletins",
    "bulletins", "communes", "wards", "rural_communes", "difficulties", "groups", "group", "subscribe",
    "ward", "commune", "date", "leader", "participants", "communes_visited", "inspected", "figures",
    "approximately", "recommendations", "directives", "narrative", "source", "updated", "concerns",
    "answers", "page", "previous_page", "next_page", "never_visited", "no_difficulty", "code",
    "former_district", "merged_from", "uncertain_note", "bulletin_count", "difficulty_count",
    "commune_count", "times_raised", "name", "matrix", "matrix_caption", "chart_caption", "raised_in",
    "occurrences", "translation_missing", "feeds", "feed_rss", "feed_atom", "subscribe_intro",
    "subscribe_page", "opml", "feed_title_all", "feed_title_commune", "feed_title_tag", "feed_title_group",
    "feed_description_commune", "feed_description_tag", "feed_description_group", "search",
    "search_placeholder", "all_tags", "all_communes", "all_groups", "latest_of", "colon", "date_assumed", "matrix_hint", "not_found_title", "not_found_text",
    "home_context", "key_figures", "units_visited", "of_total", "most_raised", "visits", "at_a_glance",
    "last_visit", "none_reported", "raised_here", "inspected_here", "same_district", "visited_on",
    "not_yet_visited", "follow_unit", "answers_heading",
    "breadcrumbs", "older_in_group", "newer_in_group", "related_bulletins", "same_commune", "same_difficulty",
    "units_worked_with",
    "status_open", "status_in_progress", "status_done", "status_declined", "no_follow_up", "addressed_to",
    "about_item", "follow_ups_reported", "follow_up_title", "follow_ups", "follow_ups_intro", "by_status",
    "by_addressee", "addressee_not_stated", "status", "item_count", "open_items", "open_requests", "open_since",
    "ages_as_of", "timeline", "visit_on", "recommendation", "directive",
    "name_as_written", "search_clear", "search_filter_commune", "search_filter_group",
    "search_filter_difficulty", "search_filter_year", "search_filters", "search_loading", "search_more",
    "search_none", "search_result", "search_results", "unit_huyen", "unit_thanh_pho", "unit_thi_xa", "unit_xa", "unit_phuong",
    "unit_thi_tran",
    # the public face: the about page's sections (also the footer's links) and the contact's lines
    "about", "about_publisher", "about_contact", "about_legal", "about_sources", "about_accessibility",
    "about_privacy", "about_report", "contact_address", "contact_phone", "contact_email",
    "contact_web", "footer_label",
)
# The placeholders each UI string may use, as the code fills them in with str.format (feeds.py,
# pages.py; tests/test_ui_strings.py checks the calls). Every other string takes none: a brace
# there would be shown as typed, or break the build the day the code formats that string.
UI_PLACEHOLDERS = {
    "feed_title_commune": ("name",), "feed_description_commune": ("name",),
    "feed_title_tag": ("name",), "feed_description_tag": ("name", "definition"),
    "feed_title_group": ("name",), "feed_description_group": ("name",),
    "latest_of": ("shown", "total"), "of_total": ("shown", "total"),
    "home_context": ("units", "wards", "communes"),
    "same_district": ("district",), "visited_on": ("date",),
    "same_commune": ("name",), "same_difficulty": ("name",),
    "follow_up_title": ("status", "item"), "open_since": ("days",), "ages_as_of": ("date",),
    **{key: ("name",) for key in ("unit_huyen", "unit_thanh_pho", "unit_thi_xa", "unit_xa", "unit_phuong",
                                  "unit_thi_tran")},
}


def _load(folder: Path, name: str, root: Path, report: Report) -> Positioned | None:
    path = folder / name
    shown = relpath(path, root)
    if not path.is_file():
        report.error(shown, 1, 1, f"missing registry file {name}", f"create {shown}")
        return None
    text = read_text(path, shown, report)
    if text is None:
        return None
    doc = parse_yaml(text, shown, report)
    if doc is None:
        return None
    if not check_schema(doc, REGISTRY_SCHEMAS[name], shown, report, whole=name):
        return None
    check_plain_text(doc, shown, report, keys=None)  # names, labels, definitions, titles, UI strings
    if not doc.value:
        # Bulletins are not checked against an empty registry (every id would be 'unknown').
        report.error(shown, 1, 1, f"{name} has no entries", "restore the file from version control")
        return None
    return doc



def _unique(doc: Positioned, key: str, shown: str, report: Report, what: str) -> None:
    seen = {}
    for i, item in enumerate(doc.value or []):
        value = item[key]
        if value in seen:
            line, col = doc.where((i, key))
            report.error(shown, line, col, f"duplicate {what} '{value}' (also entry {seen[value]})",
                         f"each {what} must appear once")
        else:
            seen[value] = i


def load_registry(root: Path, report: Report) -> Registry:
    """Read ``root/site_config``; problems go to ``report``; what is readable is returned."""
    folder = root / "site_config"
    docs = {name: _load(folder, name, root, report) for name in REGISTRY_FILES}
    shown = {name: relpath(folder / name, root) for name in REGISTRY_FILES}

    communes, people, groups, tags, ui = {}, {}, {}, {}, {}
    if docs["communes.yml"]:
        doc = docs["communes.yml"]
        _unique(doc, "id", shown["communes.yml"], report, "commune id")
        _unique(doc, "code", shown["communes.yml"], report, "commune code")
        for c in doc.value or []:
            communes.setdefault(c["id"], Commune(
                id=c["id"], code=c["code"], name_vi=c["name_vi"], name_ascii=c["name_ascii"], type=c["type"],
                former_district=c["former_district"], merged_from=tuple(c.get("merged_from", [])),
                uncertain=c.get("uncertain", False), note=c.get("note", "")))
    if docs["people.yml"]:
        doc = docs["people.yml"]
        _unique(doc, "id", shown["people.yml"], report, "person id")
        for i, p in enumerate(doc.value or []):
            titles = []
            for j, t in enumerate(p["titles"]):
                start, end = _date(t.get("from")), _date(t.get("until"))
                if start and end and end < start:
                    line, col = doc.where((i, "titles", j, "until"))
                    report.error(shown["people.yml"], line, col, f"title of '{p['id']}' ends ({end}) before it starts ({start})",
                                 "swap or correct 'from' and 'until'")
                titles.append(Title(start, end, {"vi": t["vi"], "fr": t["fr"]}))
            people.setdefault(p["id"], Person(p["id"], p["name_vi"], p["name_ascii"], tuple(titles),
                                              p.get("uncertain", False), p.get("note", ""),
                                              p.get("name_guessed", False)))
    if docs["groups.yml"]:
        doc = docs["groups.yml"]
        _unique(doc, "number", shown["groups.yml"], report, "group number")
        for g in doc.value or []:
            groups.setdefault(g["number"], Group(g["number"], dict(g["name"])))
    if docs["difficulties.yml"]:
        doc = docs["difficulties.yml"]
        _unique(doc, "id", shown["difficulties.yml"], report, "difficulty id")
        for t in doc.value or []:
            tags.setdefault(t["id"], Tag(t["id"], dict(t["label"]), dict(t["definition"])))
    bodies = _bodies(docs["bodies.yml"], shown["bodies.yml"], communes, report) if docs["bodies.yml"] else {}
    if docs["ui.yml"]:
        doc = docs["ui.yml"]
        ui = {key: dict(value) for key, value in (doc.value or {}).items()}
        for key in UI_KEYS:
            if key not in ui:
                report.error(shown["ui.yml"], 1, 1, f"missing UI string '{key}'",
                             f"add '{key}: {{vi: ..., fr: ...}}'")
        for key, texts in ui.items():
            if key not in UI_KEYS:
                report.warning(shown["ui.yml"], *doc.where((key,), key=True), f"unknown UI string '{key}'",
                               did_you_mean(key, UI_KEYS) or "the site does not use it; remove it")
                continue
            for lang, text in texts.items():
                problem = placeholder_problem(text, UI_PLACEHOLDERS.get(key, ()))
                if problem:
                    report.error(shown["ui.yml"], *doc.where((key, lang)), f"UI string '{key}' ({lang}) {problem[0]}",
                                 problem[1])
    site = _site(docs["site.yml"], shown["site.yml"], report) if docs["site.yml"] else None
    return Registry(communes, people, groups, tags, ui, site, bodies)


def _bodies(doc: Positioned, shown: str, communes: dict[str, Commune], report: Report) -> dict[str, ProvincialBody]:
    """bodies.yml, schema-valid: the provincial bodies an item's ``to:`` may name beside the
    communes, so a body may not take a commune's id."""
    _unique(doc, "id", shown, report, "body id")
    bodies: dict[str, ProvincialBody] = {}
    for i, b in enumerate(doc.value or []):
        if b["id"] in communes:
            report.error(shown, *doc.where((i, "id")), f"body id '{b['id']}' is also a commune id",
                         "an item's 'to:' names communes and bodies alike: give the body another id")
            continue
        bodies.setdefault(b["id"], ProvincialBody(b["id"], dict(b["name"])))
    return bodies


NO_PUBLISHER = "no publisher: a state portal must name the agency responsible (Decree 42/2022/ND-CP)"
NO_CONTACT = "no contact: a state portal must give the contact of the agency responsible (Decree 42/2022/ND-CP)"
CONTACT_HINT = "contact: {address: {vi: ..., fr: ...}, phone: ..., email: ..., web: ...} (docs/format.md)"


def _site(doc: Positioned, shown: str, report: Report) -> SiteInfo:
    """site.yml, schema-valid. Who publishes the site is a decision of its owner, not of its
    editors: while it is missing the checker warns, and --strict leaves it a warning."""
    value = doc.value

    def paragraphs(key: str) -> dict[str, tuple[str, ...]]:
        return {lang: tuple(value[key][lang]) for lang in ("vi", "fr")}

    contact = value.get("contact")
    info = SiteInfo(
        legal_notice=paragraphs("legal_notice"), sources=paragraphs("sources"),
        accessibility=paragraphs("accessibility"), privacy=paragraphs("privacy"),
        no_publisher=dict(value["no_publisher"]), no_contact=dict(value["no_contact"]),
        publisher=dict(value["publisher"]) if "publisher" in value else None,
        contact=Contact(address=dict(contact["address"]) if "address" in contact else None,
                        phone=contact.get("phone"), email=contact.get("email"), web=contact.get("web"))
        if contact else None)
    if info.publisher is None:
        report.warning(shown, 1, 1, NO_PUBLISHER, "add publisher: {vi: ..., fr: ...} and " + CONTACT_HINT,
                       strict=False)
    elif info.contact is None:
        report.warning(shown, *doc.where(("publisher",), key=True), NO_CONTACT, "add " + CONTACT_HINT, strict=False)
    return info


def placeholder_problem(text: str, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    """Why ``text.format(**{name: ... for name in allowed})`` would fail or show braces, with a
    hint; None when it would not."""
    if not allowed:
        if "{" in text or "}" in text:
            return "contains a brace, and this string takes no placeholders", "remove the braces '{' and '}'"
        return None
    spelled = ", ".join(f"{{{name}}}" for name in allowed)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError as exc:
        what = "a '}' without its '{'" if "'}'" in str(exc) and "Single" in str(exc) else "a '{' without its '}'"
        return f"has {what}", f"write placeholders whole: {spelled}; a brace as text is written '{{{{' or '}}}}'"
    for name, spec, conversion in fields:
        written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name not in allowed:
            close = did_you_mean(f"{{{name}}}", [f"{{{a}}}" for a in allowed])
            return f"uses an unknown placeholder '{written}'", f"{close} it may use only {spelled}".lstrip()
        if spec or conversion:
            return f"has a formatted placeholder '{written}'", f"write it plainly: '{{{name}}}'"
    return None


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None
