"""The whole build: check, render both languages in parallel, add the bilingual landing
page, then swap the new site in atomically. A failed or stopped build leaves the previous
site untouched and says why; content/ is only ever read.

The build never destroys anything: ``check_site_dir`` refuses an output folder that is or
holds the project or its sources, or that is not empty and was not made by a build (each
site carries a ``.bulletins-site`` marker). Leftovers of a killed build (``.<site>.new-*``,
``.<site>.old-*`` next to the site) are removed by the next one, and the renderer processes
never outlive the build (processes.py)."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import processes, serving, urls
from .cache import Store, build_start
from .diagnostics import Report
from .html import html, join
from .mkdocs_plugin import render_language
from .project import BULLETINS_DIR, DocumentCache, load_site

LANGS = ("vi", "fr")
MARKER = ".bulletins-site"
MARKER_TEXT = ("This folder is a site written by 'bulletins build'. The next build replaces it whole:\n"
               "keep nothing else in it.\n")
# Never an output folder, nor inside one, nor holding one (besides whatever git tracks).
SOURCES = ("content", "site_config", "scripts", "overrides", "schema", "tests", "docs", "bench", ".git", ".ci", ".cache",
           "mkdocs.yml", "mkdocs.fr.yml", "pyproject.toml")
_NO_LOCK = contextlib.nullcontext()
CHECKED_SITE = ".checked-site.pickle"  # in the new site while the renderers read it
# From this many bulletin files the check runs in a process of its own: it holds about 65 KB a
# file (1.3 GB at 10,000 bulletins) until it ends; below, starting one (0.8 s) costs more.
CHECK_APART_FROM = 2_000
FIX = "choose a new or empty folder outside the project's sources (the default is site/ in the project)"


class BuildError(RuntimeError):
    pass


class UnsafeSiteDir(BuildError):
    """The output folder is refused; the message says which, why and what to do."""


class Cancelled(BuildError):
    """``cancel`` was set during the build (the preview is stopping)."""


def _tracked_top_level(root: Path) -> set[str]:
    """The first path component of every file git tracks under ``root`` (none without git)."""
    try:
        run = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    if run.returncode:
        return set()
    return {path.split("/", 1)[0] for path in run.stdout.decode("utf-8", "surrogateescape").split("\0") if path}


def _looks_built(folder: Path) -> bool:
    """A site written before builds left a marker: only index.html, vi/ and fr/, each
    language with its sitemap."""
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError:
        return False
    return (names == {"index.html", *LANGS} and (folder / "index.html").is_file()
            and all((folder / lang / "sitemap.xml").is_file() for lang in LANGS))


def check_site_dir(root: Path, site_dir: Path) -> None:
    """Raise UnsafeSiteDir unless the build may replace ``site_dir`` whole: refused are the
    project folder and every folder above it, every source folder or file of the project
    (SOURCES and anything git tracks) and every folder inside one, a file, and a non-empty
    folder without the marker of a previous build. Symbolic links are followed."""
    root, site_dir = Path(root).resolve(), Path(site_dir).resolve()

    def refuse(why: str, fix: str = FIX) -> None:
        raise UnsafeSiteDir(f"refusing to build into {site_dir}: {why}; {fix}")

    if site_dir == root:
        refuse("it is the project folder, which the site would replace (content, registries, .git)")
    if site_dir in root.parents:
        refuse(f"it holds the project folder {root}, which the site would replace")
    for name in sorted(set(SOURCES) | _tracked_top_level(root)):
        source = (root / name).resolve()
        name += "/" if source.is_dir() else ""
        if site_dir == source:
            refuse(f"it is {name}, part of the project's sources")
        if source in site_dir.parents:
            refuse(f"it is inside {name}, part of the project's sources")
        if site_dir in source.parents:
            refuse(f"it holds {name}, part of the project's sources")
    if site_dir.exists() or site_dir.is_symlink():
        if not site_dir.is_dir():
            refuse("it is a file, not a folder")
        if (any(site_dir.iterdir()) and not (site_dir / MARKER).is_file() and not _looks_built(site_dir)):
            refuse(f"it is not empty and no build made it (no {MARKER} file in it)",
                   "choose a new or empty folder, or empty this one yourself if nothing in it is needed")


_LEFTOVER = re.compile(r"\.(new|old)-(?:(\d+)(?:-|$))?")  # the pid of the build that made it


def remove_leftovers(site_dir: Path) -> None:
    """Remove the ``.<site>.new-*`` and ``.<site>.old-*`` folders next to ``site_dir`` whose
    build is no longer running; first put an old site back if a build was killed between the
    two renames of the swap (the site is missing)."""
    site_dir = Path(site_dir)
    prefix = f".{site_dir.name}."
    try:
        entries = sorted(site_dir.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = _LEFTOVER.match(entry.name, len(prefix) - 1) if entry.name.startswith(prefix) else None
        if not match or entry.is_symlink() or not entry.is_dir():
            continue
        if match[2] and _running(int(match[2])):
            continue  # another build, still at work
        if match[1] == "old" and not site_dir.exists() and ((entry / MARKER).is_file() or _looks_built(entry)):
            with contextlib.suppress(OSError):  # else it stays where it is, for someone to look at
                entry.rename(site_dir)
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
               cache: DocumentCache | None = None, store: Store | None = None, lock=_NO_LOCK,
               cancel=None, precompress: bool = False) -> Report:
    """Build into a fresh folder next to ``site_dir`` and swap it in only on success.

    Returns the content report (with errors, nothing was built); raises UnsafeSiteDir
    (before anything is touched) when ``site_dir`` must not be replaced, BuildError when
    rendering failed, Cancelled when the ``cancel`` event was set. The live preview also
    asks for the shells (``shells_dir``), keeps the checks of unchanged files (``cache``)
    and holds ``lock`` while it writes pages itself, so the swap never happens under it.
    With a ``store`` (cache.py), checked files and converted narratives of earlier builds
    are reused (the output is byte-identical) and, after a build that succeeded, the
    store is pruned to what recent builds used. Every page gets its Content-Security-Policy
    and ``precompress`` writes .gz and .br files beside the text files (serving.py)."""
    root, site_dir = Path(root).resolve(), Path(site_dir).resolve()
    check_site_dir(root, site_dir)
    remove_leftovers(site_dir)
    started = build_start()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp, procs = None, {}
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-{os.getpid()}-", dir=site_dir.parent))
        tmp.chmod(0o755)
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        # The renderers read the checked content from a file in the new site (removed before the swap).
        checked = tmp / CHECKED_SITE
        if cache is None and _many_bulletin_files(root):
            report, ui = _run_in_child(procs, "check", _check_to_file, (root, store, checked), cancel)
        else:  # a small project, or the preview (which keeps its checks in memory)
            report, ui = _check_to_file(root, store, checked, cache)
        if report.has_errors():
            shutil.rmtree(tmp, ignore_errors=True)
            return report
        # One process per language (two cores).
        for lang in LANGS:
            _start(procs, lang, render_language, (root, lang, tmp / lang, checked, site_url, shells_dir, store))
        messages = _wait(procs, LANGS, cancel)
        failures = [f"--- {lang} ---\n{messages[lang]}" for lang in LANGS if procs[lang][0].exitcode]
        if failures:
            raise BuildError("rendering failed; the previous site is untouched:\n" + "\n".join(failures))
        checked.unlink()
        (tmp / "index.html").write_text(landing_page(ui), encoding="utf-8")
        serving.finish_site(tmp, ui, compress=precompress, store=store)
        with lock:
            check_site_dir(root, site_dir)  # still true after minutes of rendering?
            processes.hold_signals()  # from here on a stop signal waits for the end of the build
            old = swap(tmp, site_dir)
    except BaseException:
        processes.hold_signals()
        for proc, _ in procs.values():
            processes.kill_group(proc)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old:
        shutil.rmtree(old, ignore_errors=True)
    if store is not None:
        store.prune(started)
    return report


def _many_bulletin_files(root: Path) -> bool:
    """Whether content/bulletins/ holds CHECK_APART_FROM files or more: a count that stops
    there and skips nothing (it only chooses where the check runs); sorting and filtering
    them as the check does took 0.66 s at 10,000 bulletins."""
    count = 0
    for _, _, names in os.walk(root / BULLETINS_DIR):
        count += len(names)
        if count >= CHECK_APART_FROM:
            return True
    return False


def _check_to_file(root: Path, store: Store | None, checked: Path,
                   cache: DocumentCache | None = None) -> tuple[Report, dict | None]:
    """Load and check the project; when it has no errors, pickle the site to ``checked``
    (once, for both renderers). Returns what the checks found and the UI strings."""
    report = Report()
    site = load_site(root, report, cache=cache, store=store)
    if report.has_errors():
        return report, None
    with checked.open("wb") as out:
        pickle.dump(site, out, protocol=pickle.HIGHEST_PROTOCOL)
    return report, site.registry.ui


def _start(procs: dict, name: str, target, args: tuple) -> None:
    """Start ``target(*args, conn)`` in a process of its own that dies with the build and
    takes what it started with it (processes.py); it answers once on ``conn``."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    proc = context.Process(target=_worker, args=(target, *args, send))
    procs[name] = (proc, receive)
    processes.start(proc)
    send.close()


