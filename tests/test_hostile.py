"""Hostile input: what an attacker with commit rights (or a careless editor) can write
into every text channel — front matter, body, registries, UI strings, static pages, site.yml —
judged on the *built output*: every HTML page, feed and OPML file is parsed and every
element, attribute and URL is checked, and the pages are opened in Chromium, where an
``alert()`` that fires fails the test.

The project is rendered by the real renderer from content the checker refuses too (the
body's raw ``<script>`` is an error for ``bulletins check``): safety must not depend on
the checker. Each case writes ``alert('Hnn')`` with its own number, so a live vector found
anywhere names the case that let it through."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import pickle
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.etree as etree
import lxml.html
import pytest
import yaml
from bulletins.build import landing_page
from bulletins.diagnostics import Report
from bulletins.mkdocs_plugin import render_language
from bulletins.project import load_site
from test_build_properties import PROJECT_PARTS, tree_digest

REPO = Path(__file__).resolve().parents[1]
LANGS = ("vi", "fr")
SEED = "2025-08-04-group-1"


@dataclass(frozen=True)
class Case:
    number: int
    channel: str  # where the payload is written (see inject())
    payload: str  # '{js}' stands for alert('Hnn')
    visible: bool = False  # the payload must reach the page as text, character for character

    @property
    def marker(self) -> str:
        return f"H{self.number:02d}"

    @property
    def text(self) -> str:
        return self.payload.replace("{js}", f"alert('{self.marker}')")

    @property
    def id(self) -> str:
        return f"{self.marker}-{self.channel}"


TEXT_PAYLOADS = [
    "<script>{js}</script>",
    '"><script>{js}</script>',
    '<img src=x onerror="{js}">',
    "'><svg onload={js}>",
    "</title><script>{js}</script>",
    'Titre {: onclick="{js}" }',
    "[lien](javascript:{js})",
    "&lt;script&gt;{js}&lt;/script&gt;",
    '" onmouseover="{js}" x="',
    '<iframe src="javascript:{js}"></iframe>',
    "*<b onmouseover={js}>gras</b>* `<script>{js}</script>`",
    "</textarea><script>{js}</script>",
]
BODY_PAYLOADS = [
    "<script>{js}</script>",
    '<img alt=">" src=x onerror={js}>',
    "<img src=x onerror={js}",
    '<a href="   javascript:{js}">lien</a>',
    "[md](   javascript:{js})",
    "<style>p{background:url(javascript:{js})}</style>",
    'Paragraphe.\n{: onmouseover="{js}" }',
    '<a href="jav&#x09;ascript:{js}">tab</a>',
    '<a href="data:text/html,<script>{js}</script>">data</a>',
    "<svg><animate onbegin={js} attributeName=x dur=1s></svg>",
    '<object data="javascript:{js}"></object>',
    '<base href="javascript:{js}//">',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<form action="javascript:{js}"><button>envoyer</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    "<a href=\"vbscript:msgbox('x')\" onclick={js}>vb</a>",
    '<div style="background:url(javascript:{js})">style</div>',
    '<img src="x" srcset="javascript:{js}">',
    "![image](javascript:{js})",
    '<iframe srcdoc="<script>{js}</script>"></iframe>',
    '<h2 id="__search">clobber</h2><a id="__drawer" name="__drawer" href="#">{js}</a>',
    '<a href="javascript&colon;{js}">colon</a>',
    "<<script>script>{js}<</script>/script>",
    "```html\n<script>{js}</script>\n```",
    "<!--><script>{js}</script>-->",
    "<template><script>{js}</script></template>",
    "<input onfocus={js} autofocus>",
    "<details open ontoggle={js}><summary>x</summary></details>",
    "<img src=x:{js} onerror=eval(src)>",
    "[lien interne](index.md) [autre](../2025-08-04-group-2.vi.md) <{js}@example.org>",
]


def _cases() -> list[Case]:
    cases: list[Case] = []

    def add(channel: str, payload: str, visible: bool = False) -> None:
        cases.append(Case(len(cases) + 1, channel, payload, visible))

    for payload in TEXT_PAYLOADS:
        add("title", payload, visible=True)
    for payload in TEXT_PAYLOADS[:5]:
        add("summary", payload, visible=True)
    for channel in ("figure", "difficulty", "recommendation", "directive"):
        for payload in (TEXT_PAYLOADS[2], TEXT_PAYLOADS[4]):
            add(channel, payload, visible=True)
    for payload in BODY_PAYLOADS:
        add("body", payload)
    for channel, payload in [("commune-name", TEXT_PAYLOADS[0]), ("commune-name", TEXT_PAYLOADS[8]),
                             ("tag-label", TEXT_PAYLOADS[2]), ("tag-label", TEXT_PAYLOADS[1]),
                             ("tag-definition", TEXT_PAYLOADS[4]), ("group-name", TEXT_PAYLOADS[3]),
                             ("person-name", TEXT_PAYLOADS[0]), ("person-title", TEXT_PAYLOADS[8]),
                             ("ui-site_name", TEXT_PAYLOADS[4]), ("ui-subscribe", TEXT_PAYLOADS[2]),
                             ("ui-search_placeholder", TEXT_PAYLOADS[8]), ("ui-language_name", TEXT_PAYLOADS[1]),
                             ("ui-feed_title_commune", "{name} <script>{js}</script>"),
                             ("ui-difficulties", TEXT_PAYLOADS[0]),
                             ("page-title", TEXT_PAYLOADS[0]), ("page-title", TEXT_PAYLOADS[4]),
                             ("page-body", BODY_PAYLOADS[1]), ("page-body", BODY_PAYLOADS[5]),
                             ("site-publisher", TEXT_PAYLOADS[0]), ("site-address", TEXT_PAYLOADS[4]),
                             ("site-legal", TEXT_PAYLOADS[8]),
                             ("body-name", TEXT_PAYLOADS[2]), ("follow-up", TEXT_PAYLOADS[0])]:
        add(channel, payload, visible=channel not in ("page-body",))
    return cases


CASES = _cases()
# Registry entries the cases rewrite, in case order: the seed's group 1 visited both
# communes and answered these difficulties, so their names reach many pages and feeds.
TARGETS = {"commune-name": ["dong-kinh", "ky-lua"], "tag-label": ["staff-shortage", "staff-skills"],
           "tag-definition": ["roads"]}


def target(case: Case) -> str:
    return TARGETS[case.channel][[c for c in CASES if c.channel == case.channel].index(case)]


# --------------------------------------------------------------------------- the project


def _split(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def _write(path: Path, front: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body,
                    encoding="utf-8")


def _edit_registry(root: Path, name: str, change) -> None:
    path = root / "site_config" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def bulletin_id(case: Case) -> str:
    """Newest first for the first cases, so that the feeds (50 items) hold the titles'."""
    return f"2025-08-05-hostile-{100 - case.number:02d}"


