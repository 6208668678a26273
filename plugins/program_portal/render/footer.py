"""The site footer: the program office's functional mailbox and the build date, in the program's language.

The theme prints :func:`footer_html` as it is (``theme/partials/copyright.html``), so everything in
it is escaped here: the contact is a value of program.yml (the privacy checks have already
required it to be in ``privacy.allowed_emails`` when it is an address), the date comes from
``SOURCE_DATE_EPOCH`` (reproducible builds), else from the clock, and is formatted by CLDR.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from urllib.parse import quote

from program_portal.i18n.language import Language
from program_portal.render.outputs import dtstamp_from_epoch

_MAILBOX = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")


def build_date(source_date_epoch: str | None) -> date:
    """The day the site was built (UTC): ``SOURCE_DATE_EPOCH`` when set, else today."""
    return dtstamp_from_epoch(source_date_epoch).date()


def _contact_html(contact: str) -> str:
    """A mailbox as a ``mailto:`` link, any other text (``Room 5.12``) as text."""
    contact = contact.strip()
    if _MAILBOX.fullmatch(contact):
        return f'<a href="mailto:{escape(quote(contact, safe="@.+-_"))}">{escape(contact)}</a>'
    return escape(contact)


def _label_html(language: Language, id: str, **values: str) -> str:
    """A label with its own words escaped and ``values`` (already HTML) put in its placeholders."""
    return "".join(escape(literal) + (values[field] if field is not None else "") for literal, field in language.parts(id))


def footer_html(language: Language, contact: str | None, source_date_epoch: str | None) -> str:
    """``Programme office: mentoring@... · Built on 21 September 2026`` as HTML for the footer."""
    built = build_date(source_date_epoch)
    day = f'<time datetime="{built.isoformat()}">{escape(language.date_text(built, "long"))}</time>'
    parts = []
    if contact and contact.strip():
        parts.append(f'<span class="pp-footer-contact">{_label_html(language, "footer.contact", contact=_contact_html(contact))}</span>')
    parts.append(f'<span class="pp-footer-built">{_label_html(language, "footer.built", date=day)}</span>')
    separator = '<span class="pp-footer-separator" aria-hidden="true"> · </span>'
    return f'<p class="pp-footer" lang="{escape(language.html_lang)}">{separator.join(parts)}</p>'
