"""The one module that touches MkDocs: it runs load → validate → index in ``on_config``
(or takes the site ``bulletins build`` checked), makes the pages one at a time in
``on_files``, handing MkDocs those of the nav and one exemplar per layout of the others
(render.py, which keeps the others on disk), keeps the exemplars' HTML in
``on_post_page``, and writes the other pages from it, the sitemap, the feeds and the
search index in ``on_post_build``. Replacing the renderer means replacing this file and
``overrides/``; nothing else imports MkDocs."""

from __future__ import annotations

import calendar
import copy
import gzip
import os
import pickle
from pathlib import Path
from urllib.parse import urlsplit

import properdocs.replacement  # noqa: F401 - first: every mkdocs.* import, ours and Material's, is ProperDocs
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from .cache import Store, bulletin_digests
from .diagnostics import Report
from .feeds import feed_urls, write_feeds
from .html import text
from .index import build_index
from .pages import Context, build_pages, search_parts
from .pages.about import ABOUT_ID, about, footer
from .project import load_site
from .render import DirectPages, Layouts, Shell
from .search_bundles import finish_search, start_search
from .sitemap import sitemap_xml
from .typography import typeset_site


class BulletinsConfig(Config):
    feed_items = c.Type(int, default=50)
    search = c.Type(bool, default=True)
    # Pages outside the nav are written from one theme run per layout (render.py);
    # false runs the theme for every page: slower, and byte-identical (a test compares).
    shells = c.Type(bool, default=True)


def source_date_epoch(site) -> str:
    """Newest content date as a timestamp: sitemap.xml.gz and friends are dated from
    content, never from the build clock, so two builds are byte-identical."""

    dates = [b.last_modified for b in site.bulletins]
    newest = max(dates) if dates else None
    return str(calendar.timegm(newest.timetuple())) if newest else "1751328000"  # 2025-07-01


