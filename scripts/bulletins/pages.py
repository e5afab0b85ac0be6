"""Pages: the model and its index → what to render, in which language, at which URL.

Each :class:`PageDoc` is a page's final HTML content (the theme wraps it), its headings
for the table of contents, and the values the templates print. Every text from content
or registries becomes HTML through :mod:`bulletins.html` (escaped unless Markup) and
every editor's body through :mod:`bulletins.narrative` (sanitized): no page is ever
assembled by pasting a string. Nothing here knows about MkDocs."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import yaml
from markdown.extensions.toc import nest_toc_tokens

from . import facts, urls
from .facts import Words
from .html import Markup, a, html, join, relative, script_json, text, ul
from .i18n import fold, slugify, sort_key
from .index import SiteIndex
from .model import Bulletin, Site
from .narrative import Narrative, NarrativeConverter

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: 20× faster
PER_PAGE = 20  # bulletins per page of an archive, a group's list, or visits per page of a commune
OCCURRENCES_PER_PAGE = 30  # sentences per page of a difficulty tag
HOME_LATEST = 10
OG_LOCALES = {"vi": "vi_VN", "fr": "fr_FR"}  # Open Graph's locale of each language
CHART_LABEL_CHARS = 48  # a chart label longer than this wraps onto a second line


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` characters, cut between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


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

    def extend(self, other: Body) -> Body:
        """Append another body's content and headings (a list built before its page)."""
        self.parts += other.parts
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


