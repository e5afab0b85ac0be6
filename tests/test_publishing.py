"""Publishing (issue 14): `bulletins check --format github` puts each finding on its line of a
pull request."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from bulletins.cli import main
from bulletins.diagnostics import Diagnostic
from checker_project import REPO, VI, edit, make_project

_COMMAND = re.compile(r"::(error|warning) ([^:]*)::(.*)")
_UNESCAPE = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def _unescape(text: str) -> str:
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: _UNESCAPE[m.group(0)], text)


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command read the way GitHub's runner reads it: severity, properties, message."""
    severity, properties, message = _COMMAND.fullmatch(line).groups()
    return severity, {k: _unescape(v) for k, v in (p.split("=", 1) for p in properties.split(","))}, _unescape(message)


def annotations_as_text(lines: list[str]) -> tuple[list[str], list[str]]:
    """The annotations of `check --format github` written back as the text format's lines
    (``path:line:col: severity: message; hint``), and the lines that are not annotations."""
    findings, rest = [], []
    for line in lines:
        if not line.startswith("::"):
            rest.append(line)
            continue
        severity, p, message = parse_annotation(line)
        assert set(p) == {"file", "line", "col", "title"} and p["title"] == "bulletins check", line
        findings.append(f"{p['file']}:{int(p['line'])}:{int(p['col'])}: {severity}: {message}")
    return findings, rest


def check(root: Path, capsys, *args: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    rc = main(["--root", str(root), "check", *args])
    return rc, capsys.readouterr().out.splitlines()


# --- bulletins check --format github ------------------------------------------------------
# Every row of tests/test_checker_table.py is also checked in this format (test_bad_input).

def test_escaping_follows_githubs_rules():
    finding = Diagnostic("content/a,b:c 100%.md", 3, 7, "error", "50% done\r\nnext: a, b", "fix it")
    assert finding.annotation() == ("::error file=content/a%2Cb%3Ac 100%25.md,line=3,col=7,title=bulletins check"
                                    "::50%25 done%0D%0Anext: a, b; fix it")
    assert finding.annotation("sites/lang-son").startswith("::error file=sites/lang-son/content/a%2Cb%3Ac 100%25.md,")
    assert Diagnostic("/elsewhere/x.md", 1, 1, "warning", "m").annotation("sub") == (
        "::warning file=/elsewhere/x.md,line=1,col=1,title=bulletins check::m")


def test_a_hostile_file_name_round_trips(tmp_path, capsys):
    """A ',', ':' or '%' in a path would end a property or be read as an escape."""
    root = make_project(tmp_path / "project")
    (root / VI).rename(root / "content/bulletins/2025-08-04-group-1,50%:a.vi.md")
    rc, text = check(root, capsys)
    rc_github, lines = check(root, capsys, "--format", "github")
    findings, rest = annotations_as_text(lines)
    assert (rc_github, findings, rest) == (rc, text[:-1], text[-1:]) and rc == 1
    assert findings[0].startswith("content/bulletins/2025-08-04-group-1,50%:a.vi.md:1:1: error: file name")


def test_files_are_named_from_the_repository_root(tmp_path, capsys):
    """A project in a subfolder of its git repository: GitHub names files from the repository's root."""
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    root = make_project(tmp_path / "repo" / "sites" / "lang-son")
    edit(root, VI, "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,")
    rc, lines = check(root, capsys, "--format", "github")
    assert rc == 1
    assert annotations_as_text(lines) == (
        [f"sites/lang-son/{VI}:6:23: error: unknown commune 'ky-lau' in communes[1]; did you mean 'ky-lua'?"],
        ["1 error(s), 0 warning(s)"])
    rc, lines = check(root, capsys)  # the text format is unchanged: relative to the project
    assert lines[0].startswith(f"{VI}:6:23: error: unknown commune")


def test_more_findings_than_a_pull_request_shows(tmp_path, capsys):
    """GitHub shows 10 errors of a step: every finding is still a command, and the log says so."""
    root = make_project(tmp_path / "project")
    for n in range(11):
        (root / VI).with_name(f"Bad{n}.vi.md").write_text("", encoding="utf-8")
    rc, lines = check(root, capsys, "--format", "github")
    findings, rest = annotations_as_text(lines)
    assert rc == 1 and len(findings) == 11
    assert rest == ["11 error(s), 0 warning(s)", "a pull request shows the first 10 errors and 10 warnings of a "
                    "step; run 'bulletins check' for all of them as file:line:col"]


def test_the_repository_as_the_workflow_checks_it(capsys):
    """What the workflow's check step prints for the repository itself: its one warning, no error."""
    rc, lines = check(REPO, capsys, "--strict", "--format", "github")
    assert rc == 0
    assert [parse_annotation(line)[0] for line in lines if line.startswith("::")] == ["warning"]
