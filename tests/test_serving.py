"""Ready for a real web server (issue 14, part 3), on the seed site built with --precompress:
every page carries a Content-Security-Policy that admits exactly its own inline scripts and
styles and under which Chromium reports no violation on any page kind, in both languages,
served by Python's server (the <meta> alone) and by nginx with docs/deploy/nginx.conf (the
header too); the policy is no formality (an extra script or an event attribute is refused);
the .gz and .br files decompress to the files' bytes; nginx accepts the sample configuration
and sends the feeds, the OPML list, the cache headers, the compressed files and the 404
pages as it says; the preview's reload script runs under the policy."""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import os
import re
import shutil
import subprocess
import threading
import time
import types
from pathlib import Path

import brotli
import lxml.html
import pytest
from bulletins import serving, urls
from bulletins.build import build_site
from bulletins.cache import Store
from bulletins.preview import RELOAD_PATH, Preview
from bulletins.search_index import ui_html
from conftest import free_port
from conftest import serving as python_server

REPO = Path(__file__).resolve().parents[1]
NGINX_CONF = REPO / "docs" / "deploy" / "nginx.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
LANGS = ("vi", "fr")
# One page of every kind (as tests/test_accessibility.py), and a missing address deeper down.
PAGE_KINDS = ["", "search/?q=dong+kinh", "subscribe/", "bulletins/2025-08-04-group-1/", "bulletins/",
              "communes/", "communes/ky-lua/", "communes/bac-son/", "difficulties/", "difficulties/staff-skills/",
              "follow-ups/", "groups/", "groups/1/", "about/", "404.html"]
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seed built with --precompress and a build cache of its own."""
    folder = tmp_path_factory.mktemp("serving")
    report = build_site(REPO, folder / "site", precompress=True, store=Store(folder / "cache"))
    assert not report.has_errors(), report.render()
    return folder / "site"


def _csp(page: bytes) -> str:
    found = re.findall(rb'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert len(found) == 1, "one policy per page"
    return found[0].decode()


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_has_a_policy_with_exactly_its_inline_scripts_and_styles(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 200 and site / "404.html" in pages and site / "index.html" in pages
    for path in pages:
        raw = path.read_bytes()
        policy = _csp(raw)
        # first in the head after the charset: a policy covers only what follows it
        assert raw.index(b"<meta http-equiv=\"Content-Security-Policy\"") == raw.index(b"<meta charset=\"utf-8\">") + 22
        directives = dict(d.split(" ", 1) for d in policy.split("; "))
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval", "")
        doc = lxml.html.fromstring(raw)
        inline = {_sha256(s.text or "") for s in doc.iter("script")
                  if "src" not in s.attrib and s.get("type", "") in ("", "module")}
        styles = {_sha256(s.text or "") for s in doc.iter("style")}
        assert set(directives["script-src"].split()) == {"'self'", "'wasm-unsafe-eval'", *inline}, path
        assert set(directives["style-src"].split()) == {"'self'", *styles}, path
        assert not doc.xpath("//@style"), path  # no style attribute anywhere: no 'unsafe-hashes'


def _template_scripts() -> list[re.Pattern]:
    """Every inline script of Material's templates and of overrides/, a Jinja value in it
    standing for any text between quotes."""
    material = Path(__import__("material").__file__).parent / "templates"
    patterns = []
    for template in [*material.rglob("*.html"), *(REPO / "overrides").rglob("*.html")]:
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.S):
            parts = re.split(r"\{\{.*?\}\}", body)
            patterns.append(re.compile('[^"]*'.join(map(re.escape, parts))))
    return patterns


def test_inline_scripts_are_the_themes_and_the_search_pages_only(site):
    """A policy made from what each page holds is only as good as what the pages hold:
    every inline script of the site is one of the theme's or the search page's."""
    ours = re.findall(r"<script>(.*?)</script>", str(ui_html(lambda key: key)), re.S)
    theme = _template_scripts()
    seen = set()
    for path in site.rglob("*.html"):
        for script in lxml.html.fromstring(path.read_bytes()).iter("script"):
            if "src" not in script.attrib and script.get("type") != "application/json":
                seen.add(script.text)
    assert len(seen) >= 4  # Material's three (its first at several depths) and the search page's
    assert [s for s in seen if s not in ours and not any(p.fullmatch(s) for p in theme)] == []


def test_the_policy_is_recomputed_not_stacked():
    page = b'<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body></body></html>'
    once = serving.with_policy(page)
    assert serving.with_policy(once) == once
    grown = serving.with_policy(once.replace(b"</body>", b"<script>go()</script></body>"))
    assert _sha256("go()") in _csp(grown) and grown.count(b"http-equiv") == 1
    styled = serving.with_policy(page.replace(b"<body>", b'<body><pre style="color:red">a &amp; b style="x"</pre>'))
    assert f"'unsafe-hashes' {_sha256('color:red')}" in _csp(styled)  # the attribute, not the text
    assert _sha256("x") not in _csp(styled)
    scripts = serving.policy(page.replace(b"</body>", b'<script data-src="x" data-type="y">c()</script>'
                                                      b'<script type="application/json">{}</script></body>'))
    assert _sha256("c()") in scripts and _sha256("{}") not in scripts  # runs / is data
    without_charset = serving.with_policy(b"<html><head><title>t</title></head></html>")
    assert without_charset.startswith(b'<html><head><meta http-equiv="Content-Security-Policy"')
    with pytest.raises(ValueError, match="without <head>"):
        serving.with_policy(b"<p>no head</p>")


def test_precompressed_files_decompress_to_the_files_bytes(site):
    texts = [p for p in site.rglob("*") if p.suffix in serving.TEXT_FILES and p.is_file()]
    assert {p.suffix for p in texts} >= {".html", ".css", ".js", ".json", ".xml", ".opml"}
    pairs = 0
    for path in texts:
        data = path.read_bytes()
        for suffix, decompress in ((".gz", gzip.decompress), (".br", brotli.decompress)):
            packed = path.with_name(path.name + suffix)
            if packed.exists():
                assert decompress(packed.read_bytes()) == data, packed
                pairs += 1
            else:  # only where compressing would not make it smaller
                assert len(serving.COMPRESSORS[suffix][0](data)) >= len(data), path
    assert pairs > 2 * 0.9 * len(texts)
    for path in site.rglob("*.gz"):  # no name, no time: two builds give the same bytes
        assert path.read_bytes()[3:8] == bytes(5) or path.name == "sitemap.xml.gz", path  # the plugin's own, dated from content


def test_precompression_reuses_the_cache_and_gives_the_same_bytes(site, tmp_path):
    store = Store(tmp_path / "cache")
    copies = [tmp_path / name for name in ("cold", "warm", "no-cache")]
    for folder in copies:
        shutil.copytree(site / "fr" / "communes", folder, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    texts = len(list(copies[0].rglob("*.html")) + list(copies[0].rglob("*.xml")))
    written, reused = serving.precompress(copies[0], store)
    assert written > texts and reused == 0
    assert serving.precompress(copies[1], store) == (written, 2 * texts)  # every file from the cache
    assert serving.precompress(copies[2]) == (written, 0)
    cold = {p.relative_to(copies[0]): p.read_bytes() for p in copies[0].rglob("*") if p.suffix in (".gz", ".br")}
    for folder in copies[1:]:
        assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.suffix in (".gz", ".br")} == cold


def test_root_404_page_is_bilingual_and_links_from_the_servers_root(site, tmp_path):
    doc = lxml.html.fromstring((site / "404.html").read_bytes())
    assert [a.get("href") for a in doc.iter("a")] == ["/vi/", "/fr/"]
    assert doc.get("lang") == "vi" and doc.xpath("//h2/@lang") == ["fr"]
    home = tmp_path / "vi" / "index.html"
    home.parent.mkdir()
    home.write_text('<link rel="canonical" href="https://owner.github.io/bulletins/vi/">', encoding="utf-8")
    assert serving.site_path(tmp_path) == "/bulletins/"
    page = serving.not_found_page({k: {"vi": k, "fr": k} for k in ("home", "not_found_title", "not_found_text")},
                                  "/bulletins/")
    assert 'href="/bulletins/vi/"' in page and 'href="/bulletins/fr/"' in page


def test_sample_nginx_config_names_our_feeds_opml_and_404_pages():
    """What nginx -t cannot know: the file names the configuration gives types to are the
    ones urls.py writes, and its error pages exist in every build."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    locations = dict(re.findall(r"location ~ (\S+) \{\s*types \{ \}\s*default_type (\S+);", text))
    assert set(locations.values()) == {"application/rss+xml", "application/atom+xml", "text/x-opml"}
    by_type = {kind: re.compile(pattern) for pattern, kind in locations.items()}
    assert by_type["application/rss+xml"].search("/" + urls.rss(urls.commune("vi", "ky-lua")))
    assert by_type["application/atom+xml"].search("/" + urls.atom(urls.home("fr")))
    assert by_type["text/x-opml"].search("/" + urls.opml("vi"))
    assert not by_type["application/rss+xml"].search("/vi/sitemap.xml")
    pages = re.findall(r"error_page 404 (\S+);", text)
    assert sorted(pages) == ["/404.html", "/fr/404.html", "/vi/404.html"]
    assert "gzip_static on;" in text and "# brotli_static on;" in text


# --- nginx ----------------------------------------------------------------------------------
def _nginx_site_conf(site: Path, port: int, brotli_static: bool) -> str:
    """docs/deploy/nginx.conf with only its root and its port changed (and brotli_static on
    when the module is there): what the test serves is the sample itself."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    for old, new in (("root /srv/bulletins/site;", f"root {site};"), ("listen 80;", f"listen 127.0.0.1:{port};"),
                     ("listen [::]:80;", ""), *([("# brotli_static on;", "brotli_static on;")] if brotli_static else [])):
        assert text.count(old) == 1, f"{old!r} is no longer in docs/deploy/nginx.conf"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    """nginx serving the site with the sample configuration; yields (base URL, brotli on?)."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run does)")
    prefix = tmp_path_factory.mktemp("nginx")
    port, with_brotli = free_port(), BROTLI_MODULE.exists()
    (prefix / "site.conf").write_text(_nginx_site_conf(site, port, with_brotli), encoding="utf-8")
    temporary = "".join(f"{kind}_temp_path {prefix / kind};\n" for kind in ("client_body", "proxy", "fastcgi",
                                                                           "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        (f"load_module {BROTLI_MODULE};\n" if with_brotli else "")
        + ("user root;\n" if os.geteuid() == 0 else "")  # its workers read the test's private folders
        + f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\nevents {{ worker_connections 64; }}\n"
        + f"http {{\ninclude /etc/nginx/mime.types;\ntypes_hash_max_size 2048;\naccess_log off;\n{temporary}"
        + f"include {prefix / 'site.conf'};\n}}\n", encoding="utf-8")
    command = [binary, "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0 and "test is successful" in check.stderr, check.stderr
    proc = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while True:
        try:
            _get(port, "/")
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, (prefix / "error.log").read_text()
            time.sleep(0.1)
    try:
        yield port, with_brotli
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(port: int, path: str, encoding: str | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_nginx_sends_feeds_and_opml_with_their_types(nginx):
    port, _ = nginx
    for lang in LANGS:
        for url, kind in ((urls.rss(urls.home(lang)), "application/rss+xml"),
                          (urls.atom(urls.home(lang)), "application/atom+xml"),
                          (urls.rss(urls.commune(lang, "ky-lua")), "application/rss+xml"),
                          (urls.atom(urls.difficulty(lang, "staff-skills")), "application/atom+xml"),
                          (urls.opml(lang), "text/x-opml"),
                          (f"{lang}/sitemap.xml", "text/xml"), (urls.home(lang), "text/html")):
            status, headers, _ = _get(port, "/" + url)
            assert (status, headers["content-type"]) == (200, f"{kind}; charset=utf-8"), url


def test_nginx_caches_fingerprinted_assets_long_and_the_rest_briefly(nginx, site):
    port, _ = nginx
    year, brief = "public, max-age=31536000, immutable", "public, max-age=300"
    bundle = next((site / "vi" / "assets" / "javascripts").glob("bundle.*.min.js"))
    stylesheet = next((site / "fr" / "assets" / "stylesheets").glob("main.*.min.css"))
    fragment = next((site / "vi" / "pagefind" / "fragment").iterdir())
    meta = next((site / "fr" / "pagefind").glob("pagefind.*.pf_meta"))
    for path in (bundle, stylesheet, fragment, meta):
        assert _get(port, "/" + path.relative_to(site).as_posix())[1]["cache-control"] == year, path
    for url in ("/vi/", "/fr/bulletins/2025-08-04-group-1/", "/vi/feed.xml", "/fr/feeds.opml",
                "/vi/pagefind/pagefind-entry.json", "/vi/pagefind/pagefind.js", "/fr/assets/stylesheets/bulletins.css"):
        assert _get(port, url)[1]["cache-control"] == brief, url


def test_nginx_sends_the_precompressed_files(nginx, site):
    port, with_brotli = nginx
    for url, file in (("/vi/", "vi/index.html"), ("/fr/atom.xml", "fr/atom.xml"),
                      ("/vi/bulletins/2025-08-04-group-1/", "vi/bulletins/2025-08-04-group-1/index.html")):
        original = (site / file).read_bytes()
        status, headers, body = _get(port, url, "gzip")
        assert (status, headers.get("content-encoding"), headers.get("vary")) == (200, "gzip", "Accept-Encoding")
        assert body == (site / f"{file}.gz").read_bytes() and gzip.decompress(body) == original
        status, headers, body = _get(port, url)
        assert (status, "content-encoding" in headers, body) == (200, False, original)
        if with_brotli:
            status, headers, body = _get(port, url, "br, gzip")
            assert headers.get("content-encoding") == "br" and brotli.decompress(body) == original


def test_nginx_serves_each_languages_404_page_and_the_policy_header(nginx, site):
    port, _ = nginx
    for url, page in (("/vi/no/such/page/", "vi/404.html"), ("/fr/nulle-part", "fr/404.html"),
                      ("/nowhere/", "404.html")):
        status, headers, body = _get(port, url)
        assert (status, body) == (404, (site / page).read_bytes()), url
    headers = _get(port, "/vi/")[1]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _ = _get(port, "/vi/about")
    assert (status, headers["location"]) == (301, "/vi/about/")  # relative: keeps the client's host and port


# --- Chromium --------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["python", "nginx"])
def base(request, site):
    """The site served by Python's http.server (the policy in the pages only) and by nginx
    with the sample configuration (its header too)."""
    if request.param == "nginx":
        port, _ = request.getfixturevalue("nginx")
        yield f"http://127.0.0.1:{port}/"
    else:
        with python_server(site) as url:
            yield url


def _open(browser, url: str, problems: list[str]):
    """``url`` in a new tab that records every policy violation and every console message
    about the policy (Chromium also says there when a <meta> policy holds what it ignores)."""
    page = browser.new_page()
    page.add_init_script(LISTEN)
    page.on("console", lambda m: problems.append(f"{url}: {m.text}") if "Content Security Policy" in m.text else None)
    page.goto(url, wait_until="load")
    return page


def _violations(page, url: str) -> list[str]:
    page.wait_for_timeout(300)
    return [f"{url}: {v}" for v in page.evaluate("window.__violations")]


@pytest.mark.parametrize("lang", LANGS)
def test_no_policy_violation_on_any_page_kind(browser, base, request, lang):
    problems: list[str] = []
    pages = [f"{base}{lang}/{kind}" for kind in PAGE_KINDS] + [base]
    if "nginx" in request.node.callspec.id:  # nginx answers a missing address with the 404 pages
        pages += [f"{base}{lang}/no/such/page/", f"{base}no-such-page"]
    for url in pages:
        page = _open(browser, url, problems)
        try:
            if "search/?q=" in url:  # Pagefind's WebAssembly and worker have run
                page.wait_for_selector(".b-search-result", timeout=15_000)
            problems += _violations(page, url)
        finally:
            page.close()
    assert problems == []


def test_the_policy_refuses_a_script_it_does_not_list(browser, site):
    """The negative control: the listener hears violations, and a script or an event
    attribute added to a page after its policy was made does not run."""
    built = (site / "vi" / "index.html").read_bytes()
    probe = site / "probe" / "index.html"
    probe.parent.mkdir()
    probe.write_bytes(built.replace(b"</body>", b'<script>document.title = "ran"</script>'
                                                b'<img src="data:," onerror="document.title = \'ran\'"></body>'))
    problems: list[str] = []
    try:
        with python_server(site) as url:
            page = _open(browser, f"{url}probe/", problems)
            try:
                violations = _violations(page, "probe")
                assert page.title() != "ran"
            finally:
                page.close()
    finally:
        shutil.rmtree(probe.parent)
    assert len(violations) == 2 and all("script-src" in v for v in violations), violations


def test_the_previews_reload_script_runs_under_the_policy(browser, site):
    """preview.py adds its reload script (and, with errors, a styled box) to each page it
    serves and computes the policy again: the script runs and nothing is refused."""
    stand_in = types.SimpleNamespace(changed=threading.Condition(), version=7, errors="content/x.md:1:1: error: …")
    decorated = Preview.decorate(stand_in, (site / "vi" / "bulletins" / "2025-08-04-group-1" / "index.html").read_bytes())
    assert b'role="alert" style="' in decorated and RELOAD_PATH.encode() in decorated
    probe = site / "preview-probe" / "index.html"
    probe.parent.mkdir()
    probe.write_bytes(decorated)
    problems: list[str] = []
    try:
        with python_server(site) as url:
            page = browser.new_page()
            waits: list[str] = []
            page.route(f"**{RELOAD_PATH}*", lambda route: waits.append(route.request.url) or route.abort())
            page.add_init_script(LISTEN)
            page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
            try:
                page.goto(f"{url}preview-probe/", wait_until="load")
                problems += _violations(page, "preview")
                assert page.locator("pre[role=alert]").evaluate("e => getComputedStyle(e).position") == "fixed"
            finally:
                page.close()
    finally:
        shutil.rmtree(probe.parent)
    assert waits and "version=7" in waits[0]  # the reload script ran
    assert problems == []
