"""The editors' live preview: the whole bilingual site as ``bulletins build`` makes it,
served on 127.0.0.1, rebuilt when content, registries, templates or the configuration
change, and reloaded in the browser.

An edited bulletin is shown at once: its pages are rendered from the shells the last
build left (render.py) and the browser reloads; the full rebuild that brings every list,
feed and search index up to date follows in the background and reloads again (as Hugo's
server, in its default "fast render" mode, re-renders the pages being looked at first). Anything else (a
registry, a template, a page, a new or removed bulletin) waits for the full rebuild.
Only the edited files are read and checked again, against the last site loaded without
errors (project.reload_bulletins); an edit that changes what other bulletins' checks or
the page's lists read (date, group, communes, difficulties, item ids, follow-ups) loads
the whole site again first.
Content mistakes are printed and shown on top of every page until they are fixed; the
last good site stays served.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from . import processes
from .build import LANGS, BuildError, Cancelled, build_site
from .cache import Store
from .diagnostics import Report
from .feeds import feed_urls
from .index import build_index
from .load import BULLETIN_NAME
from .model import Site
from .narrative import NarrativeConverter
from .pages import Context
from .pages.bulletins import bulletin as bulletin_page
from .pages.bulletins import neighbourhood
from .project import DocumentCache, LoadedSite, load_site, reload_bulletins
from .render import Layouts
from .serving import with_policy
from .typography import typeset_site

WATCHED = ("content", "site_config", "overrides", "schema", "mkdocs.yml", "mkdocs.fr.yml")
POLL_SECONDS = 0.2
RELOAD_PATH = "/_preview/wait"
RELOAD_SCRIPT = """<script>
(function () {
  var version = "%s";
  function wait() {
    fetch("%s?version=" + version).then(function (r) { return r.text(); }).then(function (now) {
      if (now !== version) { location.reload(); } else { wait(); }
    }).catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
</script>"""


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every watched file, by path from the project root. Taken every
    POLL_SECONDS: os.scandir, not pathlib, which took 0.5 s for 20,000 files."""
    files: dict[str, tuple[int, int]] = {}

    def walk(folder: str, shown: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{shown}{entry.name}/")
                elif entry.is_file():
                    stat = entry.stat()
                    files[shown + entry.name] = (stat.st_mtime_ns, stat.st_size)

    for name in WATCHED:
        top = root / name
        if top.is_file():
            stat = top.stat()
            files[name] = (stat.st_mtime_ns, stat.st_size)
        elif top.is_dir():
            walk(str(top), f"{name}/")
    return files


def _unread(path: str) -> bool:
    """A hidden file below content/bulletins/ (an editor's swap file), which builds skip
    (load.content_files)."""
    return path.startswith("content/bulletins/") and any(part.startswith(".") for part in path.split("/")[2:])


@dataclass(frozen=True)
class Served:
    """The site the served bulletin pages show, checked without errors, and the watched
    files as they were before it was read: a file that differs has changed since."""

    loaded: LoadedSite
    files: dict[str, tuple[int, int]]


class Preview:
    def __init__(self, root: Path, address: str, store: Store | None = None):
        self.root = Path(root).resolve()
        self.address = address
        self.store = store  # the build cache kept between builds (cache.py), or None
        self.work = Path(tempfile.mkdtemp(prefix="bulletins-preview-"))
        self.site_dir = self.work / "site"
        self.cache = DocumentCache()
        self.narratives = NarrativeConverter(store)  # one Markdown set-up, used under ``writing``
        self.layouts: dict[str, Layouts] = {}
        self.version = 0
        self.errors = ""
        self.changed = threading.Condition()
        self.rebuild = threading.Event()
        self.writing = threading.Lock()  # a quick render never writes into a site being swapped
        self.stopping = False
        self.cancel = threading.Event()  # set when the preview stops: a build under way ends at once
        self.served: Served | None = None  # None until a build succeeds

    # --- building ---------------------------------------------------------------------
    def full_build(self) -> None:
        started = time.monotonic()
        files, mark = snapshot(self.root), self.cache.mark()
        try:
            report = build_site(self.root, self.site_dir, site_url=f"http://{self.address}/",
                                shells_dir=self.work / "shells", cache=self.cache, store=self.store,
                                lock=self.writing,
                                cancel=self.cancel)
        except Cancelled:
            return
        except BuildError as exc:
            self.publish(str(exc))
            return
        if report.has_errors():
            self.publish(report.render())
            return
        self.layouts = {lang: Layouts.load(self.work / "shells" / f"{lang}.pickle") for lang in LANGS}
        loaded = self.cache.loaded_since(mark)  # the build's own load (or one begun after it)
        if self.served is None and loaded is not None and loaded.site.bulletins:
            with self.writing:
                self.warm_up(loaded)
        self.served = Served(loaded, files) if loaded is not None else None
        print(f"built in {time.monotonic() - started:.1f} s", flush=True)
        self.publish("")

    def warm_up(self, loaded: LoadedSite) -> None:
        """Do once what the first quick render would otherwise wait for (0.5 s of its 0.9 s
        at 1,000 bulletins): compile the schema's validator and load Babel's locales, which
        the build did in other processes. The newest bulletin is checked and its pages are
        made again; nothing is written."""
        newest = loaded.site.bulletins[0]
        reload_bulletins(self.root, loaded, sorted(newest.paths.values()), Report())
        self.pages(loaded.site, {newest.id})

    def quick_render(self, now: dict[str, tuple[int, int]] | None = None) -> bool:
        """Write the pages of the bulletins edited since the served site from the shells;
        False when only a full rebuild can tell (a new layout, an added or removed bulletin,
        anything else changed), and when there are errors, which are shown at once.
        ``now``: the watched files, as snapshot() gave them before this call."""
        served = self.served
        now = snapshot(self.root) if now is None else now
        if served is None:
            return False
        edited = sorted({path for path, _ in now.items() ^ served.files.items() if not _unread(path)})
        if not all(path in served.files and path in now and path.startswith("content/bulletins/")
                   for path in edited):
            return False  # not only edits of bulletins the served site has
        report = Report()
        loaded = reload_bulletins(self.root, served.loaded, edited, report, self.cache, self.store)
        if loaded is None and not report.has_errors():  # an edit other bulletins depend on
            report, mark = Report(), self.cache.mark()
            load_site(self.root, report, cache=self.cache, store=self.store)
            loaded = self.cache.loaded_since(mark)
        if report.has_errors():
            self.publish(report.render())
            return False
        if loaded is None:
            return False  # a load begun later ended first: the rebuild will tell
        names = [BULLETIN_NAME.match(Path(path).name) for path in edited]
        written = self.pages(loaded.site, {name["id"] for name in names if name})
        if written is None:
            return False
        for path, page in written:
            temporary = path.with_name(".index.html.new")
            temporary.write_bytes(with_policy(page.encode("utf-8", errors="xmlcharrefreplace")))
            temporary.replace(path)
        self.served = Served(loaded, now)
        self.publish("")
        return True

    def pages(self, site: Site, ids: set[str]) -> list[tuple[Path, str]] | None:
        """(file, HTML) of the pages of the bulletins ``ids`` from the shells; None when
        one has a layout the last build did not have."""
        written = []
        # the edited bulletins and those their pages list (same group, commune or difficulty,
        # nearest in time), with French typography as the build applies it
        shown = typeset_site(Site(site.registry, neighbourhood(site.bulletins, [b for b in site.bulletins
                                                                                if b.id in ids]), []))
        index = build_index(shown)
        for lang in LANGS:
            ctx = Context(shown, index, lang, feed_urls(site, lang), self.narratives)
            for b in shown.bulletins:
                if b.id not in ids or lang not in b.title:
                    continue
                doc = bulletin_page(ctx, b)
                page = self.layouts[lang].page_html(doc)
                if page is None:
                    return None
                written.append((self.site_dir / doc.url / "index.html", page))
        return written

    def publish(self, errors: str) -> None:
        if errors:
            print(errors, file=sys.stderr, flush=True)
        with self.changed:
            self.errors = errors
            self.version += 1
            self.changed.notify_all()

    def watch(self) -> None:
        """Poll the project; render edited bulletins at once, and ask for a rebuild."""
        seen = snapshot(self.root)
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(self.root)
            if now == seen:
                continue
            changed = {path for path, _ in now.items() ^ seen.items()}  # 1 ms for 20,000 files
            seen = now
            self.react(changed, now)

    def react(self, changed: set[str], now: dict[str, tuple[int, int]]) -> None:
        started = time.monotonic()
        try:
            with self.writing:
                quick = self.quick_render(now)
        except Exception:  # noqa: BLE001 - the preview keeps running and says what broke
            quick = False
            print(traceback.format_exc(), file=sys.stderr, flush=True)
        if quick:
            print(f"updated {', '.join(sorted(changed))} in {time.monotonic() - started:.2f} s; "
                  "rebuilding the rest", flush=True)
        self.rebuild.set()

    def rebuild_forever(self) -> None:
        """Full rebuilds, one at a time; edits made during one are rendered again after
        it, since it may have started from the files before them."""
        while True:
            self.rebuild.wait()
            self.rebuild.clear()
            if self.stopping:
                return
            before = snapshot(self.root)
            try:
                self.full_build()
            except Exception:  # noqa: BLE001
                self.publish(traceback.format_exc())
            after = snapshot(self.root)
            if after != before:
                with self.writing:
                    self.quick_render(after)

    # --- serving ----------------------------------------------------------------------
    def wait_for_change(self, version: str, seconds: float = 25) -> str:
        with self.changed:
            self.changed.wait_for(lambda: str(self.version) != version, timeout=seconds)
            return str(self.version)

    def decorate(self, page: bytes) -> bytes:
        """Every HTML page gets the reload script, and the errors when there are some."""
        with self.changed:
            version, errors = self.version, self.errors
        extra = RELOAD_SCRIPT % (version, RELOAD_PATH)
        if errors:
            extra = ('<pre role="alert" style="position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;'
                     'margin:0;padding:1rem;background:#b71c1c;color:#fff;z-index:10;white-space:pre-wrap">'
                     f"{html.escape(errors)}</pre>") + extra
        body = page.rfind(b"</body>")
        if body < 0:
            return page + extra.encode()
        return with_policy(page[:body] + extra.encode() + page[body:])  # the policy admits the reload script

    def serve_forever(self) -> None:
        host, _, port = self.address.rpartition(":")
        server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)),
                                                 functools.partial(_Handler, preview=self))
        server.daemon_threads = True
        threading.Thread(target=self.watch, daemon=True).start()
        builder = threading.Thread(target=self.rebuild_forever, daemon=True)
        builder.start()
        print(f"serving http://{self.address}/ (Ctrl+C stops)", flush=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
            # A rebuild may be under way (its renderers do not get the terminal's Ctrl+C):
            # cancel it and wait until it has killed them and removed its folder.
            self.stopping = True
            self.cancel.set()
            self.rebuild.set()
            builder.join(timeout=60)
            shutil.rmtree(self.work, ignore_errors=True)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, preview: Preview, **kwargs):
        self.preview = preview
        super().__init__(*args, directory=str(preview.site_dir), **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):  # noqa: N802 - the base class's name
        url = urllib.parse.urlsplit(self.path)
        if url.path == RELOAD_PATH:
            version = urllib.parse.parse_qs(url.query).get("version", [""])[0]
            self.reply(self.preview.wait_for_change(version).encode(), "text/plain")
            return
        path = Path(self.translate_path(url.path))
        if path.is_dir():
            if not url.path.endswith("/"):
                super().do_GET()  # the redirect to the folder's URL
                return
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self.reply(self.preview.decorate(path.read_bytes()), "text/html; charset=utf-8")
            return
        super().do_GET()

    def reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve(root: Path, address: str, store: Store | None = None) -> None:
    """Build and serve until Ctrl+C, SIGTERM or SIGHUP (its terminal closed), which raise
    ``processes.Stopped``: a build under way is cancelled and the temporary folder removed."""
    processes.stop_at_first_signal()
    preview = Preview(root, address, store)
    try:
        print(f"building the preview of {preview.root} in {preview.work} ...", flush=True)
        preview.full_build()
        preview.serve_forever()
    finally:  # also when stopped during the first build
        shutil.rmtree(preview.work, ignore_errors=True)
