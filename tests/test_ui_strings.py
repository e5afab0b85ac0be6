"""The UI strings contract: the code uses only keys of UI_KEYS, and the checker requires
every one of them in site_config/ui.yml, in both languages."""

import re
from pathlib import Path

from bulletins.cli import main
from bulletins.registry import UI_KEYS

REPO = Path(__file__).resolve().parents[1]
# keys chosen at run time: ward/commune by a commune's type, wards/rural_communes per table
DYNAMIC = {"ward", "commune", "wards", "rural_communes"}


def test_code_uses_exactly_the_declared_keys():
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "scripts" / "bulletins").glob("*.py"))
    used = set(re.findall(r"""(?:self\.t\(|ui\[)["'](\w+)["']""", source)) | DYNAMIC
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
