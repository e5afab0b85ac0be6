"""Pages: the model and its index → what to render, in which language, at which URL.

Each :class:`PageDoc` is a Markdown document (front matter + body) that any Markdown
site generator can render; structured parts are raw HTML blocks built here, the
bulletin's narrative stays Markdown. Nothing here knows about MkDocs."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import yaml

from . import urls
from .html import a, esc, relative, ul
from .i18n import fold, format_day, sort_key
from .index import SiteIndex
from .model import Action, Bulletin, Site

NARRATIVE = "\x00narrative\x00"  # where the editor's Markdown goes in a page body
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: 20× faster
PER_PAGE = 20  # bulletins per page of an archive, a commune's or a group's list
OCCURRENCES_PER_PAGE = 30  # sentences per page of a difficulty tag
HOME_LATEST = 10
# A commune page shows the newest few of each kind; the rest is one click away (the
# commune's paginated bulletin list, the difficulty's pages), so it stays small at 10,000.
COMMUNE_LATEST = 10
COMMUNE_SENTENCES_PER_TAG = 3


@dataclass
class PageDoc:
    url: str  # site-root-relative, e.g. "vi/communes/ky-lua/"
    lang: str
    title: str
    body: str  # Markdown
    meta: dict = field(default_factory=dict)

    @property
    def src(self) -> str:
        """Path of the Markdown source inside the language's docs folder."""
        return self.url[len(self.lang) + 1:] + "index.md"

    narrative: str = ""  # the editor's Markdown, at NARRATIVE in ``body``

    def front_matter(self) -> str:
        return "---\n" + yaml.dump(self.meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000) + "---\n\n"

    def document(self) -> str:
        """The page as one Markdown document, for any Markdown renderer."""
        return self.front_matter() + self.body.replace(NARRATIVE, self.narrative)

    def split_html(self, token: str, front_matter: bool = True) -> tuple[str, list[str]]:
        """The document with every generated HTML block (a paragraph that starts with '<')
        replaced by ``token + n``, and the blocks: a renderer may paste them back after
        Markdown (:func:`paste_html`), instead of having Markdown re-parse HTML that is
        already final."""
        blocks: list[str] = []
        paragraphs = []
        for paragraph in self.body.split("\n\n"):
            if paragraph.startswith("<"):
                paragraphs.append(f"{token}{len(blocks)}")
                blocks.append(paragraph)
            else:
                paragraphs.append(paragraph)
        text = "\n\n".join(paragraphs).replace(NARRATIVE, self.narrative)
        return (self.front_matter() + text if front_matter else text), blocks


def paste_html(html: str, token: str, blocks: list[str]) -> str:
    """Markdown's output for a document of :meth:`PageDoc.split_html`, blocks put back."""
    if not blocks:
        return html
    return re.sub(rf"<p>{token}(\d+)</p>", lambda m: blocks[int(m.group(1))], html)


