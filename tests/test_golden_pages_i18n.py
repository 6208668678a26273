"""Golden files in other languages: the ``small`` fixture's generated pages in German and in French.

Only ``program.language`` differs from the fixture; the designer's own text stays as written
(English), every generated word and date is German or French. After an intended change:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_pages_i18n.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, TESTS
from program_portal.render.pages.portal import Portal
from program_portal.render.site import generate_pages
from program_portal.source.loader import load_program

LANGUAGES = ("de", "fr")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def golden_dir(lang: str) -> Path:
    return TESTS / "golden" / f"pages-{lang}"


def generate(lang: str, tmp: Path) -> dict[str, str]:
    root = tmp / f"small-{lang}"
    shutil.copytree(FIXTURES / "small", root)
    program = root / "program.yml"
    program.write_text(re.sub(r"(?m)^(  timezone: )", f"  language: {lang}\n\\1", program.read_text(encoding="utf-8"), count=1),
                       encoding="utf-8")
    pages = generate_pages(Portal(load_program(program, root=root, docs_dir=root / "content")), downloads=False)
    files = dict(pages.pages)
    files["nav.json"] = json.dumps(pages.nav, indent=2, ensure_ascii=False) + "\n"
    return files


@pytest.fixture(scope="module", params=LANGUAGES)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    lang = request.param
    files = generate(lang, tmp_path_factory.mktemp(lang))
    if UPDATE:
        target = golden_dir(lang)
        shutil.rmtree(target, ignore_errors=True)
        for src, text in files.items():
            (target / src).parent.mkdir(parents=True, exist_ok=True)
            (target / src).write_text(text, encoding="utf-8")
    return lang, files


def test_pages_match_their_golden_files(generated: tuple[str, dict[str, str]]) -> None:
    lang, files = generated
    golden = golden_dir(lang)
    on_disk = sorted(p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file())
    assert sorted(files) == on_disk, f"run with UPDATE_GOLDEN=1 to write tests/golden/pages-{lang}"
    for src in on_disk:
        assert files[src] == (golden / src).read_text(encoding="utf-8"), f"{src} differs from tests/golden/pages-{lang}/{src}"


def test_generated_words_are_in_the_language(generated: tuple[str, dict[str, str]]) -> None:
    lang, files = generated
    expected = {
        "de": ["## Zeitplan", "Do., 4. Feb. 2027, 12:00–13:00 Uhr GMT<", "45 Minuten, alle 2 Wochen", '"Programm"'],
        "fr": ["## Déroulement", "jeu. 4 févr. 2027, 12:00 – 13:00 UTC", "45 minutes, toutes les 2 semaines", '"Programme"'],
    }[lang]
    everything = "\n".join(files.values()).replace("\u202f", " ").replace("\u2009", " ").replace("\u00a0", " ")
    for text in expected:
        assert text in everything, text
