"""Render the many pages that share a layout without running the theme once per page.

A bulletin page, a commune page or page 7 of a difficulty's list differ from their
siblings only in values (title, URL, links, content), never in structure. So the theme
renders one *exemplar* per layout, whose every value is a unique slot string, and each
page is that exemplar's HTML (the *shell*) with its own values put back in the slots.
With 1,000 bulletins that is ~20 template runs instead of ~1,600 per language.

A page's layout key is the shape of everything a template can branch on: which keys its
front matter has, which strings are empty, how long its lists are, whether its content
has an ``<h1>`` and a table of contents, and the part of its URL that the theme's
relative links depend on (how deep it is, and the folders it shares with the pages and
files the theme links to: ``communes/`` for ``communes/ky-lua/``). Values reach the HTML
verbatim, as the theme prints them: every text value of a page is already escaped
HTML (the pages package escapes them, once, for the templates, which do not autoescape), so a
slot filled here is exactly as safe as the theme's own run; a test builds the same site
with and without shells and compares every byte. Nothing here knows about MkDocs: the
renderer hands exemplars to whatever runs the theme and gets their HTML back.
"""

from __future__ import annotations

import json
import pickle
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from .pages import PageDoc

SLOT = "bulletinsslot{}n{}x"  # layout number, value number: letters and digits survive URLs and filters
SLOT_PATTERN = re.compile(r"bulletinsslot(\d+)n(\d+)x")


def toc_html(tokens: list[dict]) -> str:
    """The items of the sidebar table of contents, as ``overrides/partials/toc-item.html``
    writes them (a heading's ``name`` is already escaped HTML)."""
    out = []
    for token in tokens:
        item = (f'<li class="md-nav__item"><a href="#{token["id"]}" class="md-nav__link">'
                f'<span class="md-ellipsis">{token["name"]}</span></a>')
        if token["children"]:
            item += (f'<nav class="md-nav" aria-label="{escape(Markup(token["name"]).striptags())}">'
                     f'<ul class="md-nav__list">{toc_html(token["children"])}</ul></nav>')
        out.append(item + "</li>")
    return "".join(out)


def _toc_items(tokens: list[dict]) -> list[dict]:
    """What the theme lists: the children of a leading ``<h1>``, else every heading."""
    if tokens and tokens[0]["level"] == 1:
        return tokens[0]["children"]
    return tokens


@dataclass
class Rendered:
    """One page and the folders of its URL that the theme's relative links depend on."""

    doc: PageDoc
    fixed: tuple[str, ...]  # the leading folders of its URL that stay in the layout

    @property
    def content(self) -> str:
        return str(self.doc.html)

    @property
    def toc(self) -> list[dict]:
        return self.doc.toc

    def fields(self) -> dict:
        """Everything of the page a template may print or branch on (tuples are kept
        as they are: they are part of the layout, not values)."""
        items = _toc_items(self.toc)
        meta = dict(self.doc.meta)
        meta["bulletins"] = {**meta["bulletins"], "toc": toc_html(items) if items else ""}
        return {
            "path": [self.fixed, self.doc.url.split("/")[1 + len(self.fixed):-1]],
            "meta": meta,
            "skip": self.toc[0]["id"] if self.toc else "",
            "has_h1": "<h1" in self.content,
            "content": self.content,
        }


def _slots(value, values: list[str], name):
    """``value`` with every non-empty string replaced by ``name(n)`` for the next n (the
    string is appended to ``values``); empty strings, numbers, booleans and the
    structure stay."""
    if isinstance(value, str):
        if not value:
            return value
        values.append(value)
        return name(len(values) - 1)
    if isinstance(value, dict):
        return {k: _slots(v, values, name) for k, v in value.items()}
    if isinstance(value, list):
        return [_slots(v, values, name) for v in value]
    return value


# The front-matter keys a page may have: their values are text the theme prints (or, under
# ``bulletins``, read by our own templates). A key the theme acts on by comparing its
# value with a literal (``hide: [toc]``, ``template``, ``status``) would be a slot in the
# exemplar, never equal to the literal: such a page cannot be written from a shell.
MODELLED_KEYS = frozenset({"title", "description", "bulletins"})


