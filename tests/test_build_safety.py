"""The build can never destroy anything (issue 9, item 5): refused output folders change
nothing on disk, a killed build's leftovers go with the next build, SIGINT/SIGTERM stop a
build cleanly, and no worker process (renderer, Pagefind, checker pool) outlives a build,
even one killed with SIGKILL."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from bulletins import build
from bulletins.build import MARKER, BuildError, UnsafeSiteDir, build_site, check_site_dir

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("content", "site_config", "schema", "overrides", "mkdocs.yml", "mkdocs.fr.yml")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


# --- helpers ----------------------------------------------------------------------------
def tree_checksum(folder: Path) -> str:
    """sha256 of every path below ``folder`` (folders and links too) and of every file's bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"folder")
    return digest.hexdigest()


def copy_project(root: Path, *, scripts: bool = False) -> Path:
    root.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    if scripts:
        shutil.copytree(REPO / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return root


def bulletins(*args: str, cwd: Path, env=None, **kwargs):
    return [sys.executable, "-m", "bulletins.cli", *args], dict(cwd=cwd, env=env or ENV, **kwargs)


def run_bulletins(*args: str, cwd: Path, env=None) -> subprocess.CompletedProcess:
    command, options = bulletins(*args, cwd=cwd, env=env)
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **options)


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, start time) of a process, None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return fields[0].decode(), int(fields[1]), int(fields[19])


def descendants(pid: int) -> dict[int, int]:
    """Every process below ``pid`` now, pid → start time (from /proc, no psutil)."""
    children: dict[int, list[int]] = {}
    starts = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))):
            children.setdefault(stat[1], []).append(int(entry))
            starts[int(entry)] = stat[2]
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = starts[child]
            todo.append(child)
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def renderers_started(pid: int) -> dict[int, int]:
    """The processes below ``pid`` once both renderers are started (empty before)."""
    below = descendants(pid)
    renderers = [p for p in below if b"--multiprocessing-fork" in cmdline(p)]
    return below if len(renderers) >= 2 else {}


def running(processes: dict[int, int]) -> list[int]:
    """The processes of ``processes`` (pid → start time) still running (zombies are not)."""
    alive = []
    for pid, start in processes.items():
        stat = _stat(pid)
        if stat and stat[2] == start and stat[0] not in "ZX":
            alive.append(pid)
    return alive


def mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain ``text``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{entry}: {cmdline}")
    return found


