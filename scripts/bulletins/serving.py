"""What a web server needs from the built site, done in one pass after rendering and before
the swap (build.py), so that the pages MkDocs writes, the shells' pages and the build's own
all get it:

- a Content-Security-Policy in every page, as its first ``<meta>`` after the charset:
  scripts, styles, images, fonts and connections from the site itself only, and of inline
  scripts and styles exactly those the page holds when it is built (Material's few, the
  search page's, the landing page's style), by their sha256. No event attribute, no
  ``javascript:`` URL, no inline script added to the page later (by the DOM, by a proxy) runs,
  and no plugin, no foreign ``<base>``, no form posting elsewhere. The live preview
  computes it again after adding its reload script (preview.py);
- ``404.html`` at the root, in both languages, for hosts that look for one only there
  (GitHub Pages); ``vi/404.html`` and ``fr/404.html`` stay for servers that choose;
- with ``bulletins build --precompress``, ``<file>.gz`` and ``<file>.br`` beside every
  text file, for a server that sends them as they are (nginx's ``gzip_static`` and
  ``brotli_static``: docs/deploy/nginx.conf). gzip has no name and no time in its header,
  so two builds give the same bytes; each compressed file is kept in the build cache
  under its input's sha256, so a build recompresses only the files that changed."""

from __future__ import annotations

import base64
import gzip
import hashlib
import html as entities
import re
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import brotli

from . import urls
from .cache import Store
from .html import html, join

LANGS = ("vi", "fr")
POLICY_META = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
STYLE = re.compile(rb"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
STYLE_ATTRIBUTE = re.compile(rb' style="([^"]*)"')  # those inside a tag: _style_attributes
TYPE = re.compile(rb"""(?:^|\s)type\s*=\s*["']?([^"'\s>]*)""", re.I)  # not data-type=
SOURCE = re.compile(rb"(?:^|\s)src\s*=", re.I)
HEAD = (re.compile(rb'<meta charset="utf-8">', re.I), re.compile(rb"<head\b[^>]*>", re.I))
SCRIPT_TYPES = {b"", b"module", b"text/javascript", b"application/javascript"}  # what a browser runs
# 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly search engine (in the page when its worker
# cannot start); it allows no eval() of JavaScript. img-src data:: Pagefind's stylesheet draws its icons so.
POLICY = ("default-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'self'", "form-action 'self'")
SCRIPT_SOURCES = "script-src 'self' 'wasm-unsafe-eval'"
TEXT_FILES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".opml", ".svg", ".txt", ".map")
GZIP_LEVEL = 6  # 9 saves 0.8 % more and takes 40 % longer (the text files of 1,000 bulletins)
BROTLI_QUALITY = 5  # 30 % smaller than gzip at gzip's speed; 9 takes 10 times as long, 11 80 times