def inject(root: Path, case: Case) -> None:
    """Write ``case`` into the project at ``root``."""
    value = case.text
    registry_channels = {
        "commune-name": lambda: _edit_registry(root, "communes.yml", lambda d: next(
            c for c in d if c["id"] == target(case)).update(name_vi=value)),
        "tag-label": lambda: _edit_registry(root, "difficulties.yml", lambda d: next(
            t for t in d if t["id"] == target(case))["label"].update(vi=value, fr=value)),
        "tag-definition": lambda: _edit_registry(root, "difficulties.yml", lambda d: next(
            t for t in d if t["id"] == target(case))["definition"].update(vi=value, fr=value)),
        "group-name": lambda: _edit_registry(root, "groups.yml", lambda d: d[0]["name"].update(vi=value, fr=value)),
        "person-name": lambda: _edit_registry(root, "people.yml", lambda d: d[0].update(name_vi=value)),
        "person-title": lambda: _edit_registry(root, "people.yml", lambda d: d[0]["titles"][0].update(vi=value,
                                                                                                      fr=value)),
        "site-publisher": lambda: _edit_registry(root, "site.yml", lambda d: d.update(publisher={"vi": value,
                                                                                                "fr": value})),
        "site-address": lambda: _edit_registry(root, "site.yml", lambda d: d.update(
            contact={"address": {"vi": value, "fr": value}})),
        "site-legal": lambda: _edit_registry(root, "site.yml", lambda d: d["legal_notice"].update(vi=[value],
                                                                                                 fr=[value])),
        # group 3's d-16 is addressed to it: its bulletin, the follow-up page and their feeds name it
        "body-name": lambda: _edit_registry(root, "bodies.yml", lambda d: next(
            b for b in d if b["id"] == "provincial-departments")["name"].update(vi=value, fr=value)),
    }
    if case.channel in registry_channels:
        registry_channels[case.channel]()
        return
    if case.channel.startswith("ui-"):
        key = case.channel[3:]
        _edit_registry(root, "ui.yml", lambda d: d[key].update(vi=value, fr=value))
        return
    if case.channel.startswith("page-"):
        ident = f"hostile-{case.number:02d}"
        for lang in LANGS:
            title = value if case.channel == "page-title" else f"Trang {case.marker}"
            body = value if case.channel == "page-body" else "Nội dung."
            (root / "content" / "pages" / f"{ident}.{lang}.md").write_text(
                "---\n" + yaml.safe_dump({"title": title}, allow_unicode=True) + "---\n\n" + body + "\n",
                encoding="utf-8")
        return
    for lang in LANGS:
        front, body = _split(REPO / "content" / "bulletins" / f"{SEED}.{lang}.md")
        front["date"] = "2025-08-05"
        front["title"] = f"{case.marker} {front['title']}"
        field = {"title": ("title",), "summary": ("summary",), "figure": ("figures", 0, "label"),
                 "difficulty": ("difficulties", 0, "text"), "recommendation": ("recommendations", 0, "text"),
                 "directive": ("directives", 0, "text")}.get(case.channel)
        if field:
            holder = front
            for step in field[:-1]:
                holder = holder[step]
            holder[field[-1]] = value
        if case.channel == "body":
            body = f"\nĐoạn {case.marker}.\n\n{value}\n\nĐoạn cuối {case.marker}.\n"
        if case.channel == "follow-up":  # shown on this page, in d-16's history and in feed entries
            front["follow_ups"] = [{"item": "2025-08-04-group-3#d-16", "status": "in-progress", "text": value}]
        _write(root / "content" / "bulletins" / f"{bulletin_id(case)}.{lang}.md", front, body)


