"""``bulletins new``: write both language files of a new bulletin, ready to fill in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .diagnostics import did_you_mean
from .model import Registry, Site
from .project import BULLETINS_DIR

PLACEHOLDER = {
    "vi": "<!-- Viết nội dung bản tin ở đây: tình hình, khó khăn, kiến nghị, chỉ đạo. -->\n",
    "fr": "<!-- Écrivez ici le récit du bulletin : situation, difficultés, recommandations, directives. -->\n",
}


class ScaffoldError(ValueError):
    """A request that cannot produce a valid bulletin (unknown id, existing file, ...)."""


def _yaml_list(items) -> str:
    return "[" + ", ".join(items) + "]"


def front_matter(date: dt.date, group: int, leader: str, communes: list[str]) -> str:
    return (
        "---\n"
        "# yaml-language-server: $schema=../../schema/bulletin.schema.json\n"
        f"date: {date.isoformat()}\n"
        f"group: {group}\n"
        f"leader: {leader}\n"
        f"communes: {_yaml_list(communes)}\n"
        "inspected: []\n"
        'title: ""\n'
        'summary: ""\n'
        "figures: []        # - {label: \"...\", value: 0, approximate: false, communes: [...]}\n"
        "difficulties: []   # - {tag: <difficulty id>, text: \"...\", communes: [...]}\n"
        "recommendations: []  # - {id: r-1, text: \"...\", communes: [...], tags: [...], to: [...]}\n"
        "directives: []     # - {id: d-1, text: \"...\", communes: [...], tags: [...], to: [...]}\n"
        "# ids are permanent: r-1, r-2, ... and d-1, d-2, ...; never renumber or reuse one (docs/format.md)\n"
        "follow_ups: []     # - {item: \"<bulletin id>#d-1\", status: open|in-progress|done|declined, "
        "date: YYYY-MM-DD, text: \"...\"}\n"
        "---\n"
    )


def new_bulletin(root: Path, site: Site, *, group: int, date: dt.date, communes: list[str],
                 leader: str | None = None, slug: str | None = None) -> list[Path]:
    """Write ``<id>.vi.md`` and ``<id>.fr.md``; refuse to overwrite anything."""
    registry: Registry = site.registry
    if group not in registry.groups:
        raise ScaffoldError(f"unknown working group {group}; known: {', '.join(map(str, sorted(registry.groups)))}")
    if not communes:
        raise ScaffoldError("--communes needs at least one commune id, e.g. --communes huu-lung,tuan-son")
    for commune in communes:
        if commune not in registry.communes:
            hint = did_you_mean(commune, registry.communes)
            raise ScaffoldError(f"unknown commune '{commune}'" + (f"; {hint}" if hint else "; see site_config/communes.yml"))
    if len(set(communes)) != len(communes):
        raise ScaffoldError("--communes lists a commune twice")
    if leader is None:
        previous = [b for b in site.bulletins if b.group == group]
        if not previous:
            raise ScaffoldError(f"group {group} has no bulletin yet to take its leader from; pass --leader <person id>")
        leader = previous[0].leader
    if leader not in registry.people:
        hint = did_you_mean(leader, registry.people)
        raise ScaffoldError(f"unknown person '{leader}'" + (f"; {hint}" if hint else "; see site_config/people.yml"))
    ident = f"{date.isoformat()}-{slug or f'group-{group}'}"
    folder = root / BULLETINS_DIR
    paths = [folder / f"{ident}.{lang}.md" for lang in ("vi", "fr")]
    for path in paths:
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} already exists; choose another --slug")
    folder.mkdir(parents=True, exist_ok=True)
    head = front_matter(date, group, leader, communes)
    for path, lang in zip(paths, ("vi", "fr")):
        with open(path, "x", encoding="utf-8") as out:
            out.write(head + "\n" + PLACEHOLDER[lang])
    return paths
