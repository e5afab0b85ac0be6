"""RSS 2.0 and Atom 1.0 feeds, per language, commune, difficulty tag and working group,
plus one OPML file per language that lists them all.

Independent of the renderer: this module reads the model, the index and the URL scheme
and writes files; the MkDocs glue (or any other build) only calls :func:`write_feeds`
and, for links to the feeds, :func:`feed_urls`.

Permanence and determinism are the rules here:

* an item's GUID / atom:id comes only from the bulletin's permanent id and the
  language (:func:`item_id`), never from its title, text, file or the site's address;
* every date comes from the content (a bulletin's ``date``/``updated`` at 00:00 in the
  province's time zone), never from the wall clock, so two builds of the same content
  give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import markdown
from babel.dates import format_date
from babel.numbers import format_decimal
from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension
from feedgen.feed import FeedGenerator

from . import urls
from .index import SiteIndex
from .model import Action, Bulletin, Site

# Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving since 1975). A fixed offset keeps
# the output independent of the machine's tz database.
PROVINCE_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
# The date of the two-level local government reform: the "last updated" date of the
# feeds of a site that has no bulletin yet.
REFORM_DATE = dt.date(2025, 7, 1)
# tag: URI authority (RFC 4151) of every feed and item id. Never change it.
TAG_PREFIX = "tag:lang-son-bulletins,2025:"
# Material's favicon, under each language's site root.
ICON_PATH = "assets/images/favicon.png"
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
DEFAULT_MAX_ITEMS = 50

SITE_URL_MISSING = (
    "feeds need absolute links (feed readers cannot resolve links relative to a feed): "
    "set site_url in mkdocs.yml, e.g. site_url: https://example.org/"
)


# --------------------------------------------------------------------------- ids, dates


def item_id(lang: str, bulletin_id: str) -> str:
    """GUID (RSS) and atom:id of a bulletin's item in ``lang``: the same in every feed."""
    return f"{TAG_PREFIX}{lang}/{bulletin_id}"


def feed_id(section: str) -> str:
    """atom:id of the feed of a section (``vi/``, ``vi/communes/ky-lua/``)."""
    return f"{TAG_PREFIX}feeds/{section}"