def layout(page: Rendered) -> tuple[str, list[str]]:
    """(layout key, the page's values in slot order)."""
    unknown = set(page.doc.meta) - MODELLED_KEYS
    if unknown:
        raise ValueError(f"{page.doc.url}: the shells do not model the front-matter key(s) {sorted(unknown)}; "
                         "model them in render.py or build with the plugin's 'shells: false'")
    values: list[str] = []
    slotted = _slots(page.fields(), values, lambda n: f"\x00{n}")
    return json.dumps(slotted, ensure_ascii=False), values


class Shell:
    """An exemplar's HTML cut at its slots."""

    def __init__(self, html: str, exemplar: Exemplar):
        # The content is printed as is; an exemplar whose content needs an <h1> had its
        # slot wrapped in one (see exemplar()), which is not part of the real content.
        html = html.replace(f"<h1>{exemplar.content_slot}</h1>", exemplar.content_slot)
        parts = SLOT_PATTERN.split(html)
        self.texts = parts[0::3]
        if set(parts[1::3]) - {str(exemplar.number)}:
            raise RuntimeError(f"layout {exemplar.number}: the theme printed another layout's slot")
        self.holes = [int(n) for n in parts[2::3]]

    def fill(self, values: list[str]) -> str:
        out = [self.texts[0]]
        for hole, text in zip(self.holes, self.texts[1:]):
            out.append(values[hole])
            out.append(text)
        return "".join(out)


@dataclass
class Exemplar:
    """The page the theme renders for one layout."""

    number: int
    doc: PageDoc  # its html is what the theme must be given as the page's content
    content_slot: str


def exemplar(page: Rendered, number: int) -> Exemplar:
    slotted = _slots(page.fields(), [], lambda n: SLOT.format(number, n))
    meta, lang = slotted["meta"], page.doc.lang
    fixed, rest = slotted["path"]
    url = f"{lang}/{'/'.join([*fixed, *rest])}/"
    # A heading with the first heading's id makes the theme emit its skip link.
    toc = [{"level": 1, "id": slotted["skip"], "name": "x", "children": []}] if slotted["skip"] else []
    content_slot = slotted["content"]
    content = Markup(f"<h1>{content_slot}</h1>" if slotted["has_h1"] else content_slot)
    return Exemplar(number, PageDoc(url, lang, meta["title"], content, toc, meta), content_slot)


class Layouts:
    """How pages become HTML without the theme: the folders the theme links to, and
    the shells once the theme has rendered the exemplars. Saved by a build, so that the
    live preview can render an edited page."""

    def __init__(self, linked: list[str]):
        self.prefixes = {tuple(path.strip("/").split("/")[:n]) for path in linked
                         for n in range(1, path.strip("/").count("/") + 2)}
        self.shells: dict[str, Shell] = {}

    def convert(self, doc: PageDoc) -> Rendered:
        folders = doc.url.split("/")[1:-1]
        fixed = 0
        while fixed < len(folders) and tuple(folders[:fixed + 1]) in self.prefixes:
            fixed += 1
        return Rendered(doc, tuple(folders[:fixed]))

    def page_html(self, doc: PageDoc) -> str | None:
        """The page from its layout's shell; None for a layout no build has seen."""
        key, values = layout(self.convert(doc))
        shell = self.shells.get(key)
        return shell.fill(values) if shell else None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(self))

    @staticmethod
    def load(path: Path) -> Layouts:
        return pickle.loads(path.read_bytes())


class DirectPages:
    """Groups the pages by layout as they come, and writes them from the shells once the
    theme has rendered the exemplars. Until then each page's values wait in a spool file,
    not in memory: at 10,000 bulletins they are 440 million characters per language."""

    def __init__(self, layouts: Layouts):
        self.layouts = layouts
        self.exemplars: dict[str, Exemplar] = {}
        self.count = 0
        self._spool = tempfile.TemporaryFile(prefix="bulletins-pages-")  # gone with the process, killed or not

    def add(self, doc: PageDoc) -> None:
        page = self.layouts.convert(doc)
        key, values = layout(page)
        if key not in self.exemplars:
            self.exemplars[key] = exemplar(page, len(self.exemplars))
        pickle.dump((key, values, doc.url[len(doc.lang) + 1:]), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def write(self, site_dir: Path) -> None:
        """Write every page under ``site_dir`` (the language's folder), then forget them."""
        shells = self.layouts.shells
        with self._spool as spool:
            spool.seek(0)
            for _ in range(self.count):
                key, values, inner = pickle.load(spool)
                path = site_dir / inner / "index.html"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(shells[key].fill(values).encode("utf-8", errors="xmlcharrefreplace"))
