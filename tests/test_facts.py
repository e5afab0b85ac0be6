"""One source per fact: a bulletin's page and its feed item print the same facts with
the same number and date formatting (facts.py, one Locale), links aside (relative on
the page, absolute in the feed)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
from bulletins import urls
from bulletins.diagnostics import Report
from bulletins.feeds import feed_urls, item_html
from bulletins.index import build_index
from bulletins.narrative import NarrativeConverter
from bulletins.pages import Context
from bulletins.pages.bulletins import bulletin as bulletin_page
from bulletins.project import load_site

REPO = Path(__file__).resolve().parents[1]
SITE_URL = "https://example.org/lang-son/"
SECTIONS = ("communes", "inspected", "figures", "difficulties", "recommendations", "directives")


@pytest.fixture(scope="module")
def site():
    site = load_site(REPO, Report())
    bulletin = next(b for b in site.bulletins if b.id == "2025-08-04-group-1")
    figure = dataclasses.replace(bulletin.figures[0], value=1234.5, approximate=False)
    bulletin.figures = [figure, *bulletin.figures]
    return site


def _facts(tree, base: str) -> dict[str, list[tuple[str, list[str]]]]:
    """Each section's items as (text, absolute links), the details list as one section."""
    out = {"details": [(dl.text_content(), []) for dl in tree.xpath("//dl[@class='b-facts']")]}
    for h2 in tree.xpath("//h2"):
        items = h2.xpath("following-sibling::*[1][self::ul]/li")
        out[h2.text_content()] = [(li.text_content(), [urljoin(base, a.get("href")) for a in li.iter("a")])
                                  for li in items]
    return out


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_page_and_feed_show_the_same_facts(site, lang):
    bulletin = next(b for b in site.bulletins if b.id == "2025-08-04-group-1")
    page_url = SITE_URL + urls.bulletin(lang, bulletin.id)
    page = bulletin_page(Context(site, build_index(site), lang, feed_urls(site, lang)), bulletin)
    tree = lxml.html.fromstring(str(page.html))
    statuses = tree.cssselect(".b-item-status")  # what later bulletins report: the page's, not the entry's
    assert len(statuses) == len(bulletin.recommendations) + len(bulletin.directives)
    for status in statuses:
        status.drop_tree()
    on_page = _facts(tree, page_url)
    in_feed = _facts(lxml.html.fromstring(item_html(site, build_index(site), bulletin, lang, SITE_URL,
                                                    NarrativeConverter())), page_url)
    titles = [site.registry.ui[key][lang] for key in ("communes_visited", "inspected", "figures", "difficulties",
                                                      "recommendations", "directives")]
    for key in ["details", *titles]:
        assert on_page[key] and on_page[key] == in_feed[key], key
    figures = [text for text, _ in on_page[site.registry.ui["figures"][lang]]]
    assert figures[0].startswith({"vi": "1.234,5 ", "fr": "1\u202f234,5 "}[lang])
    assert figures[1].startswith({"vi": "gần 6.600 ", "fr": "près de 6\u202f600 "}[lang])
    date = {"vi": "4/8/2025", "fr": "4 août 2025"}[lang]
    assert date in on_page["details"][0][0] and date in in_feed["details"][0][0]
