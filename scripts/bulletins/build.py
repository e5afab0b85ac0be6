"""The whole build: check, render both languages in parallel, add the bilingual landing
page, then swap the new site in atomically. A failed build leaves the previous site
untouched and says why; content/ is only ever read."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from . import urls
from .diagnostics import Report
from .html import html, join
from .mkdocs_plugin import render_language
from .project import DocumentCache, load_site

LANGS = ("vi", "fr")


class BuildError(RuntimeError):
    pass


def landing_page(ui: dict) -> str:
    """``/``: a tiny bilingual page (Vietnamese first) that leads to both sites."""
    links = join("", (html('<li lang="{0}"><a href="{1}" hreflang="{0}">{2}</a> — {3}</li>', lang, urls.home(lang),
                           ui["site_name"][lang], ui["language_name"][lang]) for lang in LANGS))
    alternates = join("", (html('<link rel="alternate" hreflang="{0}" href="{1}">', lang, urls.home(lang))
                           for lang in LANGS))
    return str(html("<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                    '<meta name="viewport" content="width=device-width,initial-scale=1">'
                    "<title>{0}</title>{1}"
                    "<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
                    "line-height:1.5;color:#111}}a{{color:#1a237e}}li{{margin:.8rem 0;font-size:1.15rem}}</style></head>"
                    '<body><main><h1>{0}</h1><p lang="fr">{2}</p><ul>{3}</ul></main></body></html>\n',
                    ui["site_name"]["vi"], alternates, ui["site_name"]["fr"], links))


def build_site(root: Path, site_dir: Path, *, site_url: str | None = None, shells_dir: Path | None = None,
               cache: DocumentCache | None = None, lock=contextlib.nullcontext()) -> Report:
    """Build into a fresh folder next to ``site_dir`` and swap it in only on success.

    Returns the content report (with errors, nothing was built); raises BuildError when
    rendering failed. The live preview also asks for the shells (``shells_dir``), keeps
    the checks of unchanged files (``cache``) and holds ``lock`` while it writes pages
    itself, so the swap never happens under it."""
    root, site_dir = Path(root).resolve(), Path(site_dir).resolve()
    report = Report()
    site = load_site(root, report, cache=cache)
    if report.has_errors():
        return report
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    tmp.chmod(0o755)
    # One process per language (two cores), each handed the already-checked content.
    context = multiprocessing.get_context("spawn")
    procs = {}
    try:
        for lang in LANGS:
            receive, send = context.Pipe(duplex=False)
            proc = context.Process(target=render_language,
                                   args=(root, lang, tmp / lang, site, send, site_url, shells_dir))
            proc.start()
            send.close()
            procs[lang] = (proc, receive)
        failures = []
        for lang, (proc, receive) in procs.items():
            try:
                message = receive.recv()
            except EOFError:
                message = "the renderer process died"
            proc.join()
            if proc.exitcode:
                failures.append(f"--- {lang} ---\n{message}")
        if failures:
            raise BuildError("rendering failed; the previous site is untouched:\n" + "\n".join(failures))
        (tmp / "index.html").write_text(landing_page(site.registry.ui), encoding="utf-8")
        with lock:
            swap(tmp, site_dir)
    except BaseException:
        for proc, _ in procs.values():
            if proc.is_alive():
                proc.kill()
            proc.join()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames: readers see the old or the new site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