def province_time(day: dt.date) -> dt.datetime:
    """``day`` at 00:00 in Lạng Sơn (+07:00)."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=PROVINCE_TZ)


def _site_url(site_url: str | None) -> str:
    value = (site_url or "").strip()
    if not re.match(r"^https?://[^/\s]+", value, re.I):
        raise ValueError(SITE_URL_MISSING + (f" (got {site_url!r})" if value else ""))
    return value if value.endswith("/") else value + "/"


# --------------------------------------------------------------------------- feed list


@dataclass(frozen=True)
class FeedSpec:
    """One feed of one language (one RSS file and one Atom file)."""

    kind: str  # "all" | "commune" | "tag" | "group"
    key: str  # "" | commune id | tag id | group number as text
    title: str
    description: str
    section: str  # the page the feed follows, site-root-relative

    @property
    def rss(self) -> str:
        return urls.rss(self.section)

    @property
    def atom(self) -> str:
        return urls.atom(self.section)


def feed_specs(site: Site, lang: str) -> list[FeedSpec]:
    """Every feed of ``lang``: the language, then every commune, tag and group of the
    registries (empty ones included), in registry order."""
    reg = site.registry
    ui = {key: value[lang] for key, value in reg.ui.items() if lang in value}
    specs = [FeedSpec("all", "", ui["feed_title_all"], ui["site_description"], urls.home(lang))]
    for cid, commune in reg.communes.items():
        specs.append(FeedSpec("commune", cid, ui["feed_title_commune"].format(name=commune.name_vi),
                              ui["feed_description_commune"].format(name=commune.name_vi),
                              urls.commune(lang, cid)))
    for tid, tag in reg.tags.items():
        label = tag.label[lang]
        specs.append(FeedSpec("tag", tid, ui["feed_title_tag"].format(name=label),
                              ui["feed_description_tag"].format(name=label, definition=tag.definition[lang]),
                              urls.difficulty(lang, tid)))
    for number in sorted(reg.groups):
        name = reg.groups[number].name[lang]
        specs.append(FeedSpec("group", str(number), ui["feed_title_group"].format(name=name),
                              ui["feed_description_group"].format(name=name), urls.group(lang, number)))
    return specs


def feed_urls(site: Site, lang: str) -> list[tuple[str, str, str]]:
    """(title, rss_url, atom_url) for every feed of a language, site-root-relative (e.g.
    'vi/communes/ky-lua/feed.xml'), for the subscribe page, autodiscovery and the OPML."""
    return [(spec.title, spec.rss, spec.atom) for spec in feed_specs(site, lang)]


def _candidates(site: Site, index: SiteIndex, spec: FeedSpec) -> list[Bulletin]:
    if spec.kind == "all":
        return site.bulletins
    if spec.kind == "commune":
        return index.communes[spec.key].bulletins
    if spec.kind == "tag":
        return index.tags[spec.key].bulletins
    return index.groups[int(spec.key)].bulletins


def feed_items(site: Site, index: SiteIndex, spec: FeedSpec, lang: str,
               max_items: int = DEFAULT_MAX_ITEMS) -> list[Bulletin]:
    """The bulletins of a feed: translated into ``lang``, newest first, at most ``max_items``."""
    items = [b for b in _candidates(site, index, spec) if lang in b.title]
    items.sort(key=lambda b: (b.date, b.id), reverse=True)
    return items[:max_items]


# --------------------------------------------------------------------------- safe HTML

_VOID = {"br", "hr", "img", "col", "wbr"}
_COMMON_ATTRS = {"title", "lang", "dir"}
_ALLOWED: dict[str, set[str]] = {
    **{tag: set() for tag in (
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "li", "dl", "dt", "dd",
        "pre", "code", "kbd", "samp", "var", "em", "strong", "b", "i", "u", "s", "small", "mark",
        "sub", "sup", "span", "div", "figure", "figcaption", "caption", "table", "thead", "tbody",
        "tfoot", "tr", "colgroup", "abbr", "dfn", "cite", "address", "wbr")},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope", "abbr"},
    "col": {"span"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
}
# Elements dropped with everything inside them.
_DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "frame", "frameset", "noframes", "applet",
                 "noscript", "template", "svg", "math", "form", "textarea", "select", "button", "title",
                 "head", "audio", "video", "canvas", "map"}
_URL_ATTRS = {"href", "src", "cite"}
_LINK_SCHEMES = {"http", "https", "mailto", "tel"}
_IMAGE_SCHEMES = {"http", "https"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(value: str, base: str, schemes=frozenset(_LINK_SCHEMES)) -> str | None:
    """``value`` made absolute against ``base``; None when its scheme could run script
    (``javascript:``, ``data:``, ``vbscript:``...) or is not in ``schemes``."""
    value = value.strip()
    compact = _IGNORED_IN_URL.sub("", value)  # browsers ignore these: 'java\tscript:'
    scheme = _SCHEME.match(compact)
    if scheme:
        return value if scheme.group(1).lower() in schemes else None
    if compact[:1] == "\\" or compact[:2] in ("/\\", "\\/"):
        return None
    joined = urljoin(base, value)
    scheme = _SCHEME.match(joined)
    return joined if scheme and scheme.group(1).lower() in schemes else None


class _Sanitizer(HTMLParser):
    """Re-serializes HTML keeping only an allow-list of elements and attributes; URLs
    are made absolute; anything that could run script is dropped."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skip: tuple[str, int] | None = None  # (dropped element, nesting depth)

    def handle_starttag(self, tag, attrs, self_closing=False):
        if self.skip:
            name, depth = self.skip
            if tag == name and not self_closing:
                self.skip = (name, depth + 1)
            return
        if tag in _DROP_CONTENT:
            if not self_closing and tag not in _VOID:
                self.skip = (tag, 1)
            return
        if tag not in _ALLOWED:
            return  # unknown element: its text stays, the tag goes
        allowed = _ALLOWED[tag] | _COMMON_ATTRS
        kept: dict[str, str] = {}
        for name, value in attrs:
            name = name.lower()
            if name not in allowed or name in kept:
                continue
            value = value or ""
            if name in _URL_ATTRS:
                value = safe_url(value, self.base, _IMAGE_SCHEMES if tag == "img" else _LINK_SCHEMES)
                if value is None:
                    continue
            kept[name] = value
        if tag == "img" and "src" not in kept:
            return
        attributes = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in kept.items())
        self.out.append(f"<{tag}{attributes}>")
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, self_closing=True)

    def handle_endtag(self, tag):
        if self.skip:
            name, depth = self.skip
            if tag == name:
                self.skip = (name, depth - 1) if depth > 1 else None
            return
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    # comments, declarations and processing instructions are dropped (default no-ops)

    def result(self) -> str:
        self.close()
        while self.stack:
            self.out.append(f"</{self.stack.pop()}>")
        return "".join(self.out)


