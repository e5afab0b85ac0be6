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


def test_quick_render_writes_the_bytes_of_a_clean_build(tmp_path):
    """The preview's edited pages come from the shells of the previous build and the
    checks cache; they must be the very bytes a clean build of the edited content gives."""
    from bulletins.build import build_site
    from bulletins.preview import Preview

    root = tmp_path / "project"
    root.mkdir()
    for part in ("content", "site_config", "schema", "overrides", "mkdocs.yml", "mkdocs.fr.yml"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    preview = Preview(root, "127.0.0.1:8000")
    try:
        preview.full_build()
        assert preview.errors == ""
        changed = set()
        for lang in ("vi", "fr"):
            source = root / "content" / "bulletins" / f"2025-08-04-group-3.{lang}.md"
            text = source.read_text(encoding="utf-8")
            source.write_text(text.replace("title: ", "title: Đã sửa — ", 1), encoding="utf-8")
            changed.add(source.relative_to(root).as_posix())
        assert preview.quick_render(changed)
        clean = tmp_path / "clean"
        assert not build_site(root, clean, site_url="http://127.0.0.1:8000/").has_errors()
        for lang in ("vi", "fr"):
            page = f"{lang}/bulletins/2025-08-04-group-3/index.html"
            quick = (preview.site_dir / page).read_bytes()
            assert "Đã sửa — ".encode() in quick
            assert quick == (clean / page).read_bytes(), page
        # a bulletin the last build did not have waits for the full rebuild
        added = root / "content" / "bulletins" / "2025-08-05-group-3.vi.md"
        added.write_text((root / "content" / "bulletins" / "2025-08-04-group-3.vi.md").read_text(encoding="utf-8")
                         .replace("date: 2025-08-04", "date: 2025-08-05", 1), encoding="utf-8")
        assert not preview.quick_render({added.relative_to(root).as_posix()})
    finally:
        shutil.rmtree(preview.work, ignore_errors=True)
