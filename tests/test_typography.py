"""French typography and dates as readers write them, on the built pages and feeds:
"Source :" with a no-break space, "n° 1" and "6 600" that never break, « » with narrow
no-break spaces; Vietnamese dates "4/8/2025"; what the source does not settle said so."""

from __future__ import annotations

import lxml.etree as etree
import lxml.html
import pytest
from bulletins.html import Markup
from bulletins.typography import typeset, typeset_html

NBSP, NNBSP = "\u00a0", "\u202f"
G1 = "2025-08-04-group-1"


@pytest.mark.parametrize("text, expected", [
    ("Source : x", f"Source{NBSP}: x"),
    ("a ; b ! c ? d", f"a{NNBSP}; b{NNBSP}! c{NNBSP}? d"),
    ("les « piliers »", f"les «{NNBSP}piliers{NNBSP}»"),
    ("le groupe n° 1, N° 12", f"le groupe n°{NBSP}1, N°{NBSP}12"),
    ("près de 6 600 dossiers, 1 234 567 en tout", f"près de 6{NNBSP}600 dossiers, 1{NNBSP}234{NNBSP}567 en tout"),
    ("attendre...", "attendre…"),
    # only typed spaces change: URLs, times, references and years stay as written
    ("https://x.org/a?b=1;c", "https://x.org/a?b=1;c"),
    ("à 10:30", "à 10:30"),
    ("R&amp;D", "R&amp;D"),
    ("2025 2030", "2025 2030"),
    (f"déjà{NBSP}: fait", f"déjà{NBSP}: fait"),
])
def test_typeset(text, expected):
    assert typeset(text) == expected


def test_typeset_html_leaves_tags_and_code_alone():
    fragment = Markup('<p title="a : b">x : y <code>k : v</code> ; z</p><pre>p ; q</pre><a href="?a=1">l ?</a>')
    assert typeset_html(fragment) == Markup(f'<p title="a : b">x{NBSP}: y <code>k : v</code>{NNBSP}; z</p>'
                                            f'<pre>p ; q</pre><a href="?a=1">l{NNBSP}?</a>')


def page(site, rel):
    return lxml.html.fromstring((site / rel / "index.html").read_bytes())


def test_french_page_typography(built_site):
    fr = page(built_site, f"fr/bulletins/{G1}/")
    source = fr.cssselect(".b-source")[0].text_content()
    assert source.startswith(f"Source{NBSP}: https://")
    assert f"n°{NBSP}1" in fr.cssselect(".b-facts")[0].text_content()
    assert f"6{NNBSP}600" in fr.cssselect(".b-figures")[0].text_content()
    text = fr.cssselect("article")[0].text_content()
    assert " :" not in text and " ;" not in text and "« " not in text and " »" not in text
    # labels followed by a colon come from the UI strings, in both languages
    assert page(built_site, f"vi/bulletins/{G1}/").cssselect(".b-source")[0].text_content().startswith("Nguồn: ")
    assert f"{NBSP}: " in page(built_site, "fr/communes/ky-lua/").cssselect(".b-subscribe")[0].text_content()


def test_french_feed_typography(built_site):
    feed = etree.parse(str(built_site / "fr" / "atom.xml"))
    atom = "{http://www.w3.org/2005/Atom}"
    entry = next(e for e in feed.iter(f"{atom}entry") if e.findtext(f"{atom}id").endswith(G1))
    content = lxml.html.fragment_fromstring(entry.findtext(f"{atom}content"), create_parent="div").text_content()
    assert f"Source{NBSP}: https://" in content and f"6{NNBSP}600" in content
    assert f"n°{NBSP}1" in content


def test_dates_as_readers_write_them(built_site):
    vi = page(built_site, f"vi/bulletins/{G1}/").cssselect(".b-facts time")[0]
    assert (vi.text, vi.get("datetime")) == ("4/8/2025", "2025-08-04")
    fr = page(built_site, f"fr/bulletins/{G1}/").cssselect(".b-facts time")[0]
    assert fr.text == "4 août 2025"
    rss = (built_site / "vi" / "feed.xml").read_text(encoding="utf-8")
    assert "<pubDate>Mon, 04 Aug 2025 00:00:00 +0700</pubDate>" in rss  # feeds keep RFC 822


def test_assumptions_are_shown_where_the_fact_is(built_site):
    """Only group 1's day is in the article: the others say their date is inferred; a
    name whose diacritics are guessed is printed as the source spells it."""
    g1 = page(built_site, f"vi/bulletins/{G1}/").cssselect(".b-facts")[0].text_content()
    g9 = page(built_site, "vi/bulletins/2025-08-04-group-9/").cssselect(".b-facts")[0].text_content()
    assert "nguồn không nêu ngày" not in g1 and "nguồn không nêu ngày" in g9
    fr9 = page(built_site, "fr/bulletins/2025-08-04-group-9/").cssselect(".b-facts")[0].text_content()
    assert "date supposée" in fr9
    assert "Giap Thi Bac (viết theo nguồn" in g9 and "Giáp Thị Bắc" not in g9


def test_former_units_in_french(built_site):
    facts = page(built_site, "fr/communes/cao-loc/").cssselect(".b-facts")[0].text_content()
    assert "district de Cao Lộc" in facts and "huyện" not in facts and "Xã " not in facts
    assert "huyện Cao Lộc" in page(built_site, "vi/communes/cao-loc/").cssselect(".b-facts")[0].text_content()
