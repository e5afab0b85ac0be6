"""Index: the validated model → views per commune, per difficulty tag and per working
group, and of every recommendation and directive with what became of it: the data behind
every list page, matrix and feed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import Action, Bulletin, Commune, Difficulty, FollowUp, Group, Site, Tag

SETTLED = ("done", "declined")  # statuses after which an item is no longer open


@dataclass
class ItemView:
    """A recommendation or directive, and the follow-ups later bulletins gave it."""

    bulletin: Bulletin
    kind: str  # "recommendations" | "directives"
    action: Action
    history: list[tuple[Bulletin, FollowUp]] = field(default_factory=list)  # oldest first

    @property
    def ref(self) -> str:
        """How a follow-up names it: "<bulletin id>#<item id>"."""
        return f"{self.bulletin.id}#{self.action.id}"

    @property
    def status(self) -> str:
        return self.history[-1][1].status if self.history else "open"

    @property
    def is_open(self) -> bool:
        return self.status not in SETTLED

    @property
    def since(self):
        """The day it was recorded (its bulletin's date)."""
        return self.bulletin.date

    def concerns(self, communes) -> tuple[str, ...]:
        """The communes it concerns: those it names, and those it is addressed to."""
        return tuple(dict.fromkeys([*self.action.communes, *(c for c in self.action.to if c in communes)]))


@dataclass
class CommuneView:
    commune: Commune
    bulletins: list[Bulletin] = field(default_factory=list)  # newest first
    difficulties: dict[str, list[tuple[Bulletin, Difficulty]]] = field(default_factory=dict)  # tag → occurrences
    items: list[ItemView] = field(default_factory=list)  # recommendations and directives concerning it, newest first
    follow_ups: list[tuple[Bulletin, FollowUp, ItemView]] = field(default_factory=list)  # newest first

    @property
    def difficulty_count(self) -> int:
        return sum(len(v) for v in self.difficulties.values())


@dataclass
class TagView:
    tag: Tag
    occurrences: list[tuple[Bulletin, Difficulty]] = field(default_factory=list)  # newest first
    bulletins: list[Bulletin] = field(default_factory=list)
    communes: Counter = field(default_factory=Counter)  # commune id → times raised
    answers: list[ItemView] = field(default_factory=list)  # the recommendations and directives that answer it, newest first
    follow_ups: list[tuple[Bulletin, FollowUp, ItemView]] = field(default_factory=list)  # newest first


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
    items: dict[str, ItemView] = field(default_factory=dict)  # "<bulletin id>#<item id>" → item
    follow_ups: list[tuple[Bulletin, FollowUp, ItemView]] = field(default_factory=list)  # newest first


def build_index(site: Site) -> SiteIndex:
    """One pass over the bulletins (already newest first) fills every view."""
    reg = site.registry
    communes = {cid: CommuneView(c) for cid, c in reg.communes.items()}
    tags = {tid: TagView(t) for tid, t in reg.tags.items()}
    groups = {n: GroupView(g) for n, g in reg.groups.items()}
    matrix: Counter = Counter()
    items: dict[str, ItemView] = {}
    for b in site.bulletins:
        groups[b.group].bulletins.append(b)
        for cid in b.communes:
            communes[cid].bulletins.append(b)
        for d in b.difficulties:
            view = tags[d.tag]
            view.occurrences.append((b, d))
            if not view.bulletins or view.bulletins[-1] is not b:
                view.bulletins.append(b)
            for cid in d.communes:
                communes[cid].difficulties.setdefault(d.tag, []).append((b, d))
                view.communes[cid] += 1
                matrix[(cid, d.tag)] += 1
        for kind, actions in (("recommendations", b.recommendations), ("directives", b.directives)):
            for a in actions:
                item = items[f"{b.id}#{a.id}"] = ItemView(b, kind, a)
                for cid in item.concerns(communes):
                    communes[cid].items.append(item)
                for tag in a.tags:
                    tags[tag].answers.append(item)
    rank = {b.id: i for i, b in enumerate(site.bulletins)}
    follow_ups = [(b, f, items[f.item]) for b in site.bulletins for f in b.follow_ups
                  if f.item in items]  # else a reference the checker refuses (unknown item)
    follow_ups.sort(key=lambda entry: (entry[1].date, -rank[entry[0].id]), reverse=True)  # newest first
    for entry in reversed(follow_ups):  # each item's history, oldest first
        entry[2].history.append(entry[:2])
    for entry in follow_ups:
        for cid in entry[2].concerns(communes):
            communes[cid].follow_ups.append(entry)
        for tag in entry[2].action.tags:
            tags[tag].follow_ups.append(entry)
    return SiteIndex(communes, tags, groups, matrix, rank, items, follow_ups)
