"""The editors' preview: `bulletins serve` rebuilds when a bulletin or a registry changes."""

from __future__ import annotations

import os
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


def test_preview_reloads_on_bulletin_and_registry_change(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    for part in ("content", "site_config", "schema", "overrides", "mkdocs.yml", "mkdocs.fr.yml"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "bulletins.cli", "--root", str(root), "serve",
                             "--address", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    try:
        bulletin = f"http://127.0.0.1:{port}/bulletins/2025-08-04-group-1/"  # one language, served at /
        wait_for(bulletin, "Tổ công tác số 1", 120)
        source = root / "content" / "bulletins" / "2025-08-04-group-1.vi.md"
        text = source.read_text(encoding="utf-8")
        title_line = next(line for line in text.splitlines() if line.startswith("title:"))
        source.write_text(text.replace(title_line, 'title: "Tiêu đề đã sửa trong lúc xem trước"'), encoding="utf-8")
        wait_for(bulletin, "Tiêu đề đã sửa trong lúc xem trước")
        tags = root / "site_config" / "difficulties.yml"
        tags.write_text(tags.read_text(encoding="utf-8").replace("vi: Trụ sở phân tán", "vi: Trụ sở nằm rải rác"),
                        encoding="utf-8")
        wait_for(bulletin, "Trụ sở nằm rải rác")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
