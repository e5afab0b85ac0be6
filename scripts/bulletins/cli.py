"""The ``bulletins`` command: check, new, schema, build, serve, cache, synth."""


from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import sys
from pathlib import Path

from . import cache, preview, processes
from .build import BuildError, build_site
from .diagnostics import FORMATS, Report
from .project import BULLETINS_DIR, PAGES_DIR, load_site
from .registry import REGISTRY_FILES
from .scaffold import ScaffoldError, new_bulletin
from .schema import bulletin_schema
from .synth import SynthError, synthesize

SCHEMA_PATH = Path("schema/bulletin.schema.json")
REGISTRY_DIR = Path("site_config")


def find_root(start: Path) -> Path:
    """The project folder: the nearest parent of ``start`` holding ``site_config/``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "site_config").is_dir():
            return folder
    return start


def repository_root(root: Path) -> Path:
    """The git work tree holding the project (GitHub names a finding's file from there), or the
    project itself outside git."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def _unchecked(path: str, root: Path) -> tuple[str, str] | None:
    """Why ``path`` (which exists) is not among what the checker reads, with a hint; None if it is."""
    resolved = Path(path).resolve()
    try:
        rel = resolved.relative_to(root)
    except ValueError:
        home = find_root(resolved if resolved.is_dir() else resolved.parent)
        if (home / "site_config").is_dir():
            return f"is outside the project {root}", f"run 'bulletins --root {home} check {path}'"
        return (f"is outside the project {root}",
                "run 'bulletins --root PROJECT check' with the folder that holds its site_config/")
    if rel == Path(".") or any(folder == rel or rel in folder.parents for folder in (BULLETINS_DIR, PAGES_DIR)):
        return None  # the project, content/, or the bulletins or pages folder
    for folder in (BULLETINS_DIR, PAGES_DIR):
        if folder in rel.parents:
            if any(part.startswith(".") for part in rel.relative_to(folder).parts):
                return "is not checked: hidden files and folders are skipped", "rename it without the leading '.'"
            return None
    if rel in (REGISTRY_DIR, SCHEMA_PATH.parent, SCHEMA_PATH) or (rel.parent == REGISTRY_DIR
                                                                   and rel.name in REGISTRY_FILES):
        return None
    return ("is not checked: 'bulletins check' reads content/bulletins/, content/pages/ and site_config/",
            "give a file or folder below those, or no path to check everything")


def _selected(report: Report, root: Path, paths: list[str] | None) -> Report:
    """Keep the diagnostics about ``paths`` (files or folders) and every registry problem;
    ``None`` keeps everything."""
    if paths is None:
        return report
    wanted = [str(Path(p).resolve().relative_to(root)) for p in paths]
    keep = Report()
    keep.items = [d for d in report.items
                  if d.path.startswith("site_config/")
                  or any(d.path == w or d.path.startswith(w.rstrip("/") + "/") or w in (".", "") for w in wanted)]
    return keep


def cmd_check(args) -> int:
    root = find_root(Path(args.root))
    report = Report()
    chosen = []
    for p in args.paths:
        problem = ("no such file or folder", "check the path") if not Path(p).exists() else _unchecked(p, root)
        if problem:
            report.error(p, 1, 1, *problem)  # and not "0 error(s)" about a file that was never read
        else:
            chosen.append(p)
    full = Report()
    site = load_site(root, full)
    schema_file = root / SCHEMA_PATH
    if schema_file.exists() and not full.has_errors():
        try:
            published = json.loads(schema_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # a hand-edited or conflicted file must not crash the check
            published = None
        if published != bulletin_schema(site.registry):
            full.error(str(SCHEMA_PATH), 1, 1, "the published JSON Schema is out of date with site_config/",
                       "run 'bulletins schema' and commit the result")
    report.items += _selected(full, root, chosen if args.paths else None).items
    base = root.relative_to(repository_root(root)).as_posix()
    _print(report.render(args.format, args.strict, base="" if base == "." else base))
    return 1 if report.has_errors(args.strict) else 0


def _print(text: str) -> None:
    """Print what stdout cannot encode (Vietnamese on a legacy console, a stray surrogate) as
    escapes rather than dying with a UnicodeEncodeError after the whole check has run."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def cmd_schema(args) -> int:
    root = find_root(Path(args.root))
    report = Report()
    site = load_site(root, report)
    if any(d.path.startswith("site_config/") and d.severity == "error" for d in report.items):
        print(report.render())
        return 1
    target = root / SCHEMA_PATH
    text = json.dumps(bulletin_schema(site.registry), ensure_ascii=False, indent=2) + "\n"
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{SCHEMA_PATH} is out of date; run 'bulletins schema'", file=sys.stderr)
            return 1
        print(f"{SCHEMA_PATH} is up to date")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


def cmd_new(args) -> int:
    root = find_root(Path(args.root))
    report = Report()
    site = load_site(root, report)
    try:
        date = dt.date.fromisoformat(args.date)
    except ValueError:
        print(f"bulletins new: invalid --date '{args.date}'; write YYYY-MM-DD, e.g. 2025-08-05", file=sys.stderr)
        return 2
    communes = [c.strip() for c in args.communes.split(",") if c.strip()]
    try:
        paths = new_bulletin(root, site, group=args.group, date=date, communes=communes,
                             leader=args.leader, slug=args.slug)
    except ScaffoldError as exc:
        print(f"bulletins new: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path.relative_to(root)}")
    print("next: write title, summary, the structured lists and the text in both files, then run 'bulletins check'")
    return 0


def cmd_build(args) -> int:
    root = find_root(Path(args.root))
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    try:
        with processes.stop_on_signals() as stop:
            try:
                report = build_site(root, site_dir, site_url=args.site_url, store=_store(root, args),
                                    precompress=args.precompress)
            except BuildError as exc:
                print(f"bulletins build: {exc}", file=sys.stderr)
                return 1
            if report.has_errors():
                print(report.render(), file=sys.stderr)
                print("bulletins build: content has errors; nothing was built and the previous site is untouched",
                      file=sys.stderr)
                return 1
            print(f"built {site_dir} (open {site_dir / 'index.html'}, or run 'bulletins serve')")
            if stop.signum:  # it came during the swap, which a stop signal never cuts short
                print(f"bulletins build: stopped by {signal.Signals(stop.signum).name} after the new site was "
                      "in place", file=sys.stderr)
                return 128 + stop.signum
            return 0
    except processes.Stopped as stop:
        print(f"bulletins build: stopped by {stop}; the previous site is untouched", file=sys.stderr)
        return stop.exit_status


def cmd_serve(args) -> int:
    root = find_root(Path(args.root))
    try:
        preview.serve(root, args.address, _store(root, args))
    except processes.Stopped:  # Ctrl+C, SIGTERM or SIGHUP: the preview has cancelled its build and removed its folder
        pass
    return 0


def _store(root: Path, args) -> cache.Store | None:
    """The build cache of the project, unless --no-cache."""
    return None if args.no_cache else cache.Store(root / cache.DIR)


def cmd_cache(args) -> int:
    root = find_root(Path(args.root))
    store = cache.Store(root / cache.DIR, code="")
    if args.action == "clear":
        store.clear()
        print(f"emptied the build cache {cache.DIR}/")
    return 0


def cmd_synth(args) -> int:
    root = find_root(Path(args.root))
    try:
        count = synthesize(root, Path(args.out), args.bulletins, args.seed)
    except SynthError as exc:
        print(f"bulletins synth: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {count} bulletins (vi + fr) into {args.out}; check with 'bulletins --root {args.out} check'")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bulletins", description="Check, scaffold, build and preview the "
                                     "bilingual bulletins of Lạng Sơn's working groups (see docs/format.md).")
    parser.add_argument("--root", default=".", help="project folder (default: the nearest folder with site_config/)")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate content and registries; report every problem in one pass",
                           description="Validate content/ and site_config/. Each problem is printed as "
                                       "'path:line:col: error|warning: message; hint' (--format json: a list of "
                                       "objects; --format github: one GitHub Actions '::error' or '::warning' "
                                       "workflow command per problem, with its file relative to the repository "
                                       "root, its line and column, so that a pull request shows it on its line). "
                                       "Exit 1 on errors.")
    check.add_argument("paths", nargs="*", help="files or folders to report on (default: everything)")
    check.add_argument("--strict", action="store_true", help="treat warnings (e.g. a missing translation) as errors")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="output format: text, json or github (default: text)")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser("new", help="scaffold both language files of a new bulletin",
                         description="Write content/bulletins/<date>-group-<n>.vi.md and .fr.md with the "
                                     "front matter filled in; never overwrites.")
    new.add_argument("--group", type=int, required=True, help="working group number")
    new.add_argument("--date", required=True, help="day of the visit, YYYY-MM-DD")
    new.add_argument("--communes", required=True, help="comma-separated commune ids, e.g. huu-lung,tuan-son")
    new.add_argument("--leader", help="person id of the leader (default: the group's latest leader)")
    new.add_argument("--slug", help="id after the date (default: group-<n>); for a second visit the same day")
    new.set_defaults(func=cmd_new)

    schema = sub.add_parser("schema", help="write schema/bulletin.schema.json from the registries",
                            description="Regenerate the front matter's JSON Schema (commune, person and tag "
                                        "ids as enums) for editors' YAML language servers.")
    schema.add_argument("--check", action="store_true", help="only verify that the committed schema is current")
    schema.set_defaults(func=cmd_schema)
    build = sub.add_parser("build", help="check, then build the bilingual site atomically into site/",
                           description="Check content, render /vi/ and /fr/ (pages, feeds, search index) in "
                                       "parallel, and replace the output folder only if everything succeeded. "
                                       "Never destroys anything: an output folder that is or holds the project, "
                                       "that is or is inside content/, site_config/ or another source folder, or "
                                       "that is not empty and was not made by a build (no .bulletins-site file) "
                                       "is refused. Folders left by a killed build are removed. Ctrl+C or SIGTERM "
                                       "stops it and leaves the previous site untouched (exit 130 or 143). "
                                       f"Reuses what earlier builds computed ({cache.DIR}/; the site is byte-"
                                       "identical to a build without it): --no-cache, or 'bulletins cache clear'.")
    build.add_argument("--site-dir", help="output folder, replaced whole (default: site/ in the project); "
                                          "new, empty, or made by an earlier build")
    build.add_argument("--site-url", help="published address, overriding site_url of mkdocs.yml")
    build.add_argument("--no-cache", action="store_true", help=f"neither read nor write the build cache ({cache.DIR}/)")
    build.add_argument("--precompress", action="store_true",
                       help="also write <file>.gz and <file>.br beside every HTML, CSS, JS, XML and JSON file, for a "
                            "web server that sends them as they are (nginx: gzip_static, brotli_static; see "
                            "docs/deploy/nginx.conf); not needed on GitHub Pages, which compresses by itself")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="preview the bilingual site with live reload",
                           description="Build the whole site (vi + fr) into a temporary folder and serve it; an "
                                       "edited bulletin is shown at once, and the site is rebuilt when content, a "
                                       "registry, a template or the configuration changes. Mistakes are shown on "
                                       "every page until they are fixed.")
    serve.add_argument("--address", default="127.0.0.1:8000", help="host:port (default: 127.0.0.1:8000)")
    serve.add_argument("--no-cache", action="store_true", help=f"neither read nor write the build cache ({cache.DIR}/)")
    serve.set_defaults(func=cmd_serve)

    cache_cmd = sub.add_parser("cache", help=f"manage the build cache ({cache.DIR}/)",
                               description=f"Builds keep what they computed (each bulletin file's checks, each "
                                           f"narrative's HTML) in {cache.DIR}/ of the project, keyed by the "
                                           "sha256 of everything it was computed from, and reuse it: a build "
                                           "with the cache is byte-identical to one without. Bounded: after "
                                           "each build, the least recently used entries go once the cache "
                                           "holds more than twice what that build used.")
    cache_cmd.add_argument("action", choices=("clear",), help="clear: remove every entry")
    cache_cmd.set_defaults(func=cmd_cache)

    synth = sub.add_parser("synth", help="write a synthetic project of N bulletins drawn from the seed",
                           description="Write a complete project folder (registries, configs, templates and "
                                       "N bilingual bulletins whose sizes and sentences are drawn from the "
                                       "seed's own bulletins) for benchmarks and scale tests. Deterministic: "
                                       "the same arguments give byte-identical files.")
    synth.add_argument("--bulletins", type=int, required=True, help="number of bulletins (each in vi and fr)")
    synth.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    synth.add_argument("--out", required=True, help="output folder (created; replaced if an earlier synth wrote it)")
    synth.set_defaults(func=cmd_synth)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:  # check, new, schema, synth: nothing half-done to clean up
        print(f"bulletins {args.command}: stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