class Renderer:
    """Builds the pages of one language."""

    def __init__(self, site: Site, index: SiteIndex | None, lang: str, feeds: list[tuple[str, str, str]]):
        """``index`` may be None to make bulletin pages only (they show no lists)."""
        self.site, self.index, self.lang = site, index, lang
        self.reg = site.registry
        self.other = urls.other_language(lang)
        self.feeds = feeds
        self.url = ""  # URL of the page being built, for relative links
        self.words = Words(self.reg, lang, self.href)
        self.narratives = NarrativeConverter()

    # --- small pieces -------------------------------------------------------------
    def t(self, key: str, **kwargs) -> str:
        return self.words.t(key, **kwargs)

    def href(self, to_url: str) -> str:
        return relative(self.url, to_url)

    def bulletin_lang(self, b: Bulletin) -> str:
        return self.lang if self.lang in b.title else b.languages[0]

    def bulletin_link(self, b: Bulletin) -> Markup:
        lang = self.bulletin_lang(b)
        hreflang = None if lang == self.lang else lang
        return a(self.href(urls.bulletin(lang, b.id)), b.title[lang], hreflang=hreflang, lang=hreflang)

    def bulletin_item(self, b: Bulletin, summary: bool = False) -> Markup:
        w = self.words
        item = html('<p class="b-item__title">{}</p><p class="b-item__meta">{} · {} · {}</p>',
                    self.bulletin_link(b), w.day(b.date), self.reg.groups[b.group].name[self.lang],
                    join(", ", (w.commune_link(c) for c in b.communes)))
        if summary:
            item += html('<p class="b-item__summary">{}</p>', b.summary[self.bulletin_lang(b)])
        return item

    def bulletin_list(self, bulletins) -> Markup:
        return ul((self.bulletin_item(b) for b in bulletins), "b-list")

    def feed_links(self, section_url: str) -> Markup:
        return html('<p class="b-subscribe">{}{}{} · {}</p>', self.t("subscribe"), self.words.colon,
                    a(self.href(urls.rss(section_url)), self.t("feed_rss"), type="application/rss+xml"),
                    a(self.href(urls.atom(section_url)), self.t("feed_atom"), type="application/atom+xml"))

    def fold_words(self, *texts: str, names=()) -> Markup:
        """Hidden folded copies for search: the words written with đ/Đ (Pagefind folds
        other accents itself, but Đ has no Unicode decomposition), and the names of the
        communes concerned, weighted so that 'dong kinh' ranks Đông Kinh's pages first
        despite the many 'động' and 'kinh tế' of ordinary text."""
        words = dict.fromkeys(w for t in texts for w in re.findall(r"\w+", t) if "đ" in w.lower())
        out = []
        if names:
            out.append(html('<p class="b-fold" hidden data-pagefind-weight="10">{}</p>',
                            " ".join(fold(n) for n in names)))
        if words:
            out.append(html('<p class="b-fold" hidden>{}</p>', " ".join(fold(w) for w in words)))
        return join("", out)

    def make(self, url: str, title: str, body: Body, *, description: str = "", section: str | None = None,
             search: bool = True, edit: str | None = None, alternate_missing: bool = False,
             updated=None) -> PageDoc:
        """The page, with the values the templates print (alternates, feeds, ...), each
        escaped here, once: the theme prints them as they are."""
        lang_feed = urls.home(self.lang)
        feeds = [{"title": text(self.t("feed_title_all")), "rss": text(self.href(urls.rss(lang_feed))),
                  "atom": text(self.href(urls.atom(lang_feed)))}]
        if section:
            feeds.append({"title": text(title), "rss": text(self.href(urls.rss(section))),
                          "atom": text(self.href(urls.atom(section)))})
        meta = {
            "title": text(title),
            "description": text(description or self.t("site_description")),
            "bulletins": {
                "lang": self.lang,
                "url": url,
                "alternate": {"lang": self.other, "href": text(self.href(urls.swap_language(url, self.other))),
                              "name": text(self.reg.ui["language_name"][self.other]),
                              "missing": text(self.t("translation_missing")) if alternate_missing else ""},
                "feeds": feeds,
                "search": search,
                "og_type": "article" if updated else "website",
                "og_locale": OG_LOCALES[self.lang],
            },
        }
        if edit:
            meta["bulletins"]["edit"] = text(edit)
        if updated:
            meta["bulletins"]["updated"] = updated.isoformat()
        return PageDoc(url, self.lang, title, body.html(), body.toc(), meta)

    def titled(self, title: str) -> Body:
        return Body().heading(1, title, title_id(title))

    # --- pages ------------------------------------------------------------------------
    def pages(self) -> list[PageDoc]:
        out = [self.home(), self.subscribe(), self.search()]
        out += [self.bulletin(b) for b in self.site.bulletins if self.lang in b.title]
        out += self.archive()
        out.append(self.communes())
        out += [page for cid in self.reg.communes for page in self.commune(cid)]
        out.append(self.difficulties())
        out += [page for tag in self.reg.tags for page in self.difficulty(tag)]
        out.append(self.groups())
        out += [page for n in self.reg.groups for page in self.group(n)]
        out += [self.static(p) for p in self.site.pages if self.lang in p.title]
        return out

    def home(self) -> PageDoc:
        self.url = urls.home(self.lang)
        latest = self.site.bulletins[:HOME_LATEST]
        entry = ul([a(self.href(urls.communes(self.lang)), self.t("all_communes")),
                    a(self.href(urls.difficulties(self.lang)), self.t("all_tags")),
                    a(self.href(urls.groups(self.lang)), self.t("all_groups")),
                    a(self.href(urls.archive(self.lang)), self.t("all_bulletins"))], "b-entry")
        body = self.titled(self.t("site_name"))
        body.add(html('<p class="b-lead">{}</p>', self.t("site_description")), self.home_context(),
                 self.search_form(), entry)
        body.heading(2, self.t("key_figures"), "figures").add(self.key_figures())
        body.heading(2, self.t("latest_bulletins"), "latest")
        body.add(ul((self.bulletin_item(b, summary=True) for b in latest), "b-list"),
                 html("<p>{}</p>", a(self.href(urls.archive(self.lang)), self.t("all_bulletins"))))
        body.heading(2, self.t("subscribe"), "subscribe")
        body.add(html("<p>{}</p>", self.t("subscribe_intro")), self.feed_links(urls.home(self.lang)),
                 html("<p>{}</p>", a(self.href(urls.subscribe(self.lang)), self.t("subscribe_page"))))
        return self.make(self.url, self.t("home"), body, search=False)

    def home_context(self) -> Markup:
        """The reform the site follows, with the number of units counted in the registry."""
        units = list(self.reg.communes.values())
        wards = sum(c.type == "ward" for c in units)
        return html('<p class="b-context">{}</p>', self.t("home_context", units=len(units), wards=wards,
                                                           communes=len(units) - wards))

    def key_figures(self) -> Markup:
        """Counted from the content: bulletins, units visited out of all, the difficulties
        raised most often."""
        visited = sum(1 for view in self.index.communes.values() if view.bulletins)
        top = [v for v in self.tag_counts() if v.occurrences][:3]
        rows = [(self.t("bulletin_count"), str(len(self.site.bulletins))),
                (self.t("units_visited"), self.t("of_total", shown=visited, total=len(self.reg.communes)))]
        if top:
            rows.append((self.t("most_raised"), join(", ", (html("{} ({})", self.words.tag_link(v.tag.id),
                                                                 len(v.occurrences)) for v in top))))
        return html('<dl class="b-facts">{}</dl>', join("", (html("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in rows)))

    def search_form(self) -> Markup:
        return html('<form class="b-search" role="search" action="{}"><label for="b-q">{}</label> '
                    '<input id="b-q" type="search" name="q" placeholder="{}"> <button type="submit">{}</button></form>',
                    self.href(urls.search(self.lang)), self.t("search"), self.t("search_placeholder"),
                    self.t("search"))

    def search(self) -> PageDoc:
        self.url = urls.search(self.lang)
        body = self.titled(self.t("search"))
        options = {"element": "#b-search", "showSubResults": True, "showImages": False,
                   "translations": {"clear_search": self.t("search_clear")}}
        body.add(html('<link rel="stylesheet" href="../pagefind/pagefind-ui.css">\n'
                      '<div id="b-search"></div>\n'
                      '<script src="../pagefind/pagefind-ui.js"></script>\n'
                      "<script>\n"
                      "const ui = new PagefindUI({});\n"
                      'const q = new URLSearchParams(location.search).get("q");\n'
                      "if (q) {{ ui.triggerSearch(q); }}\n"
                      "</script>", script_json(options)))
        return self.make(self.url, self.t("search"), body, search=False)

    def subscribe(self) -> PageDoc:
        """Every feed, by section: the province, the groups, the difficulties, then the
        communes from A to Z (in Vietnamese order)."""
        self.url = urls.subscribe(self.lang)
        body = self.titled(self.t("subscribe_page"))
        body.add(html("<p>{}</p>", self.t("subscribe_intro")),
                 html("<p>{}</p>", a(self.href(urls.opml(self.lang)), self.t("opml"))))
        sections = {"all": [], "groups": [], "difficulties": [], "communes": []}
        for title, rss, atom in self.feeds:
            kind = rss.split("/")[1] if rss.count("/") > 1 else "all"
            sections[kind].append((title, rss, atom))
        sections["communes"].sort(key=lambda feed: sort_key(self.reg.communes[feed[1].split("/")[2]].name_vi,
                                                              self.lang))
        for kind, key in (("all", "feed_title_all"), ("groups", "groups"), ("difficulties", "difficulties"),
                          ("communes", "communes")):
            rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', title,
                                  a(self.href(rss), "RSS"), a(self.href(atom), "Atom"))
                             for title, rss, atom in sections[kind]))
            body.heading(2, self.t(key), f"feeds-{kind}")
            body.add(html('<div class="b-scroll" tabindex="0"><table class="b-feeds"><thead><tr><th scope="col">{}'
                          '</th><th scope="col">RSS</th><th scope="col">Atom</th></tr></thead><tbody>{}</tbody>'
                          "</table></div>", self.t("feeds"), rows))
        return self.make(self.url, self.t("subscribe_page"), body, search=False)

    def bulletin(self, b: Bulletin) -> PageDoc:
        lang = self.lang
        self.url = urls.bulletin(lang, b.id)
        body = self.titled(b.title[lang])
        body.add(html('<p class="b-lead">{}</p>', b.summary[lang]), facts.details(b, self.words))
        for section in facts.sections(b, self.words):
            body.heading(2, section.title, section.id).add(section.html)
        body.heading(2, self.t("narrative"), "narrative")
        body.narrative(self.narratives.convert(b.body[lang], lang, reserved=body.ids))
        body.add(facts.source(b, self.words))
        body.add(self.fold_words(b.title[lang], b.summary[lang], b.body[lang],
                                 names=[self.reg.communes[c].name_vi for c in b.communes]))
        return self.make(self.url, b.title[lang], body, description=b.summary[lang], section=None,
                         edit=b.paths[lang], alternate_missing=self.other not in b.title, updated=b.last_modified)

    def pager(self, section_url: str, page: int, count: int) -> Markup:
        nav = []
        if page > 1:
            nav.append(a(self.href(urls.paged(section_url, page - 1)), self.t("previous_page"), rel="prev"))
        if page < count:
            nav.append(a(self.href(urls.paged(section_url, page + 1)), self.t("next_page"), rel="next"))
        if not nav:
            return Markup("")
        return html('<nav class="b-pager" aria-label="{0}">{0} {1}/{2}{3}{4}</nav>', self.t("page"), page, count,
                    self.words.colon, join(" · ", nav))

    def paginated(self, section_url: str, items: list, per_page: int):
        """(page number, url, the page's items, pager) for each page of ``items``."""
        count = max(1, math.ceil(len(items) / per_page))
        for page in range(1, count + 1):
            url = urls.paged(section_url, page)
            self.url = url
            yield page, url, items[(page - 1) * per_page: page * per_page], self.pager(section_url, page, count)

    def page_title(self, title: str, page: int) -> str:
        return f"{title} — {self.t('page')} {page}" if page > 1 else title

    def later_page(self, url: str, title: str, page: int, listing: Body, section: str) -> PageDoc:
        """Page 2, 3, … of a paginated list: the list alone, out of search."""
        page_title = self.page_title(title, page)
        body = self.titled(page_title)
        body.extend(listing)
        return self.make(url, page_title, body, section=section, search=False)

    def latest(self, items: list, limit: int) -> tuple[list, Markup]:
        """The newest ``limit`` items and, when some are left out, a line saying so."""
        if len(items) <= limit:
            return items, Markup("")
        return items[:limit], html('<p class="b-more">{}</p>', self.t("latest_of", shown=limit, total=len(items)))

    def archive(self) -> list[PageDoc]:
        out = []
        for page, url, chunk, pager in self.paginated(urls.archive(self.lang), self.site.bulletins, PER_PAGE):
            title = self.page_title(self.t("all_bulletins"), page)
            out.append(self.make(url, title, self.titled(title).add(self.bulletin_list(chunk), pager), search=False))
        return out

    def communes(self) -> PageDoc:
        self.url = urls.communes(self.lang)
        w = self.words
        body = self.titled(self.t("communes"))
        for kind, label in (("ward", "wards"), ("commune", "rural_communes")):
            members = sorted((c for c in self.reg.communes.values() if c.type == kind),
                             key=lambda c: sort_key(c.name_vi, self.lang))
            rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', w.commune_link(c.id),
                                  len(self.index.communes[c.id].bulletins), self.index.communes[c.id].difficulty_count)
                             for c in members))
            body.heading(2, f"{self.t(label)} ({len(members)})", kind)
            body.add(html('<div class="b-scroll" tabindex="0"><table class="b-communes"><thead><tr>'
                          '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
                          "<tbody>{}</tbody></table></div>", self.t("name"), self.t("bulletin_count"),
                          self.t("difficulty_count"), rows))
        return self.make(self.url, self.t("communes"), body, search=False)

    def commune(self, cid: str) -> list[PageDoc]:
        """The commune's page, organised by visit: each bulletin once, with what was
        raised there, what the commune asked for and what was directed; at a glance
        first. Past PER_PAGE visits, the older ones are on later pages."""
        section = urls.commune(self.lang, cid)
        view = self.index.communes[cid]
        c = view.commune
        title = self.words.commune_name(cid, with_type=True)
        out = []
        for page, url, chunk, pager in self.paginated(section, view.bulletins, PER_PAGE):
            visits = Body().heading(2, f"{self.t('visits')} ({len(view.bulletins)})", "visits")
            for b in chunk:
                self.visit(b, cid, visits)
            visits.add(pager)
            if page > 1:
                out.append(self.later_page(url, title, page, visits, section))
                continue
            rows = [(self.t("code"), c.code), (self.t("former_district"), self.words.unit(c.former_district))]
            if c.merged_from:
                rows.append((self.t("merged_from"), ", ".join(self.words.unit(u) for u in c.merged_from)))
            body = self.titled(title)
            body.add(html('<dl class="b-facts">{}</dl>',
                          join("", (html("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in rows))))
            if c.uncertain:
                body.add(html('<p class="b-note">{}</p>', self.t("uncertain_note")))
            if not view.bulletins:
                body.add(html('<p class="b-empty">{}</p>', self.t("never_visited")))
                self.same_district(c, body)
                body.add(html("<p>{}</p>", self.t("follow_unit")), self.feed_links(section))
            else:
                body.heading(2, self.t("at_a_glance"), "glance").add(self.at_a_glance(view), self.feed_links(section))
                body.extend(visits)
            body.add(self.fold_words(names=[c.name_vi]))
            out.append(self.make(url, title, body, section=section))
        return out

    def at_a_glance(self, view) -> Markup:
        """Visits, the last one, and the difficulties raised here (newest bulletins first)."""
        rows = [(self.t("visits"), str(len(view.bulletins))),
                (self.t("last_visit"), html("{} ({})", self.words.day(view.bulletins[0].date),
                                            self.bulletin_link(view.bulletins[0])))]
        tags = sorted(view.difficulties.items(), key=lambda kv: (-len(kv[1]), sort_key(
            self.reg.tags[kv[0]].label[self.lang], self.lang)))
        rows.append((self.t("difficulties"), join(", ", (html("{} ({})", self.words.tag_link(tag), len(items))
                                                         for tag, items in tags)) or self.t("none_reported")))
        return html('<dl class="b-facts">{}</dl>', join("", (html("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in rows)))

    def visit(self, b: Bulletin, cid: str, body: Body) -> None:
        """One visit as the commune's page shows it: its bulletin once, then what concerns
        the commune in it, each kind apart (what it raised, asked for, was directed to)."""
        lang, w = self.bulletin_lang(b), self.words
        body.heading(3, f"{w.locale.date(b.date)} · {self.reg.groups[b.group].name[self.lang]}", f"visit-{b.id}")
        parts = [html('<p class="b-visit__bulletin">{}</p>', self.bulletin_link(b))]
        kinds = [("raised_here", [html('<span class="b-tag">{}</span> {}', w.tag_link(d.tag), d.text[lang])
                                  for d in b.difficulties if cid in d.communes]),
                 ("recommendations", [html("{}", x.text[lang]) for x in b.recommendations if cid in x.communes]),
                 ("directives", [html("{}", x.text[lang]) for x in b.directives if cid in x.communes]),
                 ("figures", [html("<strong>{}</strong> {}", w.figure_value(f), f.label[lang])
                              for f in b.figures if cid in f.communes])]
        for key, items in kinds:
            if items:
                parts.append(html('<p class="b-visit__kind">{}</p>{}', self.t(key), ul(items, f"b-{key}")))
        if cid in b.inspected:
            parts.append(html('<p class="b-note">{}</p>', self.t("inspected_here")))
        body.add(html('<div class="b-visit">{}</div>', join("", parts)))

    def same_district(self, c, body: Body) -> None:
        """For a unit no group has visited: the other units of its former district, visited or not."""
        others = sorted((o for o in self.reg.communes.values() if o.former_district == c.former_district
                         and o.id != c.id), key=lambda o: sort_key(o.name_vi, self.lang))
        if not others:
            return
        body.heading(2, self.t("same_district", district=self.words.unit(c.former_district)), "district")
        items = []
        for o in others:
            visits = self.index.communes[o.id].bulletins
            status = (self.t("visited_on", date=self.words.locale.date(visits[0].date)) if visits
                      else self.t("not_yet_visited"))
            items.append(html("{} — {}", self.words.commune_link(o.id, with_type=True), status))
        body.add(ul(items, "b-district"))

    def tag_counts(self):
        return sorted(self.index.tags.values(),
                      key=lambda v: (-len(v.occurrences), sort_key(v.tag.label[self.lang], self.lang)))

    def difficulties(self) -> PageDoc:
        self.url = urls.difficulties(self.lang)
        views = self.tag_counts()
        rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
                              self.words.tag_link(v.tag.id), len(v.occurrences), len(v.bulletins), len(v.communes))
                         for v in views))
        body = self.titled(self.t("difficulties"))
        body.add(html('<div class="b-scroll" tabindex="0"><table class="b-tags"><thead><tr>'
                      '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
                      "</tr></thead><tbody>{}</tbody></table></div>", self.t("difficulties"), self.t("times_raised"),
                      self.t("bulletin_count"), self.t("commune_count"), rows))
        body.heading(2, self.t("chart_caption"), "chart").add(self.bar_chart(views))
        body.heading(2, self.t("matrix"), "matrix").add(self.matrix())
        return self.make(self.url, self.t("difficulties"), body, search=False)

    def bar_chart(self, views) -> Markup:
        """A static SVG bar chart, readable without JavaScript and by screen readers. Each
        label stands above its bar (wrapped on two lines when long), so the chart scales
        to any width through its viewBox and every value stays inside it."""
        width, value_room, bar_h, line_h = 360, 34, 12, 15
        top = max([len(v.occurrences) for v in views] + [1])
        rows, y = [], 4
        for v in views:
            n = len(v.occurrences)
            lines = wrap(v.tag.label[self.lang], CHART_LABEL_CHARS)
            label = join("", (html('<tspan x="0" dy="{}">{}</tspan>', 0 if i == 0 else line_h, line)
                              for i, line in enumerate(lines)))
            y += line_h
            bar_y = y + (len(lines) - 1) * line_h + 5
            w = round((width - value_room) * n / top, 1)
            rows.append(html('<text y="{}">{}</text><rect x="0" y="{}" width="{}" height="{}"></rect>'
                             '<text class="b-chart__n" x="{}" y="{}">{}</text>',
                             y, label, bar_y, w, bar_h, w + 5, bar_y + bar_h - 2, n))
            y = bar_y + bar_h + 10
        return html('<figure class="b-chart"><svg role="img" aria-labelledby="b-chart-title" viewBox="0 0 {} {}" '
                    'xmlns="http://www.w3.org/2000/svg"><title id="b-chart-title">{}</title>{}</svg>'
                    "<figcaption>{}</figcaption></figure>",
                    width, y, self.t("chart_caption"), join("", rows), self.t("chart_caption"))

    def matrix(self) -> Markup:
        """Communes × difficulties (communes that raised any) in a box that scrolls both
        ways with the commune column and the header row held in place; each cell is shaded
        by its count, and one with a count is named for screen readers ("Kỳ Lừa — Thiếu cán
        bộ: 1"; an empty cell has its row and column headers, and a name on each would
        weigh 100 KB at 1,000 bulletins)."""
        tags = [v.tag for v in self.tag_counts() if v.occurrences]
        rows_communes = sorted((cid for cid, v in self.index.communes.items() if v.difficulties),
                               key=lambda cid: sort_key(self.reg.communes[cid].name_vi, self.lang))
        head = join("", (html('<th scope="col">{}</th>', self.words.tag_link(t.id)) for t in tags))
        rows = []
        for cid in rows_communes:
            name = self.reg.communes[cid].name_vi
            cells = []
            for t in tags:
                n = self.index.matrix.get((cid, t.id), 0)
                if n:
                    label = f"{name} — {t.label[self.lang]}{self.words.colon}{n}"
                    cells.append(html('<td class="b-n{}" aria-label="{}">{}</td>', min(n, 3), label, n))
                else:
                    cells.append(Markup('<td class="b-n0"></td>'))
            rows.append(html('<tr><th scope="row">{}</th>{}</tr>', self.words.commune_link(cid), join("", cells)))
        return html('<p class="b-hint">{}</p><div class="b-scroll b-matrix-box" tabindex="0" role="region" '
                    'aria-label="{}"><table class="b-matrix"><caption>{}</caption>'
                    '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>',
                    self.t("matrix_hint"), self.t("matrix"), self.t("matrix_caption"), self.t("name"), head,
                    join("", rows))

    def difficulty(self, tag: str) -> list[PageDoc]:
        section = urls.difficulty(self.lang, tag)
        view = self.index.tags[tag]
        label = view.tag.label[self.lang]
        w = self.words
        out = []
        for page, url, chunk, pager in self.paginated(section, view.occurrences, OCCURRENCES_PER_PAGE):
            occurrences = Body().heading(2, f"{self.t('occurrences')} ({len(view.occurrences)})", "occurrences")
            occurrences.add(ul((html('{}<br><span class="b-where">{} — {}, {}</span>', d.text[self.bulletin_lang(b)],
                                     join(", ", (w.commune_link(c) for c in d.communes)), self.bulletin_link(b),
                                     w.day(b.date)) for b, d in chunk), "b-occurrences"), pager)
            if page > 1:
                out.append(self.later_page(url, label, page, occurrences, section))
                continue
            communes = sorted(view.communes.items(), key=lambda kv: sort_key(self.reg.communes[kv[0]].name_vi, self.lang))
            body = self.titled(label)
            body.add(html('<p class="b-lead">{}</p>', view.tag.definition[self.lang]),
                     html('<dl class="b-facts"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>',
                          self.t("bulletin_count"), len(view.bulletins), self.t("commune_count"), len(view.communes),
                          self.t("times_raised"), len(view.occurrences)),
                     self.feed_links(section))
            if not view.occurrences:
                body.add(html('<p class="b-empty">{}</p>', self.t("no_difficulty")))
            else:
                body.heading(2, self.t("raised_in"), "communes")
                body.add(ul((html("{} ({})", w.commune_link(cid), n) for cid, n in communes), "b-inline"))
            if view.answers:
                shown, more = self.latest(view.answers, OCCURRENCES_PER_PAGE)
                body.heading(2, f"{self.t('answers_heading')} ({len(view.answers)})", "answers")
                body.add(ul((html('<span class="b-kind">{}{}</span>{}<br><span class="b-where">{}, {}</span>',
                                  self.t(kind), w.colon, x.text[self.bulletin_lang(b)], self.bulletin_link(b), w.day(b.date))
                             for b, kind, x in shown), "b-answers"), more)
            if view.occurrences:
                body.extend(occurrences)
            out.append(self.make(url, label, body, description=view.tag.definition[self.lang], section=section))
        return out

    def groups(self) -> PageDoc:
        self.url = urls.groups(self.lang)
        rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', self.words.group_link(n),
                              self.reg.people[view.leaders[0]].shown_name if view.leaders else "", len(view.bulletins))
                         for n, view in sorted(self.index.groups.items())))
        body = self.titled(self.t("groups"))
        body.add(html('<div class="b-scroll" tabindex="0"><table><thead><tr><th scope="col">{}</th>'
                      '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table></div>',
                      self.t("group"), self.t("leader"), self.t("bulletin_count"), rows))
        return self.make(self.url, self.t("groups"), body, search=False)

    def group(self, n: int) -> list[PageDoc]:
        section = urls.group(self.lang, n)
        view = self.index.groups[n]
        name = view.group.name[self.lang]
        out = []
        for page, url, chunk, pager in self.paginated(section, view.bulletins, PER_PAGE):
            listing = Body().heading(2, f"{self.t('bulletins')} ({len(view.bulletins)})", "bulletins")
            listing.add(self.bulletin_list(chunk) or Markup('<p class="b-empty">—</p>'), pager)
            if page > 1:
                out.append(self.later_page(url, name, page, listing, section))
                continue
            leaders = [self.words.person(pid, next(b for b in view.bulletins if b.leader == pid).date)
                       for pid in view.leaders]
            body = self.titled(name)
            if leaders:
                body.add(html('<dl class="b-facts"><dt>{}</dt><dd>{}</dd></dl>', self.t("leader"),
                              join("<br>", leaders)))
            body.add(self.feed_links(section))
            body.extend(listing)
            out.append(self.make(url, name, body, section=section))
        return out

    def static(self, page) -> PageDoc:
        self.url = urls.static_page(self.lang, page.id)
        body = self.titled(page.title[self.lang])
        body.narrative(self.narratives.convert(page.body[self.lang], self.lang, reserved=body.ids))
        return self.make(self.url, page.title[self.lang], body, edit=page.paths[self.lang],
                         alternate_missing=self.other not in page.title)


def build_pages(site: Site, index: SiteIndex, lang: str, feeds: list[tuple[str, str, str]]) -> list[PageDoc]:
    """Every page of one language."""
    return Renderer(site, index, lang, feeds).pages()


def sitemap_xml(docs: list[PageDoc], root_url: str) -> str:
    """The sitemap of one language: every page's absolute URL, bulletins with their date."""
    rows = []
    for doc in docs:
        updated = doc.meta.get("bulletins", {}).get("updated")
        lastmod = f"<lastmod>{updated}</lastmod>" if updated else ""
        rows.append(f"<url><loc>{text(root_url + doc.url)}</loc>{lastmod}</url>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(rows) + "</urlset>\n")


def searchable_glob(docs: list[PageDoc]) -> str:
    """A glob of the HTML files of the searchable pages (inside the language's folder),
    so that the search indexer does not read the ~30 % of pages it would skip anyway.
    ``bulletins/*/index.html`` stands for a folder's pages when it matches no other page."""
    searchable = [doc.src.replace("index.md", "index.html") for doc in docs if doc.meta["bulletins"]["search"]]
    others = [doc.src.replace("index.md", "index.html") for doc in docs if not doc.meta["bulletins"]["search"]]
    patterns = set()
    for path in searchable:
        parts = path.split("/")
        pattern = "/".join(parts[:-2] + ["*", parts[-1]]) if len(parts) > 2 else path
        wildcard = re.compile(re.escape(pattern).replace(r"\*", "[^/]*") + "$")
        patterns.add(path if any(wildcard.match(other) for other in others) else pattern)
    return "{" + ",".join(sorted(patterns)) + "}"
