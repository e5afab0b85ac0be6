#!/usr/bin/env python3
"""Benchmark the bilingual build against Hugo and Pelican on the same synthetic corpus.

    .venv/bin/python bench/benchmark.py                       # N = 100 1000 10000, 3 runs
    .venv/bin/python bench/benchmark.py --sizes 100 1000 --runs 3

For each N: ``bulletins synth`` writes the corpus once (bench-out/corpus-N); then, for
``--runs`` rounds, run alternately, our full build (``bulletins build``), the Hugo site
and the Pelican site of the same corpus, and the floor (Python-Markdown alone over the
bodies + writing the bytes). Once per N it measures the preview (edit one bulletin's
title under ``bulletins serve``, poll until the page shows it) and the bytes a first
search transfers (headless Chromium). Medians are printed as a Markdown table.
Everything is written under bench-out/ (git-ignored)."""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

import markdown
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from bulletins.synth import synthesize  # noqa: E402

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PELICAN_REQ = "pelican==4.12.0"


def log(*args):
    print(f"[{dt.datetime.now():%H:%M:%S}]", *args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- measuring


def tree_rss(root_pid: int) -> int:
    """Sum of the resident memory (bytes) of ``root_pid`` and all its descendants."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo, seen = 0, [root_pid], set()
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_measured(cmd, cwd=None, env=None, log_path: Path | None = None) -> dict:
    """Run ``cmd``; wall time, CPU of the whole process tree (wait4 rusage), largest
    single-process RSS (wait4) and peak RSS of the tree (sampled every 200 ms)."""
    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log_path:
        out.close()
    if proc.returncode:
        tail = log_path.read_text(errors="replace")[-3000:] if log_path else ""
        raise RuntimeError(f"{cmd[:4]} failed ({proc.returncode}):\n{tail}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss * 1024,
            "peak_tree": peak}


def folder_size(path: Path) -> tuple[int, int]:
    sizes = [p.stat().st_size for p in path.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- the corpus


def read_corpus(corpus: Path) -> list[dict]:
    """Every bulletin file as {id, lang, meta, body} (front matter read with libyaml)."""
    docs = []
    for path in sorted((corpus / "content" / "bulletins").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        ident, lang, _ = path.name.rsplit(".", 2)
        docs.append({"id": ident, "lang": lang, "meta": yaml.load(front, Loader=LOADER), "body": body})
    return docs


def structured_markdown(meta: dict) -> str:
    """The structured lists as Markdown, so that the other generators render as much text."""
    parts = []
    for key in ("figures", "difficulties", "recommendations", "directives"):
        items = meta.get(key) or []
        if items:
            parts.append(f"## {key}\n")
            for item in items:
                text = item.get("text") or f"{item.get('label')}: {item.get('value')}"
                parts.append(f"- {text}")
            parts.append("")
    return "\n".join(parts)


# --------------------------------------------------------------------------- the floor


def floor(corpus: Path, out: Path) -> dict:
    """Python-Markdown over every body (our extensions) + writing the HTML, one process."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    bodies = []
    for path in sorted((corpus / "content" / "bulletins").glob("*.md")):
        bodies.append((path.stem, path.read_text(encoding="utf-8").split("---\n", 2)[2]))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    md = markdown.Markdown(extensions=["extra", "toc", "sane_lists"])
    for stem, body in bodies:
        html = md.reset().convert(body)
        (out / f"{stem}.html").write_bytes(html.encode("utf-8"))
    return {"wall": time.perf_counter() - wall0, "cpu": time.process_time() - cpu0}


# --------------------------------------------------------------------------- Hugo

HUGO_CONFIG = """\
baseURL = "https://bulletins.example.org/"
title = "Bulletins"
defaultContentLanguage = "vi"
buildFuture = true  # synthetic dates run years ahead; publish them all, as we and Pelican do
defaultContentLanguageInSubdir = true
disableKinds = ["robotsTXT"]
paginate = 20
enableGitInfo = false
[languages.vi]
  weight = 1
  languageName = "Tiếng Việt"
  contentDir = "content/vi"
[languages.fr]
  weight = 2
  languageName = "Français"
  contentDir = "content/fr"
[taxonomies]
  commune = "communes"
  difficulty = "difficulties"
  group = "groups"
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]
[services.rss]
  limit = 50
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body><nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Lang }}">{{ .Lang }}</a>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} — {{ .Params.summary }}</p>
<ul>{{ range .GetTerms "communes" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "difficulties" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ .Date.Format "2006-01-02" }} {{ .Params.summary }}</li>{{ end }}</ul>
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">prev</a>{{ end }} {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">next</a>{{ end }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
}


def make_hugo(docs: list[dict], out: Path) -> Path:
    site = out
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    for lang in ("vi", "fr"):
        (site / "content" / lang / "bulletins").mkdir(parents=True)
    for d in docs:
        m = d["meta"]
        front = {"title": m["title"], "date": str(m["date"]), "summary": m["summary"],
                 "translationKey": d["id"], "slug": d["id"], "communes": m["communes"],
                 "difficulties": sorted({x["tag"] for x in m.get("difficulties") or []}),
                 "groups": [str(m["group"])]}
        text = json.dumps(front, ensure_ascii=False) + "\n\n" + structured_markdown(m) + "\n" + d["body"]
        (site / "content" / d["lang"] / "bulletins" / f"{d['id']}.md").write_text(text, encoding="utf-8")
    return site


# --------------------------------------------------------------------------- Pelican

PELICAN_CONF = """\
AUTHOR = "Tổ công tác"
SITENAME = "Bulletins"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_PAGINATION = 20
PATH = "content"
ARTICLE_URL = "{lang}/bulletins/{slug}/"
ARTICLE_SAVE_AS = "{lang}/bulletins/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/bulletins/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/bulletins/{slug}/index.html"
FEED_DOMAIN = "https://bulletins.example.org"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"
TRANSLATION_FEED_RSS = "feeds/all-{lang}.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
FEED_MAX_ITEMS = 50
RELATIVE_URLS = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {},
                                  "markdown.extensions.sane_lists": {}}, "output_format": "html5"}
