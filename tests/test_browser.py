"""The built site in headless Chromium (issue 3): navigation and the language switch,
diacritics-insensitive search in both languages, no third-party request, feed
autodiscovery, 360 px layout, print stylesheet, and screenshots of every page kind."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import feedparser
import pytest

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "test-artifacts" / "screenshots"
G1 = "2025-08-04-group-1"

PAGE_KINDS = {
    "home": "",
    "bulletin": f"bulletins/{G1}/",
    "commune": "communes/dong-kinh/",
    "communes-index": "communes/",
    "difficulty": "difficulties/dispersed-headquarters/",
    "difficulties-index": "difficulties/",
    "group": "groups/1/",
    "search": "search/?q=dong+kinh",
}


class Visit:
    """A browser page that records every request it makes."""

    def __init__(self, browser, width: int = 1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def third_party(self) -> list[str]:
        return [u for u in self.requests
                if urllib.parse.urlsplit(u).hostname != "127.0.0.1" and not u.startswith(("data:", "blob:", "about:"))]


@pytest.fixture
def visit(browser):
    """Factory of recorded pages; after the test, no page may have left 127.0.0.1."""
    visits: list[Visit] = []

    def make(width: int = 1280) -> Visit:
        visits.append(Visit(browser, width))
        return visits[-1]

    yield make
    leaks = [u for v in visits for u in v.third_party()]
    for v in visits:
        v.context.close()
    assert not leaks, f"requests to hosts other than 127.0.0.1: {leaks}"


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def test_home_commune_bulletin_language_switch(visit, server):
    page = visit().page
    page.goto(server + "vi/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.locator(".md-content a[href$='communes/']").first.click()
    page.wait_for_url("**/vi/communes/")
    page.get_by_role("link", name="Đông Kinh", exact=True).first.click()
    page.wait_for_url("**/vi/communes/dong-kinh/")
    assert "Đông Kinh" in page.locator("h1").inner_text()
    page.locator(f".md-content a[href$='bulletins/{G1}/']").first.click()
    page.wait_for_url(f"**/vi/bulletins/{G1}/")
    page.locator("a.b-lang__link").click()
    page.wait_for_url(f"**/fr/bulletins/{G1}/")
    assert path_of(page.url) == f"/fr/bulletins/{G1}/"
    assert page.locator("html").get_attribute("lang") == "fr"


def search_results(page, server: str, lang: str, query: str) -> list[str]:
    page.goto(f"{server}{lang}/search/?q={urllib.parse.quote_plus(query)}")
    page.wait_for_selector(".b-search-result__title a", timeout=15000)
    # Pagefind shows each result as its fragment arrives: read them once the list stops growing
    hrefs, previous = [], None
    for _ in range(50):
        hrefs = page.eval_on_selector_all(".b-search-result__title a", "els => els.map(e => e.href)")
        if hrefs == previous:
            break
        previous = hrefs
        page.wait_for_timeout(300)
    return [path_of(h) for h in hrefs]


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_search_folds_diacritics_and_d_stroke(visit, server, lang):
    page = visit().page
    found = search_results(page, server, lang, "dong kinh")
    assert found[0] == f"/{lang}/communes/dong-kinh/", found
    assert f"/{lang}/bulletins/{G1}/" in found[:5], found
    found = search_results(page, server, lang, "ky lua")
    assert f"/{lang}/communes/ky-lua/" in found[:3], found
    found = search_results(page, server, lang, "Đông Kinh")
    assert found[0] == f"/{lang}/communes/dong-kinh/", found


def test_search_kho_khan_finds_bulletins(visit, server):
    found = search_results(visit().page, server, "vi", "kho khan")
    pages = list(dict.fromkeys(found))  # a page once, whatever its sub-results
    assert any(p.startswith("/vi/bulletins/20") for p in pages[:5]), found


def test_commune_feed_autodiscovery(visit, server):
    page = visit().page
    page.goto(server + "vi/communes/dong-kinh/")
    title = page.locator("h1").inner_text().strip()
    links = page.locator("link[rel~=alternate][type='application/atom+xml']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())
             if links.nth(i).get_attribute("title").startswith(title)]
    assert len(hrefs) == 1, hrefs
    feed_url = urllib.parse.urljoin(page.url, hrefs[0])
    assert feed_url.startswith(server)
    with urllib.request.urlopen(feed_url, timeout=10) as response:
        feed = feedparser.parse(response.read())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert "Đông Kinh" in feed.feed.title
    assert any(G1 in entry.link for entry in feed.entries)


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_page_kinds_at_1280_and_360(visit, server, lang):
    """A screenshot of each page kind at both widths; at 360 px the page never scrolls
    sideways (wide tables scroll inside their own .b-scroll box)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    overflow = {}
    for width in (1280, 360):
        page = visit(width).page
        for kind, path in PAGE_KINDS.items():
            page.goto(server + lang + "/" + path)
            if kind == "search":
                page.wait_for_selector(".b-search-result__title a", timeout=15000)
            page.screenshot(path=str(SHOTS / f"{lang}-{kind}-{width}.png"), full_page=True)
            if width == 360:
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > 361:
                    overflow[kind] = scroll_width
    assert not overflow, f"pages wider than 360 px: {overflow}"


def test_print_stylesheet_hides_chrome(visit, server):
    page = visit().page
    page.goto(f"{server}vi/bulletins/{G1}/")
    page.emulate_media(media="print")
    display = page.evaluate("""sel => [...document.querySelectorAll(sel)].map(e => getComputedStyle(e).display)""",
                            ".md-header, .md-tabs, .md-sidebar, .md-footer")
    assert display and set(display) == {"none"}, display
    assert page.locator(".md-content h1").is_visible()
    assert page.locator(".md-content .b-facts").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.md-content')).display") != "none"
