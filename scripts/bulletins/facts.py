"""A bulletin's facts as HTML, written once for the page and the feed item alike.

Figures, difficulties, recommendations, directives, inspections and the meeting's
details are formatted here and nowhere else: the page calls these functions with
relative links, the feeds with absolute ones, and both print numbers and dates
through the same :class:`~bulletins.i18n.Locale`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import urls
from .html import Markup, a, html, join, ul
from .i18n import Locale
from .model import Action, Bulletin, Figure, Registry

_WEB_URL = re.compile(r"^https?://[^\s]+$", re.I)


# Vietnamese administrative unit types, longest first, and the UI string that names each.
UNIT_TYPES = (("thành phố", "unit_thanh_pho"), ("thị trấn", "unit_thi_tran"), ("thị xã", "unit_thi_xa"),
              ("huyện", "unit_huyen"), ("phường", "unit_phuong"), ("xã", "unit_xa"))


# The UI string that names each status of a follow-up (model.STATUSES).
STATUS_LABELS = {"open": "status_open", "in-progress": "status_in_progress", "done": "status_done",
                 "declined": "status_declined"}


@dataclass(frozen=True)
class Words:
    """How one language names and links the registries' things. ``link`` turns a
    site-root-relative URL into the href to print (relative on a page, absolute in a
    feed)."""

    registry: Registry
    lang: str
    link: Callable[[str], str]

    @property
    def locale(self) -> Locale:
        return Locale(self.lang)

    @property
    def colon(self) -> str:
        """What follows a label, as the language writes it (French: a no-break space before ':')."""
        return self.t("colon")

    def t(self, key: str, **kwargs) -> str:
        text = self.registry.ui[key][self.lang]
        return text.format(**kwargs) if kwargs else text

    def labelled(self, key: str, value) -> Markup:
        return html("{}{}{}", self.t(key), self.colon, value)

    def commune_name(self, cid: str, with_type: bool = False) -> str:
        commune = self.registry.communes[cid]
        if not with_type:
            return commune.name_vi
        return f"{self.t('ward' if commune.type == 'ward' else 'commune')} {commune.name_vi}"

    def commune_link(self, cid: str, with_type: bool = False) -> Markup:
        return a(self.link(urls.commune(self.lang, cid)), self.commune_name(cid, with_type))

    def tag_link(self, tag: str) -> Markup:
        return a(self.link(urls.difficulty(self.lang, tag)), self.registry.tags[tag].label[self.lang])

    def group_link(self, number: int) -> Markup:
        return a(self.link(urls.group(self.lang, number)), self.registry.groups[number].name[self.lang])

    def day(self, day: dt.date) -> Markup:
        return html('<time datetime="{}">{}</time>', day.isoformat(), self.locale.date(day))

    def person(self, pid: str, day: dt.date) -> Markup:
        person = self.registry.people[pid]
        name = (html('{} <span class="b-note">({})</span>', person.shown_name, self.t("name_as_written"))
                if person.name_guessed else html("{}", person.shown_name))
        title = person.title_on(day)
        if title and self.lang in title.text:
            return html("{}, {}", name, title.text[self.lang])
        return name

    def unit(self, name: str) -> str:
        """A former unit's Vietnamese name ('huyện Cao Lộc', 'Xã Yên Trạch') as the
        language says it ('district de Cao Lộc'); a name without a known type as is."""
        lowered = name.lower()
        for prefix, key in UNIT_TYPES:
            if lowered.startswith(prefix + " "):
                return self.t(key, name=name[len(prefix) + 1:])
        return name

    def figure_value(self, figure: Figure) -> str:
        value = self.locale.number(figure.value)
        return f"{self.t('approximately')} {value}" if figure.approximate else value

    def addressee(self, ident: str) -> Markup:
        """Who must act: a commune (linked) or a provincial body (bodies.yml)."""
        if ident in self.registry.communes:
            return self.commune_link(ident, with_type=True)
        return html("{}", self.registry.bodies[ident].name[self.lang])

    def status(self, status: str, followed: bool = True) -> Markup:
        """A status as a label; ``followed`` False: no later bulletin has reported on it."""
        key = STATUS_LABELS[status] if followed else "no_follow_up"
        return html('<span class="b-status b-status--{}">{}</span>', status if followed else "none", self.t(key))

    def communes_inline(self, cids, every=()) -> Markup:
        """Links to ``cids``; empty when they are all the bulletin's communes (``every``)."""
        if every and set(cids) == set(every):
            return Markup("")
        return join(", ", (self.commune_link(c) for c in cids))


@dataclass(frozen=True)
class Section:
    id: str  # the page's heading anchor
    title: str
    html: Markup


