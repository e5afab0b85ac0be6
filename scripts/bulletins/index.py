"""Index: the validated model → views per commune, per difficulty tag and per working
group, the data behind every list page, matrix and feed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import Action, Bulletin, Commune, Difficulty, Figure, Group, Site, Tag


@dataclass
class CommuneView:
    commune: Commune
    bulletins: list[Bulletin] = field(default_factory=list)  # newest first
    difficulties: dict[str, list[tuple[Bulletin, Difficulty]]] = field(default_factory=dict)  # tag → occurrences
    recommendations: list[tuple[Bulletin, Action]] = field(default_factory=list)
    directives: list[tuple[Bulletin, Action]] = field(default_factory=list)
    inspections: list[Bulletin] = field(default_factory=list)
    figures: list[tuple[Bulletin, Figure]] = field(default_factory=list)

    @property
    def difficulty_count(self) -> int:
        return sum(len(v) for v in self.difficulties.values())


@dataclass
class TagView:
    tag: Tag
    occurrences: list[tuple[Bulletin, Difficulty]] = field(default_factory=list)  # newest first
    bulletins: list[Bulletin] = field(default_factory=list)
    communes: Counter = field(default_factory=Counter)  # commune id → times raised
    # the recommendations ("recommendations") and directives ("directives") that answer it
    answers: list[tuple[Bulletin, str, Action]] = field(default_factory=list)  # newest first


@dataclass
class GroupView:
    group: Group
    bulletins: list[Bulletin] = field(default_factory=list)

    @property
    def leaders(self) -> list[str]:
        """Leaders of the group's bulletins, most recent first, each once."""
        return list(dict.fromkeys(b.leader for b in self.bulletins))


@dataclass
class SiteIndex:
    communes: dict[str, CommuneView]
    tags: dict[str, TagView]
    groups: dict[int, GroupView]
    matrix: Counter  # (commune id, tag id) → times raised
    rank: dict[str, int]  # bulletin id → its place in the site's newest-first order (every view's order too)


def build_index(site: Site) -> SiteIndex:
    """One pass over the bulletins (already newest first) fills every view."""
    reg = site.registry
    communes = {cid: CommuneView(c) for cid, c in reg.communes.items()}
    tags = {tid: TagView(t) for tid, t in reg.tags.items()}
    groups = {n: GroupView(g) for n, g in reg.groups.items()}
    matrix: Counter = Counter()
    for b in site.bulletins:
        groups[b.group].bulletins.append(b)
        for cid in b.communes:
            communes[cid].bulletins.append(b)
        for cid in b.inspected:
            communes[cid].inspections.append(b)
        for d in b.difficulties:
            view = tags[d.tag]
            view.occurrences.append((b, d))
            if not view.bulletins or view.bulletins[-1] is not b:
                view.bulletins.append(b)
            for cid in d.communes:
                communes[cid].difficulties.setdefault(d.tag, []).append((b, d))
                view.communes[cid] += 1
                matrix[(cid, d.tag)] += 1
        for a in b.recommendations:
            for cid in a.communes:
                communes[cid].recommendations.append((b, a))
            for tag in a.tags:
                tags[tag].answers.append((b, "recommendations", a))
        for a in b.directives:
            for cid in a.communes:
                communes[cid].directives.append((b, a))
            for tag in a.tags:
                tags[tag].answers.append((b, "directives", a))
        for f in b.figures:
            for cid in f.communes:
                communes[cid].figures.append((b, f))
    return SiteIndex(communes, tags, groups, matrix, {b.id: i for i, b in enumerate(site.bulletins)})