def sanitize_html(fragment: str, base: str) -> str:
    """HTML safe to embed in a feed: allow-listed markup, absolute links, no script."""
    parser = _Sanitizer(base)
    parser.feed(fragment)
    return parser.result()


# --------------------------------------------------------------------------- item content


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


_MARKDOWN = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")


def render_markdown(text: str) -> str:
    """One converter for every item (reset in between): building one costs more than
    converting a short narrative."""
    _MARKDOWN.reset()
    return _MARKDOWN.convert(text)


def item_html(site: Site, b: Bulletin, lang: str, site_url: str) -> str:
    """The full content of a bulletin's item: summary, facts, difficulties,
    recommendations, directives and narrative, with absolute links and no script."""
    reg = site.registry
    ui = {key: value[lang] for key, value in reg.ui.items() if lang in value}
    page = site_url + urls.bulletin(lang, b.id)
    colon = "\u00a0: " if lang == "fr" else ": "  # French puts a (no-break) space before ':'

    def commune_link(cid: str) -> str:
        return f'<a href="{_esc(site_url + urls.commune(lang, cid))}">{_esc(reg.communes[cid].name_vi)}</a>'

    def where(communes: tuple[str, ...]) -> str:
        if not communes or set(communes) == set(b.communes):
            return ""
        return " (" + ", ".join(_esc(reg.communes[c].name_vi) for c in communes) + ")"

    parts = [f"<p><strong>{_esc(b.summary[lang])}</strong></p>"]

    leader = reg.people[b.leader]
    title = leader.title_on(b.date)
    leader_text = _esc(leader.name_vi) + (f", {_esc(title.text[lang])}" if title and lang in title.text else "")
    facts = [
        f"{_esc(ui['date'])}{colon}{_esc(format_date(b.date, 'long', locale=lang))}",
        f"{_esc(ui['leader'])}{colon}{leader_text}",
        f"{_esc(ui['communes_visited'])}{colon}" + ", ".join(commune_link(c) for c in b.communes),
    ]
    if b.inspected:
        facts.append(f"{_esc(ui['inspected'])}{colon}" + ", ".join(commune_link(c) for c in b.inspected))
    parts.append("<ul>" + "".join(f"<li>{fact}</li>" for fact in facts) + "</ul>")

    if b.figures:
        rows = []
        for f in b.figures:
            value = format_decimal(f.value, locale=lang)
            prefix = f"{_esc(ui['approximately'])} " if f.approximate else ""
            rows.append(f"<li>{prefix}<strong>{_esc(value)}</strong> {_esc(f.label[lang])}{where(f.communes)}</li>")
        parts.append(f"<h2>{_esc(ui['figures'])}</h2><ul>{''.join(rows)}</ul>")

    if b.difficulties:
        rows = []
        for d in b.difficulties:
            label = reg.tags[d.tag].label[lang]
            link = f'<a href="{_esc(site_url + urls.difficulty(lang, d.tag))}">{_esc(label)}</a>'
            rows.append(f"<li><strong>{link}</strong> — {_esc(d.text[lang])}{where(d.communes)}</li>")
        parts.append(f"<h2>{_esc(ui['difficulties'])}</h2><ul>{''.join(rows)}</ul>")

    def actions(heading: str, items: list[Action]) -> None:
        if items:
            rows = "".join(f"<li>{_esc(a.text[lang])}{where(a.communes)}</li>" for a in items)
            parts.append(f"<h2>{_esc(heading)}</h2><ul>{rows}</ul>")

    actions(ui["recommendations"], b.recommendations)
    actions(ui["directives"], b.directives)

    parts.append(f"<h2>{_esc(ui['narrative'])}</h2>")
    narrative = render_markdown(b.body[lang])
    if b.source:
        narrative += f'\n<p>{_esc(ui["source"])}{colon}<a href="{_esc(b.source)}">{_esc(b.source)}</a></p>'
    # What comes from the editor passes the sanitizer: the Markdown body may hold raw
    # HTML, and the checker's refusal of script is not the only guard. The parts above
    # are built here, every text escaped and every link absolute.
    return "\n".join(parts) + "\n" + sanitize_html(narrative, page)


