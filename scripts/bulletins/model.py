"""The typed model: registries and bulletins as validated, immutable values.

Language-neutral facts are plain fields; text is a ``{lang: str}`` mapping, so a
bulletin is one object whatever the number of translations present."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Text = dict  # {"vi": "...", "fr": "..."}


@dataclass(frozen=True)
class Commune:
    id: str
    code: str
    name_vi: str
    name_ascii: str
    type: str  # "ward" | "commune"
    former_district: str
    merged_from: tuple[str, ...] = ()
    uncertain: bool = False
    note: str = ""


@dataclass(frozen=True)
class Title:
    start: dt.date | None
    end: dt.date | None
    text: Text

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    id: str
    name_vi: str
    name_ascii: str
    titles: tuple[Title, ...] = ()
    uncertain: bool = False
    note: str = ""
    name_guessed: bool = False  # name_vi's diacritics are a guess: print the source's spelling

    @property
    def shown_name(self) -> str:
        return self.name_ascii if self.name_guessed else self.name_vi

    def title_on(self, day: dt.date) -> Title | None:
        """The title this person held on ``day`` (titles changed in October 2025)."""
        for title in self.titles:
            if title.covers(day):
                return title
        return None


@dataclass(frozen=True)
class Group:
    number: int
    name: Text


@dataclass(frozen=True)
class Tag:
    """A difficulty of the taxonomy."""

    id: str
    label: Text
    definition: Text


@dataclass(frozen=True)
class Contact:
    """How to reach the publisher; each line optional."""

    address: Text | None = None  # postal address, in both languages
    phone: str | None = None
    email: str | None = None
    web: str | None = None


@dataclass(frozen=True)
class SiteInfo:
    """The site's public face (site_config/site.yml): who publishes it and how to reach them,
    when known, and the statements of the about page, as paragraphs of plain text."""

    legal_notice: dict[str, tuple[str, ...]]  # lang → paragraphs
    sources: dict[str, tuple[str, ...]]
    accessibility: dict[str, tuple[str, ...]]
    privacy: dict[str, tuple[str, ...]]
    no_publisher: Text  # said where the publisher would be, while there is none
    no_contact: Text
    publisher: Text | None = None
    contact: Contact | None = None


@dataclass
class Registry:
    communes: dict[str, Commune]
    people: dict[str, Person]
    groups: dict[int, Group]
    tags: dict[str, Tag]
    ui: dict[str, Text]
    site: SiteInfo | None = None  # None only when site.yml did not load (an error was reported)
    bodies: dict[str, ProvincialBody] = field(default_factory=dict)


@dataclass
class Figure:
    label: Text
    value: float | int
    approximate: bool
    communes: tuple[str, ...]


@dataclass
class Difficulty:
    tag: str
    communes: tuple[str, ...]
    text: Text


@dataclass
class Action:
    """A recommendation of the communes or a directive of the group's leader. ``id`` is
    permanent within its bulletin (``r-…`` or ``d-…``, the anchor of its URL); ``to`` names
    who must act (communes or provincial bodies), empty when the source does not say."""

    text: Text
    communes: tuple[str, ...]
    tags: tuple[str, ...] = ()
    id: str = ""
    to: tuple[str, ...] = ()


# What became of a recommendation or directive, as a later bulletin reports it.
STATUSES = ("open", "in-progress", "done", "declined")


@dataclass(frozen=True)
class FollowUp:
    """A later bulletin's word on an earlier item: ``item`` is "<bulletin id>#<item id>"."""

    item: str
    status: str
    date: dt.date
    text: Text


@dataclass(frozen=True)
class ProvincialBody:
    """A provincial body a recommendation or directive may be addressed to (bodies.yml)."""

    id: str
    name: Text


@dataclass
class Bulletin:
    id: str
    date: dt.date
    updated: dt.date | None
    group: int
    leader: str
    participants: tuple[str, ...]
    communes: tuple[str, ...]
    inspected: tuple[str, ...]
    source: str | None
    title: Text
    summary: Text
    body: Text
    paths: dict[str, str]  # lang → source file, relative to the project
    date_assumed: bool = False  # the source does not state the day: `date` is inferred
    figures: list[Figure] = field(default_factory=list)
    difficulties: list[Difficulty] = field(default_factory=list)
    recommendations: list[Action] = field(default_factory=list)
    directives: list[Action] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in ("vi", "fr") if lang in self.title)

    @property
    def tags(self) -> tuple[str, ...]:
        """Difficulty tags raised, in order of first appearance, without repeats."""
        return tuple(dict.fromkeys(d.tag for d in self.difficulties))

    @property
    def last_modified(self) -> dt.date:
        return self.updated or self.date


@dataclass
class Page:
    """A static page of ``content/pages`` (about, how to subscribe, ...)."""

    id: str
    title: Text
    body: Text
    paths: dict[str, str]


@dataclass
class Site:
    """Everything a build renders: the registries and the validated content."""

    registry: Registry
    bulletins: list[Bulletin]  # newest first
    pages: list[Page]
