"""Search that finds what the reader asked (issue 10), in Chromium on the built site,
through Pagefind's own JavaScript API with the options the search page gives its UI
(``#b-search-options``), and through the search page itself.

- A table of queries, with and without diacritics, in both languages, and the first
  result each must give.
- Excerpts show the page's own text: no folded copy ("dong" where the page says
  "Đông"), no cells glued together ("hành chính05977").
- The pages about a commune rank above those that only contain its syllables.
- Filters (commune, group, difficulty, year), named in the page's language, narrow
  the results; results stay in the page's language.
- The search page fetches no filter file until the reader opens its filters (issue 12).

One browser page per language runs every query (``search_all``)."""

from __future__ import annotations

import json
import re

import pytest
from bulletins.search_index import HIDDEN_META

# (language, query, the first result, relative to /<lang>/). A tuple of pages: either may
# come first (both are about what was asked).
TABLE = [
    ("vi", "dong kinh", "communes/dong-kinh/"),
    ("vi", "Đông Kinh", "communes/dong-kinh/"),
    ("vi", "ky lua", "communes/ky-lua/"),
    ("vi", "Kỳ Lừa", "communes/ky-lua/"),
    ("vi", "dong dang", "communes/dong-dang/"),
    ("vi", "Đồng Đăng", "communes/dong-dang/"),
    ("vi", "huu lung", "communes/huu-lung/"),
    ("vi", "Lộc Bình", "communes/loc-binh/"),
    ("vi", "tam thanh", "communes/tam-thanh/"),
    ("vi", "that khe", "communes/that-khe/"),
    ("vi", "thieu can bo", "difficulties/staff-shortage/"),
    ("vi", "Thiếu cán bộ", "difficulties/staff-shortage/"),
    ("vi", "xe cong vu", "difficulties/vehicles/"),
    ("vi", "tru so", ("difficulties/dispersed-headquarters/", "difficulties/facilities/")),
    ("vi", "tru so phan tan", "difficulties/dispersed-headquarters/"),
    ("vi", "co so vat chat", "difficulties/facilities/"),
    ("vi", "dieu dong can bo", "difficulties/staff-allocation/"),
    ("vi", "khoi luong cong viec", "difficulties/workload/"),
    ("vi", "song dien thoai", "difficulties/telecom-signal/"),
    ("vi", "thieu dien", "difficulties/electricity/"),
    ("vi", "thieu nha cong vu", "difficulties/official-housing/"),
    ("fr", "dong kinh", "communes/dong-kinh/"),
    ("fr", "Đông Kinh", "communes/dong-kinh/"),
    ("fr", "ky lua", "communes/ky-lua/"),
    ("fr", "Kỳ Lừa", "communes/ky-lua/"),
    ("fr", "dong dang", "communes/dong-dang/"),
    ("fr", "chi lang", "communes/chi-lang/"),
    ("fr", "huu lung", "communes/huu-lung/"),
    ("fr", "manque de personnel", "difficulties/staff-shortage/"),
    ("fr", "véhicules", "difficulties/vehicles/"),
    ("fr", "vehicules", "difficulties/vehicles/"),
    ("fr", "sieges disperses", "difficulties/dispersed-headquarters/"),
    ("fr", "routes", "difficulties/roads/"),
    ("fr", "electricite", "difficulties/electricity/"),
    ("fr", "logement de fonction", "difficulties/official-housing/"),
    ("fr", "competences du personnel", "difficulties/staff-skills/"),
]
# A commune's name: every page about it (its own, then the bulletins that concern it)
# ranks above every page that only contains its syllables.
ABOUT = {"vi": {"dong kinh": "Đông Kinh", "Đông Kinh": "Đông Kinh", "ky lua": "Kỳ Lừa", "tam thanh": "Tam Thanh",
                "huu lung": "Hữu Lũng", "luong van tri": "Lương Văn Tri", "van lang": "Văn Lãng"},
         "fr": {"dong kinh": "Đông Kinh", "tam thanh": "Tam Thanh", "huu lung": "Hữu Lũng", "van lang": "Văn Lãng"}}

