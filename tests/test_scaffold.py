"""`bulletins new` writes both language files of a bulletin that the checker accepts once
its text is written, and never overwrites anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bulletins.cli import main
from checker_project import make_project

NEW = ["new", "--group", "3", "--date", "2025-08-05", "--communes", "huu-lung,tuan-son", "--leader", "ho-tien-thieu"]
ID = "2025-08-05-group-3"
PATHS = [f"content/bulletins/{ID}.{lang}.md" for lang in ("vi", "fr")]


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def snapshot(root: Path) -> dict[str, bytes]:
    folder = root / "content" / "bulletins"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_writes_both_files(project, capsys):
    assert main(["--root", str(project), *NEW]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"wrote {path}" for path in PATHS]
    for path in PATHS:
        text = (project / path).read_text(encoding="utf-8")
        assert text.startswith("---\n# yaml-language-server: $schema=../../schema/bulletin.schema.json\n")
        for line in ("date: 2025-08-05", "group: 3", "leader: ho-tien-thieu", "communes: [huu-lung, tuan-son]",
                     'title: ""', 'summary: ""'):
            assert f"\n{line}\n" in text
        assert "<!--" in text.split("\n---\n", 1)[1]  # the body is only a placeholder comment
    vi, fr = ((project / path).read_text(encoding="utf-8") for path in PATHS)
    assert vi.split("\n---\n")[0] == fr.split("\n---\n")[0]  # the same facts in both languages


def test_new_refuses_to_overwrite(project, capsys):
    assert main(["--root", str(project), *NEW]) == 0
    (project / PATHS[1]).write_text("---\ntitle: edited by hand\n---\n", encoding="utf-8")
    before = snapshot(project)
    capsys.readouterr()
    assert main(["--root", str(project), *NEW]) == 2
    err = capsys.readouterr().err
    assert f"{PATHS[0]} already exists" in err
    assert snapshot(project) == before


def test_new_refuses_when_only_one_language_exists(project, capsys):
    (project / PATHS[1]).write_text("---\n---\nbản nháp\n", encoding="utf-8")
    before = snapshot(project)
    assert main(["--root", str(project), *NEW]) == 2
    assert f"{PATHS[1]} already exists" in capsys.readouterr().err
    assert snapshot(project) == before  # not even the missing language is written


def test_new_unknown_commune_did_you_mean(project, capsys):
    before = snapshot(project)
    args = [a if a != "huu-lung,tuan-son" else "huu-lung,tuan-sonn" for a in NEW]
    assert main(["--root", str(project), *args]) == 2
    assert "unknown commune 'tuan-sonn'; did you mean 'tuan-son'?" in capsys.readouterr().err
    assert snapshot(project) == before


@pytest.mark.parametrize("change,message", [
    (("--group", "99"), "unknown working group 99"),
    (("--leader", "ho-tien-thiu"), "unknown person 'ho-tien-thiu'; did you mean 'ho-tien-thieu'?"),
    (("--date", "2025-02-30"), "invalid --date '2025-02-30'"),
    (("--communes", "huu-lung,huu-lung"), "--communes lists a commune twice"),
    (("--communes", ","), "--communes needs at least one commune id"),
])
def test_new_refuses_bad_arguments(project, capsys, change, message):
    args = list(NEW)
    args[args.index(change[0]) + 1] = change[1]
    before = snapshot(project)
    assert main(["--root", str(project), *args]) == 2
    assert message in capsys.readouterr().err
    assert snapshot(project) == before


def test_new_files_fail_only_on_the_text_still_to_write(project, capsys):
    assert main(["--root", str(project), *NEW]) == 0
    capsys.readouterr()
    assert main(["--root", str(project), "check", "--format", "json"]) == 1
    found = {(d["path"], d["line"], d["col"], d["severity"], d["message"])
             for d in json.loads(capsys.readouterr().out)}
    expected = set()
    for path in PATHS:
        expected |= {(path, 8, 8, "error", "title is empty"),
                     (path, 9, 10, "error", "summary is empty"),
                     (path, 16, 1, "error", "the body (text after the front matter) is empty")}
    assert found == expected


def test_new_files_pass_once_written(project, capsys):
    assert main(["--root", str(project), *NEW]) == 0
    for path, words in zip(PATHS, ("Tổ công tác số 3 làm việc với Hữu Lũng và Tuấn Sơn",
                                   "Le groupe n° 3 rencontre Hữu Lũng et Tuấn Sơn")):
        file = project / path
        text = file.read_text(encoding="utf-8")
        text = text.replace('title: ""', f'title: "{words}"').replace('summary: ""', f'summary: "{words}."')
        file.write_text(text + f"\n{words}.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(project), "check", "--strict"]) == 0, capsys.readouterr().out
