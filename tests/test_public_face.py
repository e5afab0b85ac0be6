"""The site's public face (site_config/site.yml): the footer of every page and the about page
in both languages, written from the registry without inventing anything. The real
site.yml names no publisher (nobody has said who publishes the site): the checker warns,
the footer shows none and the about page says so. A project that names one, with a
``<script>`` in every value, shows it as text in the footer and on the about page; the
statements the about page makes about accessibility and privacy are the ones the tests
check; editors' links appear only where BULLETINS_REPO_URL is set."""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path

import lxml.html
import pytest
import yaml
from bulletins.build import build_site
from bulletins.cli import main
from conftest import serving
from test_accessibility import AXE, AXE_RUN, PAGE_KINDS, SCHEMES, TAGS, VIEWPORTS
from test_build_properties import tree_digest
from test_lighthouse import CATEGORIES, MINIMUM
from test_lighthouse import PAGES as LIGHTHOUSE_PAGES
from test_shells import copy_project, without_shells

REPO = Path(__file__).resolve().parents[1]
SITE_YML = yaml.safe_load((REPO / "site_config" / "site.yml").read_text(encoding="utf-8"))
UI = yaml.safe_load((REPO / "site_config" / "ui.yml").read_text(encoding="utf-8"))
LANGS = ("vi", "fr")
HOSTILE = "<script>alert(1)</script>"
PUBLISHER = {"vi": f"Sở Ví Dụ {HOSTILE} & Co", "fr": f"Service d'exemple {HOSTILE} & Cie"}
ADDRESS = {"vi": f"Số 1 đường Ví Dụ <b>{HOSTILE}</b>", "fr": f"1 rue de l'Exemple <b>{HOSTILE}</b>"}
PHONE, EMAIL, WEB = "+84 00 0000 0000", "contact@example.org", "https://example.org/?a=1&b=<2>"
# The pages a footer is checked on: each kind of depth, and the 404 page (served at any depth).
FOOTER_PAGES = ("", "bulletins/2025-08-04-group-1/", "communes/ky-lua/", "about/", "404.html")


def words(node) -> str:
    return " ".join(node.text_content().split())


def parse(site: Path, lang: str, path: str) -> lxml.html.HtmlElement:
    file = site / lang / path / "index.html" if not path.endswith(".html") else site / lang / path
    return lxml.html.fromstring(file.read_bytes())


def resolve(page_url: str, href: str) -> str:
    """The site-root-relative path (and fragment) a relative href of ``page_url`` leads to."""
    path, _, fragment = href.partition("#")
    if path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(page_url, path or ".")) + "/"
    return target + (f"#{fragment}" if fragment else "")


# --- the real site.yml ----------------------------------------------------------------------

