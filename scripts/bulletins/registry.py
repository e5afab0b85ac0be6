"""Load and check the registries of ``site_config/``: communes, people, groups,
difficulty tags and UI strings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .diagnostics import Report, relpath
from .load import Positioned, parse_yaml, read_text
from .model import Commune, Group, Person, Registry, Tag, Title
from .schema import REGISTRY_SCHEMAS
from .validate import check_schema

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
    "search_placeholder", "all_tags", "all_communes", "all_groups", "latest_of",
)


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
                                              p.get("uncertain", False), p.get("note", "")))
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
    if docs["ui.yml"]:
        ui = {key: dict(value) for key, value in (docs["ui.yml"].value or {}).items()}
        for key in UI_KEYS:
            if key not in ui:
                report.error(shown["ui.yml"], 1, 1, f"missing UI string '{key}'",
                             f"add '{key}: {{vi: ..., fr: ...}}'")
    return Registry(communes, people, groups, tags, ui)


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None
