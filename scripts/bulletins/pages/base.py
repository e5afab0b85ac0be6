"""What every page kind is built with: the page document, its body, the language's
context, and :class:`Page`, the explicit linker of one page (every href is made relative
to the URL it was created for).

Every text from content or registries becomes HTML through :mod:`bulletins.html`
(escaped unless Markup) and every editor's body through :mod:`bulletins.narrative`
(sanitized): no page is ever assembled by pasting a string. Nothing here knows about
MkDocs."""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

import yaml
from markdown.extensions.toc import nest_toc_tokens

from .. import urls
from ..cache import Store, fingerprint
from ..facts import Words
from ..html import Markup, a, html, join, relative, text, ul
from ..i18n import slugify
from ..index import SiteIndex
from ..model import Bulletin, Registry, Site
from ..narrative import Narrative, NarrativeConverter
from ..narrative import configuration as narrative_configuration
from ..search_index import unindexed

T = TypeVar("T")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: 20× faster
OG_LOCALES = {"vi": "vi_VN", "fr": "fr_FR"}  # Open Graph's locale of each language


class PageEntry(NamedTuple):
    """What the sitemap and the search index need of a page once it is written."""

    url: str
    updated: str | None  # ISO date the page's bulletin last changed, if it is one
    searchable: bool


@dataclass
class PageDoc:
    url: str  # site-root-relative, e.g. "vi/communes/ky-lua/"
    lang: str
    title: str  # plain text
    html: Markup  # the page's content, final
    toc: list[dict] = field(default_factory=list)  # nested headings: level, id, name (escaped), children
    meta: dict = field(default_factory=dict)  # what the templates print: every text escaped HTML

    @property
    def src(self) -> str:
        """Path of the page's (generated) source inside the language's docs folder."""
        return self.url[len(self.lang) + 1:] + "index.md"

    def entry(self) -> PageEntry:
        values = self.meta["bulletins"]
        return PageEntry(self.url, values.get("updated"), values["search"])

    def front_matter(self) -> str:
        return "---\n" + yaml.dump(self.meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000) + "---\n"


class Body:
    """A page's content, fragment by fragment, and its headings (the table of contents)."""

    def __init__(self):
        self.parts: list[Markup] = []
        self.headings: list[dict] = []

    def heading(self, level: int, label: str, ident: str) -> Body:
        self.parts.append(html('<h{0} id="{1}">{2}</h{0}>', level, ident, label))
        self.headings.append({"level": level, "id": ident, "name": text(label)})
        return self

    def add(self, *fragments) -> Body:
        self.parts += [html("{}", f) for f in fragments if f]
        return self

    def extend(self, other: Body, indexed: bool = True) -> Body:
        """Append another body's content and headings (a list built before its page);
        ``indexed=False``: out of the search index (:func:`search_index.unindexed`)."""
        self.parts += other.parts if indexed else [unindexed(other.html())]
        self.headings += other.headings
        return self

    def narrative(self, narrative: Narrative) -> Body:
        self.parts.append(narrative.html)
        self.headings += narrative.toc
        return self

    @property
    def ids(self) -> frozenset:
        return frozenset(h["id"] for h in self.headings)

    def html(self) -> Markup:
        return join("\n", self.parts)

    def toc(self) -> list[dict]:
        return nest_toc_tokens([dict(h) for h in self.headings])


def title_id(title: str) -> str:
    return slugify(title) or "top"


def facts_list(rows) -> Markup:
    """Label/value pairs as a description list (the layout of every "facts" box)."""
    return html('<dl class="b-facts">{}</dl>', join("", (html("<dt>{}</dt> <dd>{}</dd> ", k, v) for k, v in rows)))


