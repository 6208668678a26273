"""Every diagnostic code the portal reports, in one registry.

Modules name a code by its constant here (``codes.UNKNOWN_KEY``), never by a string of
their own; the README's table of codes is generated from :data:`REGISTRY` and a test keeps
the two in sync (``python -m program_portal.codes`` prints the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str


REGISTRY: dict[str, Code] = {}


def _code(code: str, severity: Severity, summary: str) -> str:
    if code in REGISTRY:
        raise ValueError(f"diagnostic code {code} registered twice")
    REGISTRY[code] = Code(code, severity, summary)
    return code


# -- PF: the format (source/) --------------------------------------------------------------
YAML_SYNTAX = _code("PF001", "error", "YAML syntax error, unreadable file")
YAML_DUPLICATE_KEY = _code("PF002", "error", "duplicate key in a mapping")
UNKNOWN_KEY = _code("PF003", "error", "unknown key (including a key of another template kind or track format)")
MISSING_KEY = _code("PF004", "error", "missing required key")
BAD_VALUE = _code("PF005", "error", "wrong type or value")
BAD_ID = _code("PF006", "error", "invalid id")
DUPLICATE_ID = _code("PF007", "error", "duplicate id")
UNKNOWN_REFERENCE = _code("PF008", "error", "unknown reference (with a did-you-mean hint)")
WRONG_KIND = _code("PF009", "error", "reference to the wrong kind (a session's `agenda` that is not an agenda)")
BAD_TIMEZONE = _code("PF010", "error", "unknown time zone")
BAD_DATE = _code("PF011", "error", "invalid date or date-time")
BAD_RRULE = _code("PF012", "error", "invalid `repeat` rule")
START_IN_GAP = _code("PF013", "error", "a session `start` in a daylight-saving gap")
MISSING_BODY = _code("PF014", "error", "missing or misplaced body file")
PLACEHOLDER_ERROR = _code("PF015", "error", "placeholder error: syntax, undefined name, sandbox violation")
BAD_VERSION = _code("PF016", "error", "unsupported format version")
PAGE_CONFLICT = _code("PF017", "error", "a page under `content/` that would replace a generated page")
RESERVED_ID = _code("PF018", "error", "reserved id (template `index`, a session id equal to the program id)")
UNKNOWN_CHECK = _code("PF019", "error", "unknown check in `disable_checks`")
SITE_CONFIG = _code("PF020", "error", "invalid site configuration: mkdocs.yml (as MkDocs reads it) or a plugin option")
OUTPUT_FAILED = _code("PF021", "error", "an output cannot be generated or written (a download, a calendar, the export directory)")
LIMIT = _code("PF022", "error", "past a limit of the portal: a value or list too long, Markdown nested too deeply")
BAD_EPOCH = _code("PF023", "error", "`SOURCE_DATE_EPOCH` that is not a whole number of seconds from 1970 to 2106-02-07 (what a gzip header holds)")

# -- PF03x: the language (i18n/) -------------------------------------------------------------
UNKNOWN_LANGUAGE = _code("PF024", "error", "unknown `program.language` (not a CLDR locale)")
UNKNOWN_LABEL = _code("PF025", "error", "a `labels:` entry with an unknown label id, or placeholders that differ from the English")
LANGUAGE_INCOMPLETE = _code("PF026", "warning", "generated labels that stay English: no catalog, or an incomplete one, for the program's language")
THEME_LANGUAGE = _code("PF027", "warning", "`theme.language` in mkdocs.yml differs from `program.language`")

# -- PF028: files a browser would run (checks/active.py) ---------------------------------------
ACTIVE_FILE = _code("PF028", "error", "a file under `content/` a browser would run: HTML, or an SVG with scripts, handlers or links out")

# -- PF029, PF030: the site configuration, reviewed before MkDocs reads it (siteconfig.py) --------
CONFIG_TAG = _code("PF029", "error", "a YAML tag in mkdocs.yml (or a file it INHERITs) that could run code: only `!ENV`, `!relative` and allowed `!!python/name:` values")
CONFIG_REFUSED = _code("PF030", "error", "a site setting that would run repository code or read outside the project: `hooks`, an `INHERIT` outside it")
CONFIG_NOT_ALLOWED = _code("PF031", "error", "a plugin, Markdown extension or setting of mkdocs.yml outside the portal's allow-list (or an option of one it refuses: snippets that read outside `docs_dir`, `extra_javascript`, an unknown `theme.language`, a `javascript:` link, an `!ENV` variable not named `PORTAL_*`)")
CONFIG_PATH = _code("PF032", "error", "a path setting of mkdocs.yml (`docs_dir`, `site_dir`, `theme.custom_dir`, a plugin's `program` or `cache_dir`, ...) outside the project or inside `.git`")

# -- PF033: the theme (render/theme_sandbox.py, checks/theme.py) -----------------------------------
THEME_REFUSED = _code("PF033", "error", "a theme template the sandbox refuses (or that fails), a script in the theme's `custom_dir`, a file under `content/` at a theme file's path, a built page loading code that is not the theme's or the portal's")

# -- PF034: files under content/ refused by their type or contents (checks/filetypes.py) ---------
REFUSED_FILE = _code("PF034", "error", "a file under `content/` that is refused by type or contents: XML, XSL, RSS, Atom or script files, a binary type outside the accepted list, a zip bomb, an encrypted or unreadable document, CSS that loads from another host")

# -- PF035: form questions (source/loader.py) ---------------------------------------------------
FORM_QUESTION = _code("PF035", "error", "a form question that does not fit its type: a `choice` without two different options, `options`, `lines`, `low` or `high` on a type that has none")

# -- PD: program design (checks/design.py), spec section 5 ----------------------------------
PD001 = _code("PD001", "warning", "no contract has a sponsor, a mentor and a mentee among its parties")
PD002 = _code("PD002", "warning", "a contract does not cover confidentiality, assessment firewall, employment protection and no-fault exit")
PD003 = _code("PD003", "warning", "an executive role, or one with `one_to_one: false`, mentors a one-to-one or reverse track")
PD004 = _code("PD004", "warning", "a one-to-one or reverse track has no `cadence`")
PD005 = _code("PD005", "warning", "a group track has no sessions")
PD006 = _code("PD006", "warning", "an agenda's item minutes do not add up to its `minutes`")
PD007 = _code("PD007", "warning", "an agenda has no `preparation`")
PD008 = _code("PD008", "warning", "a session or one of its occurrences falls outside the program's dates")
PD009 = _code("PD009", "warning", "a domain that no track lists, or a policy that no contract clause uses")
PD010 = _code("PD010", "warning", "a phase whose last week ends after `program.ends`")

# -- PV: privacy and the closed intranet (checks/privacy.py, checks/intranet.py) -------------
EMAIL = _code("PV001", "error", "an e-mail address not in `privacy.allowed_emails`")
PHONE = _code("PV002", "error", "a telephone number")
EXTERNAL_RESOURCE = _code("PV003", "warning", "a site setting that would load something from another host")
ANALYTICS = _code("PV004", "error", "analytics configured")
UNSAFE_FILE = _code("PV005", "error", "a symlink that leads out of docs_dir or the project, or a special file (FIFO, device, socket)")


def markdown_table() -> str:
    """The README's table of codes."""
    rows = ["| code | severity | what |", "| --- | --- | --- |"]
    rows += [f"| {c.code} | {c.severity} | {c.summary} |" for c in REGISTRY.values()]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