"""


def make_pelican(docs: list[dict], out: Path) -> Path:
    """Both languages in one run (Pelican's translations: same slug, ``Lang``);
    communes and difficulties as tags, the group as category, feeds per tag/category."""
    site = out
    if site.exists():
        shutil.rmtree(site)
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    for d in docs:
        m = d["meta"]
        tags = list(m["communes"]) + sorted({x["tag"] for x in m.get("difficulties") or []})
        head = (f"Title: {m['title']}\nDate: {m['date']}\nSlug: {d['id']}\nLang: {d['lang']}\n"
                f"Category: group-{m['group']}\nTags: {', '.join(tags)}\nSummary: {m['summary']}\n\n")
        text = head + structured_markdown(m) + "\n" + d["body"]
        (site / "content" / f"{d['id']}.{d['lang']}.md").write_text(text, encoding="utf-8")
    return site


def pelican_venv(out: Path) -> Path:
    venv = out / "pelican-venv"
    python = venv / "bin" / "python"
    if not (venv / "bin" / "pelican").exists():
        log("creating", venv)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PELICAN_REQ, "markdown"], check=True)
    return venv / "bin" / "pelican"


def ensure_hugo() -> str:
    hugo = shutil.which("hugo")
    if not hugo:
        log("hugo not found; installing the Debian package")
        subprocess.run(["apt-get", "install", "-y", "hugo"], check=True, stdout=subprocess.DEVNULL)
        hugo = shutil.which("hugo")
    return hugo


# --------------------------------------------------------------------------- preview


def preview_latency(corpus: Path, out: Path, timeout: float) -> dict:
    """Seconds from saving an edited bulletin to ``bulletins serve`` serving it."""
    port = free_port()
    target = sorted((corpus / "content" / "bulletins").glob("*.vi.md"))[-1]
    ident = target.name[: -len(".vi.md")]
    url = f"http://127.0.0.1:{port}/vi/bulletins/{ident}/"
    original = target.read_bytes()
    marker = f"BENCHEDIT{int(time.time())}"
    log_file = open(out / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "bulletins.cli", "--root", str(corpus), "serve",
                             "--address", f"127.0.0.1:{port}"], stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)

    def fetch() -> str | None:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read().decode("utf-8", "replace")
        except OSError:
            return None

    result = {"first": None, "edit": None, "error": None}
    try:
        t0 = time.perf_counter()
        while fetch() is None:
            if proc.poll() is not None:
                errors = [line for line in (out / "serve.log").read_text(errors="replace").splitlines()
                          if "ERROR" in line or "Error" in line]
                result["error"] = f"serve exited ({proc.returncode}): " + " / ".join(errors[-2:])
                return result
            if time.perf_counter() - t0 > timeout:
                result["error"] = f"no page after {timeout:.0f} s"
                return result
            time.sleep(0.2)
        result["first"] = time.perf_counter() - t0
        time.sleep(1.0)  # let the watcher settle
        edited = re.sub(rb'^title: "', f'title: "{marker} '.encode(), original, count=1, flags=re.M)
        t1 = time.perf_counter()
        target.write_bytes(edited)
        while True:
            page = fetch()
            if page and marker in page:
                result["edit"] = time.perf_counter() - t1
                break
            if time.perf_counter() - t1 > timeout or proc.poll() is not None:
                result["error"] = "edited page never served"
                break
            time.sleep(0.05)
    finally:
        target.write_bytes(original)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log_file.close()
    return result


# --------------------------------------------------------------------------- search transfer


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def search_transfer(site: Path, query: str = "dong") -> dict | None:
    """Bytes under /pagefind/ fetched by the search page for one query, in Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()

            def on_response(response):
                if "/pagefind/" in response.url:
                    try:
                        sizes[response.url] = len(response.body())
                    except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                        pass

            page.on("response", on_response)
            page.goto(f"http://127.0.0.1:{server.server_port}/vi/search/?q={query}")
            page.wait_for_selector(".pagefind-ui__result", timeout=30000)
            page.wait_for_load_state("networkidle")
            results = page.locator(".pagefind-ui__result").count()
            browser.close()
    finally:
        server.shutdown()
    ui = sum(v for k, v in sizes.items() if re.search(r"pagefind-ui\.(js|css)$", k))
    return {"total": sum(sizes.values()), "index": sum(sizes.values()) - ui, "ui": ui, "requests": len(sizes),
            "results": results,
            "by_kind": {kind: sum(v for k, v in sizes.items() if kind in k)
                        for kind in ("pagefind-entry", "pf_meta", "wasm", "pf_index", "pf_fragment", "pf_filter",
                                     "pagefind.js")}}


# --------------------------------------------------------------------------- main


def machine() -> str:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({model}), {mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, unit="s", digits=1):
    return "–" if v is None else f"{v:.{digits}f} {unit}".strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], help="numbers of bulletins")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (medians; default 3)")
    parser.add_argument("--seed", type=int, default=1, help="synth seed (default 1)")
    parser.add_argument("--out", default=str(REPO / "bench-out"), help="work folder (default bench-out/)")
    parser.add_argument("--skip", nargs="*", default=[], choices=("hugo", "pelican", "floor", "serve", "search"),
                        help="measurements to leave out")
    parser.add_argument("--serve-timeout", type=float, default=None,
                        help="seconds to wait for the preview (default 60 + 0.3 s per bulletin)")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--table-from", help="only print the table of an earlier --json file")
    args = parser.parse_args(argv)
    if args.table_from:
        raw = json.loads(Path(args.table_from).read_text(encoding="utf-8"))
        raw["sizes"] = {int(k): v for k, v in raw["sizes"].items()}
        print_table(raw, len(next(iter(raw["sizes"].values()))["ours"]))
        return 0
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    hugo = None if "hugo" in args.skip else ensure_hugo()
    pelican = None if "pelican" in args.skip else pelican_venv(out)
    raw = {"machine": machine(), "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
           "argv": sys.argv, "sizes": {}}
    for n in args.sizes:
        log(f"N={n}: synth")
        corpus = out / f"corpus-{n}"
        t = time.perf_counter()
        synthesize(REPO, corpus, n, args.seed)
        synth_s = time.perf_counter() - t
        docs = read_corpus(corpus)
        hugo_src = make_hugo(docs, out / f"hugo-{n}") if hugo else None
        pelican_src = make_pelican(docs, out / f"pelican-{n}") if pelican else None
        del docs
        r = {"synth": synth_s, "ours": [], "hugo": [], "pelican": [], "floor": []}
        ours_site = out / f"site-{n}"
        for run in range(args.runs):
            log(f"N={n} run {run + 1}/{args.runs}: ours")
            r["ours"].append(run_measured([sys.executable, "-m", "bulletins.cli", "--root", str(corpus), "build",
                                           "--site-dir", str(ours_site)], cwd=corpus, env=env,
                                          log_path=out / f"ours-{n}.log"))
            if hugo:
                log(f"N={n} run {run + 1}: hugo")
                shutil.rmtree(hugo_src / "public", ignore_errors=True)
                r["hugo"].append(run_measured([hugo, "--quiet", "--source", str(hugo_src)], log_path=out / f"hugo-{n}.log"))
            if pelican:
                log(f"N={n} run {run + 1}: pelican")
                shutil.rmtree(pelican_src / "output", ignore_errors=True)
                r["pelican"].append(run_measured([str(pelican), "-q", "-s", "pelicanconf.py", "content", "-o", "output"],
                                                 cwd=pelican_src, log_path=out / f"pelican-{n}.log"))
            if "floor" not in args.skip:
                r["floor"].append(floor(corpus, out / f"floor-{n}"))
        if not ours_site.exists():  # --runs 0: preview only
            r["serve"] = preview_latency(corpus, out, args.serve_timeout or 60 + 0.3 * n)
            print(json.dumps({n: r["serve"]}))
            continue
        size, count = folder_size(ours_site)
        r["output_bytes"], r["output_files"] = size, count
        pages = [p.stat().st_size for p in (ours_site / "vi" / "bulletins").glob("*/index.html")
                 if p.parent.name != "page"]
        r["bulletin_page_max"] = max(pages)
        r["bulletin_page_median"] = statistics.median(pages)
        if hugo:
            r["hugo_output_bytes"] = folder_size(hugo_src / "public")[0]
        if pelican:
            r["pelican_output_bytes"] = folder_size(pelican_src / "output")[0]
        if "search" not in args.skip:
            log(f"N={n}: search transfer")
            r["search"] = search_transfer(ours_site)
        if "serve" not in args.skip:
            log(f"N={n}: preview")
            r["serve"] = preview_latency(corpus, out, args.serve_timeout or 60 + 0.3 * n)
            if r["serve"]["edit"] is None:
                log(f"N={n}: preview failed ({r['serve']['error']}); measuring one `mkdocs build` of vi instead")
                r["serve"]["one_language_build"] = run_measured(
                    [sys.executable, "-m", "mkdocs", "build", "-f", str(corpus / "mkdocs.yml"),
                     "-d", str(out / f"one-language-{n}" / "vi")], cwd=corpus, env=env,
                    log_path=out / f"one-language-{n}.log")["wall"]
        raw["sizes"][n] = r
        print_table(raw, args.runs)
        if args.json:
            Path(args.json).write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    return 0