@dataclass(frozen=True)
class Context:
    """What the pages of one language are built from; no page's own state."""

    site: Site
    index: SiteIndex
    lang: str
    feeds: list[tuple[str, str, str]]  # (title, rss path, atom path) of every feed of the language
    narratives: NarrativeConverter = field(default_factory=NarrativeConverter)
    store: Store | None = None  # the build cache (cache.py): pages made by earlier builds
    digests: dict[str, str] = field(default_factory=dict)  # with a store: bulletin id → cache.fingerprint

    @cached_property
    def fingerprint(self) -> str:
        """What every page of the language depends on besides its own values: the
        language, the registries (labels, UI strings, names), the list of feeds and how
        narratives are converted."""
        return fingerprint((self.lang, self.site.registry, self.feeds, narrative_configuration()))

    def cached(self, kind: str, parts: Callable[[], list[str]], make: Callable[[], T]) -> T:
        """What ``make`` returns (a page, or a fragment of one), read from the store when an
        earlier build made it from the same ``parts()``, which must name everything it shows
        beyond :attr:`fingerprint` (the bulletins by their digests, the page's URL when it
        holds links), else made and stored. Without a store, only ``make`` is called."""
        if self.store is None:
            return make()
        key = self.store.key(kind, self.fingerprint, *parts())
        stored = self.store.get(key)
        if stored is not None:
            try:
                return pickle.loads(stored)
            except Exception:  # noqa: BLE001 - a damaged entry is remade, never trusted
                pass
        value = make()
        self.store.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value

    def history_key(self, b: Bulletin) -> str:
        """The bulletins that followed up the items of ``b``, by digest: what its items' statuses show."""
        return " ".join(",".join(self.digests[later.id] for later, _ in self.index.items[f"{b.id}#{x.id}"].history)
                        for x in (*b.recommendations, *b.directives))

    @property
    def reg(self) -> Registry:
        return self.site.registry

    @property
    def other(self) -> str:
        return urls.other_language(self.lang)

    def t(self, key: str, **kwargs) -> str:
        text = self.reg.ui[key][self.lang]
        return text.format(**kwargs) if kwargs else text

    def bulletin_lang(self, b: Bulletin) -> str:
        """The language a list shows a bulletin in: the page's, else the one it is written in."""
        return self.lang if self.lang in b.title else b.languages[0]

    def at(self, url: str) -> Page:
        return Page(self, url)


class Page:
    """One page being written at ``url``: every link it prints is relative to that URL,
    and the fragments every page kind shares (bulletin items, feed links, the pager)."""

    def __init__(self, ctx: Context, url: str):
        self.ctx, self.url = ctx, url
        self.words = Words(ctx.reg, ctx.lang, self.href)

    def href(self, to_url: str) -> str:
        return relative(self.url, to_url)

    def t(self, key: str, **kwargs) -> str:
        return self.ctx.t(key, **kwargs)

    def link(self, to_url: str, label: str, **attributes) -> Markup:
        return a(self.href(to_url), label, **attributes)

    def bulletin_link(self, b: Bulletin) -> Markup:
        lang = self.ctx.bulletin_lang(b)
        hreflang = None if lang == self.ctx.lang else lang
        return a(self.href(urls.bulletin(lang, b.id)), b.title[lang], hreflang=hreflang, lang=hreflang)

    def bulletin_item(self, b: Bulletin, summary: bool = False) -> Markup:
        w, lang = self.words, self.ctx.lang
        item = html('<p class="b-item__title">{}</p><p class="b-item__meta">{} · {} · {}</p>',
                    self.bulletin_link(b), w.day(b.date), self.ctx.reg.groups[b.group].name[lang],
                    join(", ", (w.commune_link(c) for c in b.communes)))
        if summary:
            item += html('<p class="b-item__summary">{}</p>', b.summary[self.ctx.bulletin_lang(b)])
        return item

    def bulletin_list(self, bulletins) -> Markup:
        return ul((self.bulletin_item(b) for b in bulletins), "b-list")

    def feed_links(self, section_url: str) -> Markup:
        return html('<p class="b-subscribe">{}{}{} · {}</p>', self.t("subscribe"), self.words.colon,
                    self.link(urls.rss(section_url), self.t("feed_rss"), type="application/rss+xml"),
                    self.link(urls.atom(section_url), self.t("feed_atom"), type="application/atom+xml"))

    def titled(self, title: str) -> Body:
        return Body().heading(1, title, title_id(title))

    def make(self, title: str, body: Body, *, description: str = "", section: str | None = None,
             search: bool = True, edit: str | None = None, alternate_missing: bool = False,
             updated=None, trail: list[tuple[str, str]] | None = None) -> PageDoc:
        """The page, with the values the templates print (alternates, feeds, ...), each
        escaped here, once: the theme prints them as they are. ``trail``: the pages
        between home and this one, (url, label), for the breadcrumbs."""
        ctx = self.ctx
        lang_feed = urls.home(ctx.lang)
        feeds = [{"title": text(self.t("feed_title_all")), "rss": text(self.href(urls.rss(lang_feed))),
                  "atom": text(self.href(urls.atom(lang_feed)))}]
        if section:
            feeds.append({"title": text(title), "rss": text(self.href(urls.rss(section))),
                          "atom": text(self.href(urls.atom(section)))})
        values: dict[str, Any] = {
            "lang": ctx.lang,
            "url": self.url,
            "alternate": {"lang": ctx.other, "href": text(self.href(urls.swap_language(self.url, ctx.other))),
                          "name": text(ctx.reg.ui["language_name"][ctx.other]),
                          "missing": text(self.t("translation_missing")) if alternate_missing else ""},
            "feeds": feeds,
            "search": search,
            "og_type": "article" if updated else "website",
            "og_locale": OG_LOCALES[ctx.lang],
        }
        if edit:
            values["edit"] = text(edit)
        if updated:
            values["updated"] = updated.isoformat()
        meta = {"title": text(title), "description": text(description or self.t("site_description")),
                "bulletins": values}
        content = body.html()
        if self.url != urls.home(ctx.lang):
            content = html("{}\n{}", self.breadcrumbs(trail or []), content)
        return PageDoc(self.url, ctx.lang, title, content, body.toc(), meta)

    def breadcrumbs(self, trail: list[tuple[str, str]]) -> Markup:
        """Home, then the sections above the page (the page itself is its title, just below)."""
        crumbs = [(urls.home(self.ctx.lang), self.t("home")), *trail]
        return html('<nav class="b-crumbs" aria-label="{}" data-pagefind-ignore><ol>{}</ol></nav>',
                    self.t("breadcrumbs"), join("", (html("<li>{}</li>", self.link(url, label)) for url, label in crumbs)))


