"""Editors' Markdown (a bulletin's or a static page's body) → safe HTML.

The body is converted by Python-Markdown with extensions that give editors formatting
but never attributes (no ``attr_list``, no ``md_in_html``), then passed through nh3
(the Rust ammonia allow-list sanitizer): only the elements and attributes a bulletin
needs survive, links keep only http, https, mailto and relative URLs, and nothing that
runs script can come out whatever the checker recognised. The same converted HTML is
used on the page and in every feed (the feed's copy with its relative links made
absolute)."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field

import markdown
import nh3
from markupsafe import Markup, escape

from .cache import Store
from .i18n import slugify
from .typography import typeset_html

EXTENSIONS = ["abbr", "def_list", "fenced_code", "footnotes", "tables", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"slugify": slugify}, "footnotes": {"BACKLINK_TITLE": ""}}

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "code", "kbd", "samp", "var", "em", "strong", "b", "i", "u", "s", "small",
    "mark", "sub", "sup", "abbr", "dfn", "cite", "q", "del", "ins", "time", "span", "div",
    "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "colgroup", "col", "a", "img", "wbr",
}
# Elements removed with everything inside them (their text is not for readers).
DROPPED = {"script", "style", "iframe", "object", "embed", "frame", "frameset", "noframes", "applet",
           "noscript", "template", "svg", "math", "form", "textarea", "select", "button", "title",
           "head", "audio", "video", "canvas", "map", "base", "meta", "link"}
ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "th": {"colspan", "rowspan", "scope", "abbr", "style"},
    "td": {"colspan", "rowspan", "style"},
    "col": {"span"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
    "li": {"id"},  # footnotes
    "sup": {"id"},
}
CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
URL_SCHEMES = {"http", "https", "mailto"}
STYLE_PROPERTIES = {"text-align"}  # table column alignment, as Markdown writes it
# An id an editor may give: no leading '_' (the theme's own controls: __drawer, __search…).
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]*$")


@dataclass
class Narrative:
    html: Markup
    toc: list[dict] = field(default_factory=list)  # flat heading tokens: level, id, name (escaped text)


def _keep_id(reserved: frozenset):
    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        if attribute == "id" and (not _ID.match(value) or value in reserved):
            return None
        return value
    return attribute_filter


def sanitize(fragment: str, *, base: str | None = None, reserved: frozenset = frozenset()) -> Markup:
    """Allow-listed HTML; with ``base``, relative links made absolute against it (feeds)."""
    return Markup(nh3.clean(
        fragment, tags=TAGS, clean_content_tags=DROPPED, attributes=ATTRIBUTES, allowed_classes=CLASSES,
        url_schemes=URL_SCHEMES, filter_style_properties=STYLE_PROPERTIES, link_rel="noopener noreferrer",
        attribute_filter=_keep_id(reserved), url_relative=("rewrite_with_base", base) if base else "pass_through",
        strip_comments=True))


_HEADING = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)


def headings(fragment: Markup) -> list[dict]:
    """The headings with an id of sanitized HTML, as table-of-contents tokens whose name
    is escaped plain text (a heading's inline markup is not for the sidebar)."""
    return [{"level": int(level), "id": ident, "name": str(escape(Markup(inner).striptags()))}
            for level, ident, inner in _HEADING.findall(fragment)]


def configuration() -> str:
    """What a conversion depends on besides its text, language and reserved ids: the
    extensions and their settings, the sanitizer's allow-lists (the versions of Markdown,
    nh3 and this package are in every cache key)."""

    def plain(value):
        if callable(value):
            return f"{value.__module__}.{value.__qualname__}"
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items())}
        if isinstance(value, (set, frozenset, list, tuple)):
            items = [plain(v) for v in value]
            return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
        return value

    return json.dumps(plain([EXTENSIONS, EXTENSION_CONFIGS, TAGS, DROPPED, ATTRIBUTES, CLASSES, URL_SCHEMES,
                             STYLE_PROPERTIES, _ID.pattern]), sort_keys=True)


class NarrativeConverter:
    """One Markdown converter, reset between bodies (building one costs more than
    converting a short narrative). With a ``store`` (cache.py), a body converted by an
    earlier build with the same text, language, reserved ids and configuration is read
    back instead of converted again."""

    def __init__(self, store: Store | None = None):
        self._md = markdown.Markdown(extensions=EXTENSIONS, output_format="html", extension_configs=EXTENSION_CONFIGS)
        self.store = store
        self._configuration = configuration() if store is not None else ""

    def convert(self, text: str, lang: str, reserved: frozenset = frozenset()) -> Narrative:
        """The body as sanitized HTML (typeset when French) and its headings; ``reserved``
        are the ids the page around it already uses (a heading 'Communes' gets
        'communes-1', not a duplicate)."""
        if self.store is None:
            return self._convert(text, lang, reserved)
        key = self.store.key("narrative", self._configuration, lang, json.dumps(sorted(reserved)), text)
        stored = self.store.get(key)
        if stored is not None:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                value = json.loads(stored)
                return Narrative(Markup(value["html"]), value["toc"])
        narrative = self._convert(text, lang, reserved)
        self.store.put(key, json.dumps({"html": str(narrative.html), "toc": narrative.toc},
                                       ensure_ascii=False).encode("utf-8", "surrogatepass"))
        return narrative

    def _convert(self, text: str, lang: str, reserved: frozenset) -> Narrative:
        def slug(value: str, separator: str) -> str:
            ident = slugify(value, separator) or "section"
            return f"{ident}-1" if ident in reserved else ident

        self._md.reset()
        self._md.treeprocessors["toc"].slugify = slug
        body = sanitize(self._md.convert(text), reserved=reserved)
        if lang == "fr":
            body = typeset_html(body)
        return Narrative(body, headings(body))