# --------------------------------------------------------------------------- feeds


def _channel(fg: FeedGenerator, spec: FeedSpec, lang: str, site_url: str, updated: dt.datetime,
             author: str, fmt: str) -> None:
    page = site_url + spec.section
    fg.id(feed_id(spec.section))
    fg.title(spec.title)
    fg.description(spec.description)  # RSS description, Atom subtitle
    fg.language(lang)  # RSS language, Atom xml:lang
    fg.updated(updated)  # Atom updated
    fg.lastBuildDate(updated)  # RSS lastBuildDate (feedgen's default is the wall clock)
    icon = site_url + lang + "/" + ICON_PATH
    if fmt == "atom":
        fg.author({"name": author})  # RFC 4287: an Atom feed without entries needs an author
        fg.icon(icon)
        fg.link(href=site_url + spec.atom, rel="self", type="application/atom+xml")
    else:
        fg.image(url=icon, title=spec.title, link=page)
        fg.link(href=site_url + spec.rss, rel="self", type="application/rss+xml")
    # last: feedgen makes the last link RSS's <channel><link>
    fg.link(href=page, rel="alternate", type="text/html", hreflang=lang)


@dataclass
class _Item:
    bulletin: Bulletin
    guid: str
    title: str
    link: str
    summary: str
    content: str
    author: str
    published: dt.datetime
    updated: dt.datetime
    categories: list[dict]


def _item(site: Site, b: Bulletin, lang: str, site_url: str) -> _Item:
    reg = site.registry
    categories = [{"term": tid, "label": reg.tags[tid].label[lang], "scheme": site_url + urls.difficulties(lang)}
                  for tid in b.tags]
    categories += [{"term": cid, "label": reg.communes[cid].name_vi, "scheme": site_url + urls.communes(lang)}
                   for cid in b.communes]
    return _Item(
        bulletin=b,
        guid=item_id(lang, b.id),
        title=b.title[lang],
        link=site_url + urls.bulletin(lang, b.id),
        summary=b.summary[lang],
        content=item_html(site, b, lang, site_url),
        author=reg.people[b.leader].name_vi,
        published=province_time(b.date),
        updated=province_time(b.last_modified),
        categories=categories,
    )


def feed_entry(item: _Item, lang: str, fmt: str) -> FeedEntry:
    """A bulletin's entry, made once and added to each of the (up to ~20) feeds it is in."""
    fe = FeedEntry()
    fe.guid(item.guid, permalink=False)  # RSS guid isPermaLink="false" and atom:id
    fe.title(item.title)
    fe.link(href=item.link, rel="alternate", type="text/html", hreflang=lang)
    fe.published(item.published)  # RSS pubDate, Atom published
    fe.updated(item.updated)
    # Order matters in feedgen: description() also sets Atom content, content() then
    # replaces it, and summary() keeps an RSS description set before it.
    fe.description(html.escape(item.summary, quote=False))  # RSS description (HTML-escaped text)
    fe.content(item.content, type="html")  # Atom content type="html", RSS content:encoded
    fe.summary(item.summary)  # Atom summary (plain text)
    for cat in item.categories:
        fe.category(dict(cat))
    if fmt == "atom":
        fe.author({"name": item.author})
    else:
        # RSS <author> must be an e-mail address, which leaders do not publish: dc:creator.
        fe.register_extension("dc", DcEntryExtension, atom=False, rss=True)
        fe.dc.dc_creator(item.author)
    return fe


