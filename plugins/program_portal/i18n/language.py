"""The program's language: its labels (gettext catalogs, ``labels:`` overrides) and CLDR formatting.

One :class:`Language` per program. Labels come, in this order, from ``labels:`` in
program.yml, the catalog of the program's language (``de-CH`` uses ``de``), and English.
Dates, times, ranges, durations, lists and numbers come from CLDR through Babel for the
exact locale (``de-CH``, ``pt-BR``, ``sv``), catalog or not.
"""

from __future__ import annotations

import gettext
import html
import string
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_interval, format_skeleton, get_timezone_gmt
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import Translations
from babel.units import format_unit

from program_portal.i18n.labels import LABELS, Label

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "portal"
SHIPPED = ("en", "en_GB", "de", "fr", "es", "nl", "it", "pt")
"""The languages with a complete catalog."""

_FORMATTER = string.Formatter()


def parse_locale(tag: str) -> Locale:
    """The CLDR locale of a BCP 47 tag (``de-CH``, ``pt_BR``). Raises ValueError for an unknown one."""
    cleaned = tag.strip().replace("_", "-")
    if not cleaned or len(cleaned) > 35 or cleaned.lower().split("-")[0] in ("root", "und"):
        raise ValueError(f"not a language: {tag!r}")
    try:
        return Locale.parse(cleaned, sep="-")
    except UnknownLocaleError as exc:
        raise ValueError(str(exc)) from None


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a label text."""
    try:
        return {field for _, field, _, _ in _FORMATTER.parse(text) if field is not None}
    except ValueError:
        return {"<malformed>"}


def _unquote(pattern: str) -> str:
    """An LDML pattern's quoted literals as text (``{1} 'à' {0}`` -> ``{1} à {0}``)."""
    out, quoted, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            if pattern[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            quoted = not quoted
        else:
            out.append(c)
        i += 1
    return "".join(out)


class Language:
    """Labels and formats for one program language. ``overrides``: ``labels:`` from program.yml."""

    def __init__(self, tag: str = "en", overrides: Mapping[str, str] | None = None) -> None:
        self.tag = tag
        self.locale = parse_locale(tag)
        self.overrides = dict(overrides or {})

    # -- catalogs ------------------------------------------------------------------------------

    @cached_property
    def catalog(self) -> str | None:
        """The shipped catalog used (``de`` for ``de-CH``), or None."""
        names = [str(self.locale)]
        if self.locale.script:
            names.append(f"{self.locale.language}_{self.locale.script}")
        names.append(self.locale.language)
        return next((n for n in names if (LOCALE_DIR / n / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()), None)

    @cached_property
    def translations(self) -> gettext.NullTranslations:
        if self.catalog is None:
            return gettext.NullTranslations()
        return Translations.load(str(LOCALE_DIR), [self.catalog], DOMAIN)

    def translated(self, label: Label) -> bool:
        """Whether the catalog (or English itself) has this label."""
        if self.locale.language == "en" and self.catalog in (None, "en"):
            return True
        if self.catalog is None:
            return False
        if label.plural is None:
            return self.translations.pgettext(label.id, label.text) != label.text or self._identical(label)
        return self.translations.npgettext(label.id, label.text, label.plural, 1) != label.text or self._identical(label)

    def _identical(self, label: Label) -> bool:
        """A translation equal to the English (``PDF``, ``Format``): present in the catalog as such."""
        catalog = getattr(self.translations, "_catalog", {})
        key = f"{label.id}\x04{label.text}"
        return key in catalog or (key, 0) in catalog

    def missing(self) -> list[str]:
        """Label ids that neither ``labels:`` nor a catalog gives in this language (they stay English)."""
        return [i for i, lab in LABELS.items() if i not in self.overrides and not self.translated(lab)]

    # -- labels --------------------------------------------------------------------------------

    def template(self, id: str, n: int | None = None) -> str:
        """The label's text (for a plural label: the form for ``n``), placeholders unfilled."""
        label = LABELS[id]
        if id in self.overrides:
            return self.overrides[id]
        if label.plural is not None:
            return self.translations.npgettext(id, label.text, label.plural, 1 if n is None else n)
        return self.translations.pgettext(id, label.text)

    def text(self, id: str, n: int | None = None, **values: Any) -> str:
        """The label as plain text, placeholders filled in (``n``: the count a plural label is for)."""
        template = self.template(id, n)
        return template.format(**values) if values else template

    def md(self, id: str, n: int | None = None, **values: Any) -> str:
        """The label for Markdown: its own words escaped, ``values`` (already Markdown) inserted as they are."""
        from program_portal.render.markdown import text as md_text

        out = []
        for literal, field, _, _ in _FORMATTER.parse(self.template(id, n)):
            out.append(md_text(literal))
            if field is not None:
                out.append(str(values[field]))
        return "".join(out)

    def attr(self, id: str, **values: Any) -> str:
        """The label escaped for an HTML attribute or element."""
        return html.escape(self.text(id, **values))

    def parts(self, id: str) -> list[tuple[str, str | None]]:
        """The label as (literal text, placeholder name or None) pairs, for writers that put fields in between."""
        return [(literal, field) for literal, field, _, _ in _FORMATTER.parse(self.template(id))]

    def browser(self) -> dict[str, Any]:
        """The labels the portal's JavaScript uses; a plural label as its CLDR plural categories."""
        out: dict[str, Any] = {"lang": self.html_lang}
        for id, label in LABELS.items():
            if not label.browser:
                continue
            if label.plural is None:
                out[id] = self.text(id)
            else:
                out[id] = {category: self.template(id, n) for category, n in self._plural_samples().items()}
        return out

    def _plural_samples(self) -> dict[str, int]:
        samples: dict[str, int] = {}
        for n in range(0, 1001):
            samples.setdefault(self.locale.plural_form(n), n)
        return samples

    # -- the locale ----------------------------------------------------------------------------

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for ``lang`` attributes (``de-CH``)."""
        return "-".join(p for p in (self.locale.language, self.locale.script, self.locale.territory) if p)

    @property
    def region_tag(self) -> str:
        """Language and region (``de-DE`` for ``de``, from CLDR's likely subtags): what Word's proofing expects."""
        from babel.core import get_global

        territory = self.locale.territory
        if not territory:
            likely = get_global("likely_subtags").get(self.locale.language, "")
            territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
        return f"{self.locale.language}-{territory}" if territory else self.locale.language

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    def display_name(self) -> str:
        return f"{self.locale.get_display_name('en')} ({self.tag})"

    # -- CLDR formats --------------------------------------------------------------------------

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def day(self, value: date) -> str:
        return format_skeleton("yMMMd", value, locale=self.locale)

    def date_text(self, value: date, style: str = "medium") -> str:
        """A date in one of CLDR's styles (``short``, ``medium``, ``long``, ``full``): ``3 December 2026``."""
        return format_date(value, format=style, locale=self.locale)

    def day_range(self, start: date, end: date) -> str:
        return format_interval(start, end, skeleton="yMMMd", locale=self.locale)

    def month(self, value: date) -> str:
        """A month as a heading (``January 2027``, ``Janvier 2027``)."""
        text = format_skeleton("yMMMM", value, locale=self.locale)
        return text[:1].upper() + text[1:]

    @property
    def _clock(self) -> str:
        pattern = self.locale.time_formats["short"].pattern
        return "hm" if ("h" in pattern or "K" in pattern) else "Hm"

    def occurrence(self, start: datetime, end: datetime) -> str:
        """``Thu, Jan 28, 2027, 4:00 – 5:30 PM GMT`` / ``Do., 28. Jan. 2027, 16:00–17:30 Uhr GMT``."""
        day = format_skeleton("yMMMEd", start, locale=self.locale)
        try:
            times = format_interval(start, end, skeleton=self._clock, tzinfo=start.tzinfo, locale=self.locale)
        except NotImplementedError:  # Babel cannot format some CLDR interval fields yet (zh-Hant's 'B', day periods)
            times = "–".join(format_skeleton(self._clock, moment, locale=self.locale) for moment in (start, end))
        zone = self.zone(start)
        pattern = _unquote(str(self.locale.datetime_formats["medium"]))
        return pattern.replace("{1}", day).replace("{0}", f"{times} {zone}")

    def zone(self, moment: datetime) -> str:
        """The UTC offset at ``moment`` in CLDR's short localized GMT format (``GMT``, ``GMT+1``, ``UTC−5:30``).

        One style for every zone name the portal writes (the browser's ``timeZoneName:
        "shortOffset"`` gives the same): CLDR has short names (``GMT``, ``MEZ``, ``EST``) for
        some zones in some locales only, which made one page mix ``EST``, ``GMT+01:00`` and
        ``Eastern Standard Time``.
        """
        return self.offset_name(moment.utcoffset())

    def offset_name(self, offset: timedelta | None) -> str:
        gmt = self.locale.zone_formats["gmt"]  # "GMT%s", "UTC%s"
        if not offset:
            return gmt % ""
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes > 0 else "\u2212"  # the minus sign: read as "minus", no line break after it
        hours, rest = divmod(abs(minutes), 60)
        return gmt % (f"{sign}{hours}" + (f":{rest:02d}" if rest else ""))

    def unit(self, count: int, unit: str, lengths: tuple[str, ...] = ("long", "short")) -> str:
        """``count`` of a CLDR duration unit, long form (``9 months``, ``45 Minuten``).

        Babel's CLDR data lacks some forms for some locales (it then returns the unit's key, as
        ``9 duration-month`` in Italian); the short form is used there.
        """
        for length in lengths:
            text = format_unit(count, f"duration-{unit}", length=length, locale=self.locale)
            if "duration-" not in text:
                return text
        return self.number(count)

    def duration(self, minutes: int) -> str:
        """``1 hour 30 minutes``, ``45 Minuten``."""
        hours, rest = divmod(minutes, 60)
        parts = [self.unit(hours, "hour")] if hours else []
        if rest or not hours:
            parts.append(self.unit(rest, "minute"))
        return " ".join(parts)

    def minutes(self, count: int) -> str:
        """Minutes in a table column: the short form (``5 min``, ``5 Min.``)."""
        return self.unit(count, "minute", ("short", "long"))

    def months(self, count: int) -> str:
        return self.unit(count, "month")

    def weeks(self, count: int) -> str:
        return self.unit(count, "week")

    def list(self, items: list[str]) -> str:
        """A list in running text (``A, B, C`` in English; ``A, B und C`` in German), one style per locale."""
        if not items:
            return self.text("list.none")
        return format_list(items, style=self._list_style, locale=self.locale)

    @cached_property
    def _list_style(self) -> str:
        """CLDR's narrow list style where Babel has all of its patterns (not for fr), else the standard one."""
        try:
            patterns = self.locale.list_patterns["standard-narrow"]
            for key in ("start", "middle", "end", "2"):
                patterns[key]
            format_list(["a", "b", "c"], style="standard-narrow", locale=self.locale)
            return "standard-narrow"
        except (KeyError, ValueError):
            return "standard"
