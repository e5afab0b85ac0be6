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
  folded forms go into metadata fields, which the search page never shows (it shows a
  result's title, excerpt and sub-results only). A match there also boosts a page by the field's weight
  (``ranking.metaWeights``): the names of the communes a page is about, as written and
  folded, rank a commune's own page, then the bulletins about it, above pages that only
  contain its syllables.
- Filters (``data-pagefind-filter``), commune, working group, difficulty and year, with
  labels in the page's language; the search page loads them when the reader opens
  "Filters" (``SEARCH_SCRIPT``) and shows them as text; '<', '>' and '&' in names and
  values are replaced by look-alikes all the same (:func:`inert`). A filter's
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
    """A filter's name or value as any Pagefind UI may show it: Pagefind's own UIs print
    them as HTML ({@html} in filters.svelte; ours puts them in as text), and Pagefind
    decodes entities in them more than once (lol_html, then ``normalize_content`` twice),
    so no escaping survives. '<', '>' and '&' become look-alikes that open no tag and no
    entity (a label '<img onerror=…>' stays text; tests/test_hostile.py)."""
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
    """What the search page's script needs: our ranking, excerpts of 12 words (Pagefind's
    default UI's length beside sub-results), 5 results at a time, the filters' names in
    the order they are offered, and the UI strings of the language."""
    return {"ranking": RANKING, "excerptLength": 12, "pageSize": 5, "filters": list(filter_names(t).values()),
            "translations": {"loading": t("search_loading"), "clear": t("search_clear"), "none": t("search_none"),
                             "result": t("search_result"), "results": t("search_results")}}


# The search page's script. Pagefind's default UI and its modular UI both call
# pagefind.filters() as they start, which fetches every filter file (180 KB of the 477 KB
# of a first search at 10,000 bulletins); this one calls it the first time the reader
# opens "Filters". A search fetches only the filter files its own filters use (pagefind.js:
# request_filter_indexes), so a search without filters fetches none. Text from the index
# goes into the page as text (textContent, append); Pagefind's excerpts alone as HTML:
# Pagefind 1.5 builds them from the page's text with '<' and '>' escaped (loadFragment's
# raw_content) and adds only <mark> around the words found (build_excerpt).
# Kept free of blank lines and of "</script".
SEARCH_SCRIPT = r"""
(() => {
  const options = JSON.parse(document.getElementById("b-search-options").textContent);
  const say = options.translations;
  const $ = (id) => document.getElementById(id);
  const form = $("b-search-form"), input = $("b-search-q"), panel = $("b-search-filters"),
        facets = $("b-search-facets"), status = $("b-search-status"), list = $("b-search-results"),
        more = $("b-search-more");
  const api = import(new URL("../pagefind/pagefind.js", document.baseURI).href).then(async (pagefind) => {
    await pagefind.options({ranking: options.ranking, excerptLength: options.excerptLength});
    return pagefind;
  });
  const make = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const link = (url, title) => { const a = make("a", "", title); a.href = url; return a; };
  const excerpt = (html) => { const p = make("p", "b-search-result__excerpt"); p.innerHTML = html; return p; };
  const chosen = {};  // a filter's name -> the set of its values ticked (a page matches any of them)
  const counts = new Map();  // a ticked-or-not box -> the element showing its count
  let results = [], shown = 0, run = 0, timer, filtersLoaded;
  // The page's best sub-results, as Pagefind's UI shows them: up to 3, in page order; left
  // out, the one for the page itself (before its first heading) and its title's (its h1).
  const subResults = (data, url) => {
    const subs = (data.sub_results || []).filter((sub) => sub.url !== url && sub.title !== data.meta.title);
    const best = new Set([...subs].sort((a, b) => b.locations.length - a.locations.length).slice(0, 3));
    return subs.filter((sub) => best.has(sub));
  };
  const item = (data) => {
    const url = data.meta.url || data.url;
    const li = make("li", "b-search-result"), title = make("h2", "b-search-result__title");
    title.append(link(url, data.meta.title || url));
    li.append(title, excerpt(data.excerpt));
    const subs = subResults(data, url);
    if (subs.length) {
      const ul = li.appendChild(make("ul", "b-search-result__subs"));
      for (const sub of subs) ul.appendChild(make("li")).append(link(sub.url, sub.title), excerpt(sub.excerpt));
    }
    return li;
  };
  const showMore = async (focus) => {
    const mine = run, page = results.slice(shown, shown + options.pageSize);
    shown += page.length;
    const data = await Promise.all(page.map((result) => result.data()));
    if (mine !== run) return;
    const items = data.map(item);
    list.append(...items);
    more.hidden = shown >= results.length;
    if (focus && items.length) items[0].querySelector("a").focus();
  };
  const showCounts = (byFilter) => {
    for (const [box, count] of counts) count.textContent = (byFilter[box.name] || {})[box.value] || 0;
  };
  const search = async () => {
    clearTimeout(timer);
    const mine = ++run, term = input.value.trim(), filters = {};
    for (const [name, values] of Object.entries(chosen)) if (values.size) filters[name] = {any: [...values]};
    history.replaceState(null, "", term ? "?q=" + encodeURIComponent(term) : location.pathname);
    const pagefind = await api;
    const found = term || Object.keys(filters).length ? await pagefind.search(term || null, {filters}) : null;
    if (mine !== run) return;
    if (filtersLoaded && found) showCounts(found.filters);
    results = found ? found.results : [];
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    const n = results.length;
    status.textContent = !found ? "" : n ? n.toLocaleString(document.documentElement.lang) + " "
      + (n === 1 ? say.result : say.results) : say.none;
    await showMore(false);
  };
  const loadFilters = async () => {
    facets.setAttribute("aria-busy", "true");
    facets.textContent = say.loading;
    const all = await (await api).filters(), sort = new Intl.Collator(document.documentElement.lang, {numeric: true});
    facets.replaceChildren();
    for (const name of options.filters) {
      const group = facets.appendChild(make("details", "b-search-facet")), heading = make("summary", "", name);
      const values = group.appendChild(make("div", "b-search-facet__values"));
      group.prepend(heading);
      values.setAttribute("role", "group");
      values.setAttribute("aria-label", name);
      for (const value of Object.keys(all[name] || {}).sort(sort.compare)) {
        const label = values.appendChild(make("label")), box = make("input"), count = make("span", "b-search-facet__count");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        label.append(box, " " + value + " ", count);
        counts.set(box, count);
      }
    }
    const clear = facets.appendChild(make("button", "b-search-facets__clear", say.clear));
    clear.type = "button";
    clear.addEventListener("click", () => {
      for (const box of counts.keys()) box.checked = false;
      for (const values of Object.values(chosen)) values.clear();
      search();
    });
    showCounts(all);
    facets.removeAttribute("aria-busy");
    if (run) await search();  // the counts of the search shown
  };
  panel.addEventListener("toggle", () => { if (panel.open && !filtersLoaded) filtersLoaded = loadFilters(); });
  facets.addEventListener("change", (event) => {
    const box = event.target;
    (chosen[box.name] ||= new Set())[box.checked ? "add" : "delete"](box.value);
    search();
  });
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 300); });
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); input.blur(); });
  more.addEventListener("click", () => showMore(true));
  const q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; search(); }
})();
"""


def ui_html(t: Callable[[str], str]) -> Markup:
    """The search page's UI: a search form (``?q=`` runs a search), a closed "Filters"
    disclosure, the results announced by a status line, and ``SEARCH_SCRIPT`` driving
    Pagefind's JavaScript API with ``ui_options`` (on the page as JSON,
    ``#b-search-options``, which the tests also use). A result shows its title, excerpt
    and sub-results, never its metadata fields (those of HIDDEN_META only feed the search)."""
    return html('<form class="b-search b-search--page" id="b-search-form" role="search" action="./">'
                '<label for="b-search-q">{0}</label> '
                '<input id="b-search-q" type="search" name="q" placeholder="{1}" autocomplete="off"> '
                '<button type="submit">{0}</button></form>\n'
                '<details class="b-search-filters" id="b-search-filters"><summary>{2}</summary>'
                '<div id="b-search-facets"></div></details>\n'
                '<p class="b-search-status" id="b-search-status" role="status"></p>\n'
                '<ol class="b-search-results" id="b-search-results"></ol>\n'
                '<button class="b-search-more" id="b-search-more" type="button" hidden>{3}</button>\n'
                '<script id="b-search-options" type="application/json">{4}</script>\n'
                "<script>{5}</script>",
                t("search"), t("search_placeholder"), t("search_filters"), t("search_more"),
                script_json(ui_options(t)), Markup(SEARCH_SCRIPT))
