"""The portal's language: catalogs, CLDR formats, ``labels:`` overrides and the language diagnostics.

Catalogs: every shipped catalog has every label of ``i18n/labels.py``, none fuzzy, none empty,
each with exactly the English placeholders, and its compiled ``.mo`` is the ``.po`` compiled.
"""

from __future__ import annotations

import io
import re
import string
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import DIAGNOSTIC, Project
from program_portal.i18n.labels import LABELS
from program_portal.i18n.language import DOMAIN, LOCALE_DIR, SHIPPED, Language

POT = LOCALE_DIR.parent / "portal.pot"


def _placeholders(text: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def _catalog(lang: str):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        return read_po(f, locale=lang)


def test_the_template_has_every_label_and_nothing_else() -> None:
    with open(POT, "rb") as f:
        pot = read_po(f)
    found = {m.context: m.id for m in pot if m.id}
    expected = {lab.id: (lab.text, lab.plural) if lab.plural else lab.text for lab in LABELS.values()}
    assert found == expected, "portal.pot is stale: run `make translations`"


@pytest.mark.parametrize("lang", SHIPPED)
def test_catalog_is_complete_not_fuzzy_and_keeps_the_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    messages = {m.context: m for m in catalog if m.id}
    assert set(messages) == set(LABELS), f"{lang}: missing {sorted(set(LABELS) - set(messages))}, extra {sorted(set(messages) - set(LABELS))}"
    for id, label in LABELS.items():
        message = messages[id]
        assert not message.fuzzy, f"{lang}: {id} is fuzzy"
        english = (label.text, label.plural) if label.plural else label.text
        assert message.id == english, f"{lang}: {id} translates an old English text"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert strings and all(s.strip() for s in strings), f"{lang}: {id} is not translated"
        for s in strings:
            assert _placeholders(s) == _placeholders(label.text), f"{lang}: {id} {s!r} has other placeholders than {label.text!r}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_compiled_catalog_is_the_po_compiled(lang: str) -> None:
    out = io.BytesIO()
    write_mo(out, _catalog(lang))
    assert (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes() == out.getvalue(), f"{lang}: run `make translations`"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_shipped_language_is_complete(lang: str) -> None:
    assert Language(lang).missing() == []


def test_labels_are_translated_and_overridable() -> None:
    assert Language("de").text("document.page", page=1, pages=6) == "Seite 1 von 6"
    assert Language("fr").text("document.page", page=1, pages=6) == "Page 1 sur 6"
    assert Language("de-CH").catalog == "de" and Language("pt-BR").catalog == "pt" and Language("sv").catalog is None
    assert Language("de", {"role-kind.program-office": "Mentoring-Büro"}).text("role-kind.program-office") == "Mentoring-Büro"
    assert Language("de").text("checklist.open", 1, tally="x", open=1) == "x, 1 Pflichtpunkt noch offen"
    assert Language("de").text("checklist.open", 2, tally="x", open=2) == "x, 2 Pflichtpunkte noch offen"
    browser = Language("fr").browser()
    assert browser["lang"] == "fr" and browser["calendar.copied"] == "Copiée"
    assert browser["checklist.open"]["one"] == "{tally}, {open} point obligatoire encore ouvert"
    assert browser["checklist.open"]["other"] == "{tally}, {open} points obligatoires encore ouverts"


BERLIN, LONDON = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("lang", "zone", "expected"),
    [
        ("de", BERLIN, "Do., 28. Jan. 2027, 16:00–17:30 Uhr GMT+1"),
        ("de-CH", BERLIN, "Do., 28. Jan. 2027, 16:00–17:30 Uhr GMT+1"),
        ("fr", LONDON, "jeu. 28 janv. 2027, 16:00 – 17:30 UTC"),
        ("es", BERLIN, "jue, 28 ene 2027, 16:00–17:30 GMT+1"),
        ("nl", BERLIN, "do 28 jan 2027, 16:00–17:30 GMT+1"),
        ("it", BERLIN, "gio 28 gen 2027, 16:00–17:30 GMT+1"),
        ("pt-BR", LONDON, "qui., 28 de jan. de 2027 16:00 – 17:30 GMT"),
        ("sv", BERLIN, "tors 28 jan. 2027 16:00–17:30 GMT+1"),
        ("en", LONDON, "Thu, Jan 28, 2027, 4:00 – 5:30 PM GMT"),
        ("en-GB", LONDON, "Thu, 28 Jan 2027, 16:00–17:30 GMT"),
    ],
)
def test_occurrences_are_written_the_locale_s_way(lang: str, zone: ZoneInfo, expected: str) -> None:
    start, end = datetime(2027, 1, 28, 16, 0, tzinfo=zone), datetime(2027, 1, 28, 17, 30, tzinfo=zone)
    assert plain(Language(lang).occurrence(start, end)) == expected


@pytest.mark.parametrize(
    ("lang", "duration", "months", "days", "listed"),
    [
        ("en", "1 hour 30 minutes", "9 months", "Jan 11 – 31, 2027", "A, B, C"),
        ("de", "1 Stunde 30 Minuten", "9 Monate", "11.–31. Jan. 2027", "A, B und C"),
        ("fr", "1 heure 30 minutes", "9 mois", "11–31 janv. 2027", "A, B et C"),
        ("es", "1 hora 30 minutos", "9 meses", "11–31 ene 2027", "A, B y C"),
        ("nl", "1 uur 30 minuten", "9 maanden", "11–31 jan 2027", "A, B en C"),
        ("it", "1 ora 30 minuti", "9 mesi", "11–31 gen 2027", "A, B e C"),
        ("pt", "1 hora 30 minutos", "9 meses", "11 – 31 de jan. de 2027", "A, B e C"),
    ],
)
def test_durations_ranges_and_lists_per_locale(lang: str, duration: str, months: str, days: str, listed: str) -> None:
    language = Language(lang)
    assert plain(language.duration(90)) == duration
    assert plain(language.months(9)) == months
    assert plain(language.day_range(date(2027, 1, 11), date(2027, 1, 31))) == days
    assert language.list(["A", "B", "C"]) == listed


@pytest.mark.parametrize(
    ("lang", "zone", "when", "expected"),
    [
        ("en", "America/New_York", datetime(2027, 2, 10, 12), "GMT−5"),
        ("en", "America/New_York", datetime(2027, 7, 10, 12), "GMT−4"),
        ("en-GB", "Europe/London", datetime(2027, 7, 10, 12), "GMT+1"),  # not BST: one style on every page
        ("de", "Asia/Kolkata", datetime(2027, 7, 10, 12), "GMT+5:30"),
        ("fr", "Europe/Paris", datetime(2027, 7, 10, 12), "UTC+2"),
        ("fr", "UTC", datetime(2027, 7, 10, 12), "UTC"),
    ],
)
def test_zone_names_are_cldr_short_offsets_in_every_locale(lang: str, zone: str, when: datetime, expected: str) -> None:
    assert Language(lang).zone(when.replace(tzinfo=ZoneInfo(zone))) == expected


def plain(text: str) -> str:
    """CLDR's no-break and thin spaces as plain spaces, for readable expectations."""
    return re.sub(r"[\u00a0\u2009\u202f]", " ", text)


def test_right_to_left_language_is_marked() -> None:
    arabic = Language("ar")
    assert arabic.direction == "rtl" and arabic.catalog is None and arabic.html_lang == "ar"


# -- diagnostics ---------------------------------------------------------------------------------


def _set_language(project: Project, tag: str) -> None:
    text = project.read()
    if re.search(r"(?m)^  language: ", text):
        text = re.sub(r"(?m)^  language: .*$", f"  language: {tag}", text)
    else:
        text = re.sub(r"(?m)^(  timezone: )", f"  language: {tag}\n\\1", text, count=1)
    project.write("program.yml", text)


def test_unknown_language_is_a_located_error_with_a_hint(project: Project) -> None:
    _set_language(project, "de-DH")
    result = project.check()
    assert not result.ok
    assert result.diagnostics() == [f"{project.at('de-DH')}: error PF024: unknown language 'de-DH'; use a BCP 47 / CLDR locale like en, de, fr-CH or pt-BR (did you mean 'de-CH'?)"]


def test_unknown_label_id_is_a_located_error_with_a_hint(project: Project) -> None:
    project.write("program.yml", project.read() + "\nlabels:\n  role-kind.program-ofice: Mentoring office\n  contract.between: 'Between {parties} and {others}.'\n")
    result = project.check()
    lines = result.diagnostics()
    assert lines[0].startswith(f"{project.at('role-kind.program-ofice')}: error PF025: unknown label 'role-kind.program-ofice' (did you mean 'role-kind.program-office'?)")
    assert lines[1].startswith(f"{project.at(chr(39) + 'Between')}: error PF025: label 'contract.between' must have the placeholders")
    assert len(lines) == 2 and all(DIAGNOSTIC.match(line) for line in lines)


def test_labels_override_in_any_language(project: Project) -> None:
    _set_language(project, "de")
    project.write("program.yml", project.read() + "\nlabels:\n  role-kind.program-office: Mentoring-Büro\n  contract.parties: Die Beteiligten\n")
    report = project.report()
    assert report.errors == [] and report.warnings == []
    pages = report.pages.pages
    assert "## Die Beteiligten" in pages["templates/agreement.md"]


def test_a_language_without_catalog_gets_cldr_dates_and_one_warning(project: Project) -> None:
    _set_language(project, "sv")
    result = project.check("--strict")
    assert not result.ok
    warnings = [line for line in result.diagnostics() if "PF026" in line]
    assert len(warnings) == 1 and "Swedish (sv)" in warnings[0] and warnings[0].startswith(project.at("sv") + ": warning PF026")
    pages = project.report().pages.pages
    assert "tors 28 jan. 2027" in pages["calendar/index.md"]
    # every label given under labels: -> no warning at all
    from program_portal.i18n.labels import LABELS as ALL

    lines = "".join(f"  {id}: {_yaml(lab.text)}\n" for id, lab in ALL.items())
    project.write("program.yml", project.read() + "\nlabels:\n" + lines)
    assert [d for d in project.report().diagnostics if d.code == "PF026"] == []


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_theme_language_that_differs_warns(project: Project) -> None:
    _set_language(project, "de")
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("  font: false\n", "  font: false\n  language: fr\n"))
    result = project.check()
    assert result.ok
    assert result.diagnostics() == ["mkdocs.yml:1:1: warning PF027: theme.language is 'fr' but program.language is 'de': the theme's own "
                                    "words (search, navigation) would be in another language than the portal's; remove theme.language "
                                    "(it then follows the program) or set it to 'de'"]


