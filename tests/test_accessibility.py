"""axe-core WCAG 2.0, 2.1 and 2.2 A/AA on every page kind, in both languages, on a 360 px
phone and a 1280 px screen, in the light and the dark colour scheme (issues 3 and 10).

The dark scheme is Material's palette following the system setting
(``prefers-color-scheme``): a page opened with ``color_scheme="dark"`` must come up as
``slate``. WCAG 2.2's ``target-size`` (24 × 24 CSS px, or spaced) is among the rules.
Texts too short for axe to judge (a matrix cell's "1", a bar's value) are checked here.
Every page checked is also saved, full length, as test-artifacts/pages/<kind>-<lang>-<width>-
<scheme>.png, to be looked at."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "test-artifacts" / "pages"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe.run(context, tags): every violating element, and only the first of each rule's passes
# and incomplete results (which nothing reads): half the time on a long page.
AXE_RUN = ("([context, tags]) => axe.run(context, {runOnly: {type: 'tag', values: tags}, "
           "resultTypes: ['violations']})")
VIEWPORTS = [(360, 800), (1280, 900)]
SCHEMES = {"light": "default", "dark": "slate"}  # Playwright's color_scheme -> Material's scheme
# One page of every kind: communes/ky-lua/ was visited, communes/bac-son/ never was;
# about/ is the static page of content/pages/; the search page shows results.
PAGE_KINDS = {
    "home": "",
    "search": "search/?q=dong+kinh",
    "subscribe": "subscribe/",
    "bulletin": "bulletins/2025-08-04-group-1/",
    "archive": "bulletins/",
    "communes": "communes/",
    "commune-visited": "communes/ky-lua/",
    "commune-never-visited": "communes/bac-son/",
    "difficulties": "difficulties/",
    "difficulty": "difficulties/staff-skills/",
    "follow-ups": "follow-ups/",
    "groups": "groups/",
    "group": "groups/1/",
    "static-page": "about/",
    "404": "404.html",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core missing (npm ci)")
    return AXE.read_text(encoding="utf-8")


def open_page(browser, url: str, scheme: str, width: int = 360, height: int = 800):
    """A page in the given colour scheme, loaded (search results shown), and the list of
    its requests to hosts other than 127.0.0.1."""
    # axe is injected as a script: the page's Content-Security-Policy (serving.py) would refuse it
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme, bypass_csp=True)
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if urllib.parse.urlsplit(r.url).hostname not in (None, "127.0.0.1")
            and not r.url.startswith(("data:", "blob:", "about:")) else None)
    page.goto(url, wait_until="load")
    if "search/?q=" in url:
        page.wait_for_selector(".b-search-result", timeout=15_000)
        page.wait_for_function("""() => new Promise(done => {  // the list has stopped growing
            const n = document.querySelectorAll('.b-search-result').length;
            setTimeout(() => done(document.querySelectorAll('.b-search-result').length === n), 400); })""")
    return page, foreign


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", ["vi", "fr"])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_wcag22_aa(browser, server, axe_source, lang, kind, scheme):
    page, foreign = open_page(browser, f"{server}{lang}/{PAGE_KINDS[kind]}", scheme)
    violations = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
        page.add_script_tag(content=axe_source)
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(SCREENSHOTS / f"{kind}-{lang}-{width}-{scheme}.png"), full_page=True)
            result = page.evaluate(AXE_RUN, ["html", TAGS])
            violations += [{"viewport": width, "id": v["id"], "impact": v["impact"], "help": v["help"],
                            "nodes": [{"target": n["target"], "html": n["html"][:200],
                                       "summary": n.get("failureSummary", "")[:300]} for n in v["nodes"][:5]]}
                           for v in result["violations"]]
    finally:
        page.close()
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
    assert not foreign, f"requests to hosts other than 127.0.0.1: {foreign}"


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe's violations of the page as it is now (rule id, its first 5 elements)."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(AXE_RUN, ["html", TAGS])
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:5]]} for v in result["violations"]]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_axe_with_the_phone_navigation_open(browser, server, axe_source, lang, scheme):
    """The navigation drawer a phone opens from the header (hidden, so unchecked, above)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, _ = open_page(browser, f"{server}{lang}/communes/ky-lua/", scheme)
    try:
        page.click("label.md-header__button[for=__drawer]")
        page.locator(".md-nav--primary .md-nav__link").first.wait_for(state="visible")
        page.wait_for_timeout(300)  # the drawer slides in
        page.screenshot(path=str(SCREENSHOTS / f"navigation-{lang}-360-{scheme}.png"))
        violations = axe_violations(page, axe_source)
    finally:
        page.close()
    assert not violations, violations


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_axe_with_the_search_filters_open(browser, server, axe_source, lang, scheme):
    """The search page's filters, which load and show only once opened (closed, above)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, _ = open_page(browser, f"{server}{lang}/search/?q=dong+kinh", scheme)
    try:
        page.click("#b-search-filters > summary")
        page.wait_for_selector(".b-search-facet")
        for facet in page.locator(".b-search-facet > summary").all():
            facet.click()
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / f"search-filters-{lang}-360-{scheme}.png"), full_page=True)
        violations = axe_violations(page, axe_source)
    finally:
        page.close()
    assert not violations, violations


CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const page = getComputedStyle(document.body).backgroundColor;
  const cells = [...document.querySelectorAll('.b-matrix td')].filter(td => td.textContent.trim()).map(td => {
    const s = getComputedStyle(td);
    return [td.className, s.color, s.backgroundColor, ratio(s.color, s.backgroundColor)]; });
  const bars = [...document.querySelectorAll('.b-chart rect, .b-bar rect')].map(r => {
    const fill = getComputedStyle(r).fill; return [fill, page, ratio(fill, page)]; });
  const values = [...document.querySelectorAll('.b-chart__n')].map(t => {
    const fill = getComputedStyle(t).fill; return [fill, page, ratio(fill, page)]; });
  return {cells, bars, values, opaque: [page, ...cells.map(c => c[2])].every(c => rgb(c).length === 3)};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_short_texts_and_bars_contrast(browser, server, scheme):
    """axe leaves a one-digit text "incomplete" (too short to judge): the matrix cells'
    counts must still read at 4.5:1 on their shading, a chart's values (when there is a
    chart: more than one month) at 4.5:1 and the bars at 3:1 (WCAG 1.4.11) on the page, in
    both schemes."""
    page, _ = open_page(browser, f"{server}vi/difficulties/", scheme, 1280, 900)
    try:
        found = page.evaluate(CONTRAST)
    finally:
        page.close()
    assert found["opaque"], found
    assert found["cells"] and found["bars"]
    assert all(c[3] >= 4.5 for c in found["cells"]), [c for c in found["cells"] if c[3] < 4.5]
    assert all(v[2] >= 4.5 for v in found["values"]), found["values"]
    assert all(b[2] >= 3 for b in found["bars"]), found["bars"]


@pytest.mark.parametrize("lang, names", [("vi", ["Chuyển sang chế độ tối", "Chuyển sang chế độ sáng"]),
                                         ("fr", ["Passer au mode sombre", "Passer au mode clair"])])
def test_colour_scheme_toggle_is_named_in_the_pages_language(browser, server, lang, names):
    """The toggle follows the system setting, says in the page's language what it does,
    and switching it changes the scheme (and is kept for the next page)."""
    page, _ = open_page(browser, f"{server}{lang}/", "light", 1280, 900)
    try:
        labels = page.evaluate("[...document.querySelectorAll('[data-md-component=palette] label')]"
                               ".map(l => l.title)")
        assert labels == names
        page.locator("[data-md-component=palette] label:visible").click()
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        page.goto(f"{server}{lang}/difficulties/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    finally:
        page.close()
