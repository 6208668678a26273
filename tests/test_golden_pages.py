"""Golden files: the generated Markdown of the ``full`` fixture, page by page.

``tests/golden/pages/<src>`` holds each generated page (``program/index.md``...) and
``nav.json`` the generated navigation. After an intended change, rewrite them with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_pages.py

and review the diff.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import FIXTURES, TESTS
from program_portal.source.loader import load_program
from program_portal.render.pages.portal import Portal
from program_portal.render.site import GeneratedPages, generate_pages

GOLDEN = TESTS / "golden" / "pages"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _generate() -> GeneratedPages:
    root = FIXTURES / "full"
    loaded = load_program(root / "program.yml", root=root, docs_dir=root / "content")
    return generate_pages(Portal(loaded), downloads=False)


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    pages = _generate()
    files = dict(pages.pages)
    files["nav.json"] = json.dumps(pages.nav, indent=2, ensure_ascii=False) + "\n"
    if UPDATE:
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for src, text in files.items():
            target = GOLDEN / src
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return files


def _golden_files() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


def test_same_set_of_pages(generated: dict[str, str]) -> None:
    assert sorted(generated) == _golden_files()


def test_every_kind_of_page_is_covered(generated: dict[str, str]) -> None:
    assert {"program/index.md", "program/policies.md", "guides/executive.md", "guides/circles.md", "templates/index.md",
            "templates/agreement.md", "templates/first-session.md", "templates/mentor-quality.md", "calendar/index.md"} <= set(generated)


@pytest.mark.parametrize("src", _golden_files() or ["(no golden files: run with UPDATE_GOLDEN=1)"])
def test_page_matches_golden(generated: dict[str, str], src: str) -> None:
    if UPDATE and not (GOLDEN / src).is_file():
        pytest.skip("golden files written; run again without UPDATE_GOLDEN")
    expected = (GOLDEN / src).read_text(encoding="utf-8")
    assert src in generated, f"{src} is no longer generated"
    assert generated[src] == expected, f"{src} differs from tests/golden/pages/{src}; if intended, rerun with UPDATE_GOLDEN=1"


def test_generation_is_deterministic(generated: dict[str, str]) -> None:
    again = _generate()
    assert again.pages == {k: v for k, v in generated.items() if k != "nav.json"}


def test_generated_pages_have_no_placeholders_or_raw_html_from_program_yml(generated: dict[str, str]) -> None:
    for src, text in generated.items():
        assert "{{" not in text and "{%" not in text, src