def pager(page: Page, section_url: str, number: int, count: int) -> Markup:
    nav = []
    if number > 1:
        nav.append(page.link(urls.paged(section_url, number - 1), page.t("previous_page"), rel="prev"))
    if number < count:
        nav.append(page.link(urls.paged(section_url, number + 1), page.t("next_page"), rel="next"))
    if not nav:
        return Markup("")
    return html('<nav class="b-pager" aria-label="{0}">{0} {1}/{2}{3}{4}</nav>', page.t("page"), number, count,
                page.words.colon, join(" · ", nav))


def paginated(ctx: Context, section_url: str, items: list, per_page: int) -> Iterator[tuple[int, Page, list, Markup]]:
    """(page number, the page, its items, its pager) for each page of ``items``."""
    count = max(1, math.ceil(len(items) / per_page))
    for number in range(1, count + 1):
        page = ctx.at(urls.paged(section_url, number))
        yield number, page, items[(number - 1) * per_page: number * per_page], pager(page, section_url, number, count)


def numbered_title(ctx: Context, title: str, number: int) -> str:
    return f"{title} — {ctx.t('page')} {number}" if number > 1 else title


def later_page(page: Page, title: str, number: int, listing: Body, section: str,
               trail: list[tuple[str, str]], has_feed: bool = True) -> PageDoc:
    """Page 2, 3, … of a paginated list: the list alone, out of search, under its first
    page, announcing the section's feed when it has one."""
    page_title = numbered_title(page.ctx, title, number)
    body = page.titled(page_title).extend(listing)
    return page.make(page_title, body, section=section if has_feed else None, search=False,
                     trail=[*trail, (section, title)])


def latest(page: Page, items: list, limit: int) -> tuple[list, Markup]:
    """The newest ``limit`` items and, when some are left out, a line saying so."""
    if len(items) <= limit:
        return items, Markup("")
    return items[:limit], html('<p class="b-more">{}</p>', page.t("latest_of", shown=limit, total=len(items)))