def test_docs_list_every_label() -> None:
    from conftest import REPO
    from program_portal.i18n.labels import markdown_table

    docs = (REPO / "docs" / "translations.md").read_text(encoding="utf-8")
    start = docs.index("\n", docs.index("<!-- labels")) + 1
    assert docs[start : docs.index("<!-- /labels -->")] == markdown_table(), "run python -m program_portal.i18n.labels"


def test_label_ids_are_in_the_json_schema() -> None:
    from program_portal.source.schema import schema

    names = schema()["properties"]["labels"]["propertyNames"]["enum"]
    assert names == sorted(LABELS)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8}){0,3}", fullmatch=True)))
def test_any_language_value_is_accepted_or_reported_never_a_crash(tag: str) -> None:
    from program_portal.i18n.check import language_problem

    problem = language_problem(tag)
    if problem is None:
        language = Language(tag)
        assert language.html_lang and language.direction in ("ltr", "rtl")
        assert language.occurrence(datetime(2027, 1, 28, 16, tzinfo=LONDON), datetime(2027, 1, 28, 17, tzinfo=LONDON))
        assert language.duration(75) and language.list(["a", "b"]) and language.text("document.page", page=1, pages=2)
    else:
        assert problem.startswith("unknown language")


def test_a_locale_whose_interval_pattern_babel_cannot_format_still_gives_times() -> None:
    """zh-Hant-TW's CLDR time interval uses the day-period field 'B', which Babel cannot format yet."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from program_portal.i18n.language import Language

    london = ZoneInfo("Europe/London")
    text = Language("zh-Hant-TW").occurrence(datetime(2027, 1, 28, 16, 0, tzinfo=london), datetime(2027, 1, 28, 17, 30, tzinfo=london))
    assert text.startswith("2027年1月28日") and "4:00" in text and "5:30" in text and text.endswith("GMT")
