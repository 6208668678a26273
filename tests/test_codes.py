"""One registry of diagnostic codes: the README's table is generated from it, no module invents its own."""

from __future__ import annotations

import re
from pathlib import Path

from program_portal import codes
from program_portal.checks.design import CHECKS

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "plugins" / "program_portal"


def test_readme_table_is_the_registry() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- codes:[^\n]*-->\n(.*?)<!-- /codes -->", readme, re.S)
    assert match, "README.md lost its generated table of codes"
    assert match.group(1) == codes.markdown_table(), "run: python -m program_portal.codes, and paste the table into README.md"


def test_no_module_spells_a_code_of_its_own() -> None:
    literal = re.compile(r"[\"']P[FDV]\d{3}[\"']")
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "codes.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []


def test_every_design_check_is_a_registered_warning() -> None:
    assert set(CHECKS) == {c for c, entry in codes.REGISTRY.items() if c.startswith("PD")}
    assert all(codes.REGISTRY[c].severity == "warning" for c in CHECKS)
