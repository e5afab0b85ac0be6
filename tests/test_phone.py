"""The difficulties page on a 360 px phone and a 1280 px screen, in Chromium: nothing
overflows the page, every bar's value of the chart (difficulties per month, on a site of
many months) is on screen, and the commune ×
difficulty matrix keeps its commune column and header row in view however far it is
scrolled. Screenshots go to test-artifacts/ to be looked at."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def many_months(tmp_path_factory):
    """A synthetic site of 60 bulletins over many months (the seed's are of one month,
    where the page shows no chart): served, yields the base URL."""
    from bulletins.build import build_site
    from bulletins.synth import synthesize
    from conftest import serving

    root = tmp_path_factory.mktemp("months")
    synthesize(Path(__file__).resolve().parents[1], root / "project", 60, 5)
    report = build_site(root / "project", root / "site")
    assert not report.has_errors(), report.render()
    with serving(root / "site") as base:
        yield base


@pytest.mark.parametrize("width, height", [(360, 800), (1280, 900)])
@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_difficulties_chart_values_stay_on_screen(many_months, browser, lang, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{many_months}{lang}/difficulties/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator(".b-chart").scroll_into_view_if_needed()
        values = page.evaluate("[...document.querySelectorAll('.b-chart__n')].map(t => {"
                               "const r = t.getBoundingClientRect(); return [r.left, r.right, t.textContent]; })")
        assert len(values) >= 2  # one bar per month
        assert all(0 <= left and right <= width for left, right, _ in values), values
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".b-chart").screenshot(path=str(ARTIFACTS / f"difficulties-chart-{lang}-{width}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("width, height", [(360, 800), (1280, 900)])
@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_difficulties_page_fits(server, browser, lang, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{server}{lang}/difficulties/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"difficulties-table-{lang}-{width}.png"))
        # the matrix, scrolled fully right and a little down: names and headers still visible
        page.locator(".b-matrix-box").scroll_into_view_if_needed()
        state = page.evaluate("""() => {
            const box = document.querySelector('.b-matrix-box');
            box.scrollLeft = box.scrollWidth; box.scrollTop = 100;
            const frame = box.getBoundingClientRect();
            const inside = r => r.left >= frame.left - 1 && r.right <= frame.right + 1
                                && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
            const heads = [...box.querySelectorAll('thead th')];
            const below = heads[0].getBoundingClientRect().bottom;  // the rows not under the header
            const rows = [...box.querySelectorAll('tbody th')].filter(th => {
                const r = th.parentElement.getBoundingClientRect();
                return r.top >= below - 1 && r.bottom <= frame.bottom + 1; });
            const lastHead = heads[heads.length - 1].getBoundingClientRect();
            return {scrolled: box.scrollLeft > 0 || box.scrollWidth <= box.clientWidth,
                    rows: rows.length, names: rows.filter(th => inside(th.getBoundingClientRect())).length,
                    corner: inside(heads[0].getBoundingClientRect()), lastHead: inside(lastHead),
                    labels: [...box.querySelectorAll('td')].every(td => !td.textContent
                                                                  || td.getAttribute('aria-label'))};
        }""")
        page.screenshot(path=str(ARTIFACTS / f"difficulties-matrix-{lang}-{width}.png"))
        assert state["scrolled"] and state["rows"] > 3
        assert state["names"] == state["rows"], state
        assert state["corner"] and state["lastHead"] and state["labels"], state
    finally:
        page.close()


@pytest.mark.parametrize("lang, title", [("vi", "Không tìm thấy trang"), ("fr", "Page introuvable")])
def test_not_found_page_speaks_the_readers_language(built_site, lang, title):
    import lxml.html

    doc = lxml.html.fromstring((built_site / lang / "404.html").read_bytes())
    assert doc.cssselect("h1")[0].text_content() == title
    assert f"/{lang}/" in [a.get("href") for a in doc.cssselect("article a")]
    assert "Not found" not in doc.text_content()


PAGE_KINDS = ["", "bulletins/", "bulletins/2025-08-04-group-1/", "communes/", "communes/ky-lua/",
              "communes/bac-son/", "difficulties/", "difficulties/staff-skills/", "follow-ups/", "groups/", "groups/1/",
              "subscribe/", "search/?q=dong+kinh", "about/"]


@pytest.mark.parametrize("width, height", [(360, 800), (1280, 900)])
@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_no_console_error_no_failed_request_no_overflow(server, browser, lang, width, height):
    """Every page kind loads without a console error or a failed request (the theme's
    script used to fetch a sitemap.xml next to every <link rel=alternate>), and is no
    wider than the screen."""
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # a request cut short by the next navigation is not a failure
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}") if "ABORTED" not in (r.failure or "") else None)
    try:
        for rel in PAGE_KINDS:
            page.goto(f"{server}{lang}/{rel}", wait_until="load")
            page.wait_for_timeout(300)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{rel} overflows {width} px")
    finally:
        page.close()
    assert problems == []


def _doc(site, rel):
    import lxml.html

    return lxml.html.fromstring((site / rel / "index.html").read_bytes())


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_home_says_what_is_new_and_counts_from_content(built_site, lang):
    from bulletins.diagnostics import Report
    from bulletins.index import build_index
    from bulletins.project import load_site

    site = load_site(Path(__file__).resolve().parents[1], Report())
    index = build_index(site)
    doc = _doc(built_site, lang)
    figures = doc.cssselect("#figures + dl dd")
    visited = sum(1 for view in index.communes.values() if view.bulletins)
    assert figures[0].text_content() == str(len(site.bulletins))
    assert figures[1].text_content().replace(" sur ", "/") == f"{visited}/65"
    top = max(index.tags.values(), key=lambda v: len(v.occurrences))
    assert f"difficulties/{top.tag.id}/" in figures[2].cssselect("a")[0].get("href")
    assert "65" in doc.cssselect(".b-context")[0].text_content()
    assert len(doc.cssselect(".b-item__summary")) == min(len(site.bulletins), 10)


def test_subscribe_page_by_section_communes_in_vietnamese_order(built_site):
    from bulletins.i18n import vietnamese_key

    doc = _doc(built_site, "vi/subscribe")
    assert [h.get("id") for h in doc.cssselect("h2")] == ["feeds-all", "feeds-groups", "feeds-difficulties",
                                                          "feeds-communes"]
    names = [th.text_content().replace("Bản tin về ", "") for th in doc.cssselect("#feeds-communes + div th[scope=row]")]
    assert len(names) == 65 and names == sorted(names, key=vietnamese_key)


def test_open_graph_tags(built_site):
    doc = _doc(built_site, "fr/bulletins/2025-08-04-group-1")
    og = {m.get("property"): m.get("content") for m in doc.cssselect("meta[property^='og:']")}
    assert og["og:url"].endswith("/fr/bulletins/2025-08-04-group-1/") and og["og:locale"] == "fr_FR"
    assert og["og:title"] == doc.cssselect("h1")[0].text_content()
    assert og["og:description"] == doc.cssselect(".b-lead")[0].text_content()


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_tap_targets_are_at_least_24_px(server, browser, lang):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(f"{server}{lang}/")
        sizes = page.evaluate("[...document.querySelectorAll('.b-lang a, .b-search input, .b-search button')]"
                              ".map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    finally:
        page.close()
    assert len(sizes) == 3 and all(w >= 24 and h >= 24 for w, h in sizes), sizes


def test_commune_page_names_each_bulletin_once(built_site):
    doc = _doc(built_site, "vi/communes/ky-lua")
    titles = [a for a in doc.cssselect("article a") if a.get("href") == "../../bulletins/2025-08-04-group-1/"
              and a.text_content().startswith("Tổ công tác số 1")]
    # the visit's link, and the last visit's in the summary: never once per sentence (open
    # requests link their day, items their anchor)
    assert len(titles) == 2


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_difficulty_page_lists_what_answers_it(built_site, lang):
    """'workload' is raised nowhere in the revised seed, but group 1's directive answers it."""
    doc = _doc(built_site, f"{lang}/difficulties/workload")
    assert doc.cssselect(".b-empty")
    answers = doc.cssselect("#answers + div > ul.b-answers li")  # the list is out of search
    assert answers and "../../bulletins/2025-08-04-group-1/" in [a.get("href") for a in answers[0].iter("a")]


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_search_page_on_a_phone_shows_results_first(server, browser, lang):
    """At 360 px the first result is on the first screen, below the filters' one closed line.
    Opened, the filters fit the width, every value is a target of at least 24 px whose check
    box stays clear of its text, and no heading's text runs under its open/closed mark."""
    page = browser.new_page(viewport={"width": 360, "height": 780})
    rect = "el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; }"
    try:
        page.goto(f"{server}{lang}/search/?q=dong+kinh")
        page.wait_for_selector(".b-search-result")
        first = page.eval_on_selector(".b-search-result", rect)
        filters = page.eval_on_selector("#b-search-filters > summary", rect)
        assert filters["height"] <= 60 and filters["bottom"] <= first["top"] and first["top"] + 40 <= 780, (filters, first)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-results-{lang}-360.png"))
        page.click("#b-search-filters > summary")
        page.wait_for_selector(".b-search-facet")
        for facet in page.locator(".b-search-facet > summary").all():
            facet.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(ARTIFACTS / f"search-filters-{lang}-360.png"))
        problems = page.evaluate("""() => {
          const text = (node) => { const r = document.createRange(); r.selectNodeContents(node);
                                   return r.getBoundingClientRect(); };
          const out = [];
          for (const label of document.querySelectorAll('.b-search-facet label')) {
            const box = label.querySelector('input').getBoundingClientRect(), words = text(label.childNodes[1]);
            if (label.getBoundingClientRect().height < 24 || box.right > words.left) out.push(label.textContent);
          }
          for (const summary of document.querySelectorAll('#b-search-filters summary')) {
            const edge = summary.getBoundingClientRect().right - parseFloat(getComputedStyle(summary).paddingRight);
            if (text(summary.firstChild).right > edge + 0.5) out.push(summary.textContent);
          }
          return out; }""")
        assert problems == [] and page.locator(".b-search-facet label").count() > 20
    finally:
        page.close()