def make_project(root: Path) -> Path:
    root.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    for case in CASES:
        inject(root, case)
    return root


def render_unchecked(root: Path, out: Path) -> Report:
    """Render both languages with the real renderer from what load_site returns, even
    when the checker refuses the content (``bulletins build`` would stop there)."""
    report = Report()
    site = load_site(root, report)
    checked = out.with_name("checked-site.pickle")
    checked.write_bytes(pickle.dumps(site))
    context = multiprocessing.get_context("spawn")
    for lang in LANGS:
        receive, send = context.Pipe(duplex=False)
        proc = context.Process(target=render_language, args=(root, lang, out / lang, checked, None, None, None, send))
        proc.start()
        send.close()
        message = receive.recv()
        proc.join()
        assert proc.exitcode == 0, message
    (out / "index.html").write_text(landing_page(site.registry.ui), encoding="utf-8")
    return report


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(project root, built site, the checker's report) of the hostile project."""
    base = tmp_path_factory.mktemp("hostile")
    root = make_project(base / "project")
    site = base / "site"
    report = render_unchecked(root, site)
    return root, site, report


# --------------------------------------------------------------------------- the scan

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "cite", "background",
                  "codebase", "ping", "lowsrc", "dynsrc", "xlink:href", "srcdoc", "to", "from", "values"}
SCRIPT_URL = re.compile(r"^(javascript|vbscript|data|livescript):", re.I)
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "animate", "set",
                      "handler", "portal", "noscript", "template", "math"}
THEME_SCRIPTS = ("assets/javascripts/",)


