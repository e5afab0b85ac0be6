"""Shared fixtures for the site tests: the real seed content built once per session,
served over http on 127.0.0.1, and a headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a minute (e.g. a 1,000-bulletin build); "
                                       "deselect with -m 'not slow'")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real repository content built once per session (both languages + landing page)."""
    from bulletins.build import build_site

    site = tmp_path_factory.mktemp("built") / "site"
    report = build_site(REPO, site)
    assert not report.has_errors(), report.render()
    assert (site / "vi" / "index.html").is_file() and (site / "fr" / "index.html").is_file()
    return site


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(command: list[str], base: str) -> subprocess.Popen:
    """Start an http server subprocess and wait until ``base`` answers."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(base, timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_server(proc)
                raise RuntimeError(f"the test http server did not start: {command}") from None
            time.sleep(0.1)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def serving(folder: Path):
    """``python -m http.server`` on 127.0.0.1 serving ``folder``; yields the base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = start_server([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                         "--directory", str(folder)], base)
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def server(built_site):
    """The built site served over http; yields the base URL."""
    with serving(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (never ``playwright install``)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
