#!/usr/bin/env python3
"""Benchmark the bilingual build against Hugo + Pagefind and Pelican + Pagefind (the same
work: a bilingual site and its search index), with Hugo and Pelican alone as secondary
rows, on one synthetic corpus.

    .venv/bin/python bench/benchmark.py --sizes 1000 --runs 3
    .venv/bin/python bench/benchmark.py --sizes 10000 --runs 1 --skip pelican hugo --cold-only pelican+pagefind hugo+pagefind

For each N, ``bulletins synth`` writes the corpus (bench-out/corpus-N) and each other tool
gets its own conversion of it. Each run holds out the newest bulletin (both languages) and
measures, tool after tool in an order that rotates between runs: a cold build (our cache
cleared, every tool's output and cache removed), a warm build after putting the bulletin
back, and a warm build after adding a paragraph to another bulletin's body. Each build
records wall and CPU time, the largest process's and the whole process tree's peak memory,
and the load average before and after. After the warm add of the first run, our site is
compared with a ``--no-cache`` build of the same input. Once per N: the preview (``bulletins
serve`` and ``hugo server``: edit a title, poll until it is served) and the bytes a first
search transfers (ours and Hugo + Pagefind, headless Chromium). Raw results as JSON and
tables as Markdown, under bench-out/ (git-ignored)."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
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
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import markdown
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from bulletins.synth import synthesize  # noqa: E402

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PELICAN_REQ = "pelican==4.12.0"
LANGS = ("vi", "fr")
STEPS = {"cold": "cold", "add": "warm, one bulletin added", "edit": "warm, one bulletin edited"}
TOOLS = {"ours": "ours (`bulletins build`)", "hugo+pagefind": "Hugo + Pagefind",
         "pelican+pagefind": "Pelican + Pagefind", "hugo": "Hugo alone", "pelican": "Pelican alone"}
# The paragraph the "edit" step adds to the middle bulletin's Vietnamese body.
ADDED_PARAGRAPH = ("\n\nTổ công tác ghi nhận thêm ý kiến của cán bộ, công chức xã về việc bố trí phòng làm việc "
                   "và trang thiết bị cho Trung tâm Phục vụ hành chính công.\n")


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


def mem_available() -> int:
    """Bytes the kernel says are available (MemAvailable), to note beside each build."""
    with open("/proc/meminfo") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("MemAvailable"))


def run_measured(cmd, cwd=None, env=None, log_path: Path | None = None) -> dict:
    """Run ``cmd``; wall time, CPU of the whole process tree (wait4 rusage), largest
    single-process RSS (wait4: the largest of the process and its waited-for descendants),
    peak RSS of the tree (sampled every 200 ms), and the machine's load around it."""
    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    load_before, available = os.getloadavg(), mem_available()
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
            "peak_tree": peak, "load_before": load_before[0], "load_after": os.getloadavg()[0],
            "mem_available_before": available}


# Runs each (command, cwd) of argv[1] in turn and writes each one's wall time to argv[2]: the
# "X + Pagefind" rows are one measured command (memory over the pair), split afterwards.
SEQUENCE = """\
import json, subprocess, sys, time
phases = []
for cmd, cwd in json.loads(sys.argv[1]):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True)
    phases.append(time.perf_counter() - start)
with open(sys.argv[2], "w") as f:
    json.dump(phases, f)
"""


def site_work(site: Path) -> dict:
    """What a site holds, to compare the tools' work: HTML pages, feeds (RSS/Atom files,
    sitemaps left out), pages in the search index (Pagefind's entry files, per language)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    indexed: dict[str, int] = {}
    for entry in site.rglob("pagefind-entry.json"):
        for lang, info in json.loads(entry.read_text(encoding="utf-8"))["languages"].items():
            indexed[lang] = indexed.get(lang, 0) + info["page_count"]
    return {"bytes": sum(p.stat().st_size for p in files), "files": len(files),
            "html": sum(p.suffix == ".html" for p in files),
            "feeds": sum(p.suffix == ".xml" and not p.name.startswith("sitemap") for p in files),
            "indexed": indexed}


def tree_digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def compare_sites(warm: Path, cold: Path) -> dict:
    """Whether two builds wrote the same files with the same bytes (and which did not)."""
    a, b = tree_digests(warm), tree_digests(cold)
    differing = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    return {"identical": a == b, "files": len(a), "differing": differing[:20], "differing_count": len(differing),
            "only_warm": sorted(a.keys() - b.keys())[:20], "only_cold": sorted(b.keys() - a.keys())[:20]}


def code_digest() -> str:
    """A digest of our package's source: the build cache's keys contain it, so a change
    to it between a cold and a warm build (someone editing scripts/ during a run) makes
    the warm build recompute; the tables flag such runs."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "scripts" / "bulletins").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def with_code(measure) -> dict:
    """``measure()``'s result with the :func:`code_digest` it ran under (``a→b`` if it changed)."""
    code = code_digest()
    result = measure()
    after = code_digest()
    result["code"] = code if code == after else f"{code}→{after}"
    return result


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


