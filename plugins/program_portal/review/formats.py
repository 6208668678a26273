"""``program-portal check --format``: the diagnostics as text, GitHub workflow commands, GitLab Code Quality, SARIF or JSON.

Every formatter takes the diagnostics in report order and returns the whole output (ending
with a newline when not empty). File names are the diagnostics' own (relative to the
project directory) with ``prefix`` in front, so that a project in a sub-folder of the
repository gets paths relative to the repository's root (where the CLI was started).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from program_portal import codes
from program_portal.diagnostics import Diagnostic, one_line

FORMATS = ("text", "github", "gitlab", "sarif", "json")
TOOL = "program-portal"

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning"}

# GitLab Code Quality severities: info, minor, major, critical, blocker.
GITLAB_SEVERITY = {"error": "critical", "warning": "minor"}
GITLAB_PRIVACY_SEVERITY = "blocker"  # personal data in the sources (PV001, PV002)
PRIVACY_CODES = frozenset({codes.EMAIL, codes.PHONE})


def _path(diagnostic: Diagnostic, prefix: str) -> str:
    return prefix + diagnostic.location.file


def path_prefix(root: Path, cwd: Path) -> str:
    """``root`` relative to ``cwd`` as a prefix for file names (``site/``), or ``""`` when it is not below it."""
    try:
        relative = root.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"


def text(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """One ``FILE:LINE:COLUMN: severity CODE: message`` line each (the default).

    For people: file names stay relative to the project directory, as in a build's messages.
    """
    return "".join(f"{d}\n" for d in diagnostics)


# -- GitHub Actions ---------------------------------------------------------------------------


def github_message(value: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF (other control characters shown escaped)."""
    return one_line(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(value: str) -> str:
    """Escape a workflow command's property value: as a message, plus ``:`` and ``,``."""
    return github_message(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """``::error file=...,line=...,col=...,title=CODE::CODE: message`` (``::warning`` for warnings)."""
    out = []
    for d in diagnostics:
        props = {"file": _path(d, prefix), "line": str(d.location.line), "col": str(d.location.column), "title": d.code}
        joined = ",".join(f"{key}={github_property(value)}" for key, value in props.items())
        out.append(f"::{d.severity} {joined}::{github_message(f'{d.code}: {d.message}')}\n")
    return "".join(out)


# -- GitLab Code Quality ----------------------------------------------------------------------


def _fingerprints(diagnostics: Sequence[Diagnostic], prefix: str) -> list[str]:
    """A fingerprint per diagnostic, unique within the report and stable when lines move.

    GitLab compares the fingerprints of the base and the head to tell new findings from
    fixed ones, so a fingerprint names the file, code and message (not the line) and the
    n-th repetition of that triple.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for d in diagnostics:
        key = (_path(d, prefix), d.code, d.message)
        seen[key] += 1
        digest = hashlib.sha256(json.dumps([*key, seen[key]], ensure_ascii=False).encode("utf-8"))
        out.append(digest.hexdigest())
    return out


def gitlab_severity(diagnostic: Diagnostic) -> str:
    if diagnostic.is_error and diagnostic.code in PRIVACY_CODES:
        return GITLAB_PRIVACY_SEVERITY
    return GITLAB_SEVERITY[diagnostic.severity]


def gitlab_report(diagnostics: Sequence[Diagnostic], prefix: str = "") -> list[dict[str, Any]]:
    return [
        {
            "type": "issue",
            "check_name": d.code,
            "description": f"{d.code}: {one_line(d.message)}",
            "categories": ["Bug Risk" if d.is_error else "Style"],
            "severity": gitlab_severity(d),
            "fingerprint": fingerprint,
            "location": {"path": _path(d, prefix), "lines": {"begin": d.location.line}},
        }
        for d, fingerprint in zip(diagnostics, _fingerprints(diagnostics, prefix))
    ]


def gitlab(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """A GitLab Code Quality report (``artifacts: reports: codequality:``): a JSON array."""
    return json.dumps(gitlab_report(diagnostics, prefix), indent=2, ensure_ascii=False) + "\n"


# -- SARIF 2.1.0 ------------------------------------------------------------------------------


def _version() -> str:
    try:
        return metadata.version(TOOL)
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return "0"


def sarif_log(diagnostics: Sequence[Diagnostic], prefix: str = "") -> dict[str, Any]:
    rules = list(codes.REGISTRY.values())
    index = {rule.code: n for n, rule in enumerate(rules)}
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": SARIF_LEVELS[d.severity],
            "message": {"text": one_line(d.message)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(_path(d, prefix), safe="/")},
                        "region": {"startLine": d.location.line, "startColumn": d.location.column},
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    driver = {
        "name": TOOL,
        "version": _version(),
        "rules": [
            {
                "id": rule.code,
                "shortDescription": {"text": rule.summary},
                "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
            }
            for rule in rules
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [{"tool": {"driver": driver}, "results": results}]}


def sarif(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """A SARIF 2.1.0 log with one run; its rules are every code of :mod:`program_portal.codes`."""
    return json.dumps(sarif_log(diagnostics, prefix), indent=2, ensure_ascii=False) + "\n"


# -- plain JSON -------------------------------------------------------------------------------


def json_report(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """``{"diagnostics": [{file, line, column, severity, code, message}], "errors": N, "warnings": N}``."""
    items = [
        {
            "file": _path(d, prefix),
            "line": d.location.line,
            "column": d.location.column,
            "severity": d.severity,
            "code": d.code,
            "message": d.message,
        }
        for d in diagnostics
    ]
    data = {
        "diagnostics": items,
        "errors": sum(d.is_error for d in diagnostics),
        "warnings": sum(not d.is_error for d in diagnostics),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[Diagnostic], str], str]] = {
    "text": text,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
    "json": json_report,
}


def render(fmt: str, diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    """The diagnostics in format ``fmt`` (one of :data:`FORMATS`)."""
    return FORMATTERS[fmt](diagnostics, prefix)