def details(b: Bulletin, words: Words) -> Markup:
    """Date, group, leader, last correction and participants, as a definition list."""
    date = (html('{} <span class="b-note">({})</span>', words.day(b.date), words.t("date_assumed"))
            if b.date_assumed else words.day(b.date))
    rows = [("date", date), ("group", words.group_link(b.group)),
            ("leader", words.person(b.leader, b.date))]
    if b.updated:
        rows.append(("updated", words.day(b.updated)))
    if b.participants:
        rows.append(("participants", join("; ", (words.person(p, b.date) for p in b.participants))))
    return html('<dl class="b-facts">{}</dl>',
                join("", (html("<dt>{}</dt> <dd>{}</dd> ", words.t(key), value) for key, value in rows)))


def _where(cids, b: Bulletin, words: Words) -> Markup:
    inline = words.communes_inline(cids, b.communes)
    return html(' <span class="b-where">({})</span>', inline) if inline else Markup("")


def action(x: Action, b: Bulletin, words: Words) -> Markup:
    extra = []
    inline = words.communes_inline(x.communes, b.communes)
    if inline:
        extra.append(words.labelled("concerns", inline))
    if x.to:
        extra.append(words.labelled("addressed_to", join(", ", (words.addressee(t) for t in x.to))))
    if x.tags:
        extra.append(words.labelled("answers", join(", ", (words.tag_link(t) for t in x.tags))))
    return html("{}{}", x.text[words.lang],
                html(' <span class="b-where">({})</span>', join("; ", extra)) if extra else "")


def follow_up_anchor(item_ref: str) -> str:
    """The anchor of a follow-up on the page of the bulletin that reports it."""
    return "fu-" + item_ref.replace("#", "-")


# The item a follow-up is about: its bulletin and the recommendation or directive itself.
Resolver = Callable[[str], tuple[Bulletin, Action]]
# What a page adds under an item (its status and history); the feed adds nothing (an entry is a snapshot).
Follow = Callable[[Bulletin, Action], Markup]


def item_link(b: Bulletin, x: Action, words: Words) -> Markup:
    """A recommendation or directive, its text linked to its anchor on its bulletin's page."""
    lang = words.lang if words.lang in b.title else b.languages[0]
    return a(words.link(urls.bulletin(lang, b.id)) + "#" + x.id, x.text[lang])


def sections(b: Bulletin, words: Words, resolve: Resolver | None = None,
             follow: Follow | None = None) -> list[Section]:
    """What the bulletin records, in reading order; empty sections are left out. Each
    recommendation and directive is anchored by its id; ``resolve`` finds the items the
    bulletin's follow-ups are about."""
    lang = words.lang
    out = [Section("communes", words.t("communes_visited"),
                   ul(words.commune_link(c, with_type=True) for c in b.communes))]
    if b.inspected:
        out.append(Section("inspected", words.t("inspected"),
                           ul(words.commune_link(c, with_type=True) for c in b.inspected)))
    if b.figures:
        out.append(Section("figures", words.t("figures"), ul(
            (html("<strong>{}</strong> {}{}", words.figure_value(f), f.label[lang], _where(f.communes, b, words))
             for f in b.figures), "b-figures")))
    if b.difficulties:
        out.append(Section("difficulties", words.t("difficulties"), ul(
            (html('<span class="b-tag">{}</span> {}{}', words.tag_link(d.tag), d.text[lang],
                  _where(d.communes, b, words)) for d in b.difficulties), "b-difficulties")))
    for key, actions in (("recommendations", b.recommendations), ("directives", b.directives)):
        if actions:
            items = join("", (html('<li id="{}">{}{}</li>', x.id, action(x, b, words), follow(b, x) if follow else "")
                              for x in actions))
            out.append(Section(key, words.t(key), html('<ul class="b-{}">{}</ul>', key, items)))
    if b.follow_ups and resolve:
        items = join("", (html('<li id="{}">{} {}<br><span class="b-where">{} · {}{}{}</span></li>',
                               follow_up_anchor(f.item), words.status(f.status), f.text[lang], words.day(f.date),
                               words.t("about_item"), words.colon, item_link(*resolve(f.item), words))
                          for f in b.follow_ups))
        out.append(Section("follow-ups", words.t("follow_ups_reported"), html('<ul class="b-follow-ups">{}</ul>', items)))
    return out


def source(b: Bulletin, words: Words) -> Markup:
    """The article the bulletin reports on (an http(s) URL: the schema refuses others)."""
    if not b.source:
        return Markup("")
    link = a(b.source, b.source) if _WEB_URL.match(b.source) else b.source  # never a script: URL
    return html('<p class="b-source">{}</p>', words.labelled("source", link))