def read_registries(corpus: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Display names by language of the communes, difficulties and groups (the terms)."""
    def load(name):
        return yaml.load((corpus / "site_config" / name).read_text(encoding="utf-8"), Loader=LOADER)

    return {"communes": {c["id"]: dict.fromkeys(LANGS, c["name_vi"]) for c in load("communes.yml")},
            "difficulties": {d["id"]: d["label"] for d in load("difficulties.yml")},
            "groups": {str(g["number"]): g["name"] for g in load("groups.yml")}}


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


@dataclass
class Source:
    """One tool's copy of the corpus: where a bulletin's two files are, so that a run can
    hold one out, put it back, and add a paragraph to one."""

    root: Path
    pattern: str  # a bulletin file's path in root, from {id} and {lang}

    def files(self, ident: str) -> list[Path]:
        return [self.root / self.pattern.format(id=ident, lang=lang) for lang in LANGS]

    def held(self, path: Path) -> Path:
        """Where a held-out file waits: named by its whole path (Hugo's two files share a name)."""
        return self.root.parent / f"{self.root.name}.held-out" / path.relative_to(self.root).as_posix().replace("/", "__")

    def hold_out(self, ident: str) -> None:
        for path in self.files(ident):
            self.held(path).parent.mkdir(exist_ok=True)
            path.rename(self.held(path))

    def put_back(self, ident: str) -> None:
        for path in self.files(ident):
            if self.held(path).exists():
                self.held(path).rename(path)

    def add_paragraph(self, ident: str) -> bytes:
        """Append a paragraph to the bulletin's Vietnamese body (the end of each format's
        file); returns the original bytes for :meth:`restore`."""
        path = self.files(ident)[0]
        original = path.read_bytes()
        path.write_bytes(original.rstrip(b"\n") + ADDED_PARAGRAPH.encode("utf-8"))
        return original

    def restore(self, ident: str, original: bytes) -> None:
        self.files(ident)[0].write_bytes(original)


@dataclass
class Tool:
    """A row of the benchmark: its source, the command of a build, what a cold build
    starts without, the output, and (for "X + Pagefind") the indexing that follows."""

    name: str
    source: Source
    build: list[str]
    cwd: Path
    output: Path
    cold_removes: tuple[Path, ...]
    pagefind: list[str] | None = None
    env: dict | None = None
    before_cold: list[str] | None = None  # a command run (not timed) before a cold build

    def clear(self) -> None:
        if self.before_cold:
            subprocess.run(self.before_cold, cwd=self.cwd, env=self.env, check=True, stdout=subprocess.DEVNULL)
        for path in self.cold_removes:
            shutil.rmtree(path, ignore_errors=True)

    def measure(self, logs: Path) -> dict:
        slug = self.name.replace("+", "-")
        if not self.pagefind:
            return run_measured(self.build, cwd=self.cwd, env=self.env, log_path=logs / f"{slug}.log")
        phases = logs / f"{slug}.phases.json"
        sequence = [[self.build, str(self.cwd)], [self.pagefind, str(self.cwd)]]
        result = run_measured([sys.executable, "-c", SEQUENCE, json.dumps(sequence), str(phases)],
                              env=self.env, log_path=logs / f"{slug}.log")
        result["build"], result["index"] = json.loads(phases.read_text(encoding="utf-8"))
        return result


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
[mediaTypes."application/atom+xml"]
  suffixes = ["xml"]
[outputFormats.RSS]
  baseName = "feed"
[outputFormats.Atom]
  mediaType = "application/atom+xml"
  baseName = "atom"
  rel = "alternate"
[outputs]
  home = ["HTML", "RSS", "Atom"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS", "Atom"]
"""

# Feeds as ours: the 50 newest bulletins with their full HTML, RSS and Atom, for the
# language and for each commune, difficulty and group.
HUGO_FEED_PAGES = ('{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = where .Site.RegularPages "Section" "bulletins" }}'
                   "{{ end }}")

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body><nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Lang }}">{{ .Lang }}</a>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    # A bulletin: its text for the search index, and the filters ours gives it.
    "_default/single.html": """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} — {{ .Params.summary }}</p>
<ul>{{ range .GetTerms "communes" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "difficulties" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
<div hidden>{{ range .GetTerms "communes" }}<span data-pagefind-filter="commune:{{ .LinkTitle }}"></span>{{ end }}
{{ range .GetTerms "groups" }}<span data-pagefind-filter="group:{{ .LinkTitle }}"></span>{{ end }}
{{ range .GetTerms "difficulties" }}<span data-pagefind-filter="difficulty:{{ .LinkTitle }}"></span>{{ end }}
<span data-pagefind-filter="year:{{ .Date.Year }}"></span></div></article>{{ end }}
""",
    # Archive and term pages, 20 a page; the first page of a commune, difficulty or group is
    # searchable, as ours.
    "_default/list.html": """{{ define "main" }}{{ $p := .Paginate .Pages }}
{{ if and (eq .Kind "term") (eq $p.PageNumber 1) }}<section data-pagefind-body>{{ else }}<section>{{ end }}
<h1>{{ .Title }}</h1><ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ .Date.Format "2006-01-02" }} {{ .Params.summary }}</li>{{ end }}</ul></section>
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">prev</a>{{ end }} {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">next</a>{{ end }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>
{{ range first 20 (where .Site.RegularPages "Section" "bulletins") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>404</h1>{{ end }}
""",
    # The search page: Pagefind's default UI as on ours, ?q= runs a search once the filters are in.
    "_default/search.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<link rel="stylesheet" href="/pagefind/pagefind-ui.css"><div id="search"></div>
<script src="/pagefind/pagefind-ui.js"></script>
<script>
const ui = new PagefindUI({element: "#search", showSubResults: true, showImages: false});
const q = new URLSearchParams(location.search).get("q");
if (q) {
  import("/pagefind/pagefind.js").then(async (pagefind) => { await pagefind.filters(); ui.triggerSearch(q); });
}
</script>{{ end }}
""",
    "_default/rss.xml": HUGO_FEED_PAGES + """{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>{{ .Title }}</title>
<link>{{ .Permalink }}</link><description>{{ .Title }}</description><language>{{ .Site.Language.Lang }}</language>
{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ range first 50 $pages.ByDate.Reverse }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<guid>{{ .Permalink }}</guid><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Content | htmlEscape | safeHTML }}</description></item>
{{ end }}</channel></rss>
""",
    "_default/list.atom.xml": HUGO_FEED_PAGES + """{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom"><title>{{ .Title }}</title><id>{{ .Permalink }}</id>
<link href="{{ .Permalink }}"/><updated>{{ .Date.Format "2006-01-02T15:04:05-07:00" | safeHTML }}</updated>
{{ range first 50 $pages.ByDate.Reverse }}<entry><title>{{ .Title }}</title><id>{{ .Permalink }}</id>
<link href="{{ .Permalink }}"/><updated>{{ .Date.Format "2006-01-02T15:04:05-07:00" | safeHTML }}</updated>
<summary>{{ .Params.summary }}</summary><content type="html">{{ .Content | htmlEscape | safeHTML }}</content></entry>
{{ end }}</feed>
""",
}
SEARCH_TITLES = {"vi": "Tìm kiếm", "fr": "Recherche"}


def make_hugo(docs: list[dict], registries: dict, out: Path) -> Source:
    """A Hugo site of the corpus: a page per bulletin in both languages, the communes,
    difficulties and groups as taxonomies whose terms carry ours' names, feeds and the
    search page as ours (see HUGO_LAYOUTS)."""
    site = out
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    for lang in LANGS:
        (site / "content" / lang / "bulletins").mkdir(parents=True)
        search = {"title": SEARCH_TITLES[lang], "layout": "search", "_build": {"list": "never"}}
        (site / "content" / lang / "search.md").write_text(json.dumps(search, ensure_ascii=False) + "\n",
                                                           encoding="utf-8")
        for taxonomy, names in registries.items():
            for term, name in names.items():
                folder = site / "content" / lang / taxonomy / term
                folder.mkdir(parents=True)
                (folder / "_index.md").write_text(json.dumps({"title": name[lang]}, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
    for d in docs:
        m = d["meta"]
        front = {"title": m["title"], "date": str(m["date"]), "summary": m["summary"],
                 "translationKey": d["id"], "slug": d["id"], "communes": m["communes"],
                 "difficulties": sorted({x["tag"] for x in m.get("difficulties") or []}),
                 "groups": [str(m["group"])]}
        text = json.dumps(front, ensure_ascii=False) + "\n\n" + structured_markdown(m) + "\n" + d["body"]
        (site / "content" / d["lang"] / "bulletins" / f"{d['id']}.md").write_text(text, encoding="utf-8")
    return Source(site, "content/{lang}/bulletins/{id}.md")


def ensure_hugo() -> str:
    hugo = shutil.which("hugo")
    if not hugo:
        log("hugo not found; installing the Debian package")
        subprocess.run(["apt-get", "install", "-y", "hugo"], check=True, stdout=subprocess.DEVNULL)
        hugo = shutil.which("hugo")
    return hugo


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
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"),
                       (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))
FEED_DOMAIN = "https://bulletins.example.org"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"
TRANSLATION_FEED_RSS = "feeds/all-{lang}.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = False  # full text, as ours
RELATIVE_URLS = True
CACHE_CONTENT = True  # what a Pelican user turns on for faster rebuilds
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {},
                                  "markdown.extensions.sane_lists": {}}, "output_format": "html5"}
"""
# Pagefind over what ours indexes: bulletins and the first page of each tag and category
# (Pelican's default theme has no data-pagefind-body).
PELICAN_SEARCHABLE = "{*/bulletins/*/index.html,tag/*/index.html,category/*/index.html}"


def make_pelican(docs: list[dict], out: Path) -> Source:
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
    return Source(site, "content/{id}.{lang}.md")


def pelican_venv(out: Path) -> Path:
    venv = out / "pelican-venv"
    python = venv / "bin" / "python"
    if not (venv / "bin" / "pelican").exists():
        log("creating", venv)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PELICAN_REQ, "markdown"], check=True)
    return venv / "bin" / "pelican"


# --------------------------------------------------------------------------- preview


def served_edit_latency(cmd: list[str], cwd: Path, url: str, target: Path, edit, timeout: float,
                        log_path: Path) -> dict:
    """Start a preview server (``cmd``), wait until ``url`` is served, then save ``target``
    edited by ``edit(bytes, marker) -> bytes`` and poll ``url`` every 50 ms until the marker
    is served: seconds to the first page and from the save to the edited page. The file
    is restored and the server stopped afterwards."""
    original = target.read_bytes()
    marker = f"BENCHEDIT{int(time.time())}"
    log_file = open(log_path, "w")
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)

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
                errors = [line for line in log_path.read_text(errors="replace").splitlines() if "rror" in line]
                result["error"] = f"server exited ({proc.returncode}): " + " / ".join(errors[-2:])
                return result
            if time.perf_counter() - t0 > timeout:
                result["error"] = f"no page after {timeout:.0f} s"
                return result
            time.sleep(0.2)
        result["first"] = time.perf_counter() - t0
        time.sleep(1.0)  # let the watcher settle
        t1 = time.perf_counter()
        target.write_bytes(edit(original, marker))
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


def preview_ours(corpus: Path, logs: Path, ident: str, timeout: float) -> dict:
    """``bulletins serve``: the newest bulletin's Vietnamese title edited in its front matter."""
    port = free_port()
    return served_edit_latency(
        [sys.executable, "-m", "bulletins.cli", "--root", str(corpus), "serve", "--address", f"127.0.0.1:{port}"],
        corpus, f"http://127.0.0.1:{port}/vi/bulletins/{ident}/", corpus / f"content/bulletins/{ident}.vi.md",
        lambda b, marker: re.sub(rb'^title: "', f'title: "{marker} '.encode(), b, count=1, flags=re.M),
        timeout, logs / "serve-ours.log")


def preview_hugo(hugo: str, source: Source, logs: Path, ident: str, timeout: float) -> dict:
    """``hugo server`` (in memory, its default fast render): the same edit in the JSON front matter."""
    port = free_port()
    return served_edit_latency(
        [hugo, "server", "--source", str(source.root), "--bind", "127.0.0.1", "--port", str(port),
         "--disableLiveReload"],
        source.root, f"http://127.0.0.1:{port}/vi/bulletins/{ident}/", source.files(ident)[0],
        lambda b, marker: b.replace(b'{"title": "', f'{{"title": "{marker} '.encode(), 1),
        timeout, logs / "serve-hugo.log")


# --------------------------------------------------------------------------- search transfer


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def search_transfer(site: Path, query: str = "dong") -> dict | None:
    """Bytes under /pagefind/ fetched by the search page for one query, in Chromium, until
    its results show and the network is idle: Pagefind's scripts (the UI's js/css apart),
    its worker and WebAssembly, the entry, metadata, filter files (ours loads them only
    when its Filters are opened), the index chunks of the query's words and the results' fragments."""
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
            result = ".b-search-result, .pagefind-ui__result"  # ours; Pagefind's default UI (Hugo's)
            # Hugo's site has no đ-folding: at 10,000 "dong" finds nothing there, and its UI says so
            page.wait_for_selector(f"{result}, .pagefind-ui__message", timeout=30000)
            page.wait_for_load_state("networkidle")
            results = page.locator(result).count()
            browser.close()
    finally:
        server.shutdown()
    ui = sum(v for k, v in sizes.items() if re.search(r"pagefind-ui\.(js|css)$", k))
    return {"total": sum(sizes.values()), "index": sum(sizes.values()) - ui, "ui": ui, "requests": len(sizes),
            "results": results,
            "by_kind": {kind: sum(v for k, v in sizes.items() if kind in k)
                        for kind in ("pagefind-entry", "pf_meta", "wasm", "pf_index", "pf_fragment", "pf_filter",
                                     "pagefind.js", "pagefind-worker.js")}}


# --------------------------------------------------------------------------- main


def machine() -> dict:
    def first_line(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return None

    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    with open("/proc/meminfo") as f:
        total = next(int(line.split()[1]) * 1024 for line in f if line.startswith("MemTotal"))
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model, "mem_total": total,
            "mem_available": mem_available(), "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "hugo": first_line(["hugo", "version"]),
            "pagefind": first_line([sys.executable, "-m", "pagefind", "--version"])}


def same_as_no_cache(corpus: Path, site: Path, reference: Path, env: dict, logs: Path) -> dict:
    """Build ``corpus`` with ``--no-cache`` into ``reference`` and compare it with ``site``
    (our warm build of the same input). Both are kept for inspection if they differ."""
    shutil.rmtree(reference, ignore_errors=True)
    no_cache = with_code(lambda: run_measured(
        [sys.executable, "-m", "bulletins.cli", "--root", str(corpus), "build", "--site-dir", str(reference),
         "--no-cache"], cwd=corpus, env=env, log_path=logs / "ours-no-cache.log"))
    result = {**compare_sites(site, reference), "no_cache_build": no_cache}
    if result["identical"]:
        shutil.rmtree(reference)
    else:
        shutil.copytree(site, reference.with_name(f"{site.name}-warm-add"), dirs_exist_ok=True)
        log(f"kept {reference} and a copy of the warm build, {reference.with_name(f'{site.name}-warm-add')}")
    return result


def bench_size(n: int, args, out: Path, hugo: str | None, pelican: Path | None, env: dict) -> dict:
    """Every measurement at N bulletins (see the module's docstring)."""
    skip = set(args.skip)
    log(f"N={n}: synth")
    corpus = out / f"corpus-{n}"
    t = time.perf_counter()
    synthesize(REPO, corpus, n, args.seed)
    synth_s = time.perf_counter() - t
    docs = read_corpus(corpus)
    registries = read_registries(corpus)
    ids = sorted({d["id"] for d in docs})
    newest, edited = ids[-1], ids[len(ids) // 2]
    logs = out / f"logs-{n}"
    logs.mkdir(exist_ok=True)
    py = sys.executable
    site = out / f"site-{n}"
    tools: list[Tool] = []
    if "ours" not in skip:
        tools.append(Tool("ours", Source(corpus, "content/bulletins/{id}.{lang}.md"),
                          [py, "-m", "bulletins.cli", "--root", str(corpus), "build", "--site-dir", str(site)],
                          corpus, site, (site,), env=env,
                          before_cold=[py, "-m", "bulletins.cli", "--root", str(corpus), "cache", "clear"]))
    for name in ("hugo+pagefind", "hugo"):
        if hugo and name not in skip:
            source = make_hugo(docs, registries, out / f"{name.replace('+', '-')}-{n}")
            public = source.root / "public"
            tools.append(Tool(name, source, [hugo, "--quiet", "--source", str(source.root)], source.root, public,
                              (public, source.root / "resources"), env=env,
                              pagefind=[py, "-m", "pagefind", "--site", str(public), "--silent"]
                              if name.endswith("pagefind") else None))
    for name in ("pelican+pagefind", "pelican"):
        if pelican and name not in skip:
            source = make_pelican(docs, out / f"{name.replace('+', '-')}-{n}")
            output = source.root / "output"
            tools.append(Tool(name, source, [str(pelican), "-q", "-s", "pelicanconf.py", "content", "-o", "output"],
                              source.root, output, (output, source.root / "cache"), env=env,
                              pagefind=[py, "-m", "pagefind", "--site", str(output), "--silent",
                                        "--glob", PELICAN_SEARCHABLE] if name.endswith("pagefind") else None))
    del docs
    prepare_s = time.perf_counter() - t
    log(f"N={n}: corpus and conversions ready ({prepare_s:.0f} s)")
    r = {"synth": synth_s, "prepare": prepare_s, "newest": newest, "edited": edited, "runs": [], "floor": [],
         "tools": {t.name: {step: [] for step in STEPS} for t in tools}}

    def measure(tool: Tool, step: str, run: int) -> None:
        m = with_code(lambda: tool.measure(logs))
        r["tools"][tool.name][step].append(m)
        log(f"N={n} run {run + 1} {tool.name} {step}: {m['wall']:.1f} s wall, {m['cpu']:.1f} s CPU, "
            f"{m['maxrss'] / 2**20:.0f} / {m['peak_tree'] / 2**20:.0f} MiB, load {m['load_before']:.1f}")

    for run in range(args.runs):
        shift = run % len(tools) if tools else 0
        order = tools[shift:] + tools[:shift]
        warm = [tool for tool in order if tool.name not in args.cold_only]
        info = {"order": [t.name for t in order], "start": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "load_before": os.getloadavg()}
        originals: dict[str, bytes] = {}
        try:
            for tool in tools:
                tool.source.hold_out(newest)
            for tool in order:
                tool.clear()
                measure(tool, "cold", run)
            for tool in tools:
                tool.source.put_back(newest)
            for tool in warm:
                measure(tool, "add", run)
            if run == 0 and "ours" not in skip and "identity" not in skip:
                log(f"N={n}: --no-cache build of the same input, to compare with the warm one")
                r["identity"] = same_as_no_cache(corpus, site, out / f"site-{n}-no-cache", env, logs)
                log(f"N={n}: warm add identical to --no-cache: {r['identity']['identical']}")
            for tool in tools:
                originals[tool.name] = tool.source.add_paragraph(edited)
            for tool in warm:
                measure(tool, "edit", run)
        finally:
            for tool in tools:
                tool.source.put_back(newest)
                if tool.name in originals:
                    tool.source.restore(edited, originals[tool.name])
        if "floor" not in skip:
            r["floor"].append(floor(corpus, out / f"floor-{n}"))
        info.update(end=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), load_after=os.getloadavg())
        r["runs"].append(info)

    r["work"] = {t.name: site_work(t.output) for t in tools}
    by_name = {t.name: t for t in tools}
    hugo_tool = by_name.get("hugo") or by_name.get("hugo+pagefind")
    for name, tool in (("ours", by_name.get("ours")), ("hugo", hugo_tool)):
        pages = [p.stat().st_size for p in (tool.output / "vi" / "bulletins").glob("*/index.html")
                 if p.parent.name != "page"] if tool else []
        if pages:
            r.setdefault("bulletin_page", {})[name] = {"median": statistics.median(pages), "max": max(pages)}
    if "search" not in skip:
        for name in ("ours", "hugo+pagefind"):
            if name in by_name:
                log(f"N={n}: first search, {name}")
                r.setdefault("search", {})[name] = attempt(partial(search_transfer, by_name[name].output))
    timeout = args.serve_timeout or 60 + 0.3 * n
    if "serve" not in skip:
        log(f"N={n}: preview, bulletins serve")
        r["serve"] = attempt(lambda: preview_ours(corpus, logs, newest, timeout))
    if "hugo-serve" not in skip and hugo_tool:
        log(f"N={n}: preview, hugo server")
        r["hugo_serve"] = attempt(lambda: preview_hugo(hugo, hugo_tool.source, logs, newest, timeout))
    return r


def attempt(measurement):
    """A measurement's result, or None when it failed (said in the log): the builds measured
    before it, minutes of them at 10,000, are still written out."""
    try:
        return measurement()
    except Exception as exc:  # noqa: BLE001 - any failure of one measurement
        log(f"measurement failed: {type(exc).__name__}: {exc}")
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="numbers of bulletins (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per size (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="synth seed (default 1)")
    parser.add_argument("--out", default=str(REPO / "bench-out"), help="work folder (default bench-out/)")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=(*TOOLS, "floor", "identity", "serve", "hugo-serve", "search"),
                        help="tools (rows) or measurements to leave out; a tool alone left out is "
                             "shown as its part of 'X + Pagefind' (at 10,000: --skip pelican hugo)")
    parser.add_argument("--cold-only", nargs="*", default=[], choices=tuple(TOOLS),
                        help="tools measured by their cold build only (no warm add, no warm edit)")
    parser.add_argument("--serve-timeout", type=float, default=None,
                        help="seconds to wait for a preview (default 60 + 0.3 s per bulletin)")
    parser.add_argument("--json", help="raw results (default bench-out/results-<UTC time>.json)")
    parser.add_argument("--markdown", help="tables (default: beside the JSON, .md)")
    parser.add_argument("--table-from", help="only print the tables of an earlier --json file")
    args = parser.parse_args(argv)
    if args.table_from:
        print(report(json.loads(Path(args.table_from).read_text(encoding="utf-8"))), flush=True)
        return 0
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    json_path = Path(args.json) if args.json else out / f"results-{started:%Y%m%dT%H%M%SZ}.json"
    md_path = Path(args.markdown) if args.markdown else json_path.with_suffix(".md")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    skip = set(args.skip)
    hugo = None if {"hugo", "hugo+pagefind"} <= skip else ensure_hugo()
    pelican = None if {"pelican", "pelican+pagefind"} <= skip else pelican_venv(out)
    raw = {"machine": machine(), "date": started.isoformat(timespec="seconds"), "argv": sys.argv[1:],
           "pelican": PELICAN_REQ if pelican else None, "sizes": {}}
    for n in args.sizes:
        raw["sizes"][str(n)] = bench_size(n, args, out, hugo, pelican, env)
        raw["end"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        json_path.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
        md_path.write_text(report(raw), encoding="utf-8")
        log(f"wrote {json_path} and {md_path}")
    print(report(raw), flush=True)
    return 0


# --------------------------------------------------------------------------- tables


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, unit="s", digits=1):
    return "–" if v is None else f"{v:,.{digits}f} {unit}".strip()


def mib(v):
    return "–" if v is None else f"{v / 2**20:,.0f} MiB"


def step_median(r: dict, tool: str, step: str, key: str = "wall"):
    return med([m.get(key) for m in r["tools"].get(tool, {}).get(step, [])])


def ratio(a, b, digits=2, suffix="×"):
    return "–" if a is None or not b else f"{a / b:.{digits}f}{suffix}"


def build_cell(r: dict, tool: str, step: str) -> str:
    wall = step_median(r, tool, step)
    if wall is None:
        pair = f"{tool}+pagefind"
        part = step_median(r, pair, step, "build")
        return "–" if part is None else f"≈ {part:.1f} s (its part of {TOOLS[pair]})"
    text = f"{wall:,.1f} s (CPU {step_median(r, tool, step, 'cpu'):,.1f} s"
    index = step_median(r, tool, step, "index")
    return text + (f"; Pagefind {index:.1f} s)" if index is not None else ")")


def report(raw: dict) -> str:
    """The Markdown tables: medians by size, memory, the work each tool did, every run,
    and the goals of issue 12."""
    sizes = raw["sizes"]
    m = raw["machine"]
    lines = [f"Measured {raw['date']} to {raw.get('end', '?')} (UTC), `bench/benchmark.py {' '.join(raw['argv'])}`.  ",
             f"Machine: `nproc` = {m['nproc']} ({m['cpu']}), {m['mem_total'] / 2**30:.1f} GiB RAM "
             f"({m['mem_available'] / 2**30:.1f} GiB available at the start), {m['system']}, Python {m['python']}; "
             f"{m['hugo'] or 'no Hugo'}; {raw.get('pelican') or 'no Pelican'}; Pagefind {m['pagefind']}.", ""]

    def table(header: list[str], rows: list[tuple[str, list[str]]]) -> None:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|---" * len(header) + "|")
        lines.extend(f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows)
        lines.append("")

    cols = list(sizes)
    header = ["N bulletins (× 2 languages)", *(f"{int(n):,}" for n in cols)]

    def row(label, f):
        return label, [f(sizes[n], int(n)) for n in cols]

    runs = {n: len(r["runs"]) for n, r in sizes.items()}
    lines.append("Medians of " + ", ".join(f"{c} run(s) at {int(n):,}" for n, c in runs.items())
                 + "; wall time (CPU time of the whole process tree).")
    lines.append("")
    rows = []
    for tool in TOOLS:
        for step, label in STEPS.items():
            if any(tool in r["tools"] or f"{tool}+pagefind" in r["tools"] for r in sizes.values()):
                rows.append(row(f"{TOOLS[tool]}: {label}", lambda r, n, t=tool, s=step: build_cell(r, t, s)))
    cold = lambda r, t, key="wall": step_median(r, t, "cold", key)  # noqa: E731
    alone = lambda r, t: cold(r, t) or step_median(r, f"{t}+pagefind", "cold", "build")  # noqa: E731
    rows += [
        row("**ours / Hugo + Pagefind, cold** (goal ≤ 1.0×)",
            lambda r, n: f"**{ratio(cold(r, 'ours'), cold(r, 'hugo+pagefind'))}**"),
        row("ours / Hugo + Pagefind, cold, CPU", lambda r, n: ratio(cold(r, "ours", "cpu"), cold(r, "hugo+pagefind", "cpu"))),
        row("**ours / Pelican + Pagefind, cold** (goal < 1×)",
            lambda r, n: f"**{ratio(cold(r, 'ours'), cold(r, 'pelican+pagefind'))}**"),
        row("ours / Hugo alone · ours / Pelican alone, cold",
            lambda r, n: f"{ratio(cold(r, 'ours'), alone(r, 'hugo'))} · {ratio(cold(r, 'ours'), alone(r, 'pelican'))}"),
        row("**ours: warm, one added / cold** (goal ≤ 15 %)",
            lambda r, n: f"**{pct(step_median(r, 'ours', 'add'), cold(r, 'ours'))}**"),
        row("ours: warm, one edited / cold", lambda r, n: pct(step_median(r, "ours", "edit"), cold(r, "ours"))),
        row("ours: warm add byte-identical to a `--no-cache` build", lambda r, n: identity_cell(r)),
        row("ours: ms per bulletin, cold (wall / CPU)",
            lambda r, n: "–" if cold(r, "ours") is None else
            f"{cold(r, 'ours') * 1000 / n:.0f} / {cold(r, 'ours', 'cpu') * 1000 / n:.0f} ms"),
        row("floor: Python-Markdown + write, 1 process", lambda r, n: fmt(med([x["wall"] for x in r["floor"]]))),
        row("bulletin page HTML, median / max: ours · Hugo",
            lambda r, n: " · ".join(f"{p['median'] / 1024:.1f} / {p['max'] / 1024:.1f} KiB"
                                    for p in (r.get("bulletin_page") or {}).values()) or "–"),
        row("preview, `bulletins serve`: first page · edit → served (goal < 1 s)", lambda r, n: serve_cell(r.get("serve"))),
        row("preview, `hugo server`: first page · edit → served", lambda r, n: serve_cell(r.get("hugo_serve"))),
        row("first search 'dong', ours: index · with UI js/css (requests)",
            lambda r, n: search_cell((r.get("search") or {}).get("ours"))),
        row("first search 'dong', Hugo + Pagefind: index · with UI (requests)",
            lambda r, n: search_cell((r.get("search") or {}).get("hugo+pagefind"))),
        row("synth time · with every tool's conversion", lambda r, n: f"{fmt(r['synth'])} · {fmt(r.get('prepare'))}"),
    ]
    table(header, rows)

    lines += ["Peak memory, medians: largest process / whole process tree (sampled every 200 ms).", ""]
    table(header, [row(f"{TOOLS[t]}: {label}", lambda r, n, t=t, s=s: "–" if step_median(r, t, s) is None else
                       f"{mib(step_median(r, t, s, 'maxrss'))} / {mib(step_median(r, t, s, 'peak_tree'))}")
                   for t in TOOLS for s, label in STEPS.items() if any(t in r["tools"] for r in sizes.values())])

    lines += ["What each tool wrote (after the last run): files, HTML pages, feeds (RSS and Atom files), "
              "pages in the search index (vi + fr), size.", ""]
    table(header, [row(TOOLS[t], lambda r, n, t=t: work_cell((r.get("work") or {}).get(t)))
                   for t in TOOLS if any(t in r["tools"] for r in sizes.values())])

    for n, r in sizes.items():
        k = len(r["runs"])
        lines += [f"Every run at {int(n):,}: wall (CPU); order of the tools and load average (1 min) "
                  "before → after each run.", ""]
        rows = [(f"{TOOLS[t]}: {label}", [f"{x['wall']:,.1f} s ({x['cpu']:,.1f} s), load {x['load_before']:.1f}"
                                           for x in r["tools"][t][s]] or ["–"] * k)
                for t in TOOLS if t in r["tools"] for s, label in STEPS.items()]
        rows.append(("our package's source (scripts/bulletins) at each build",
                     [code_cell([x.get("code", "?") for s in STEPS for x in r["tools"]["ours"][s][i:i + 1]])
                      if "ours" in r["tools"] else "–" for i in range(k)]))
        rows.append(("order", [" → ".join(info["order"]) for info in r["runs"]]))
        rows.append(("load before → after", [f"{info['load_before'][0]:.1f} → {info['load_after'][0]:.1f}"
                                             for info in r["runs"]]))
        rows.append(("start (UTC)", [info["start"] for info in r["runs"]]))
        table(["tool: step", *(f"run {i + 1}" for i in range(k))], rows)

    lines += ["Goals of issue 12 (KB, GB: powers of 10).", ""]
    table(["goal", *(f"{int(n):,}" for n in cols)], [(label, [goal(sizes[n], int(n)) for n in cols])
                                                     for label, goal in GOALS.items()])
    return "\n".join(lines)


def code_cell(codes: list[str]) -> str:
    """'unchanged', or the digests in order: a warm build after a change is not warm."""
    distinct = list(dict.fromkeys(codes))
    if "?" in distinct:
        return "not recorded"
    return "unchanged" if len(distinct) == 1 else "**changed during the run**: " + " → ".join(distinct)


def pct(a, b) -> str:
    return "–" if a is None or not b else f"{100 * a / b:.0f} %"


def identity_cell(r: dict) -> str:
    ident = r.get("identity")
    if not ident:
        return "–"
    if ident["identical"]:
        return f"yes ({ident['files']:,} files)"
    codes = {ident["no_cache_build"].get("code"), r["tools"]["ours"]["add"][0].get("code")}
    changed = "; our source changed between the two builds" if len(codes) > 1 else ""
    return (f"**no**: {ident['differing_count']} differ, e.g. "
            f"{', '.join(ident['differing'][:3] + ident['only_warm'][:1] + ident['only_cold'][:1])}{changed}")


def serve_cell(s: dict | None) -> str:
    if not s:
        return "–"
    if s.get("error"):
        return f"failed: {s['error']}"
    return f"{s['first']:.1f} s · {s['edit']:.2f} s"


def search_cell(s: dict | None) -> str:
    if not s:
        return "–"
    return f"{s['index'] / 1024:.0f} KiB · {s['total'] / 1024:.0f} KiB ({s['requests']})"


def work_cell(w: dict | None) -> str:
    if not w:
        return "–"
    indexed = " + ".join(f"{w['indexed'].get(lang, 0):,}" for lang in LANGS) if w["indexed"] else "0"
    return (f"{w['files']:,} files, {w['html']:,} HTML, {w['feeds']:,} feeds, {indexed} indexed, "
            f"{w['bytes'] / 2**20:,.0f} MiB")


def goal_cell(value: str, met: bool | None) -> str:
    return "–" if met is None else f"{value} ({'met' if met else '**missed**'})"


def _ratio_goal(r, other, limit, strict):
    ours, theirs = step_median(r, "ours", "cold"), step_median(r, other, "cold")
    if ours is None or not theirs:
        return "–"
    value = ours / theirs
    return goal_cell(f"{value:.2f}×", value < limit if strict else value <= limit)


def _memory_goal(r):
    if "ours" not in r["tools"]:
        return "–"
    largest = max(x["maxrss"] for s in STEPS for x in r["tools"]["ours"][s])
    tree = max(x["peak_tree"] for s in STEPS for x in r["tools"]["ours"][s])
    return goal_cell(f"{largest / 1e9:.2f} GB / {tree / 1e9:.2f} GB", largest < 1.5e9 and tree < 2e9)


def _add_goal(r):
    add, cold = step_median(r, "ours", "add"), step_median(r, "ours", "cold")
    if add is None or not cold:
        return "–"
    identical = (r.get("identity") or {}).get("identical")
    text = f"{100 * add / cold:.0f} %, " + ("identical" if identical else "not compared" if identical is None
                                             else "**not identical**")
    return goal_cell(text, add <= 0.15 * cold and identical is not False)


def _preview_goal(r):
    s = r.get("serve") or {}
    return goal_cell(f"{s['edit']:.2f} s", s["edit"] < 1) if s.get("edit") is not None else "–"


def _search_goal(r):
    s = (r.get("search") or {}).get("ours")
    return goal_cell(f"{s['index'] / 1000:.0f} KB", s["index"] < 300_000) if s else "–"


def _page_goal(r):
    p = (r.get("bulletin_page") or {}).get("ours")
    return goal_cell(f"{p['max'] / 1000:.1f} KB", p["max"] < 60_000) if p else "–"


def _linear(r, n):
    cold = step_median(r, "ours", "cold")
    return "–" if cold is None else f"{cold * 1000 / n:.0f} ms / bulletin (compare the columns)"


GOALS = {
    "cold build ≤ 1.0× Hugo + Pagefind": lambda r, n: _ratio_goal(r, "hugo+pagefind", 1.0, strict=False),
    "faster than Pelican + Pagefind (cold)": lambda r, n: _ratio_goal(r, "pelican+pagefind", 1.0, strict=True),
    "warm after adding one ≤ 15 % of cold, byte-identical": lambda r, n: _add_goal(r),
    "peak memory (any step): largest process < 1.5 GB / tree < 2 GB (at 10,000)": lambda r, n: _memory_goal(r),
    "preview < 1 s (at 10,000)": lambda r, n: _preview_goal(r),
    "first search 'dong' < 300 KB of index (at 10,000)": lambda r, n: _search_goal(r),
    "bulletin page < 60 KB": lambda r, n: _page_goal(r),
    "linear cost": _linear,
}


if __name__ == "__main__":
    sys.exit(main())