class BulletinsPlugin(BasePlugin[BulletinsConfig]):
    def on_config(self, config):
        self.root = Path(config.config_file_path).parent
        self.lang = config.theme["language"]
        if self.lang not in ("vi", "fr"):
            raise PluginError(f"theme.language must be 'vi' or 'fr' for the bulletins plugin, not '{self.lang}'")
        if not config.site_url:
            raise PluginError("site_url is not set in mkdocs.yml: feeds need absolute links "
                              "(set site_url to the address the site is published at)")
        site = _PRELOADED.pop(str(self.root), None)  # not kept: only its typeset copy is rendered
        if site is None:
            report = Report()
            site = load_site(self.root, report)
            if report.has_errors():
                raise PluginError("content has errors (run 'bulletins check'):\n" + report.render())
        site = typeset_site(site)  # French typography for everything rendered from here on
        self.site, self.index = site, build_index(site)
        self.site_root_url = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
        config.site_url = self.site_root_url + self.lang + "/"
        os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(site)
        self.store = _STORES.get(str(self.root))  # the build's cache (cache.py), if it keeps one
        self.digests = bulletin_digests(site.bulletins) if self.store else None  # for the pages' and feeds' keys
        feeds = feed_urls(site, self.lang)
        # made one at a time and written away in on_files, never all held (render.py)
        self.pages = build_pages(site, self.index, self.lang, feeds, self.store, self.digests)
        about_page = about(Context(site, self.index, self.lang, feeds))  # its title is in the nav and the footer
        # Every value the theme prints is escaped HTML: its templates print as they are.
        ui = {key: text(value[self.lang]) for key, value in site.registry.ui.items() if self.lang in value}
        nav = [{ui["home"]: "index.md"},
               {ui["bulletins"]: "bulletins/index.md"},
               {ui["communes"]: "communes/index.md"},
               {ui["difficulties"]: "difficulties/index.md"},
               {ui["follow_ups"]: "follow-ups/index.md"},
               {ui["groups"]: "groups/index.md"},
               {ui["subscribe"]: "subscribe/index.md"},
               {ui["search"]: "search/index.md"}]
        nav += [{text(p.title[self.lang]): f"{p.id}/index.md"} for p in site.pages
                if self.lang in p.title and p.id != ABOUT_ID]
        nav.append({text(about_page.title): about_page.src})  # in both languages, with or without content/pages/about
        config.nav = nav
        self.in_nav = {src for item in nav for src in item.values()}
        config.site_name = ui["site_name"]
        config.site_description = ui["site_description"]
        # the 404 page is served at any depth: it links home from the server's root
        config.extra["bulletins"] = {"home_path": text(urlsplit(config.site_url).path), "home": ui["home"],
                                     "not_found_title": ui["not_found_title"],
                                     "not_found_text": ui["not_found_text"],
                                     "footer": footer(Context(site, self.index, self.lang, feeds), about_page)}
        return config

    def on_files(self, files: Files, config) -> Files:
        """Publish only the generated pages; content/ is read by the pipeline, not by MkDocs.
        MkDocs gets each page's front matter only: its content is final HTML, handed over
        in on_page_content (MkDocs' Markdown never sees content). Pages outside the nav
        stand in MkDocs only as one exemplar per layout; they are kept on disk until
        their shells are made (render.DirectPages)."""
        generated = Files([f for f in files if not f.is_documentation_page()])
        self.layouts = Layouts([*self.in_nav, *(f.src_uri for f in generated)])
        self.direct = DirectPages(self.layouts)
        self.docs, self.entries = {}, []
        for page in self.pages:
            self.entries.append(page.entry())
            if page.src in self.in_nav or not self.config.shells:
                self.docs[page.src] = page
                generated.append(File.generated(config, page.src, content=page.front_matter()))
            else:
                self.direct.add(page)
        self.exemplars = {ex.doc.src: ex for ex in self.direct.exemplars.values()}
        for src, ex in self.exemplars.items():
            self.docs[src] = ex.doc
            generated.append(File.generated(config, src, content=ex.doc.front_matter()))
        self.shells: dict[int, Shell] = {}
        return generated

    def on_page_content(self, html, page, config, files):
        """The page's HTML and table of contents, made by the pipeline."""
        doc = self.docs[page.file.src_uri]
        page.toc = get_toc(copy.deepcopy(doc.toc))
        return str(doc.html)

    def on_page_context(self, context, page, config, nav):
        """'Edit this page' links the editor's source file, not the generated page."""
        meta = page.meta.get("bulletins") or {}
        if config.repo_url and meta.get("edit"):
            page.edit_url = config.repo_url.rstrip("/") + "/" + (config.edit_uri or "").strip("/") + "/" + meta["edit"]
        else:
            page.edit_url = None
        return context

    def on_post_page(self, output, page, config):
        """An exemplar is not a page: keep its HTML as a shell, write nothing."""
        exemplar = self.exemplars.get(page.file.src_uri)
        if exemplar is None:
            return output
        self.shells[exemplar.number] = Shell(output, exemplar)
        return ""

    def on_post_build(self, config):
        site_dir = Path(config.site_dir)
        self.layouts.shells = {key: self.shells[ex.number] for key, ex in self.direct.exemplars.items()}
        self.direct.write(site_dir)
        if str(self.root) in _SHELLS_DIR:
            self.layouts.save(_SHELLS_DIR[str(self.root)] / f"{self.lang}.pickle")
        sitemap = sitemap_xml(self.entries, self.site_root_url).encode("utf-8")
        (site_dir / "sitemap.xml").write_bytes(sitemap)
        with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=int(os.environ["SOURCE_DATE_EPOCH"])) as gz:
            gz.write(sitemap)
        search = None
        if self.config.search:  # indexed (search_bundles.py) in a process of its own while the feeds are written
            search = start_search(site_dir, self.lang, search_parts(self.site, self.lang, self.entries), self.store)
        try:
            write_feeds(self.site, self.index, self.lang, site_dir, self.site_root_url,
                        max_items=self.config.feed_items, store=self.store, digests=self.digests)
        finally:
            failure = finish_search(search) if search else ""
        if failure:
            raise PluginError(f"the search index failed:\n{failure}")


CONFIG_FILES = {"vi": "mkdocs.yml", "fr": "mkdocs.fr.yml"}


_PRELOADED: dict[str, object] = {}  # project root → Site already loaded by the build
_SHELLS_DIR: dict[str, Path] = {}  # project root → where to save the Layouts (for the preview)
_STORES: dict[str, Store] = {}  # project root → the build's cache store


def render_language(root: Path, lang: str, out_dir: Path, checked_site: Path, site_url: str | None,
                    shells_dir: Path | None, store: Store | None, conn) -> None:
    """Render one language with MkDocs, in a child process of ``bulletins build``, reusing
    the Site the build has already loaded, checked and pickled to ``checked_site`` (and its
    cache ``store``, if any). Sends '' on success, else what went wrong (MkDocs' warnings
    included), on ``conn``."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    messages: list[str] = []
    collect = logging.Handler(logging.WARNING)
    collect.emit = lambda record: messages.append(f"{record.levelname}: {record.getMessage()}")
    logging.getLogger("mkdocs").addHandler(collect)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    if site_url:
        os.environ["BULLETINS_SITE_URL"] = site_url
    try:
        with checked_site.open("rb") as checked:
            _PRELOADED[str(root)] = pickle.load(checked)
        if shells_dir:
            _SHELLS_DIR[str(root)] = shells_dir
        if store is not None:
            _STORES[str(root)] = store
        config = load_config(str(root / CONFIG_FILES[lang]), site_dir=str(out_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        conn.send("")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        conn.send("\n".join(messages + [f"{type(exc).__name__}: {exc}"]))
        raise SystemExit(1) from None
