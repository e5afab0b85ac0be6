"""The editors' preview: `bulletins serve` rebuilds when a bulletin or a registry changes."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from checker_project import follow_up_project

REPO = Path(__file__).resolve().parents[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page and needle in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {needle!r}")


def start_preview(root: Path, port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bulletins.cli", "--root", str(root), "serve",
                             "--address", f"127.0.0.1:{port}"], stdout=log.open("w"), stderr=subprocess.STDOUT,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preview_reloads_on_bulletin_and_registry_change(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    for part in ("content", "site_config", "schema", "overrides", "mkdocs.yml", "mkdocs.fr.yml"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    port = free_port()
    log = tmp_path / "serve.log"
    proc = start_preview(root, port, log)
    try:
        base = f"http://127.0.0.1:{port}"
        bulletin = f"{base}/vi/bulletins/2025-08-04-group-1/"
        page = wait_for(bulletin, "Tổ công tác số 1", 120)
        assert "/_preview/wait" in page  # the reload script
        # both languages, and the language switch leads to a page that exists
        assert "Le groupe de travail n°\u00a01" in wait_for(f"{base}/fr/bulletins/2025-08-04-group-1/", "</html>")
        assert fetch(f"{base}/") and fetch(f"{base}/fr/communes/ky-lua/")

        source = root / "content" / "bulletins" / "2025-08-04-group-1.vi.md"
        text = source.read_text(encoding="utf-8")
        title_line = next(line for line in text.splitlines() if line.startswith("title:"))
        source.write_text(text.replace(title_line, 'title: "Tiêu đề đã sửa trong lúc xem trước"'), encoding="utf-8")
        wait_for(bulletin, "Tiêu đề đã sửa trong lúc xem trước")
        # the edited page came from the shells, before the full rebuild
        assert "updated content/bulletins/2025-08-04-group-1.vi.md in" in wait_for_log(log, "updated ")
        # lists follow with the rebuild
        wait_for(f"{base}/vi/groups/1/", "Tiêu đề đã sửa trong lúc xem trước")

        tags = root / "site_config" / "difficulties.yml"
        tags.write_text(tags.read_text(encoding="utf-8").replace("vi: Trụ sở phân tán", "vi: Trụ sở nằm rải rác"),
                        encoding="utf-8")
        wait_for(bulletin, "Trụ sở nằm rải rác")

        # a mistake is shown on every page, with file, line and fix; the last good site stays
        source.write_text(source.read_text(encoding="utf-8").replace("date: 2025-08-04", "date: 2025-13-45", 1),
                          encoding="utf-8")
        page = wait_for(f"{base}/vi/", 'role="alert"')
        assert "content/bulletins/2025-08-04-group-1.vi.md:3:7: error: invalid date" in page
        assert "Trụ sở nằm rải rác" in fetch(bulletin)
        source.write_text(source.read_text(encoding="utf-8").replace("date: 2025-13-45", "date: 2025-08-04", 1),
                          encoding="utf-8")
        deadline = time.monotonic() + 60
        while 'role="alert"' in (fetch(f"{base}/vi/") or 'role="alert"'):
            assert time.monotonic() < deadline, "the error stayed after the fix"
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    work = re.search(r"building the preview of .* in (\S+) \.\.\.", log.read_text(encoding="utf-8"))
    assert work and not Path(work[1]).exists()  # the temporary folder went with the preview


def wait_for_log(log: Path, needle: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        if needle in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"the preview never printed {needle!r}:\n{log.read_text(encoding='utf-8')}")


G3 = "content/bulletins/2025-08-04-group-3"  # its d-16 is followed up by both fixture bulletins


def edit(root: Path, path: str, old: str, new: str) -> None:
    source = root / path
    text = source.read_text(encoding="utf-8")
    assert old in text, (path, old)
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def reads(monkeypatch) -> list[str]:
    """The bulletin files the checks read from now on (each twice: before and after its checks)."""
    import bulletins.project as project_module

    read, seen = project_module._read, []
    monkeypatch.setattr(project_module, "_read", lambda path: seen.append(Path(path).name) or read(path))
    return seen


def whole_load(root: Path):
    from bulletins.diagnostics import Report
    from bulletins.project import load_site

    report = Report()
    return load_site(root, report), report


def test_reload_of_an_edit_is_the_whole_load(tmp_path, monkeypatch):
    """An edited bulletin checked alone against the last load gives the site and the errors
    a whole load gives; an edit that other bulletins' checks or its page's lists read, a
    registry, a new file, fall back to a whole load (None and no error)."""
    from bulletins.diagnostics import Report
    from bulletins.project import DocumentCache, load_site, reload_bulletins

    root = follow_up_project(tmp_path / "project")
    cache = DocumentCache()
    load_site(root, Report(), cache)
    loaded = cache.loaded
    assert loaded is not None and len(loaded.site.bulletins) == 9

    def reload(*paths: str, base=None):
        report, seen = Report(), reads(monkeypatch)
        again = reload_bulletins(root, base or loaded, list(paths), report, cache)
        monkeypatch.undo()
        assert set(seen) == {Path(p).name for p in paths}  # no other file read
        return again, report

    # texts, a figure, the body, a follow-up's status and text: checked alone
    edit(root, f"{G3}.vi.md", "title: ", "title: Đã sửa — ")
    edit(root, f"{G3}.fr.md", "\n---\n", "\n---\n\nUn paragraphe ajouté.\n")
    edit(root, "content/bulletins/2025-11-15-group-1.vi.md", "status: done", "status: in-progress")
    edit(root, "content/bulletins/2025-11-15-group-1.fr.md", "status: done", "status: in-progress")
    edited = [f"{G3}.fr.md", f"{G3}.vi.md", "content/bulletins/2025-11-15-group-1.fr.md",
              "content/bulletins/2025-11-15-group-1.vi.md"]
    again, report = reload(*edited)
    site, whole = whole_load(root)
    assert again is not None and again.site.bulletins == site.bulletins and again.site.pages == site.pages
    assert report.sorted() == [d for d in whole.sorted() if "no publisher" not in d.message]
    assert next(b for b in again.site.bulletins if b.id == "2025-08-04-group-3").title["vi"].startswith("Đã sửa — ")
    assert loaded.site.bulletins != site.bulletins  # the last load is left as it was

    # the site's mistakes, at their line, as a whole load reports them
    edit(root, f"{G3}.vi.md", "date: 2025-08-04", "date: 2025-13-45")
    edit(root, f"{G3}.fr.md", "group: 3", "group: 33")
    broken, report = reload(f"{G3}.fr.md", f"{G3}.vi.md", base=again)
    _, whole = whole_load(root)
    assert broken is None and report.has_errors()
    assert {d for d in report.sorted() if d.severity == "error"} == {d for d in whole.sorted() if d.severity == "error"}
    assert f"{G3}.vi.md:3:7: error: invalid date '2025-13-45'" in report.render()
    edit(root, f"{G3}.vi.md", "date: 2025-13-45", "date: 2025-08-04")
    edit(root, f"{G3}.fr.md", "group: 33", "group: 3")
    assert reload(f"{G3}.fr.md", f"{G3}.vi.md", base=again)[0] is not None

    # what other bulletins or the page's lists read: a whole load decides
    for path, old, new in [(f"{G3}.vi.md", 'communes: ["huu-lung", ', 'communes: ["huu-lung", "chi-lang", '),
                           (f"{G3}.vi.md", '"r-4"', '"r-9"'),
                           (f"{G3}.vi.md", '- tag: "equipment"', '- tag: "roads"'),
                           ("content/bulletins/2025-11-15-group-1.vi.md", "date: 2025-11-10", "date: 2025-11-11")]:
        original = (root / path).read_text(encoding="utf-8")
        edit(root, path, old, new)
        fr = path.replace(".vi.", ".fr.")
        fr_original = (root / fr).read_text(encoding="utf-8")
        if old in fr_original:
            edit(root, fr, old, new)
        again_, report = reload(fr, path, base=again)
        assert again_ is None and not report.has_errors(), (new, report.render())
        (root / path).write_text(original, encoding="utf-8")
        (root / fr).write_text(fr_original, encoding="utf-8")
    edit(root, "site_config/difficulties.yml", "vi: Trụ sở phân tán", "vi: Trụ sở nằm rải rác")
    assert reload_bulletins(root, again, [f"{G3}.vi.md"], Report(), cache) is None
    assert reload_bulletins(root, again, ["content/bulletins/2025-08-05-group-3.vi.md"], Report(), cache) is None


def test_quick_render_writes_the_bytes_of_a_clean_build(tmp_path, monkeypatch):
    """The preview's edited pages come from the shells of the previous build and the
    checks cache; they must be the very bytes a clean build of the edited content gives,
    when the edited files alone are read (a text edit) and when the whole site is loaded
    again first (an edit other bulletins depend on: here a follow-up's date)."""
    from bulletins.build import build_site
    from bulletins.preview import Preview

    root = follow_up_project(tmp_path / "project")
    preview = Preview(root, "127.0.0.1:8000")
    try:
        preview.full_build()
        assert preview.errors == ""
        whole = preview.cache.loaded  # the build's load
        for lang in ("vi", "fr"):
            edit(root, f"{G3}.{lang}.md", "title: ", "title: Đã sửa — ")
        (root / "content" / "bulletins" / ".2025-08-04-group-3.vi.md.swp").write_bytes(b"an editor's swap file")
        seen = reads(monkeypatch)
        assert preview.quick_render()
        assert set(seen) == {"2025-08-04-group-3.fr.md", "2025-08-04-group-3.vi.md"}
        assert preview.cache.loaded is whole  # no whole load
        monkeypatch.undo()
        clean = tmp_path / "clean"
        assert not build_site(root, clean, site_url="http://127.0.0.1:8000/").has_errors()
        for lang in ("vi", "fr"):
            page = f"{lang}/bulletins/2025-08-04-group-3/index.html"
            quick = (preview.site_dir / page).read_bytes()
            assert "Đã sửa — ".encode() in quick
            assert quick == (clean / page).read_bytes(), page

        # a follow-up's date is read by the checks of the item it follows up: a whole load
        for lang in ("vi", "fr"):
            edit(root, f"content/bulletins/2025-11-15-group-1.{lang}.md", "date: 2025-11-10", "date: 2025-11-09")
        assert preview.quick_render()
        assert preview.cache.loaded is not whole
        assert not build_site(root, clean, site_url="http://127.0.0.1:8000/").has_errors()
        for lang in ("vi", "fr"):
            page = f"{lang}/bulletins/2025-11-15-group-1/index.html"
            quick = (preview.site_dir / page).read_bytes()
            assert b"2025-11-09" in quick
            assert quick == (clean / page).read_bytes(), page

        # a mistake is shown at once, at its line, and nothing is written; its fix clears it
        page = preview.site_dir / "vi/bulletins/2025-08-04-group-3/index.html"
        before = page.read_bytes()
        edit(root, f"{G3}.vi.md", "date: 2025-08-04", "date: 2025-13-45")
        assert not preview.quick_render()
        assert f"{G3}.vi.md:3:7: error: invalid date '2025-13-45'" in preview.errors
        assert page.read_bytes() == before
        # another bulletin's edit is not rendered over it: every file edited since the
        # last good site is checked again
        edit(root, "content/bulletins/2025-08-04-group-1.vi.md", "title: ", "title: Sửa — ")
        assert not preview.quick_render() and "invalid date" in preview.errors
        edit(root, f"{G3}.vi.md", "date: 2025-13-45", "date: 2025-08-04")
        assert preview.quick_render() and preview.errors == ""
        assert "Sửa — ".encode() in (preview.site_dir / "vi/bulletins/2025-08-04-group-1/index.html").read_bytes()

        # a bulletin the last build did not have, or a registry edit, waits for the full rebuild
        added = root / "content" / "bulletins" / "2025-08-05-group-3.vi.md"
        added.write_text((root / f"{G3}.vi.md").read_text(encoding="utf-8")
                         .replace("date: 2025-08-04", "date: 2025-08-05", 1), encoding="utf-8")
        assert not preview.quick_render()
        added.unlink()
        assert preview.quick_render()
        edit(root, "site_config/difficulties.yml", "vi: Trụ sở phân tán", "vi: Trụ sở nằm rải rác")
        assert not preview.quick_render() and preview.errors == ""
    finally:
        shutil.rmtree(preview.work, ignore_errors=True)