def render_feed(spec: FeedSpec, entries: list[FeedEntry], lang: str, site_url: str, updated: dt.datetime,
                author: str, fmt: str) -> bytes:
    """One feed as bytes; ``fmt`` is "rss" or "atom"."""
    fg = FeedGenerator()
    if fmt == "rss":
        fg.load_extension("dc", atom=False, rss=True)
    _channel(fg, spec, lang, site_url, updated, author, fmt)
    for entry in entries:
        fg.add_entry(entry, order="append")
    if fmt == "atom":
        return fg.atom_str(pretty=True, encoding="UTF-8")
    return fg.rss_str(pretty=True, encoding="UTF-8")


def render_opml(site: Site, lang: str, site_url: str) -> bytes:
    """OPML 2.0: one outline per feed (its RSS file), grouped like the site."""
    ui = {key: value[lang] for key, value in site.registry.ui.items() if lang in value}
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"{ui['feeds']} — {ui['site_name']}"
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    folders = {"commune": ui["communes"], "tag": ui["difficulties"], "group": ui["groups"]}
    parents: dict[str, ET.Element] = {}
    for spec in feed_specs(site, lang):
        parent = body
        if spec.kind in folders:
            if spec.kind not in parents:
                parents[spec.kind] = ET.SubElement(body, "outline", text=folders[spec.kind], title=folders[spec.kind])
            parent = parents[spec.kind]
        ET.SubElement(parent, "outline", type="rss", text=spec.title, title=spec.title,
                      xmlUrl=site_url + spec.rss, htmlUrl=site_url + spec.section, language=lang,
                      description=spec.description)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _write(out_dir: Path, rel: str, data: bytes) -> None:
    path = out_dir / rel
    if path.is_file() and path.read_bytes() == data:
        return  # unchanged: keep the file's time for incremental builds and syncs
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_feeds(site: Site, index: SiteIndex, lang: str, out_dir: Path, site_url: str, *,
                max_items: int = DEFAULT_MAX_ITEMS) -> list[str]:
    """Write every feed of one language into ``out_dir``, the language's folder of the
    site; return their paths from the site root (``vi/communes/ky-lua/feed.xml``)."""
    site_url = _site_url(site_url)
    if max_items < 1:
        raise ValueError(f"max_items must be at least 1 (got {max_items})")
    out_dir = Path(out_dir)
    author = site.registry.ui["site_name"][lang]
    newest = max((b.last_modified for b in site.bulletins), default=REFORM_DATE)
    entries: dict[str, dict[str, FeedEntry]] = {}  # bulletin id → format → entry
    written: list[str] = []
    for spec in feed_specs(site, lang):
        bulletins = feed_items(site, index, spec, lang, max_items)
        for b in bulletins:
            if b.id not in entries:
                item = _item(site, b, lang, site_url)
                entries[b.id] = {fmt: feed_entry(item, lang, fmt) for fmt in ("rss", "atom")}
        updated = province_time(max((b.last_modified for b in bulletins), default=newest))
        for fmt, rel in (("rss", spec.rss), ("atom", spec.atom)):
            feed = render_feed(spec, [entries[b.id][fmt] for b in bulletins], lang, site_url, updated, author, fmt)
            _write(out_dir, rel[len(lang) + 1:], feed)
            written.append(rel)
    rel = urls.opml(lang)
    _write(out_dir, rel[len(lang) + 1:], render_opml(site, lang, site_url))
    written.append(rel)
    return written