def _normal(script: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', script).strip()


@pytest.fixture(scope="module")
def theme_inline(built_site) -> set[str]:
    """The inline scripts and styles of a build of the seed: the theme's, not content's."""
    found = set()
    for path in built_site.rglob("*.html"):
        for el in lxml.html.fromstring(path.read_bytes()).iter("script", "style"):
            if not el.get("src"):
                found.add(_normal(el.text_content()))
    return found


def _name(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def live_vectors(root, theme_inline: set[str]) -> list[str]:
    """Everything in a parsed HTML tree that could run script and is not the theme's."""
    found = []
    for el in root.iter():
        tag = _name(el.tag)
        if not tag:
            continue
        what = lxml.html.tostring(el, encoding="unicode")[:160] if tag != "html" else "<html>"
        if tag == "script":
            src = el.get("src")
            if (src and not any(t in src for t in THEME_SCRIPTS)) or (not src and _normal(el.text_content())
                                                                      not in theme_inline):
                found.append(f"script: {what}")
        elif tag == "style" and _normal(el.text_content()) not in theme_inline:
            found.append(f"style: {what}")
        elif tag in FORBIDDEN_ELEMENTS:
            found.append(f"element: {what}")
        elif tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            found.append(f"refresh: {what}")
        for name, value in el.attrib.items():
            name = _name(name) if name.startswith("{") else name.lower()
            compact = re.sub(r"[\x00-\x20]+", "", value)
            if name.startswith("on"):
                found.append(f"handler {name}: {what}")
            elif (name in URL_ATTRIBUTES or name.endswith("href")) and any(
                    SCRIPT_URL.match(part.strip()) for part in (compact, *value.split(","))):
                found.append(f"url {name}: {what}")
            elif name == "style" and re.search(r"url\(|expression|javascript|behavior", value, re.I):
                found.append(f"style attribute: {what}")
            elif name == "id" and value.startswith("__") and tag in {"a", "h2", "form", "img", "embed"}:
                found.append(f"clobbering id: {what}")
    return found


def feed_html_fragments(path: Path) -> list[str]:
    """Every piece of a feed that readers render as HTML."""
    tree = etree.parse(str(path))
    fragments = []
    if path.suffix == ".opml":
        return fragments
    for el in tree.iter():
        tag = _name(el.tag)
        if tag in ("description", "encoded") or (tag in ("content", "summary", "subtitle", "title", "rights")
                                                and el.get("type") in ("html", "xhtml")):
            fragments.append(el.text or "")
    return fragments


@pytest.fixture(scope="module")
def findings(hostile, theme_inline) -> list[str]:
    """Every live vector in every page, feed and OPML file of the hostile build."""
    _, site, _ = hostile
    out = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.suffix == ".html":
            out += [f"{rel}: {v}" for v in live_vectors(lxml.html.fromstring(path.read_bytes()), theme_inline)]
        elif path.suffix in (".xml", ".opml") and path.name != "sitemap.xml":
            raw = path.read_bytes()
            if re.search(rb"<\s*(script|iframe|svg|img|style)", raw, re.I):
                out.append(f"{rel}: raw markup in XML")
            for fragment in feed_html_fragments(path):
                if fragment.strip():
                    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
                    out += [f"{rel}: {v}" for v in live_vectors(tree, set())]
    return out


def test_the_hostile_project_is_large_enough_and_built(hostile):
    _, site, report = hostile
    assert len(CASES) >= 60
    assert len({c.channel for c in CASES}) >= 20
    assert sum(1 for _ in site.rglob("*.html")) > 300
    # The checker still explains, with file:line:col, what it refuses (safety does not rely on it).
    body_errors = [d for d in report.items if d.severity == "error" and "hostile" in d.path]
    assert any("<script>" in d.message for d in body_errors), report.render()
    assert all(d.line > 1 for d in body_errors if d.path.startswith("content/bulletins/")), report.render()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_no_live_vector_from(case, findings):
    """No element, attribute or URL anywhere in the output runs this case's script."""
    mine = [f for f in findings if re.search(rf"\bH{case.number:02d}\b", f)]
    assert mine == []


def test_no_live_vector_at_all(findings):
    """Nothing in the output can run script unless it is the theme's own."""
    assert findings == []


def _visible_texts(site: Path, case: Case) -> str:
    pages = {
        "commune-name": ["vi/communes/index.html", "vi/bulletins/2025-08-04-group-1/index.html"],
        "tag-label": ["vi/difficulties/index.html"], "tag-definition": ["fr/difficulties/roads/index.html"],
        "group-name": ["vi/groups/index.html"], "person-name": ["vi/groups/1/index.html"],
        "person-title": ["fr/bulletins/2025-08-04-group-1/index.html"],
        "page-title": [f"vi/hostile-{case.number:02d}/index.html"],
        "site-publisher": ["vi/index.html", "vi/about/index.html"], "site-address": ["vi/about/index.html"],
        "site-legal": ["vi/about/index.html"],
        "body-name": ["vi/bulletins/2025-08-04-group-3/index.html", "fr/follow-ups/index.html"],
        "follow-up": [f"{lang}/bulletins/{bulletin_id(case)}/index.html" for lang in LANGS]
        + ["vi/bulletins/2025-08-04-group-3/index.html"],
    }.get(case.channel)
    if case.channel.startswith("ui-"):
        pages = ["vi/index.html", "fr/subscribe/index.html", "vi/difficulties/index.html"]
    if pages is None:
        pages = [f"{lang}/bulletins/{bulletin_id(case)}/index.html" for lang in LANGS]
    text = ""
    for page in pages:
        tree = lxml.html.fromstring((site / page).read_bytes())
        text += " ".join(tree.xpath("//text()")) + " ".join(v for el in tree.iter() for v in el.attrib.values())
    return text


@pytest.mark.parametrize("case", [c for c in CASES if c.visible], ids=lambda c: c.id)
def test_text_is_shown_as_written(case, hostile):
    """A title, a label, a name is text: its characters are shown as the editor wrote
    them, markup included, never interpreted."""
    _, site, _ = hostile
    expected = case.text.replace("{name}", "")
    if case.channel == "ui-feed_title_commune":
        feed = (site / "vi" / "communes" / "ky-lua" / "feed.xml").read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(" in feed
        return
    assert expected in _visible_texts(site, case)


def test_title_is_text_in_head_and_feeds(hostile):
    _, site, _ = hostile
    case = CASES[0]  # <script> in a title
    page = lxml.html.fromstring((site / "vi" / "bulletins" / bulletin_id(case) / "index.html").read_bytes())
    assert page.findtext(".//title").startswith(case.text)
    assert page.xpath("//h1")[0].text_content() == case.text
    summary = next(c for c in CASES if c.channel == "summary" and c.payload.startswith('"'))
    page = lxml.html.fromstring((site / "vi" / "bulletins" / bulletin_id(summary) / "index.html").read_bytes())
    assert page.xpath("//meta[@name='description']/@content") == [summary.text]
    atom = etree.parse(str(site / "vi" / "atom.xml"))
    titles = [t.text for t in atom.iter("{http://www.w3.org/2005/Atom}title")]
    assert case.text in titles


def test_shells_and_theme_write_the_same_hostile_site(hostile, tmp_path):
    """Whatever renders the pages (one theme run per page or the shells), the same bytes."""
    root, site, _ = hostile
    themed_root = tmp_path / "project"
    shutil.copytree(root, themed_root)
    config = themed_root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "plugins:\n  - bulletins\n", "plugins:\n  - bulletins:\n      shells: false\n"), encoding="utf-8")
    render_unchecked(themed_root, tmp_path / "themed")
    ours, theirs = tree_digest(site), tree_digest(tmp_path / "themed")
    assert ours.keys() == theirs.keys()
    assert [k for k in ours if ours[k] != theirs[k]] == []


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def hostile_server(hostile):
    from conftest import serving

    with serving(hostile[1]) as base:
        yield base


def test_no_alert_fires_in_chromium(hostile, hostile_server, browser):
    """Every page a hostile input reaches, opened in Chromium (search included): no
    dialog opens, no page navigates away."""
    _, site, _ = hostile
    pages = [str(p.relative_to(site).parent) + "/" for p in site.glob("*/bulletins/2025-08-05-hostile-*/index.html")]
    pages += [f"{lang}/{rel}" for lang in LANGS for rel in (
        "", "bulletins/", "communes/", "communes/ky-lua/", "communes/dong-kinh/", "difficulties/",
        "difficulties/staff-shortage/", "difficulties/roads/", "groups/", "groups/1/", "subscribe/", "about/",
        "follow-ups/", "bulletins/2025-08-04-group-3/",
        *[f"hostile-{c.number:02d}/" for c in CASES if c.channel.startswith("page-")],
        "search/?q=alert", "search/?q=onerror")]
    pages.append("")
    assert len(pages) > 120
    fired: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: (fired.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    try:
        for rel in pages:
            page.goto(hostile_server + rel, wait_until="load")
            if "search/" in rel:  # every result, excerpts and sub-results included, and every filter
                page.wait_for_selector(".b-search-result", timeout=10_000)
                for _ in range(30):
                    more = page.locator("#b-search-more:not([hidden])")
                    if not more.count():
                        break
                    more.click()
                    page.wait_for_timeout(200)
                page.click("#b-search-filters > summary")
                page.wait_for_selector(".b-search-facet", timeout=10_000)
                for facet in page.locator(".b-search-facet > summary").all():
                    facet.click()
            page.mouse.move(200, 300)
            page.keyboard.press("Tab")
            assert page.url.startswith(hostile_server), rel
        page.goto(hostile_server + "vi/search/?q=alert", wait_until="load")
        page.wait_for_selector(".b-search-result", timeout=10_000)
        shown = page.locator(".b-search-result").all_inner_texts()
        assert any("alert(" in text for text in shown)
        # hostile commune, difficulty and group names among the filters: text, in look-alikes (inert)
        page.click("#b-search-filters > summary")
        page.wait_for_selector(".b-search-facet", timeout=10_000)
        values = page.eval_on_selector_all(".b-search-facet input", "els => els.map(e => e.value)")
        assert any("\u2039script\u203aalert('H" in v for v in values), values
        assert any("\u2039img src=x onerror=" in v for v in values), values
        assert page.locator("#b-search-facets script, #b-search-facets img, #b-search-facets svg").count() == 0
    finally:
        context.close()
    assert fired == []


# --------------------------------------------------------------------------- refused before anything is built


def test_search_index_holds_what_readers_read(hostile):
    """Pagefind's fragments hold the page's text as text (the markup a title is made of
    included, as readers see it), never the page's HTML: the search UI escapes it
    (test_no_alert_fires_in_chromium searches for it)."""
    _, site, _ = hostile
    records = []
    for fragment in (site / "vi" / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        records.append(json.loads(data[data.index(b"{"):]))
    assert any(r["meta"].get("title") == CASES[0].text for r in records)
    body = next(c for c in CASES if c.channel == "body" and c.payload.startswith("<script>"))
    own = next(r for r in records if f"Đoạn {body.marker}." in r["content"])
    assert f"alert('{body.marker}')" not in own["content"]  # the script was dropped, not indexed


REFUSED = {
    "python-tag": ('title: !!python/object/apply:os.system ["touch PWNED"]',
                   "the tag '!!python/object/apply:os.system' is not allowed"),
    "alias-bomb": ("a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 8)), "aliases expand too far"),
    "deep-nesting": ("title: " + "[" * 1000 + "]" * 1000, "nested too deeply"),
    "duplicate-key": ('title: "a"\ntitle: "b"', "duplicate key 'title'"),
    "tab-indent": ("title:\n\t- x", "YAML syntax error"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_yaml_abuse_is_refused_and_the_site_untouched(name, tmp_path, built_site):
    """`bulletins build` on YAML abuse: an error with file:line:col, no traceback, no
    file written anywhere, and the previous site byte-identical."""
    line, message = REFUSED[name]
    root = tmp_path / "project"
    root.mkdir()
    for part in PROJECT_PARTS:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    path = root / "content" / "bulletins" / f"{SEED}.vi.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", lambda _: line, text, count=1, flags=re.M), encoding="utf-8")
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = tree_digest(site)
    result = subprocess.run([sys.executable, "-m", "bulletins.cli", "--root", str(root), "build", "--site-dir",
                             str(site)], capture_output=True, text=True, timeout=300, cwd=root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"content/bulletins/{SEED}\.vi\.md:\d+:\d+: error: .*{re.escape(message)}", result.stderr), \
        result.stderr[-2000:]
    assert tree_digest(site) == before
    assert not (root / "PWNED").exists() and not (tmp_path / "PWNED").exists()