# Every query of a language in one page: each result's URL, score, excerpt (as text),
# meta and filters, and the words of the result page's own text (its text nodes, split
# apart: two cells glued in an excerpt are no word of the page).
SEARCH_ALL = """async ([lang, queries]) => {
  const options = JSON.parse(document.getElementById("b-search-options").textContent);
  const pagefind = await import(`/${lang}/pagefind/pagefind.js`);
  await pagefind.options({ranking: options.ranking});
  const pages = {};
  const words = (text) => text.split(/\\s+/).map(w => w.replace(/^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$/gu, ""))
                              .filter(w => w);
  const pageWords = async (url) => {
    if (!pages[url]) {
      const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
      const seen = new Set();
      const walker = doc.createTreeWalker(doc.querySelector("[data-pagefind-body]"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest("[hidden], [data-pagefind-ignore], script, style")) continue;
        for (const w of words(node.textContent)) seen.add(w);
      }
      pages[url] = seen;
    }
    return pages[url];
  };
  const out = {};
  for (const query of queries) {
    const search = await pagefind.search(query);
    const results = [];
    for (const result of search.results.slice(0, 8)) {
      const data = await result.data();
      const box = document.createElement("div");
      box.innerHTML = data.excerpt;
      const own = await pageWords(data.url);
      const excerpt = box.textContent;
      results.push({url: data.url, score: result.score, excerpt, meta: data.meta, filters: data.filters,
                    foreign: words(excerpt).filter(w => !own.has(w))});
    }
    out[query] = {count: search.results.length, results,
                  urls: (await Promise.all(search.results.map(r => r.data()))).map(d => d.url)};
  }
  return out;
}"""


@pytest.fixture(scope="module")
def search_all(browser, server):
    """Run every query of the table and of ABOUT, once, in one page per language."""
    results = {}
    context = browser.new_context()
    try:
        page = context.new_page()
        for lang in ("vi", "fr"):
            page.goto(f"{server}{lang}/search/")
            queries = list(dict.fromkeys([q for ql, q, _ in TABLE if ql == lang] + list(ABOUT[lang])
                                         + ["can bo", "dong"]))
            results[lang] = page.evaluate(SEARCH_ALL, [lang, queries])
    finally:
        context.close()
    return results


@pytest.mark.parametrize(("lang", "query", "expected"), TABLE, ids=[f"{q}-{lang}" for lang, q, _ in TABLE])
def test_first_result(search_all, lang, query, expected):
    found = search_all[lang][query]["results"]
    assert found, f"{query!r} finds nothing"
    expected = (expected,) if isinstance(expected, str) else expected
    first = found[0]["url"]
    assert first in [f"/{lang}/{e}" for e in expected], [(r["url"], round(r["score"], 2)) for r in found[:4]]


def test_excerpts_show_the_pages_own_text(search_all):
    """Every word of every excerpt (the first 8 results of every query) is a word of the
    result page's visible text: no folded copy, no cells glued together."""
    foreign = {(lang, q, r["url"]): r["foreign"] for lang, queries in search_all.items()
               for q, res in queries.items() for r in res["results"] if r["foreign"]}
    assert not foreign, foreign
    # and, explicitly: no excerpt shows a folded form ('dong') of a word its page writes with đ
    for lang, queries in search_all.items():
        for q, res in queries.items():
            for r in res["results"]:
                folded = set(r["meta"].get("folded", "").split())
                shown = {w.lower() for w in re.findall(r"\w+", r["excerpt"])}
                assert not (folded & shown & {w.lower() for w in r["foreign"]}), (lang, q, r["url"], r["excerpt"])
    shown = [r["excerpt"] for res in search_all["vi"].values() for r in res["results"]]
    assert any("Đông Kinh" in e for e in shown)


