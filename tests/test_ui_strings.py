"""The UI strings contract: the code uses only keys of UI_KEYS, and the checker requires
every one of them in site_config/ui.yml, in both languages; each string uses only the
placeholders the code fills in (UI_PLACEHOLDERS)."""

import re
from pathlib import Path

from bulletins.cli import main
from bulletins.facts import STATUS_LABELS, UNIT_TYPES
from bulletins.pages.follow_ups import KIND_LABELS
from bulletins.registry import UI_KEYS, UI_PLACEHOLDERS, placeholder_problem
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
# keys chosen at run time: ward/commune by a commune's type, wards/rural_communes per table,
# the rows of a bulletin's facts and its action lists (facts.py: ("date", ...), ("directives", ...))
DYNAMIC = {"ward", "commune", "wards", "rural_communes", "date", "group", "updated", "participants", "recommendations",
           "directives", "raised_here", "no_follow_up"} | {key for _, key in UNIT_TYPES} | set(STATUS_LABELS.values()) | set(
    KIND_LABELS.values())  # raised_here: a visit's kinds (pages.visit); unit types: facts.Words.unit


def test_code_uses_exactly_the_declared_keys():
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "scripts" / "bulletins").rglob("*.py"))
    used = set(re.findall(r"""(?:\bt\(|\blabelled\(|ui\[)["'](\w+)["']""", source)) | DYNAMIC
    assert used == set(UI_KEYS)


def test_missing_ui_string_is_reported(tmp_path, capsys):
    import shutil
    for part in ("site_config", "schema"):
        shutil.copytree(REPO / part, tmp_path / part)
    ui = tmp_path / "site_config" / "ui.yml"
    ui.write_text("\n".join(line for line in ui.read_text(encoding="utf-8").splitlines()
                            if not line.startswith("latest_of:")) + "\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 1
    assert "site_config/ui.yml:1:1: error: missing UI string 'latest_of'" in capsys.readouterr().out


def _format_calls() -> list[tuple[str, str, set[str]]]:
    """(file, UI key, keyword names) of every call that fills a UI string in: ``t("key", a=...)``
    (pages, facts) and ``ui["key"].format(a=...)`` (feeds)."""
    import ast

    calls = []
    for path in sorted((REPO / "scripts" / "bulletins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func, key = node.func, None
            if (isinstance(func, (ast.Attribute, ast.Name)) and getattr(func, "attr", getattr(func, "id", None)) == "t"
                    and node.args and isinstance(node.args[0], ast.Constant) and node.keywords):
                key = node.args[0].value
            elif (isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Subscript)
                  and isinstance(func.value.slice, ast.Constant) and func.value.slice.value in UI_KEYS):
                key = func.value.slice.value
            if key is not None:
                calls.append((path.name, key, {k.arg for k in node.keywords}))
    return calls


def test_declared_placeholders_are_what_the_code_fills_in():
    """The checker refuses a UI string with a placeholder the code does not fill in ('{nom}'
    failed the build with KeyError: 'nom'); so the declaration must match every call."""
    calls = _format_calls()
    assert calls, "no call fills a UI string in: has the code changed how it does?"
    for where, key, names in calls:
        assert names == set(UI_PLACEHOLDERS.get(key, ())), f"{where}: {key} is filled with {sorted(names)}"
    units = {key for _, key in UNIT_TYPES}  # filled in with name=... by facts.Words.unit
    assert {key for _, key, _ in calls} | units == set(UI_PLACEHOLDERS)


def test_the_repository_ui_strings_fill_in():
    import yaml

    ui = yaml.safe_load((REPO / "site_config" / "ui.yml").read_text(encoding="utf-8"))
    for key, texts in ui.items():
        for lang, text in texts.items():
            assert placeholder_problem(text, UI_PLACEHOLDERS.get(key, ())) is None, (key, lang)
            text.format(**{name: "x" for name in UI_PLACEHOLDERS.get(key, ())})


@given(st.text(alphabet="{}!:0 namesho", max_size=12),
       st.sampled_from([(), ("name",), ("name", "definition"), ("shown", "total")]))
@settings(max_examples=3000, deadline=None)
def test_every_accepted_ui_string_fills_in(text, allowed):
    """What the checker accepts, str.format fills in without an error and without a brace of
    its own syntax left; what it refuses, it says why."""
    problem = placeholder_problem(text, allowed)
    if problem is None:
        filled = text.format(**{name: "\u2603" for name in allowed})
        assert filled.count("{") == text.count("{{") and filled.count("}") == text.count("}}")
        assert allowed or ("{" not in text and "}" not in text)
    else:
        message, hint = problem
        assert message and hint
