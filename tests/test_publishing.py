"""Publishing (issue 14): `bulletins check --format github` puts each finding on its line of a
pull request, and .github/workflows/ checks, builds and deploys the site. The workflows are
linted with actionlint (and the shellcheck it runs on their scripts), both pinned in
requirements.lock; a deliberately broken copy proves the lint can fail."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from bulletins import cache
from bulletins.cli import build_parser, main
from bulletins.diagnostics import Diagnostic
from checker_project import REPO, VI, edit, make_project
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

WORKFLOWS = REPO / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"

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


# --- the workflow ------------------------------------------------------------------------

def _tool(name: str) -> str:
    """A tool installed in this virtualenv by requirements.lock (not whatever PATH has)."""
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        pytest.fail(f"{name} is missing: install requirements.lock (./dev test does)")
    return str(path)


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    """actionlint with the pinned shellcheck on every `run:` script (none of the scripts is Python)."""
    return subprocess.run([_tool("actionlint"), "-no-color", "-oneline", "-shellcheck", _tool("shellcheck"),
                           "-pyflakes=", *map(str, files)], capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert PUBLISH in files
    run = actionlint(*files)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


@pytest.mark.parametrize("old, new, at, expected", [
    ("    needs: build\n", "    needs: biuld\n", "  deploy:\n", r'job "deploy" needs job "biuld" which does not exist'),
    ('--site-url "$SITE_URL"', "--site-url $SITE_URL", '--site-url "$SITE_URL"', r"shellcheck reported issue .*SC2086"),
    ("${{ vars.SITE_URL }}", "${{ var.SITE_URL }}", "${{ vars.SITE_URL }}", r'undefined variable "var"'),
], ids=["unknown-job", "unquoted-variable", "unknown-context"])
def test_actionlint_catches_a_broken_workflow(tmp_path, old, new, at, expected):
    """The lint above can fail: a broken copy of publish.yml is reported on the line of ``at``
    (the job that needs an unknown job, the script, the expression)."""
    text = PUBLISH.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new), encoding="utf-8")
    run = actionlint(broken)
    assert run.returncode == 1
    line = text[:text.index(at)].count("\n") + 1
    assert re.search(rf"/publish\.yml:{line}:\d+: .*{expected}", run.stdout), run.stdout


def _workflow() -> dict:
    data = yaml.safe_load(PUBLISH.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def _steps(job: dict) -> dict[str, dict]:
    """A job's steps by the action they use (without its version), or by their name."""
    return {step["uses"].split("@")[0] if "uses" in step else step["name"]: step for step in job["steps"]}


def test_pull_requests_are_checked_and_built_for_review():
    wf = _workflow()
    assert set(wf["on"]) == {"pull_request", "push", "workflow_dispatch"}
    assert wf["on"]["push"] == {"branches": ["main"]}
    steps = _steps(wf["jobs"]["build"])
    assert steps["Check content and registries"]["run"] == "bulletins check --strict --format github"
    review = steps["actions/upload-artifact"]
    assert review["if"] == "github.event_name == 'pull_request'" and review["with"]["path"] == "site/"


def test_main_is_built_with_the_cache_of_the_last_run_and_deployed_to_pages():
    wf = _workflow()
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    steps = _steps(build)
    restore, save = steps["actions/cache/restore"], steps["actions/cache/save"]
    assert restore["with"]["path"] == save["with"]["path"] == cache.DIR.as_posix()
    # Each run saves under a new key; the next run restores the newest by its prefix.
    assert restore["with"]["key"] == save["with"]["key"] == "${{ env.BUILD_CACHE_KEY }}"
    assert restore["with"]["restore-keys"] == "${{ env.BUILD_CACHE_PREFIX }}"
    assert wf["env"]["BUILD_CACHE_KEY"] == wf["env"]["BUILD_CACHE_PREFIX"] + "${{ github.sha }}"
    assert build["env"]["PUBLISHING"] == "${{ github.event_name != 'pull_request' && github.ref == 'refs/heads/main' }}"
    assert save["if"] == steps["actions/upload-pages-artifact"]["if"] == "env.PUBLISHING == 'true'"
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "site/"
    python = steps["actions/setup-python"]["with"]
    assert (python["cache"], python["cache-dependency-path"]) == ("pip", "requirements.lock")

    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert wf["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert list(_steps(deploy)) == ["actions/configure-pages", "SITE_URL is the address Pages serves",
                                    "actions/deploy-pages"]
    assert wf["concurrency"]["group"].endswith("|| 'pages' }}")
    assert wf["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_the_site_url_is_one_repository_variable():
    text = PUBLISH.read_text(encoding="utf-8")
    assert re.findall(r"vars\.\w+", text) == ["vars.SITE_URL", "vars.SITE_URL"]  # the build and the deploy's check
    build = _workflow()["jobs"]["build"]
    assert build["env"]["SITE_URL"] == "${{ vars.SITE_URL }}"
    steps = _steps(build)
    assert 'bulletins build --site-url "$SITE_URL"' in steps["Build the site"]["run"]
    assert "env.SITE_URL == ''" in steps["The site's address is set"]["if"]


def test_every_action_is_pinned_to_a_release_commit():
    uses = re.findall(r"uses: (\S+)(.*)", PUBLISH.read_text(encoding="utf-8"))
    assert len(uses) == 8
    for action, comment in uses:
        assert re.fullmatch(r"actions/[\w/-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (action, comment)


def test_the_workflow_runs_only_commands_that_exist():
    """Each `bulletins …` line of the workflow parses with the command's own parser (the --help texts)."""
    commands = [line.strip() for step in _workflow()["jobs"]["build"]["steps"]
                for line in step.get("run", "").splitlines() if line.strip().startswith("bulletins ")]
    assert len(commands) == 3
    for command in commands:
        build_parser().parse_args(shlex.split(command)[1:])


def test_the_workflow_installs_locked_versions():
    """`pip install --constraint requirements.lock .` pins every runtime dependency only if each one,
    and each of theirs, is in the lock."""
    install = _steps(_workflow()["jobs"]["build"])["Install the bulletins command"]["run"]
    assert install.endswith("--constraint requirements.lock .")
    locked = {canonicalize_name(line.split("==")[0]) for line in (REPO / "requirements.lock").read_text().split()}
    wanted = [Requirement(r) for r in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]]
    seen: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is a runtime dependency missing from requirements.lock"
        if name in seen:
            continue
        seen.add(name)
        for extra in ("", *requirement.extras):
            wanted += [r for r in map(Requirement, metadata.requires(requirement.name) or [])
                       if r.marker is None or r.marker.evaluate({"extra": extra})]
    assert {"mkdocs", "pagefind", "pagefind-bin", "jinja2"} <= seen


def test_readme_documents_publishing():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Publishing\n"):]
    section = section[:section.index("\n## ", 1)]
    for words in ("--format github", "review-site", "SITE_URL", "GitHub Actions", ".cache/bulletins",
                  "bulletins build", "site/"):
        assert words in section, words
