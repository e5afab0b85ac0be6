"""Search: what Pagefind reads on a page besides its visible text, and how the search
page ranks and shows results. Nothing here knows which page kind it serves: the page
builders say what a page is about and which filters it belongs to.

Why it is built this way (Pagefind 1.5; tests/test_search.py proves it in Chromium):

- Pagefind folds accents by Unicode decomposition (NFD), at indexing and in the query,
  so "kho khan" finds "khó khăn"; but Đ/đ have no decomposition, so "dong" never finds
  "Đông". Every word Pagefind indexes from the page's text is also part of the text its
  excerpts are cut from (``fossick/mod.rs``: each indexed word is pushed onto the
  fragment's ``content``), hidden elements and ``data-pagefind-index-attrs`` included:
  a folded copy in the body shows in excerpts ("dia dong da Dang duoc…").
- Metadata (``data-pagefind-meta``) is searched too since 1.5 (``parse_meta_words``;
  ``search.rs`` adds the pages where a word is found only in a metadata field to the
  results) but never cut into excerpts, which come from the content alone. So the đ→d
  folded forms go into metadata fields, which the search page's UI then drops from what
  it shows (``processResult``). A match there also boosts a page by the field's weight
  (``ranking.metaWeights``): the names of the communes a page is about, as written and
  folded, rank a commune's own page, then the bulletins about it, above pages that only
  contain its syllables.
- Filters (``data-pagefind-filter``), commune, working group, difficulty and year, with
  labels in the page's language; Pagefind's default UI shows them beside the results,
  as HTML: '<', '>' and '&' in names and values are replaced by look-alikes. A filter's
  name is cut at ',' and ':' by Pagefind (``parse_attr_string``), so those characters
  are replaced in labels.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterable

from .html import Markup, html, join, script_json
from .i18n import fold

# Metadata fields that only feed the search; the UI does not show them. A match in one
# boosts the page by this weight (Pagefind's own "title" field weighs 5).
META_WEIGHTS = {
    "place": 10.0,  # a commune's own page: its name, as written and folded
    "about": 6.0,  # the communes a bulletin concerns
    "heading": 5.0,  # the page's title, as written and folded: Pagefind's "title" boost, for đ too
    "folded": 1.0,  # the page's words written with đ/Đ, folded (đ→d)
}
HIDDEN_META = tuple(META_WEIGHTS)
# Declared empty on every page, so that Pagefind takes no image from a page's content
# (the search page shows none) and every page has the same metadata fields: the index
# is built in parts merged by search_bundles.py, whose parts then number fields alike.
NO_IMAGE = ("image", "image_alt")
# Pagefind's own boost of the title (5) would count twice with "heading", or not at all for "dong".
RANKING = {"metaWeights": {"title": 0.0, **META_WEIGHTS}}

_TAG = re.compile(r"<[^>]*>")
_UNINDEXED = re.compile(r"<!--unindexed-->.*?<!--/unindexed-->", re.S)
_WORD = re.compile(r"\w+")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


def unindexed(fragment) -> Markup:
    """A part of a searchable page left out of the search index: a list that repeats
    what other pages say (a commune's visits and open requests, a difficulty's
    occurrences and answers, a group's bulletins, related bulletins) or navigation.
    Pagefind skips it (``data-pagefind-ignore``); the comments around it keep its words out
    of the folded forms of :func:`search_data` too. Not to be nested."""
    return html("<!--unindexed--><div data-pagefind-ignore>{}</div><!--/unindexed-->", fragment)


def page_text(markup: str) -> str:
    """The text of a page's HTML, as a reader sees it (tags out, entities decoded)."""
    return htmllib.unescape(_TAG.sub(" ", str(markup)))


def folded_words(*texts: str) -> list[str]:
    """The distinct words written with đ or Đ in ``texts``, folded ('Đông' → 'dong'),
    in order of first appearance. Other accents need no copy: Pagefind folds them."""
    words = dict.fromkeys(fold(w).lower() for t in texts for w in _WORD.findall(t) if "đ" in w.lower())
    return list(words)


def names_value(names: Iterable[str]) -> str:
    """Names as written, then their đ-words folded: 'Đông Kinh dong', so that both 'Đông
    Kinh' and 'dong kinh' match every word of the name (Pagefind folds the other accents)."""
    names = list(dict.fromkeys(names))
    return " ".join([*names, *folded_words(*names)])


def filter_label(label: str) -> str:
    """A UI label usable as a Pagefind filter name (no ',' ':' '[' ']')."""
    return re.sub(r"\s+", " ", re.sub(r"[,:\[\]]", " ", label)).strip() or "?"


def inert(label: str) -> str:
    """A filter's name or value as Pagefind's UI may show it: that UI prints them as HTML
    ({@html} in filters.svelte), and Pagefind decodes entities in them more than once
    (lol_html, then ``normalize_content`` twice), so no escaping survives. '<', '>' and '&'
    become look-alikes that open no tag and no entity (a label '<img onerror=…>' stays
    text; tests/test_hostile.py)."""
    return label.replace("&", "\uff06").replace("<", "\u2039").replace(">", "\u203a")


def filter_names(t: Callable[[str], str]) -> dict[str, str]:
    """Each filter's name, as the search page shows it: a UI string of the language."""
    labels = {"commune": t("search_filter_commune"), "group": t("search_filter_group"),
              "difficulty": t("search_filter_difficulty"), "year": t("search_filter_year")}
    return {key: inert(filter_label(label)) for key, label in labels.items()}


def facets(reg, lang: str, bulletins, *, communes=None, tags=None, groups=None) -> dict[str, list]:
    """A page's filter values: the communes, working groups, difficulties and years of
    ``bulletins`` (the page's, newest first), unless the page says which communes, tags
    or groups are its own (a commune's page is filed under that commune only)."""
    communes = dict.fromkeys(c for b in bulletins for c in b.communes) if communes is None else communes
    tags = dict.fromkeys(d.tag for b in bulletins for d in b.difficulties) if tags is None else tags
    groups = dict.fromkeys(b.group for b in bulletins) if groups is None else groups
    return {"communes": [reg.communes[c].name_vi for c in communes],
            "groups": [reg.groups[n].name[lang] for n in groups],
            "difficulties": [reg.tags[t].label[lang] for t in tags],
            "years": sorted({b.date.year for b in bulletins})}


def search_data(page, body, *, bulletins=(), place: Iterable[str] = (), about: Iterable[str] = (),
                communes=None, tags=None, groups=None) -> Markup:
    """The hidden element a searchable page carries for Pagefind, to add at the end of
    its ``body``: the metadata fields of META_WEIGHTS (``place``: the page is this
    commune's own; ``about``: the communes a bulletin concerns; ``heading`` and
    ``folded``: its title and its đ-words, from ``body`` less its :func:`unindexed`
    parts), each declared even when empty, and :data:`NO_IMAGE`, and its filters
    (:func:`facets`), named in the page's language. Nothing in it is text, so nothing
    of it is in excerpts."""
    ctx = page.ctx
    content = _UNINDEXED.sub(" ", str(body.html()))
    title = _H1.search(content)
    title = page_text(title.group(1)).strip() if title else ""
    meta = {"place": names_value(place), "about": names_value(about), "heading": names_value([title] if title else []),
            "folded": " ".join(folded_words(page_text(content)))}
    meta.update(dict.fromkeys(NO_IMAGE, ""))
    spans = [html('<span data-pagefind-meta="{}:{}"></span>', key, value) for key, value in meta.items()]
    values = facets(ctx.reg, ctx.lang, bulletins, communes=communes, tags=tags, groups=groups)
    names = filter_names(page.t)
    for key, facet in (("commune", "communes"), ("group", "groups"), ("difficulty", "difficulties"),
                       ("year", "years")):
        spans += [html('<span data-pagefind-filter="{}:{}"></span>', names[key], inert(str(value)))
                  for value in dict.fromkeys(values[facet])]
    return html('<div class="b-search-data" hidden data-pagefind-ignore>{}</div>', join("", spans))


def ui_options(t: Callable[[str], str]) -> dict:
    """Pagefind's default UI on the search page: sub-results, no images, filters open
    (the UI closes them when there are several), our ranking."""
    return {"element": "#b-search", "showSubResults": True, "showImages": False, "ranking": RANKING,
            "openFilters": list(filter_names(t).values()),
            "translations": {"clear_search": t("search_clear")}}


def ui_html(t: Callable[[str], str]) -> Markup:
    """The search page's UI: Pagefind's default UI with ``ui_options``; the metadata
    fields that only feed the search are dropped from each result before it is shown;
    ``?q=`` runs a search. The options are also on the page as JSON
    (``#b-search-options``), for tests that ask Pagefind's API directly."""
    return html('<link rel="stylesheet" href="../pagefind/pagefind-ui.css">\n'
                '<div id="b-search"></div>\n'
                '<script id="b-search-options" type="application/json">{}</script>\n'
                '<script src="../pagefind/pagefind-ui.js"></script>\n'
                "<script>\n"
                'const options = JSON.parse(document.getElementById("b-search-options").textContent);\n'
                "const hidden = {};\n"
                "const ui = new PagefindUI({{...options, processResult: (result) => {{\n"
                "  for (const key of hidden) {{ delete result.meta[key]; }}\n"
                "  return result;\n"
                "}}}});\n"
                'const q = new URLSearchParams(location.search).get("q");\n'
                # Pagefind's UI loads the filter indexes while its first search runs, and a
                # search that wins that race shows only the filters loaded so far: load them
                # first (the same module instance the UI imports, with the same ranking).
                "if (q) {{\n"
                '  import("../pagefind/pagefind.js").then(async (pagefind) => {{\n'
                "    await pagefind.options({{ranking: options.ranking}});\n"
                "    await pagefind.filters();\n"
                "    ui.triggerSearch(q);\n"
                "  }});\n"
                "}}\n"
                "</script>", script_json(ui_options(t)), script_json(list(HIDDEN_META)))