def test_excerpts_keep_facts_apart(search_all):
    commune = next(r for r in search_all["vi"]["dong kinh"]["results"] if r["url"] == "/vi/communes/dong-kinh/")
    assert "05977" in commune["excerpt"] and "chính05977" not in commune["excerpt"], commune["excerpt"]


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_pages_about_a_commune_come_first(search_all, lang):
    for query, name in ABOUT[lang].items():
        urls = search_all[lang][query]["urls"]
        results = search_all[lang][query]["results"]
        about = [r["url"] for r in results if name in f"{r['meta'].get('place', '')} {r['meta'].get('about', '')}"]
        assert about and urls[0] == about[0], (query, urls[:5])
        assert urls[:len(about)] == about, (query, urls[:len(about) + 2], about)


def test_search_metadata_is_for_ranking_only(search_all):
    """The fields that carry the folded forms exist, and the UI hides them (below)."""
    meta = search_all["vi"]["dong kinh"]["results"][0]["meta"]
    assert set(HIDDEN_META) - {"about"} <= set(meta), meta
    assert "dong" in meta["place"].split() and "dong" in meta["folded"].split()


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_results_stay_in_the_pages_language(search_all, built_site, lang):
    """Pagefind splits the index by <html lang>: each language's bundle holds its own
    pages only, and every result of every query is a page of that language."""
    entry = json.loads((built_site / lang / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [lang]
    for res in search_all[lang].values():
        assert all(u.startswith(f"/{lang}/") for u in res["urls"]), res["urls"]


FILTER_NAMES = {"vi": ["Phường/xã", "Tổ công tác", "Khó khăn", "Năm"],
                "fr": ["Quartier ou commune", "Groupe de travail", "Difficulté", "Année"]}


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_filters_narrow_the_results(browser, server, lang):
    commune, year = FILTER_NAMES[lang][0], FILTER_NAMES[lang][3]
    query = {"vi": "can bo", "fr": "fonctionnaires"}[lang]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server}{lang}/search/")
        got = page.evaluate("""async ([lang, query, commune, year]) => {
          const pagefind = await import(`/${lang}/pagefind/pagefind.js`);
          const filters = await pagefind.filters();
          const all = await pagefind.search(query);
          const one = await pagefind.search(query, {filters: {[commune]: "Kỳ Lừa"}});
          const data = await Promise.all(one.results.map(r => r.data()));
          const y = await pagefind.search(query, {filters: {[year]: "2025"}});
          const filed = await Promise.all((await pagefind.search(null, {filters: {[commune]: "Kỳ Lừa"}})).results
                                          .map(async r => (await r.data()).url));
          const dated = (await Promise.all(all.results.map(r => r.data()))).filter(d => (d.filters[year] || []).length);
          return {names: Object.keys(filters), communes: Object.keys(filters[commune] || {}), all: all.results.length,
                  one: data.map(d => [d.url, d.filters[commune]]), year: y.results.length, dated: dated.length,
                  filed};
        }""", [lang, query, commune, year])
    finally:
        context.close()
    assert sorted(got["names"]) == sorted(FILTER_NAMES[lang]), got["names"]
    assert "Kỳ Lừa" in got["communes"] and "Đông Kinh" in got["communes"]
    assert 0 < len(got["one"]) < got["all"], got
    assert all("Kỳ Lừa" in values for _, values in got["one"]), got["one"]
    # the commune's own page is filed under it (a filter alone, no words: its visits, which
    # repeat its bulletins' text, are out of the index)
    assert f"/{lang}/communes/ky-lua/" in got["filed"], got["filed"]
    assert got["year"] == got["dated"] > 0  # every dated page so far is of 2025 (about/ has no year)


def ui_results(page, unlike: list[str] | None = None) -> list[str]:
    """The result links of the search page, once the list stops changing (and differs from
    ``unlike``, the list before an action)."""
    page.wait_for_selector(".b-search-result__title a", timeout=15000)
    hrefs, previous = [], None
    for _ in range(50):
        hrefs = page.eval_on_selector_all(".b-search-result__title a", "els => els.map(e => e.pathname)")
        if hrefs == previous and hrefs != unlike:
            break
        previous = hrefs
        page.wait_for_timeout(300)
    return hrefs


def result_count(page, unlike: str = "") -> int:
    """The number of results the status line announces, once it differs from ``unlike``."""
    page.wait_for_function("([unlike]) => { const s = document.getElementById('b-search-status').textContent;"
                           " return s && s !== unlike; }", arg=[unlike], timeout=15000)
    found = re.match(r"\d[\d\s.]*", page.inner_text("#b-search-status"))  # 10.075 (vi), 10 075 (fr)
    return int(re.sub(r"\D", "", found.group())) if found else 0


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_the_search_page_shows_results_then_filters_when_asked(browser, server, built_site, lang):
    """Through the page: 'dong kinh' (?q=) → Đông Kinh's page first, its excerpt in the
    page's words, no hidden field shown, the count announced; no filter file fetched until
    the reader opens "Filters", then all four in the page's language, each with every
    value Pagefind knows; ticking Kỳ Lừa narrows the results to pages about it; without
    words, ticking Đông Kinh too widens them (a page about either: Pagefind's ``any``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: fetched.append(r.url))
        page.goto(f"{server}{lang}/search/?q=dong+kinh")
        found = ui_results(page)
        assert found[0] == f"/{lang}/communes/dong-kinh/", found
        assert "Đông Kinh" in page.locator(".b-search-result").first.inner_text()
        shown = " ".join(page.locator(".b-search-result").all_inner_texts()).split()
        assert not any(w in shown for w in ("dong", "dia", "duoc")), "a folded word or a hidden field is shown"
        assert page.get_attribute("#b-search-status", "role") == "status"
        assert result_count(page) >= len(found)
        page.wait_for_load_state("networkidle")
        assert any("/pagefind/index/" in u for u in fetched) and not any("/pagefind/filter/" in u for u in fetched)
        assert not page.eval_on_selector("#b-search-filters", "d => d.open")
        # opened from the keyboard: the form's button, then the disclosure
        page.focus("#b-search-q")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector(".b-search-facet", timeout=15000)
        assert any("/pagefind/filter/" in u for u in fetched)
        names = page.locator(".b-search-facet > summary").all_inner_texts()
        assert [n.strip() for n in names] == FILTER_NAMES[lang], names
        known = page.evaluate(f"async () => (await import('/{lang}/pagefind/pagefind.js')).filters()")
        offered = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.b-search-facet')].map(
            f => [f.querySelector('summary').textContent, [...f.querySelectorAll('input')].map(i => i.value)]))""")
        assert {name: sorted(values) for name, values in offered.items()} == \
            {name: sorted(known[name]) for name in FILTER_NAMES[lang]}
        status = page.inner_text("#b-search-status")
        page.fill("#b-search-q", {"vi": "can bo", "fr": "fonctionnaires"}[lang])
        before = ui_results(page, unlike=found)
        every = result_count(page, unlike=status)
        page.locator(".b-search-facet > summary").first.click()
        status = page.inner_text("#b-search-status")
        page.check(".b-search-facet input[value='Kỳ Lừa']")
        after = ui_results(page, unlike=before)
        one = result_count(page, unlike=status)
        assert 0 < one < every, (one, every)
        assert all("Kỳ Lừa" in (built_site / url.strip("/") / "index.html").read_text(encoding="utf-8")
                   for url in after), after
        page.fill("#b-search-q", "")  # the filter alone: every page filed under Kỳ Lừa
        filed = result_count(page, unlike=page.inner_text("#b-search-status"))
        status = page.inner_text("#b-search-status")
        page.check(".b-search-facet input[value='Đông Kinh']")
        either = result_count(page, unlike=status)
        assert filed < either, (filed, either)
    finally:
        context.close()


def test_search_page_options(built_site):
    """The options the page's script runs with are on the page, as JSON (the tests above
    use them): our ranking, the filters in the order offered, the strings of the language."""
    html = (built_site / "vi" / "search" / "index.html").read_text(encoding="utf-8")
    options = json.loads(re.search(r'<script id="b-search-options" type="application/json">(.*?)</script>',
                                   html).group(1))
    assert options["ranking"]["metaWeights"]["title"] == 0
    assert options["filters"] == FILTER_NAMES["vi"]
    assert options["translations"]["none"] == "Không tìm thấy kết quả"
