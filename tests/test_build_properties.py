"""Build properties: deterministic (byte-identical twice), atomic (a failed or interrupted
build leaves the previous site untouched), and content is never modified."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulletins.build import BuildError, build_site

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("content", "site_config", "schema", "overrides", "mkdocs.yml", "mkdocs.fr.yml")


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for part in PROJECT_PARTS:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    return root


def test_two_builds_are_byte_identical(built_site, tmp_path):
    again = tmp_path / "again"
    report = build_site(REPO, again)
    assert not report.has_errors()
    first, second = tree_digest(built_site), tree_digest(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_bad_content_leaves_previous_site_and_content_untouched(project, tmp_path):
    site = tmp_path / "site"
    assert not build_site(project, site).has_errors()
    before_site = tree_digest(site)
    bad = project / "content" / "bulletins" / "2025-08-04-group-1.fr.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("communes: [", "communes: [ky-lau, ", 1), encoding="utf-8")
    before_content = tree_digest(project / "content")
    report = build_site(project, site)
    assert report.has_errors()
    assert "unknown commune 'ky-lau'" in report.render()
    assert tree_digest(site) == before_site
    assert tree_digest(project / "content") == before_content
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_render_failure_leaves_previous_site_untouched(project, tmp_path):
    site = tmp_path / "site"
    assert not build_site(project, site).has_errors()
    before = tree_digest(site)
    (project / "overrides" / "main.html").write_text("{% extends 'base.html' %}{% block content %}{{ broken( }}{% endblock %}")
    with pytest.raises(BuildError, match="rendering failed; the previous site is untouched"):
        build_site(project, site)
    assert tree_digest(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_interrupted_build_leaves_previous_site_untouched(project, tmp_path):
    site = tmp_path / "site"
    assert not build_site(project, site).has_errors()
    before = tree_digest(site)
    proc = subprocess.Popen([sys.executable, "-m", "bulletins.cli", "--root", str(project), "build",
                             "--site-dir", str(site)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    # wait until rendering has started (a temporary folder appears), then interrupt
    deadline = time.monotonic() + 30
    while not any(p.name.startswith(".site.new-") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None, "build never started rendering"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert tree_digest(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_build_never_writes_into_content(project, tmp_path):
    before = tree_digest(project / "content")
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*")}
    assert not build_site(project, tmp_path / "site").has_errors()
    assert tree_digest(project / "content") == before
    assert {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*")} == mtimes


def test_cli_build_reports_errors_with_nonzero_exit(project, tmp_path):
    bad = project / "content" / "bulletins" / "2025-08-04-group-2.vi.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("group: 2", "group: 8", 1), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "bulletins.cli", "--root", str(project), "build",
                          "--site-dir", str(tmp_path / "site")], capture_output=True, text=True)
    assert run.returncode == 1
    assert "content/bulletins/2025-08-04-group-2.vi.md:" in run.stderr
    assert "unknown working group '8'" in run.stderr
    assert not (tmp_path / "site").exists()
