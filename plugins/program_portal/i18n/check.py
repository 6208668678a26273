"""Located diagnostics for the language: ``program.language``, ``labels:`` and the theme's language.

- an unknown locale is an error at ``program.language`` (PF024), with a hint;
- a ``labels:`` id that does not exist, or a text whose placeholders differ from the English
  label's, is an error at that entry (PF025), with a did-you-mean hint;
- labels that neither a catalog nor ``labels:`` gives in the program's language stay English,
  with ONE warning that names the language and the labels (PF026), so ``--strict`` fails;
- a ``theme.language`` in mkdocs.yml other than the program's is a warning (PF027).
"""

from __future__ import annotations

from babel import Locale

from program_portal.codes import LANGUAGE_INCOMPLETE, THEME_LANGUAGE, UNKNOWN_LABEL, UNKNOWN_LANGUAGE
from program_portal.diagnostics import Diagnostic, Location, did_you_mean, error, warning
from program_portal.i18n.labels import LABELS
from program_portal.i18n.language import SHIPPED, Language, parse_locale, placeholders

COMMON = ("en", "en-GB", "en-US", "de", "de-CH", "de-AT", "fr", "fr-CH", "fr-CA", "es", "nl", "it", "pt", "pt-BR", "sv",
          "da", "nb", "fi", "pl", "cs", "ja", "zh", "ar")


def language_problem(tag: str) -> str | None:
    """None for a locale CLDR knows, else a message with a hint."""
    try:
        parse_locale(tag)
        return None
    except ValueError:
        if len(tag) > 35:
            return f"unknown language '{tag[:35]}…'; use a BCP 47 / CLDR locale like en, de, fr-CH or pt-BR"
        by_name = {name.lower(): code for code, name in Locale("en").languages.items() if "_" not in code}
        if tag.strip().lower() in by_name:  # "German", "french"
            hint = f" (did you mean '{by_name[tag.strip().lower()]}'?)"
        else:
            hint = did_you_mean(tag, COMMON) or did_you_mean(tag.lower(), [*COMMON, *(k.replace("_", "-") for k in _known())])
        return f"unknown language '{tag}'; use a BCP 47 / CLDR locale like en, de, fr-CH or pt-BR{hint}"


def _known() -> list[str]:
    from babel.localedata import locale_identifiers

    return locale_identifiers()


def program_problems(language: str, labels: dict[str, str], at_value, at_key) -> list[Diagnostic]:
    """Errors in ``program.language`` and ``labels:`` (``at_value``/``at_key``: path -> Location)."""
    problems = []
    if problem := language_problem(language):
        problems.append(error(UNKNOWN_LANGUAGE, problem, at_value(("program", "language"))))
    for id, text in labels.items():
        if id not in LABELS:
            problems.append(error(UNKNOWN_LABEL, f"unknown label '{id}'{did_you_mean(id, LABELS)}; the labels are listed in "
                                  "docs/translations.md", at_key(("labels", id))))
            continue
        english = LABELS[id]
        expected = placeholders(english.text)
        found = placeholders(text)
        if found != expected:
            want = ", ".join("{" + p + "}" for p in sorted(expected)) or "no placeholder"
            problems.append(error(UNKNOWN_LABEL, f"label '{id}' must have the placeholders of the English "
                                  f"'{english.text}': {want}", at_value(("labels", id))))
    return problems


def incomplete(language: Language, location: Location) -> list[Diagnostic]:
    """One warning when some labels stay English in a non-English program."""
    missing = language.missing()
    if not missing:
        return []
    if language.catalog is None:
        where = (f"there is no catalog for {language.display_name()} (catalogs: {', '.join(SHIPPED)}), so its "
                 f"{len(missing)} generated labels are in English; dates and numbers are {language.locale.get_display_name('en')}")
    else:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        where = f"the {language.catalog} catalog lacks {len(missing)} label(s) for {language.display_name()}, shown in English: {shown}"
    return [warning(LANGUAGE_INCOMPLETE, f"{where}; give them under 'labels:' in program.yml or add a catalog", location)]


def material_language(tag: str) -> str | None:
    """The Material theme language for a program language (``pt-BR``, ``de``), or None when it has none."""
    from importlib import resources

    try:
        folder = resources.files("material") / "templates" / "partials" / "languages"
        available = {p.name.removesuffix(".html") for p in folder.iterdir() if p.name.endswith(".html")}
    except (ModuleNotFoundError, OSError):
        return None
    locale = parse_locale(tag)
    for candidate in (f"{locale.language}-{locale.territory}" if locale.territory else None,
                      f"{locale.language}-{locale.script}" if locale.script else None, locale.language):
        if candidate and candidate in available:
            return candidate
    return None


def theme_language(program_language: str, theme: str | None, file: str) -> list[Diagnostic]:
    """A warning when mkdocs.yml's ``theme.language`` is not the program's language."""
    if theme is None:
        return []
    try:
        ours, theirs = parse_locale(program_language), Locale.parse(str(theme).replace("_", "-"), sep="-")
    except (ValueError, Exception):  # an odd theme language is Material's business
        return []
    if ours.language == theirs.language:
        return []
    return [warning(THEME_LANGUAGE, f"theme.language is '{theme}' but program.language is '{program_language}': the theme's "
                    f"own words (search, navigation) would be in another language than the portal's; remove theme.language "
                    f"(it then follows the program) or set it to '{material_language(program_language) or program_language}'",
                    Location(file))]