def print_table(raw: dict, runs: int) -> None:
    lines = [f"Machine: {raw['machine']}  ", f"Date: {raw['date']}; medians of {runs} run(s)", "",
             "| N bulletins (×2 languages) | " + " | ".join(f"{n:,}" for n in raw["sizes"]) + " |",
             "|---|" + "---|" * len(raw["sizes"])]

    def row(label, f):
        lines.append(f"| {label} | " + " | ".join(f(r, n) for n, r in raw["sizes"].items()) + " |")

    ours = lambda r: med([x["wall"] for x in r["ours"]])  # noqa: E731
    hugo = lambda r: med([x["wall"] for x in r["hugo"]])  # noqa: E731
    pel = lambda r: med([x["wall"] for x in r["pelican"]])  # noqa: E731
    row("ours: wall time (`bulletins build`)", lambda r, n: fmt(ours(r)))
    row("ours: CPU time (user+sys, all processes)", lambda r, n: fmt(med([x["cpu"] for x in r["ours"]])))
    row("ours: ms per bulletin (wall)", lambda r, n: fmt(ours(r) * 1000 / n, "ms", 0))
    row("ours: ms per bulletin (CPU)", lambda r, n: fmt(med([x["cpu"] for x in r["ours"]]) * 1000 / n, "ms", 0))
    row("ours: peak RSS, largest process", lambda r, n: fmt(med([x["maxrss"] for x in r["ours"]]) / 2**20, "MiB", 0))
    row("ours: peak RSS, whole process tree (sampled)",
        lambda r, n: fmt(med([x["peak_tree"] for x in r["ours"]]) / 2**20, "MiB", 0))
    row("ours: output size (files)", lambda r, n: f"{r['output_bytes'] / 2**20:.1f} MiB ({r['output_files']:,})")
    row("ours: bulletin page HTML, median / max",
        lambda r, n: f"{r['bulletin_page_median'] / 1024:.1f} / {r['bulletin_page_max'] / 1024:.1f} KiB")
    row("floor: Python-Markdown + write, 1 process", lambda r, n: fmt(med([x["wall"] for x in r["floor"]])))
    row("ours / floor", lambda r, n: "–" if not r["floor"] else f"{ours(r) / med([x['wall'] for x in r['floor']]):.1f}×")
    row("Hugo: wall time", lambda r, n: fmt(hugo(r)))
    row("Hugo: CPU time", lambda r, n: fmt(med([x["cpu"] for x in r["hugo"]])))
    row("**ours / Hugo** (goal ≤ 2×)", lambda r, n: "–" if not r["hugo"] else f"**{ours(r) / hugo(r):.1f}×**")
    cpu = lambda r, k: med([x["cpu"] for x in r[k]])  # noqa: E731
    row("ours / Hugo, CPU time", lambda r, n: "–" if not r["hugo"] else f"{cpu(r, 'ours') / cpu(r, 'hugo'):.1f}×")
    row("Pelican: wall time", lambda r, n: fmt(pel(r)))
    row("Pelican: CPU time", lambda r, n: fmt(cpu(r, "pelican") if r["pelican"] else None))
    row("ours / Pelican, CPU time",
        lambda r, n: "–" if not r["pelican"] else f"{cpu(r, 'ours') / cpu(r, 'pelican'):.2f}×")
    row("**ours / Pelican** (goal < 1×)", lambda r, n: "–" if not r["pelican"] else f"**{ours(r) / pel(r):.2f}×**")
    row("preview: first page served after start", lambda r, n: fmt((r.get("serve") or {}).get("first")))
    row("preview: edit → updated page served (goal < 1 s)", lambda r, n: fmt((r.get("serve") or {}).get("edit"), "s", 2))
    row("preview failed? lower bound: one `mkdocs build` of vi",
        lambda r, n: fmt((r.get("serve") or {}).get("one_language_build")))
    row("first search 'dong': index bytes (entry+meta+wasm+chunks+fragments)",
        lambda r, n: "–" if not r.get("search") else f"{r['search']['index'] / 1024:.0f} KiB")
    row("first search 'dong': incl. Pagefind UI js/css (requests)",
        lambda r, n: "–" if not r.get("search") else f"{r['search']['total'] / 1024:.0f} KiB ({r['search']['requests']})")
    row("synth time", lambda r, n: fmt(r["synth"]))
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