def assert_all_gone(processes: dict[int, int], project: Path, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while (running(processes) or mentioning(str(project))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(processes) == [], [cmdline(p) for p in running(processes)]
    assert mentioning(str(project)) == []


def wait_until(condition, seconds: float, proc: subprocess.Popen, what: str):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert proc.poll() is None, f"the process ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def unfinished(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


class FakePagefind:
    """The Pagefind binary (started by each language's search step) replaced, through
    ``PAGEFIND_BINARY_PATH``, by a stand-in that does nothing, or sleeps (a long indexing)
    once ``slow()`` was called: a test can then stop a build while Pagefind runs."""

    def __init__(self, folder: Path):
        self.flag = folder / "slow"
        self.binary = folder / "fake-pagefind"
        folder.mkdir(parents=True)
        self.binary.write_text(f"#!{sys.executable}\nimport os, time\n"
                               f"if os.path.exists({str(self.flag)!r}):\n    time.sleep(300)\n")
        self.binary.chmod(0o755)
        self.env = dict(ENV, PAGEFIND_BINARY_PATH=str(self.binary))

    def slow(self) -> dict:
        self.flag.write_text("")
        return self.env


@pytest.fixture
def pagefind(tmp_path) -> FakePagefind:
    return FakePagefind(tmp_path / "pagefind")


def pagefind_running(build_pid: int) -> dict[int, int]:
    """The processes below the build once both renderers' (fake) Pagefind have started."""
    below = descendants(build_pid)
    searching = [p for p in below if b"fake-pagefind" in cmdline(p)]
    return below if len(searching) == len(("vi", "fr")) else {}


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    """A copy of the project built once, by the CLI, into its default site/."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    run = run_bulletins("build", cwd=root)
    assert run.returncode == 0, run.stderr
    assert (root / "site" / MARKER).is_file() and (root / "site" / "vi" / "index.html").is_file()
    return root


@pytest.fixture
def project_with_site(built_project, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)
    return root


# --- refused output folders ---------------------------------------------------------------
REFUSED = [
    (".", "it is the project folder"),
    ("..", "it holds the project folder"),
    ("content", "it is content/, part of the project's sources"),
    ("site_config", "it is site_config/, part of the project's sources"),
    ("content/bulletins", "it is inside content/, part of the project's sources"),
    ("site_config/new-site", "it is inside site_config/, part of the project's sources"),
    ("scripts", "it is scripts/, part of the project's sources"),
    ("mkdocs.yml", "it is mkdocs.yml, part of the project's sources"),
    ("../precious", f"it is not empty and no build made it (no {MARKER} file in it)"),
]


@pytest.mark.parametrize(("site_dir", "reason"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_refused_site_dir_changes_nothing(tmp_path, site_dir, reason):
    # the project is a subfolder, so that '..' (which holds it) can be tested safely
    root = copy_project(tmp_path / "project", scripts=True)
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("an editor's notes, not a site")
    before = tree_checksum(tmp_path)
    run = run_bulletins("build", "--site-dir", site_dir, cwd=root)
    assert run.returncode != 0
    target = (root / site_dir).resolve()
    assert run.stderr.startswith(f"bulletins build: refusing to build into {target}: {reason}")
    assert "choose a new or empty folder" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert tree_checksum(tmp_path) == before


def test_build_site_itself_refuses_before_touching_anything(tmp_path):
    """The refusal is in build_site, so the preview and every caller get it, before any
    leftover is removed or the content loaded."""
    root = copy_project(tmp_path / "project")
    leftover = root / "content" / ".bulletins.new-99999999-x"
    leftover.mkdir()
    before = tree_checksum(tmp_path)
    for target, reason in [(root, "it is the project folder"), (root / "content" / "bulletins", "inside content/"),
                           (root / "site_config" / "communes.yml", "it is inside site_config/")]:
        with pytest.raises(UnsafeSiteDir, match=re.escape(reason)):
            build_site(root, target)
    assert tree_checksum(tmp_path) == before


def test_git_tracked_folders_links_and_files_are_refused(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / "notes").mkdir()
    (root / "notes" / "plan.md").write_text("tracked")
    (root / "public").mkdir()
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "notes/plan.md"], check=True)
    with pytest.raises(UnsafeSiteDir, match=re.escape("it is inside notes/, part of the project's sources")):
        check_site_dir(root, root / "notes" / "site")
    with pytest.raises(UnsafeSiteDir, match=re.escape("it is inside .git/")):
        check_site_dir(root, root / ".git" / "site")
    (tmp_path / "out").symlink_to(root / "content")
    with pytest.raises(UnsafeSiteDir, match=re.escape("it is content/")):
        check_site_dir(root, tmp_path / "out")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnsafeSiteDir, match="it is a file, not a folder"):
        check_site_dir(root, tmp_path / "file")
    # accepted: new, empty, untracked, marked, or a site built before the marker existed
    check_site_dir(root, root / "site")
    check_site_dir(root, root / "public")
    (tmp_path / "marked").mkdir()
    (tmp_path / "marked" / MARKER).write_text("")
    (tmp_path / "marked" / "old.html").write_text("")
    check_site_dir(root, tmp_path / "marked")
    legacy = tmp_path / "legacy"
    for lang in ("vi", "fr"):
        (legacy / lang).mkdir(parents=True)
        (legacy / lang / "sitemap.xml").write_text("<urlset/>")
    (legacy / "index.html").write_text("<!doctype html>")
    check_site_dir(root, legacy)
    (legacy / "notes.txt").write_text("not a site's")
    with pytest.raises(UnsafeSiteDir, match="no build made it"):
        check_site_dir(root, legacy)


# --- stopping a build -------------------------------------------------------------------
def assert_stopped_cleanly(proc, output: str, signum: int, root: Path, before, workers) -> None:
    """Stopped by ``signum``: its exit status, no traceback, the previous site and no
    unfinished folder left, every worker gone."""
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert f"bulletins build: stopped by {name}; the previous site is untouched" in output
    assert tree_checksum(root / "site") == before
    assert unfinished(root) == []
    assert_all_gone(workers, root, seconds=2)


def test_sigterm_stops_the_build_cleanly(project_with_site):
    root = project_with_site
    before = tree_checksum(root / "site")
    command, options = bulletins("build", cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = subprocess.Popen(command, **options)
    try:
        wait_until(lambda: unfinished(root), 60, proc, "the unfinished site")
        # both renderers started (perhaps still importing, when they cannot take a signal yet)
        workers = wait_until(lambda: renderers_started(proc.pid), 60, proc, "the renderers")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert_stopped_cleanly(proc, out + err, signal.SIGTERM, root, before, workers)


def test_ctrl_c_stops_the_build_cleanly_while_pagefind_runs(project_with_site, pagefind):
    """Ctrl+C in a terminal signals the whole process group."""
    root = project_with_site
    before = tree_checksum(root / "site")
    # --no-cache: the cache of the first build would restore the search index without Pagefind
    command, options = bulletins("build", "--no-cache", cwd=root, env=pagefind.slow(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, start_new_session=True)
    proc = subprocess.Popen(command, **options)
    try:
        workers = wait_until(lambda: pagefind_running(proc.pid), 90, proc, "Pagefind")
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert_stopped_cleanly(proc, out + err, signal.SIGINT, root, before, workers)


def test_sigkill_leaves_no_worker_and_the_next_build_cleans_up(project_with_site, pagefind):
    root = project_with_site
    command, options = bulletins("build", "--no-cache", cwd=root, env=pagefind.slow(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
    proc = subprocess.Popen(command, **options)
    try:
        workers = wait_until(lambda: pagefind_running(proc.pid), 90, proc, "Pagefind")
        proc.kill()
        proc.wait(timeout=10)
    finally:
        proc.kill()
    assert_all_gone(workers, root)  # renderers, their Pagefind, the resource tracker
    killed = unfinished(root)
    assert len(killed) == 1 and killed[0].startswith(f".site.new-{proc.pid}-")
    # the next build removes what killed builds left, but not what a running build is writing
    (root / f".site.old-{proc.pid}-1a2b").mkdir()
    (root / ".site.new-x1y2z3").mkdir()  # an earlier version's name, without a pid
    (root / f".site.new-{os.getpid()}-live").mkdir()  # this test is running: not stale
    (root / ".other.new-99999999-x").mkdir()  # not next to this site's name
    (root / "site" / "stale.html").write_text("from an earlier build")
    run = run_bulletins("build", cwd=root)
    assert run.returncode == 0, run.stderr
    assert unfinished(root) == [f".site.new-{os.getpid()}-live"]
    assert (root / ".other.new-99999999-x").is_dir()
    assert (root / "site" / MARKER).is_file() and not (root / "site" / "stale.html").exists()


def test_a_site_lost_between_the_two_renames_is_put_back(project_with_site):
    """A build killed between the swap's two renames leaves the site as .site.old-<pid>-*:
    the next build puts it back first, so even a build that fails leaves it in place."""
    root = project_with_site
    before = tree_checksum(root / "site")
    (root / "site").rename(root / ".site.old-99999999-abcd")
    bad = root / "content" / "bulletins" / "2025-08-04-group-1.vi.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("group: 1", "group: 99", 1), encoding="utf-8")
    run = run_bulletins("build", cwd=root)
    assert run.returncode == 1 and "nothing was built" in run.stderr
    assert tree_checksum(root / "site") == before
    assert unfinished(root) == []


# --- the check in a process of its own (from build.CHECK_APART_FROM bulletin files) ---------
def test_a_check_in_its_own_process_builds_the_same_site(built_site, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "CHECK_APART_FROM", 0)
    assert not build_site(REPO, tmp_path / "site").has_errors()
    assert tree_checksum(tmp_path / "site") == tree_checksum(built_site)


def check_that_dies(*args):
    assert multiprocessing.parent_process() is not None, "the check ran in the build's own process"
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would


def check_that_fails(*args):
    raise RuntimeError("a bug in the checker")


@pytest.mark.parametrize(("check", "says"), [(check_that_dies, "the check process died"),
                                             (check_that_fails, "RuntimeError: a bug in the checker")])
def test_a_check_process_that_dies_or_fails_is_a_build_error(project_with_site, monkeypatch, check, says):
    root = project_with_site
    before = tree_checksum(root / "site")
    monkeypatch.setattr(build, "CHECK_APART_FROM", 0)
    monkeypatch.setattr(build, "_check_to_file", check)  # a spawned process finds it in this module
    with pytest.raises(BuildError, match=f"^the check failed:\n{says}"):
        build_site(root, root / "site")
    assert tree_checksum(root / "site") == before
    assert unfinished(root) == []


def test_a_worker_pool_dies_with_its_parent(tmp_path):
    """processes.worker_pool (for the checker's pool): its workers go when the parent is
    killed with SIGKILL, and it computes as a Pool does."""
    script = textwrap.dedent("""
        import sys, time
        from bulletins.processes import worker_pool
        with worker_pool(2) as pool:
            assert pool.map(abs, [-1, -2, -3]) == [1, 2, 3]
            pool.apply_async(time.sleep, (300,))
            pool.apply_async(time.sleep, (300,))
            print("ready", flush=True)
            time.sleep(300)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert proc.stdout.readline() == "ready\n"
        workers = descendants(proc.pid)
        assert sum(b"--multiprocessing-fork" in cmdline(p) for p in workers) == 2
        proc.kill()
        proc.wait(timeout=10)
    finally:
        proc.kill()
    assert_all_gone(workers, tmp_path)


# --- the preview ----------------------------------------------------------------------------
def serve(root: Path, log: Path, env=None, **kwargs) -> subprocess.Popen:
    command, options = bulletins("serve", "--address", "127.0.0.1:0", cwd=root, env=env,
                                 stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
    return subprocess.Popen(command, **options)


def preview_folder(log: Path) -> Path | None:
    found = re.search(r" in (\S+) \.\.\.", log.read_text())
    return Path(found[1]) if found else None


def test_ctrl_c_during_the_previews_first_build(tmp_path, pagefind):
    root = copy_project(tmp_path / "project")
    log = tmp_path / "serve.log"
    proc = serve(root, log, env=pagefind.slow())
    try:
        workers = wait_until(lambda: pagefind_running(proc.pid), 90, proc, "Pagefind")
        work = preview_folder(log)
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert "Traceback" not in log.read_text() and "KeyboardInterrupt" not in log.read_text()
    assert work is not None and not work.exists()
    assert_all_gone(workers, root, seconds=2)
    assert mentioning(str(work)) == []


def test_ctrl_c_during_a_rebuild_of_the_preview(tmp_path, pagefind):
    """The preview's renderers do not get the terminal's Ctrl+C: the preview cancels the
    rebuild under way (here one that would never end) and removes its folder."""
    root = copy_project(tmp_path / "project")
    log = tmp_path / "serve.log"
    proc = serve(root, log, env=pagefind.env)
    try:
        wait_until(lambda: "serving http://" in log.read_text(), 120, proc, "the preview")
        work = preview_folder(log)
        pagefind.slow()
        tags = root / "site_config" / "difficulties.yml"  # a registry: a full rebuild
        tags.write_text(tags.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        workers = wait_until(lambda: pagefind_running(proc.pid), 90, proc, "the rebuild's Pagefind")
        assert any(p.name.startswith(".site.new-") for p in work.iterdir())
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert "Traceback" not in log.read_text() and "KeyboardInterrupt" not in log.read_text(), log.read_text()
    assert not work.exists()
    assert_all_gone(workers, root, seconds=2)
    assert mentioning(str(work)) == []


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP], ids=["sigint", "sighup"])
def test_the_preview_stops_when_started_with_sigint_ignored(tmp_path, signum):
    """A script's ``bulletins serve &`` starts it with SIGINT ignored (as it did this suite's
    background runs, where the Ctrl+C tests above then timed out); Ctrl+C and a closed
    terminal (SIGHUP) must still stop it and remove its folder."""
    root = copy_project(tmp_path / "project")
    log = tmp_path / "serve.log"
    proc = serve(root, log, preexec_fn=_ignore_sigint)
    try:
        wait_until(lambda: "serving http://" in log.read_text(), 120, proc, "the preview")
        work = preview_folder(log)
        os.killpg(proc.pid, signum)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "Traceback" not in log.read_text(), log.read_text()
    assert work is not None and not work.exists()


def test_build_help_says_what_is_refused():
    run = subprocess.run([sys.executable, "-m", "bulletins.cli", "build", "--help"], capture_output=True, text=True,
                         env=ENV)
    help_text = " ".join(run.stdout.split())
    assert MARKER in help_text and "is refused" in help_text and "content/, site_config/" in help_text
    assert "exit 130 or 143" in help_text