def test_the_real_site_names_no_publisher_and_the_checker_warns_even_strict(capsys):
    assert "publisher" not in SITE_YML and "contact" not in SITE_YML  # nobody has said who publishes it
    for args in ([], ["--strict"]):
        capsys.readouterr()
        assert main(["--root", str(REPO), "check", *args]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert [line for line in lines if line.startswith("site_config/site.yml:")] == [
            "site_config/site.yml:1:1: warning: no publisher: a state portal must name the agency responsible "
            "(Decree 42/2022/ND-CP); add publisher: {vi: ..., fr: ...} and contact: {address: {vi: ..., fr: ...}, "
            "phone: ..., email: ..., web: ...} (docs/format.md)"]


@pytest.mark.parametrize("lang", LANGS)
def test_real_footer_has_no_publisher_and_links_every_section(built_site, lang):
    sections = ["", "#contact", "#legal-notice", "#sources", "#accessibility", "#privacy"]
    about = parse(built_site, lang, "about/")
    ids = {node.get("id") for node in about.iter() if node.get("id")}
    assert {"publisher", "contact", "legal-notice", "sources", "accessibility", "privacy"} <= ids
    for path in FOOTER_PAGES:
        doc = parse(built_site, lang, path)
        footer = doc.cssselect("footer .b-footer")
        assert len(footer) == 1, path
        assert not footer[0].cssselect(".b-footer__publisher, .b-footer__contact"), path
        links = footer[0].cssselect("nav a")
        assert footer[0].cssselect("nav")[0].get("aria-label") == UI["footer_label"][lang]
        page_url = f"{lang}/" if path == "404.html" else f"{lang}/{path}"
        targets = [resolve(page_url, a.get("href")) for a in links]
        assert targets == [f"{lang}/about/{s}" for s in sections], (path, targets)
        labels = [words(a) for a in links]
        assert labels[1:] == [" ".join(UI[key][lang].split()) for key in (
            "about_contact", "about_legal", "about_sources", "about_accessibility", "about_privacy")]


@pytest.mark.parametrize("lang", LANGS)
def test_real_about_page_says_what_is_not_configured(built_site, lang):
    doc = parse(built_site, lang, "about/")
    article = words(doc.cssselect("article")[0])
    for key in ("no_publisher", "no_contact"):
        assert typeset_free(SITE_YML[key][lang]) in typeset_free(article)
    # the editors' introduction (content/pages/about.<lang>.md) comes first, under the title
    assert doc.cssselect("h1")[0].text_content() == yaml.safe_load(
        (REPO / "content" / "pages" / f"about.{lang}.md").read_text(encoding="utf-8").split("---")[1])["title"]
    assert typeset_free(SITE_YML["sources"][lang][0]) in typeset_free(article)
    # no contact: how to report an accessibility problem says there is none yet
    last = doc.cssselect("#privacy")[0].getprevious()
    assert typeset_free(words(last)) == typeset_free(SITE_YML["no_contact"][lang])
    assert typeset_free(UI["about_report"][lang]) not in typeset_free(words(doc))
    # in the nav, in both languages
    home = parse(built_site, lang, "")
    assert any(resolve(f"{lang}/", a.get("href") or "") == f"{lang}/about/" for a in home.cssselect("nav.md-nav a"))


def test_editors_links_are_off_in_the_public_build(built_site):
    for lang in LANGS:
        for path in ("", "about/", "bulletins/2025-08-04-group-1/"):
            doc = parse(built_site, lang, path)
            assert not doc.cssselect(".md-source, .md-content__button, a[href$='.md']"), (lang, path)


# --- a project that names its publisher, with markup in every value -----------------------------

def name_publisher(root: Path) -> None:
    site = root / "site_config" / "site.yml"
    named = {"publisher": PUBLISHER, "contact": {"address": ADDRESS, "phone": PHONE, "email": EMAIL, "web": WEB}}
    site.write_text(yaml.safe_dump(named, allow_unicode=True) + site.read_text(encoding="utf-8"), encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The real content with a named publisher, built as an editors' preview (with
    BULLETINS_REPO_URL), with and without shells: the footer must not tell them apart."""
    tmp = tmp_path_factory.mktemp("published")
    root = copy_project(tmp / "project")
    name_publisher(root)
    before = os.environ.get("BULLETINS_REPO_URL")
    os.environ["BULLETINS_REPO_URL"] = "https://git.example.org/bulletins/bulletins"
    try:
        report = build_site(root, tmp / "site")
        assert not report.has_errors(), report.render()
        assert not any("site.yml" in d.path and "no publisher" in d.message for d in report.items)
        without_shells(root)
        assert not build_site(root, tmp / "themed").has_errors()
    finally:
        if before is None:
            del os.environ["BULLETINS_REPO_URL"]
        else:
            os.environ["BULLETINS_REPO_URL"] = before
    with_shells, themed = tree_digest(tmp / "site"), tree_digest(tmp / "themed")
    # the pages (Pagefind's index is the shells test's business)
    assert sorted(k for k in themed if k.endswith(".html") and themed[k] != with_shells.get(k)) == []
    return tmp / "site"


def typeset_free(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.mark.parametrize("lang", LANGS)
def test_footer_shows_the_publisher_and_contact_as_text(published, lang):
    for path in FOOTER_PAGES:
        doc = parse(published, lang, path)
        [footer] = doc.cssselect("footer .b-footer")
        assert not footer.cssselect("script, b"), path  # shown as typed, never as markup
        assert typeset_free(words(footer.cssselect(".b-footer__publisher")[0])) == typeset_free(PUBLISHER[lang])
        contact = footer.cssselect(".b-footer__contact li")
        assert [li.cssselect("a")[0].get("href") if li.cssselect("a") else None for li in contact] == [
            "tel:+840000000000", f"mailto:{EMAIL}", WEB, None]
        assert typeset_free(words(contact[3])).endswith(typeset_free(ADDRESS[lang]))
        assert typeset_free(words(contact[2])).endswith(WEB)
    raw = (published / lang / "index.html").read_text(encoding="utf-8")
    assert raw.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # publisher and address, escaped once
    assert "&amp;lt;" not in raw and HOSTILE not in raw


@pytest.mark.parametrize("lang", LANGS)
def test_about_page_shows_the_publisher_contact_and_how_to_report(published, lang):
    doc = parse(published, lang, "about/")
    article = doc.cssselect("article")[0]
    assert not article.cssselect("script, b")
    text = typeset_free(words(article))
    assert typeset_free(PUBLISHER[lang]) in text and typeset_free(ADDRESS[lang]) in text
    assert SITE_YML["no_publisher"][lang] not in text
    hrefs = [a.get("href") for a in article.cssselect(".b-contact a")]
    assert hrefs == ["tel:+840000000000", f"mailto:{EMAIL}", WEB]
    # how to report an accessibility problem: the contact, not "none yet"
    assert typeset_free(UI["about_report"][lang]) in text
    assert typeset_free(SITE_YML["no_contact"][lang]) not in text


def test_editors_links_are_on_where_configured(published):
    for lang in LANGS:
        for path in ("", "about/", "bulletins/2025-08-04-group-1/"):
            doc = parse(published, lang, path)
            assert doc.cssselect("a.md-source")[0].get("href") == "https://git.example.org/bulletins/bulletins"
        edits = {path: [a.get("href") for a in parse(published, lang, path).cssselect("a.md-content__button")]
                 for path in ("about/", "bulletins/2025-08-04-group-1/")}
        assert edits == {
            "about/": [f"https://git.example.org/bulletins/bulletins/edit/main/content/pages/about.{lang}.md"],
            "bulletins/2025-08-04-group-1/": [
                f"https://git.example.org/bulletins/bulletins/edit/main/content/bulletins/2025-08-04-group-1.{lang}.md"]}


# --- the statements are what the tests check ------------------------------------------------

# What site.yml's accessibility statement says the tests run. When they change, change the
# statement with them (and these lines).
STATEMENT_AXE = {"tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
                 "kinds": {"home", "search", "subscribe", "bulletin", "archive", "communes", "commune-visited",
                           "commune-never-visited", "difficulties", "difficulty", "follow-ups", "groups", "group",
                           "static-page", "404"},
                 "widths": [360, 1280], "schemes": {"light", "dark"}}
STATEMENT_LIGHTHOUSE = {"pages": {"home", "bulletin", "commune", "difficulties"}, "minimum": 0.95,
                        "categories": "accessibility"}


def test_accessibility_statement_claims_what_the_tests_run():
    assert {"tags": TAGS, "kinds": set(PAGE_KINDS), "widths": [w for w, _ in VIEWPORTS], "schemes": set(SCHEMES)} \
        == STATEMENT_AXE, "update site.yml's accessibility statement"
    assert PAGE_KINDS["static-page"] == "about/"  # the about page itself
    assert {"pages": set(LIGHTHOUSE_PAGES), "minimum": MINIMUM,
            "categories": "accessibility" if "accessibility" in CATEGORIES else ""} == STATEMENT_LIGHTHOUSE
    for lang in LANGS:
        statement = " ".join(SITE_YML["accessibility"][lang])
        assert all(words in statement for words in ("axe-core", "WCAG 2.0, 2.1", "2.2", "360 px", "Lighthouse", "95"))


def test_published_footer_passes_axe_on_a_phone(browser, published):
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core missing (npm ci)")
    with serving(published) as base:
        page = browser.new_page(viewport={"width": 360, "height": 800}, bypass_csp=True)  # axe is injected
        try:
            page.goto(f"{base}vi/about/", wait_until="load")
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate(AXE_RUN, ["footer", TAGS])
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            page.close()
    assert [v["id"] for v in result["violations"]] == []


STORED = "[Object.entries(localStorage), Object.keys(sessionStorage), document.cookie]"


def test_privacy_note_states_what_the_browser_stores(browser, server):
    """No cookie, nothing in sessionStorage; in localStorage only the colour scheme shown
    (Material's '<scope>.__palette', written on every page and by the light/dark toggle)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        for path in ("vi/", "vi/bulletins/2025-08-04-group-1/", "fr/about/", "vi/search/?q=dong"):
            page.goto(f"{server}{path}", wait_until="load")
            page.wait_for_timeout(300)
            local, session, cookie = page.evaluate(STORED)
            assert session == [] and cookie == "", path
            assert local and all(key.endswith(".__palette") for key, _ in local), (path, local)
            assert {tuple(json.loads(value)) for _, value in local} == {("index", "color")}
        toggles = page.locator("form[data-md-component=palette] label:visible")
        assert toggles.count() >= 1
        toggles.first.click()
        page.wait_for_timeout(300)
        local, session, cookie = page.evaluate(STORED)
        assert session == [] and cookie == "" and all(key.endswith(".__palette") for key, _ in local)
        assert "slate" in dict(local)[next(k for k, _ in local if k.startswith("/vi/"))]
        assert context.cookies() == []
    finally:
        context.close()
    for lang in LANGS:
        assert ".__palette" in " ".join(SITE_YML["privacy"][lang])