def _wait(procs: dict, names, cancel) -> dict:
    """The answer of each process of ``names``, once all have answered or died (reaped)."""
    messages = {}
    waiting = {procs[name][1]: name for name in names}
    while waiting:
        for receive in multiprocessing.connection.wait(list(waiting), timeout=None if cancel is None else 0.2):
            name = waiting.pop(receive)
            try:
                messages[name] = receive.recv()
            except EOFError:
                messages[name] = f"the {name} process died"
        if cancel is not None and cancel.is_set():
            raise Cancelled("the build was cancelled")
    for name in names:
        procs[name][0].join()
    return messages


def _run_in_child(procs: dict, name: str, target, args: tuple, cancel):
    """``target(*args)`` in a process of its own: at 10,000 bulletins loading and checking
    holds 1.3 GB, given back to the system when that process ends, before the renderers
    start. A failure is raised here as BuildError."""
    _start(procs, name, _answer, (target, *args))
    answer = _wait(procs, [name], cancel)[name]
    if procs[name][0].exitcode or isinstance(answer, str):
        raise BuildError(f"the {name} failed:\n{answer}")
    return answer


def _answer(target, *args) -> None:
    """Send what ``target(*args)`` returns on the last argument, the connection."""
    *args, conn = args
    try:
        conn.send(target(*args))
    except BaseException as exc:  # noqa: BLE001 - reported to the build, which raises it
        conn.send(f"{type(exc).__name__}: {exc}")
        raise SystemExit(1) from None


def _worker(target, *args) -> None:
    """A process of the build: dies with it, and takes Pagefind or its pool with it (processes.py)."""
    processes.worker_started(own_group=True)
    target(*args)


def swap(new: Path, target: Path) -> Path | None:
    """Replace ``target`` by ``new`` with two renames (readers see the old or the new site);
    returns where the old site now is, for the caller to remove."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old:
            old.rename(target)
        raise
    return old