class Renderer:
    """Builds the pages of one language."""

    def __init__(self, site: Site, index: SiteIndex | None, lang: str, feeds: list[tuple[str, str, str]]):
        """``index`` may be None to make bulletin pages only (they show no lists)."""
        self.site, self.index, self.lang = site, index, lang
        self.reg = site.registry
        self.other = urls.other_language(lang)
        self.feeds = feeds
        self.url = ""  # URL of the page being built, for relative links

    # --- small pieces -------------------------------------------------------------
    def t(self, key: str, **kwargs) -> str:
        text = self.reg.ui[key][self.lang]
        return text.format(**kwargs) if kwargs else text

    def href(self, to_url: str) -> str:
        return relative(self.url, to_url)

    def commune_name(self, cid: str, with_type: bool = False) -> str:
        commune = self.reg.communes[cid]
        if not with_type:
            return commune.name_vi
        return f"{self.t('ward' if commune.type == 'ward' else 'commune')} {commune.name_vi}"

    def commune_link(self, cid: str, with_type: bool = False) -> str:
        return a(self.href(urls.commune(self.lang, cid)), self.commune_name(cid, with_type))

    def tag_link(self, tag: str) -> str:
        return a(self.href(urls.difficulty(self.lang, tag)), self.reg.tags[tag].label[self.lang])

    def group_link(self, number: int) -> str:
        return a(self.href(urls.group(self.lang, number)), self.reg.groups[number].name[self.lang])

    def bulletin_lang(self, b: Bulletin) -> str:
        return self.lang if self.lang in b.title else b.languages[0]

    def bulletin_link(self, b: Bulletin) -> str:
        lang = self.bulletin_lang(b)
        hreflang = None if lang == self.lang else lang
        return a(self.href(urls.bulletin(lang, b.id)), b.title[lang], hreflang=hreflang, lang=hreflang)

    def day(self, d) -> str:
        return f'<time datetime="{d.isoformat()}">{esc(format_day(d, self.lang))}</time>'

    def person(self, pid: str, day) -> str:
        person = self.reg.people[pid]
        title = person.title_on(day)
        return esc(person.name_vi) + (f", {esc(title.text[self.lang])}" if title else "")

    def communes_inline(self, cids, every: tuple = ()) -> str:
        """Links to ``cids``; empty when they are all the bulletin's communes (``every``)."""
        if every and tuple(cids) == tuple(every):
            return ""
        return ", ".join(self.commune_link(c) for c in cids)

    def bulletin_item(self, b: Bulletin) -> str:
        communes = ", ".join(self.commune_link(c) for c in b.communes)
        return (f'<p class="b-item__title">{self.bulletin_link(b)}</p>'
                f'<p class="b-item__meta">{self.day(b.date)} · {esc(self.reg.groups[b.group].name[self.lang])}'
                f" · {communes}</p>")

    def bulletin_list(self, bulletins) -> str:
        return ul((self.bulletin_item(b) for b in bulletins), "b-list")

    def feed_links(self, section_url: str) -> str:
        return (f'<p class="b-subscribe">{esc(self.t("subscribe"))}: '
                f'{a(self.href(urls.rss(section_url)), self.t("feed_rss"), type="application/rss+xml")} · '
                f'{a(self.href(urls.atom(section_url)), self.t("feed_atom"), type="application/atom+xml")}</p>')

    def fold_words(self, *texts: str, names=()) -> str:
        """Hidden folded copies for search: the words written with đ/Đ (Pagefind folds
        other accents itself, but Đ has no Unicode decomposition), and the names of the
        communes concerned, weighted so that 'dong kinh' ranks Đông Kinh's pages first
        despite the many 'động' and 'kinh tế' of ordinary text."""
        words = dict.fromkeys(w for text in texts for w in re.findall(r"\w+", text) if "đ" in w.lower())
        out = ""
        if names:
            out += f'<p class="b-fold" hidden data-pagefind-weight="10">{esc(" ".join(fold(n) for n in names))}</p>'
        if words:
            out += f'<p class="b-fold" hidden>{esc(" ".join(fold(w) for w in words))}</p>'
        return f"\n{out}\n" if out else ""

    def make(self, url: str, title: str, body: str, *, description: str = "", section: str | None = None,
             search: bool = True, edit: str | None = None, alternate_missing: bool = False,
             updated=None) -> PageDoc:
        """Wrap a body with the front matter the templates read (alternates, feeds, ...)."""
        lang_feed = urls.home(self.lang)
        feeds = [{"title": self.t("feed_title_all"), "rss": self.href(urls.rss(lang_feed)),
                  "atom": self.href(urls.atom(lang_feed))}]
        if section:
            feeds.append({"title": title, "rss": self.href(urls.rss(section)), "atom": self.href(urls.atom(section))})
        meta = {
            "title": title,
            "description": description or self.t("site_description"),
            "bulletins": {
                "lang": self.lang,
                "url": url,
                "alternate": {"lang": self.other, "href": self.href(urls.swap_language(url, self.other)),
                              "name": self.reg.ui["language_name"][self.other],
                              "missing": self.t("translation_missing") if alternate_missing else ""},
                "feeds": feeds,
                "search": search,
            },
        }
        if edit:
            meta["bulletins"]["edit"] = edit
        if updated:
            meta["bulletins"]["updated"] = updated.isoformat()
        return PageDoc(url, self.lang, title, body, meta)

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
        latest = [b for b in self.site.bulletins][:HOME_LATEST]
        entry = ul([a(self.href(urls.communes(self.lang)), self.t("all_communes")),
                    a(self.href(urls.difficulties(self.lang)), self.t("all_tags")),
                    a(self.href(urls.groups(self.lang)), self.t("all_groups")),
                    a(self.href(urls.archive(self.lang)), self.t("all_bulletins"))], "b-entry")
        body = (f"# {esc(self.t('site_name'))}\n\n"
                f'<p class="b-lead">{esc(self.t("site_description"))}</p>\n\n'
                f"{self.search_form()}\n\n{entry}\n\n"
                f"## {esc(self.t('latest_bulletins'))}\n\n{self.bulletin_list(latest)}\n\n"
                f'<p>{a(self.href(urls.archive(self.lang)), self.t("all_bulletins"))}</p>\n\n'
                f"## {esc(self.t('subscribe'))}\n\n<p>{esc(self.t('subscribe_intro'))}</p>\n"
                f"{self.feed_links(urls.home(self.lang))}\n"
                f'<p>{a(self.href(urls.subscribe(self.lang)), self.t("subscribe_page"))}</p>\n')
        return self.make(self.url, self.t("home"), body, search=False)

    def search_form(self) -> str:
        return (f'<form class="b-search" role="search" action="{esc(self.href(urls.search(self.lang)))}">'
                f'<label for="b-q">{esc(self.t("search"))}</label> '
                f'<input id="b-q" type="search" name="q" placeholder="{esc(self.t("search_placeholder"))}">'
                f' <button type="submit">{esc(self.t("search"))}</button></form>')

    def search(self) -> PageDoc:
        self.url = urls.search(self.lang)
        body = (f"# {esc(self.t('search'))}\n\n"
                '<link rel="stylesheet" href="../pagefind/pagefind-ui.css">\n'
                '<div id="b-search"></div>\n'
                '<script src="../pagefind/pagefind-ui.js"></script>\n'
                "<script>\n"
                'const ui = new PagefindUI({element: "#b-search", showSubResults: true, showImages: false});\n'
                'const q = new URLSearchParams(location.search).get("q");\n'
                "if (q) { ui.triggerSearch(q); }\n"
                "</script>\n")
        return self.make(self.url, self.t("search"), body, search=False)

    def subscribe(self) -> PageDoc:
        self.url = urls.subscribe(self.lang)
        rows = "".join(
            f"<tr><td>{esc(title)}</td><td>{a(self.href(rss), 'RSS')}</td><td>{a(self.href(atom), 'Atom')}</td></tr>"
            for title, rss, atom in self.feeds)
        body = (f"# {esc(self.t('subscribe_page'))}\n\n<p>{esc(self.t('subscribe_intro'))}</p>\n\n"
                f'<p>{a(self.href(urls.opml(self.lang)), self.t("opml"))}</p>\n\n'
                f'<div class="b-scroll" tabindex="0"><table><thead><tr><th scope="col">{esc(self.t("feeds"))}</th>'
                f'<th scope="col">RSS</th><th scope="col">Atom</th></tr></thead><tbody>{rows}</tbody></table></div>\n')
        return self.make(self.url, self.t("subscribe_page"), body, search=False)

    def bulletin(self, b: Bulletin) -> PageDoc:
        lang = self.lang
        self.url = urls.bulletin(lang, b.id)
        meta_rows = [(self.t("date"), self.day(b.date)),
                     (self.t("group"), self.group_link(b.group)),
                     (self.t("leader"), self.person(b.leader, b.date))]
        if b.updated:
            meta_rows.append((self.t("updated"), self.day(b.updated)))
        if b.participants:
            meta_rows.append((self.t("participants"), "; ".join(self.person(p, b.date) for p in b.participants)))
        facts = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in meta_rows)
        parts = [f"# {esc(b.title[lang])}\n",
                 f'<p class="b-lead">{esc(b.summary[lang])}</p>\n',
                 f'<dl class="b-facts">{facts}</dl>\n',
                 f"## {esc(self.t('communes_visited'))} {{#communes}}\n",
                 ul(self.commune_link(c, with_type=True) for c in b.communes) + "\n"]
        if b.inspected:
            parts += [f"## {esc(self.t('inspected'))} {{#inspected}}\n",
                      ul(self.commune_link(c, with_type=True) for c in b.inspected) + "\n"]
        if b.figures:
            rows = []
            for f in b.figures:
                value = f"{f.value:,}".replace(",", "\u202f" if lang == "fr" else ".")
                if f.approximate:
                    value = f"{self.t('approximately')} {value}"
                where = self.communes_inline(f.communes, b.communes)
                rows.append(f"<strong>{esc(value)}</strong> {esc(f.label[lang])}" + (f" ({where})" if where else ""))
            parts += [f"## {esc(self.t('figures'))} {{#figures}}\n", ul(rows, "b-figures") + "\n"]
        if b.difficulties:
            items = []
            for d in b.difficulties:
                where = self.communes_inline(d.communes, b.communes)
                items.append(f'<span class="b-tag">{self.tag_link(d.tag)}</span> {esc(d.text[lang])}'
                             + (f' <span class="b-where">({where})</span>' if where else ""))
            parts += [f"## {esc(self.t('difficulties'))} {{#difficulties}}\n", ul(items, "b-difficulties") + "\n"]
        for key, actions in (("recommendations", b.recommendations), ("directives", b.directives)):
            if actions:
                parts += [f"## {esc(self.t(key))} {{#{key}}}\n",
                          ul((self.action(x, b.communes) for x in actions), f"b-{key}") + "\n"]
        parts += [f"## {esc(self.t('narrative'))} {{#narrative}}\n", NARRATIVE]
        if b.source:
            parts.append(f'\n<p class="b-source">{esc(self.t("source"))}: {a(b.source, b.source)}</p>\n')
        body = "\n".join(parts)
        body += self.fold_words(b.title[lang], b.summary[lang], b.body[lang],
                                names=[self.reg.communes[c].name_vi for c in b.communes])
        doc = self.make(self.url, b.title[lang], body, description=b.summary[lang],
                        section=None, edit=b.paths[lang], alternate_missing=self.other not in b.title,
                        updated=b.last_modified)
        doc.narrative = b.body[lang]
        return doc

    def action(self, x: Action, every) -> str:
        extra = []
        where = self.communes_inline(x.communes, every)
        if where:
            extra.append(f"{esc(self.t('concerns'))}: {where}")
        if x.tags:
            extra.append(f"{esc(self.t('answers'))}: " + ", ".join(self.tag_link(t) for t in x.tags))
        return esc(x.text[self.lang]) + (f' <span class="b-where">({"; ".join(extra)})</span>' if extra else "")

    def pager(self, section_url: str, page: int, count: int) -> str:
        nav = []
        if page > 1:
            nav.append(a(self.href(urls.paged(section_url, page - 1)), self.t("previous_page"), rel="prev"))
        if page < count:
            nav.append(a(self.href(urls.paged(section_url, page + 1)), self.t("next_page"), rel="next"))
        if not nav:
            return ""
        return (f'<nav class="b-pager" aria-label="{esc(self.t("page"))}">'
                f'{esc(self.t("page"))} {page}/{count}: {" · ".join(nav)}</nav>')

    def paginated(self, section_url: str, items: list, per_page: int):
        """(page number, url, the page's items, pager) for each page of ``items``."""
        count = max(1, math.ceil(len(items) / per_page))
        for page in range(1, count + 1):
            url = urls.paged(section_url, page)
            self.url = url
            yield page, url, items[(page - 1) * per_page: page * per_page], self.pager(section_url, page, count)

    def later_page(self, url: str, title: str, page: int, listing: str, section: str) -> PageDoc:
        """Page 2, 3, … of a paginated list: the list alone, out of search."""
        page_title = f"{title} — {self.t('page')} {page}"
        return self.make(url, page_title, f"# {esc(page_title)}\n\n{listing}", section=section, search=False)

    def latest(self, items: list, limit: int) -> tuple[list, str]:
        """The newest ``limit`` items and, when some are left out, a line saying so."""
        if len(items) <= limit:
            return items, ""
        return items[:limit], f'<p class="b-more">{esc(self.t("latest_of", shown=limit, total=len(items)))}</p>'

    def archive(self) -> list[PageDoc]:
        out = []
        for page, url, chunk, pager in self.paginated(urls.archive(self.lang), self.site.bulletins, PER_PAGE):
            title = self.t("all_bulletins") + (f" — {self.t('page')} {page}" if page > 1 else "")
            body = f"# {esc(title)}\n\n{self.bulletin_list(chunk)}\n\n{pager}\n"
            out.append(self.make(url, title, body, search=False))
        return out

    def communes(self) -> PageDoc:
        self.url = urls.communes(self.lang)
        reg = self.reg
        body = [f"# {esc(self.t('communes'))}\n"]
        for kind, label in (("ward", "wards"), ("commune", "rural_communes")):
            members = sorted((c for c in reg.communes.values() if c.type == kind),
                             key=lambda c: sort_key(c.name_vi, self.lang))
            rows = "".join(
                f'<tr><th scope="row">{self.commune_link(c.id)}</th>'
                f"<td>{len(self.index.communes[c.id].bulletins)}</td>"
                f"<td>{self.index.communes[c.id].difficulty_count}</td></tr>" for c in members)
            body.append(f"## {esc(self.t(label))} ({len(members)}) {{#{kind}}}\n\n"
                        f'<div class="b-scroll" tabindex="0"><table class="b-communes"><thead><tr>'
                        f'<th scope="col">{esc(self.t("name"))}</th><th scope="col">{esc(self.t("bulletin_count"))}</th>'
                        f'<th scope="col">{esc(self.t("difficulty_count"))}</th></tr></thead><tbody>{rows}</tbody></table></div>\n')
        return self.make(self.url, self.t("communes"), "\n".join(body), search=False)

    def commune(self, cid: str) -> list[PageDoc]:
        """The commune's page (its newest bulletins, difficulties, recommendations,
        directives...) and, past PER_PAGE bulletins, the pages of its older bulletins."""
        section = urls.commune(self.lang, cid)
        view = self.index.communes[cid]
        c = view.commune
        title = self.commune_name(cid, with_type=True)
        out = []
        for page, url, chunk, pager in self.paginated(section, view.bulletins, PER_PAGE):
            heading = f"## {esc(self.t('bulletins'))} ({len(view.bulletins)}) {{#bulletins}}\n"
            if page > 1:
                out.append(self.later_page(url, title, page, f"{heading}\n{self.bulletin_list(chunk)}\n\n{pager}\n",
                                           section))
                continue
            facts = [(self.t("code"), esc(c.code)), (self.t("former_district"), esc(c.former_district))]
            if c.merged_from:
                facts.append((self.t("merged_from"), esc(", ".join(c.merged_from))))
            parts = [f"# {esc(title)}\n",
                     f'<dl class="b-facts">{"".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)}</dl>\n']
            if c.uncertain:
                parts.append(f'<p class="b-note">{esc(self.t("uncertain_note"))}</p>\n')
            parts.append(self.feed_links(section) + "\n")
            if not view.bulletins:
                parts.append(f'<p class="b-empty">{esc(self.t("never_visited"))}</p>\n')
            else:
                parts += [heading, self.bulletin_list(chunk) + "\n" + pager + "\n"]
                parts += self.commune_details(view)
            body = "\n".join(parts) + self.fold_words(names=[c.name_vi])
            out.append(self.make(url, title, body, section=section))
        return out

    def commune_details(self, view) -> list[str]:
        """What was raised in and decided for a commune: the newest of each kind."""
        parts = []
        if view.difficulties:
            parts.append(f"## {esc(self.t('difficulties'))} ({view.difficulty_count}) {{#difficulties}}\n")
            for tag, occurrences in sorted(view.difficulties.items(), key=lambda kv: (
                    -len(kv[1]), sort_key(self.reg.tags[kv[0]].label[self.lang], self.lang))):
                shown, more = self.latest(occurrences, COMMUNE_SENTENCES_PER_TAG)
                parts.append(f"### {esc(self.reg.tags[tag].label[self.lang])} ({len(occurrences)}) {{#tag-{tag}}}\n")
                parts.append(ul((f"{esc(d.text[self.bulletin_lang(b)])} — {self.bulletin_link(b)}, {self.day(b.date)}"
                                 for b, d in shown), "b-occurrences") + "\n" + more
                             + f'<p class="b-more">{self.tag_link(tag)}</p>\n')
        for key, pairs in (("recommendations", view.recommendations), ("directives", view.directives)):
            if pairs:
                shown, more = self.latest(pairs, COMMUNE_LATEST)
                parts += [f"## {esc(self.t(key))} ({len(pairs)}) {{#{key}}}\n",
                          ul((f"{esc(x.text[self.bulletin_lang(b)])} — {self.bulletin_link(b)}, {self.day(b.date)}"
                              for b, x in shown), f"b-{key}") + "\n" + more]
        if view.inspections:
            shown, more = self.latest(view.inspections, COMMUNE_LATEST)
            parts += [f"## {esc(self.t('inspected'))} ({len(view.inspections)}) {{#inspected}}\n",
                      ul((f"{self.bulletin_link(b)}, {self.day(b.date)}" for b in shown)) + "\n" + more]
        if view.figures:
            shown, more = self.latest(view.figures, COMMUNE_LATEST)
            parts += [f"## {esc(self.t('figures'))} {{#figures}}\n",
                      ul((f"<strong>{esc(self.figure_value(f))}</strong> {esc(f.label[self.bulletin_lang(b)])}"
                          f" — {self.bulletin_link(b)}" for b, f in shown)) + "\n" + more]
        return parts

    def figure_value(self, f) -> str:
        value = f"{f.value:,}".replace(",", "\u202f" if self.lang == "fr" else ".")
        return f"{self.t('approximately')} {value}" if f.approximate else value

    def tag_counts(self):
        return sorted(self.index.tags.values(),
                      key=lambda v: (-len(v.occurrences), sort_key(v.tag.label[self.lang], self.lang)))

    def difficulties(self) -> PageDoc:
        self.url = urls.difficulties(self.lang)
        views = self.tag_counts()
        rows = "".join(
            f'<tr><th scope="row">{self.tag_link(v.tag.id)}</th><td>{len(v.occurrences)}</td>'
            f"<td>{len(v.bulletins)}</td><td>{len(v.communes)}</td></tr>" for v in views)
        table = (f'<div class="b-scroll" tabindex="0"><table class="b-tags"><thead><tr>'
                 f'<th scope="col">{esc(self.t("difficulties"))}</th><th scope="col">{esc(self.t("times_raised"))}</th>'
                 f'<th scope="col">{esc(self.t("bulletin_count"))}</th><th scope="col">{esc(self.t("commune_count"))}</th>'
                 f"</tr></thead><tbody>{rows}</tbody></table></div>")
        body = (f"# {esc(self.t('difficulties'))}\n\n{table}\n\n"
                f"## {esc(self.t('chart_caption'))} {{#chart}}\n\n{self.bar_chart(views)}\n\n"
                f"## {esc(self.t('matrix'))} {{#matrix}}\n\n{self.matrix()}\n")
        return self.make(self.url, self.t("difficulties"), body, search=False)

    def bar_chart(self, views) -> str:
        """A static SVG bar chart, readable without JavaScript and by screen readers."""
        label_w, bar_w, row_h = 330, 300, 26
        top = max([len(v.occurrences) for v in views] + [1])
        height = row_h * len(views) + 10
        bars = []
        for i, v in enumerate(views):
            y = 5 + i * row_h
            n = len(v.occurrences)
            w = round(bar_w * n / top, 1)
            bars.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{esc(v.tag.label[self.lang])}</text>'
                        f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}"></rect>'
                        f'<text x="{label_w + w + 6}" y="{y + 17}">{n}</text>')
        return (f'<figure class="b-chart"><div class="b-scroll" tabindex="0"><svg role="img" aria-labelledby="b-chart-title" viewBox="0 0 {label_w + bar_w + 40} {height}" '
                f'xmlns="http://www.w3.org/2000/svg"><title id="b-chart-title">{esc(self.t("chart_caption"))}</title>'
                f'{"".join(bars)}</svg></div><figcaption>{esc(self.t("chart_caption"))}</figcaption></figure>')

    def matrix(self) -> str:
        """Communes × difficulties as an accessible table (communes that raised any)."""
        tags = [v.tag for v in self.tag_counts() if v.occurrences]
        rows_communes = sorted((cid for cid, v in self.index.communes.items() if v.difficulties),
                               key=lambda cid: sort_key(self.reg.communes[cid].name_vi, self.lang))
        head = "".join(f'<th scope="col"><a href="{esc(self.href(urls.difficulty(self.lang, t.id)))}">'
                       f"{esc(t.label[self.lang])}</a></th>" for t in tags)
        rows = []
        for cid in rows_communes:
            cells = "".join(f"<td>{self.index.matrix.get((cid, t.id), 0) or ''}</td>" for t in tags)
            rows.append(f'<tr><th scope="row">{self.commune_link(cid)}</th>{cells}</tr>')
        return (f'<div class="b-scroll" tabindex="0"><table class="b-matrix"><caption>{esc(self.t("matrix_caption"))}</caption>'
                f'<thead><tr><th scope="col">{esc(self.t("name"))}</th>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')

    def difficulty(self, tag: str) -> list[PageDoc]:
        section = urls.difficulty(self.lang, tag)
        view = self.index.tags[tag]
        label = view.tag.label[self.lang]
        out = []
        for page, url, chunk, pager in self.paginated(section, view.occurrences, OCCURRENCES_PER_PAGE):
            occurrences = (f"## {esc(self.t('occurrences'))} ({len(view.occurrences)}) {{#occurrences}}\n\n"
                           + ul((f"{esc(d.text[self.bulletin_lang(b)])}<br><span class=\"b-where\">"
                                 f"{', '.join(self.commune_link(c) for c in d.communes)} — {self.bulletin_link(b)}, "
                                 f"{self.day(b.date)}</span>" for b, d in chunk), "b-occurrences") + "\n" + pager + "\n")
            if page > 1:
                out.append(self.later_page(url, label, page, occurrences, section))
                continue
            communes = sorted(view.communes.items(), key=lambda kv: sort_key(self.reg.communes[kv[0]].name_vi, self.lang))
            parts = [f"# {esc(label)}\n",
                     f'<p class="b-lead">{esc(view.tag.definition[self.lang])}</p>\n',
                     f'<dl class="b-facts"><dt>{esc(self.t("bulletin_count"))}</dt><dd>{len(view.bulletins)}</dd>'
                     f'<dt>{esc(self.t("commune_count"))}</dt><dd>{len(view.communes)}</dd>'
                     f'<dt>{esc(self.t("times_raised"))}</dt><dd>{len(view.occurrences)}</dd></dl>\n',
                     self.feed_links(section) + "\n"]
            if not view.occurrences:
                parts.append(f'<p class="b-empty">{esc(self.t("no_difficulty"))}</p>\n')
            else:
                parts += [f"## {esc(self.t('raised_in'))} {{#communes}}\n",
                          ul((f"{self.commune_link(cid)} ({n})" for cid, n in communes), "b-inline") + "\n",
                          occurrences]
            out.append(self.make(url, label, "\n".join(parts), description=view.tag.definition[self.lang],
                                 section=section))
        return out

    def groups(self) -> PageDoc:
        self.url = urls.groups(self.lang)
        rows = []
        for n, view in sorted(self.index.groups.items()):
            leader = (esc(self.reg.people[view.leaders[0]].name_vi) if view.leaders else "")
            rows.append(f'<tr><th scope="row">{self.group_link(n)}</th><td>{leader}</td><td>{len(view.bulletins)}</td></tr>')
        body = (f"# {esc(self.t('groups'))}\n\n<div class=\"b-scroll\" tabindex=\"0\"><table><thead><tr>"
                f'<th scope="col">{esc(self.t("group"))}</th><th scope="col">{esc(self.t("leader"))}</th>'
                f'<th scope="col">{esc(self.t("bulletin_count"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>\n')
        return self.make(self.url, self.t("groups"), body, search=False)

    def group(self, n: int) -> list[PageDoc]:
        section = urls.group(self.lang, n)
        view = self.index.groups[n]
        name = view.group.name[self.lang]
        out = []
        for page, url, chunk, pager in self.paginated(section, view.bulletins, PER_PAGE):
            listing = (f"## {esc(self.t('bulletins'))} ({len(view.bulletins)}) {{#bulletins}}\n\n"
                       + (self.bulletin_list(chunk) or '<p class="b-empty">—</p>') + "\n" + pager + "\n")
            if page > 1:
                out.append(self.later_page(url, name, page, listing, section))
                continue
            leaders = [self.person(pid, next(b for b in view.bulletins if b.leader == pid).date)
                       for pid in view.leaders]
            parts = [f"# {esc(name)}\n"]
            if leaders:
                parts.append(f'<dl class="b-facts"><dt>{esc(self.t("leader"))}</dt><dd>{"<br>".join(leaders)}</dd></dl>\n')
            parts += [self.feed_links(section) + "\n", listing]
            out.append(self.make(url, name, "\n".join(parts), section=section))
        return out

    def static(self, page) -> PageDoc:
        self.url = urls.static_page(self.lang, page.id)
        body = f"# {esc(page.title[self.lang])}\n\n{NARRATIVE}"
        doc = self.make(self.url, page.title[self.lang], body, edit=page.paths[self.lang],
                        alternate_missing=self.other not in page.title)
        doc.narrative = page.body[self.lang]
        return doc


def build_pages(site: Site, index: SiteIndex, lang: str, feeds: list[tuple[str, str, str]]) -> list[PageDoc]:
    """Every page of one language."""
    return Renderer(site, index, lang, feeds).pages()


def sitemap_xml(docs: list[PageDoc], root_url: str) -> str:
    """The sitemap of one language: every page's absolute URL, bulletins with their date."""
    rows = []
    for doc in docs:
        updated = doc.meta.get("bulletins", {}).get("updated")
        lastmod = f"<lastmod>{updated}</lastmod>" if updated else ""
        rows.append(f"<url><loc>{esc(root_url + doc.url)}</loc>{lastmod}</url>\n")
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