def _sha256(data: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode() + "'"


def _style_attributes(page: bytes) -> list[bytes]:
    """The values of the page's ``style`` attributes: each `` style="`` inside a tag (its
    last ``<`` is after its last ``>``), not in text. (A regular expression anchored on the
    tag took 6 times as long as the rest of the policy.)"""
    return [match[1] for match in STYLE_ATTRIBUTE.finditer(page)
            if page.rfind(b"<", 0, match.start()) > page.rfind(b">", 0, match.start())]


def policy(page: bytes) -> str:
    """The Content-Security-Policy of one page: its inline scripts, ``<style>`` elements and
    ``style`` attributes by hash, everything else from the site itself. Script blocks the
    browser does not run (``type="application/json"``) need none."""
    scripts = set()
    for attributes, body in SCRIPT.findall(page):
        kind = TYPE.search(attributes)
        if not SOURCE.search(attributes) and (kind[1].lower() if kind else b"") in SCRIPT_TYPES:
            scripts.add(_sha256(body))
    styles = ["'self'", *sorted({_sha256(body) for body in STYLE.findall(page)})]
    attributes = {_sha256(entities.unescape(value.decode()).encode()) for value in _style_attributes(page)}
    if attributes:  # 'unsafe-hashes': these exact attribute values, no other
        styles += ["'unsafe-hashes'", *sorted(attributes)]
    return "; ".join((*POLICY, " ".join((SCRIPT_SOURCES, *sorted(scripts))), "style-src " + " ".join(styles)))


def with_policy(page: bytes) -> bytes:
    """``page`` with its policy right after ``<meta charset>`` (else after ``<head>``): a
    policy covers only what follows it. One already there is replaced."""
    page = POLICY_META.sub(b"", page, count=1)
    meta = b'<meta http-equiv="Content-Security-Policy" content="' + policy(page).encode() + b'">'
    for mark in HEAD:
        found = mark.search(page)
        if found:
            return page[:found.end()] + meta + page[found.end():]
    raise ValueError("a page without <head> cannot hold its Content-Security-Policy")


def secure_pages(folder: Path) -> int:
    """Give every HTML page under ``folder`` its policy; returns how many there are."""
    count = 0
    for path in sorted(Path(folder).rglob("*.html")):
        path.write_bytes(with_policy(path.read_bytes()))
        count += 1
    return count


def site_path(folder: Path) -> str:
    """The path the site is served at (``/``, ``/repository/``), from the canonical address
    MkDocs gave the Vietnamese home page (from --site-url or mkdocs.yml's site_url)."""
    home = (Path(folder) / urls.home("vi") / "index.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', home)
    if canonical is None:
        raise ValueError("the Vietnamese home page has no canonical address: site_url is not set")
    return urlsplit(canonical[1]).path.removesuffix(urls.home("vi"))


def not_found_page(ui: dict, path: str) -> str:
    """The root ``404.html``, Vietnamese first like the landing page; its links start at
    the server's root (``path``: ``/``, ``/repository/``) since it is shown at any depth."""
    links = join("", (html('<li lang="{0}"><a href="{1}" hreflang="{0}">{2}</a></li>', lang,
                           path + urls.home(lang), ui["home"][lang]) for lang in LANGS))
    return str(html("<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                    '<meta name="viewport" content="width=device-width,initial-scale=1">'
                    "<title>{0} · {1}</title>"
                    "<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
                    "line-height:1.5;color:#111}}a{{color:#1a237e}}li{{margin:.8rem 0;font-size:1.15rem}}</style></head>"
                    '<body><main><h1>{0}</h1><p>{2}</p><h2 lang="fr">{1}</h2><p lang="fr">{3}</p><ul>{4}</ul>'
                    "</main></body></html>\n",
                    ui["not_found_title"]["vi"], ui["not_found_title"]["fr"], ui["not_found_text"]["vi"],
                    ui["not_found_text"]["fr"], links))


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def _brotli(data: bytes) -> bytes:
    return brotli.compress(data, quality=BROTLI_QUALITY)


# suffix → (compress, what else its output depends on: the library's version and the level)
COMPRESSORS = {".gz": (_gzip, f"zlib {zlib.ZLIB_RUNTIME_VERSION} {GZIP_LEVEL}"),
               ".br": (_brotli, f"brotli {brotli.__version__} {BROTLI_QUALITY}")}


def precompress(folder: Path, store: Store | None = None) -> tuple[int, int]:
    """Write ``<file>.gz`` and ``<file>.br`` beside every text file under ``folder`` where
    they are smaller than it (a ``.gz`` the build already wrote, the sitemap's, is kept);
    each comes from the cache when an earlier build compressed the same bytes. Returns
    (compressed files written, compressed files found in the cache)."""
    written = reused = 0
    for path in sorted(p for p in Path(folder).rglob("*") if p.suffix in TEXT_FILES and p.is_file()):
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        for suffix, (compress, method) in COMPRESSORS.items():
            target = path.with_name(path.name + suffix)
            if target.exists():
                continue
            key = store.key("precompress", method, digest) if store is not None else None
            packed = store.get(key) if key else None
            if packed is not None:
                reused += 1
            else:
                packed = compress(data)
                if key:
                    store.put(key, packed)
            if len(packed) < len(data):
                target.write_bytes(packed)
                written += 1
    return written, reused


def finish_site(folder: Path, ui: dict, *, compress: bool = False, store: Store | None = None) -> None:
    """Make a freshly rendered site in ``folder`` ready for a web server: the root 404
    page, every page's policy, and with ``compress`` the precompressed files."""
    folder = Path(folder)
    (folder / "404.html").write_text(not_found_page(ui, site_path(folder)), encoding="utf-8")
    secure_pages(folder)
    if compress:
        precompress(folder, store)
