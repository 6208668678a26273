"""The site configuration reviewed before MkDocs reads it: mkdocs.yml and every file it INHERITs.

MkDocs' own loader constructs YAML python tags (``!!python/object/apply:os.system``) and imports
``hooks:`` while it validates the configuration, so a pull request's mkdocs.yml would run code in
``program-portal check`` (the pre-commit hook) before any plugin sees it. This module reads the
files as YAML *nodes* (``yaml.compose``: nothing is constructed, nothing imported) and refuses:

- any tag except MkDocs' ``!ENV`` and ``!relative`` and the ``!!python/name:`` values in
  :data:`ALLOWED_NAMES` (the functions Material's documentation configures), PF029;
- ``hooks:`` (Python run at build time), and an ``INHERIT`` that leaves the project or enters
  ``.git``, PF030.

Only when the review finds nothing does the command line hand the file to MkDocs. A maintainer
can skip it with ``program-portal check --trusted-config``. Imports nothing from MkDocs.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from program_portal.codes import CONFIG_REFUSED, CONFIG_TAG
from program_portal.diagnostics import Diagnostic, Location, error

#: MkDocs' own application tags: an environment variable, a path relative to the file.
MKDOCS_TAGS = frozenset({"!ENV", "!relative"})

#: ``!!python/name:`` values Material's and PyMdown's documentation configure; each names a
#: function that formats emoji or fenced blocks, none runs anything when it is looked up.
ALLOWED_NAMES = frozenset({
    "material.extensions.emoji.twemoji",
    "material.extensions.emoji.to_svg",
    "pymdownx.emoji.twemoji",
    "pymdownx.emoji.emojione",
    "pymdownx.emoji.gemoji",
    "pymdownx.emoji.to_svg",
    "pymdownx.emoji.to_png",
    "pymdownx.emoji.to_alt",
    "pymdownx.superfences.fence_code_format",
    "pymdownx.superfences.fence_div_format",
})

_PYTHON_NAME = "tag:yaml.org,2002:python/name:"
_CORE = "tag:yaml.org,2002:"
_STANDARD = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge", "omap", "pairs", "set", "value"))
_MAX_INHERIT = 10  # a chain longer than this is a loop or an attack, never a real site


def review(config_file: Path, root: Path | None = None) -> list[Diagnostic]:
    """Every problem of ``config_file`` and the files it INHERITs, located; empty when MkDocs may read it."""
    root = (root or config_file.resolve().parent).resolve()
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    current: Path | None = config_file
    while current is not None and len(seen) < _MAX_INHERIT:
        path = current.resolve()
        if path in seen:
            break
        seen.add(path)
        current = _review_file(path, root, problems)
    return problems


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _review_file(path: Path, root: Path, problems: list[Diagnostic]) -> Path | None:
    """Review one file; the file it INHERITs, when that one may be read."""
    name = _name(path, root)
    try:
        with path.open("rb") as f:
            document = yaml.compose(f, Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None  # MkDocs' own loader reports an unreadable file or a syntax error, located (PF020)
    if document is None:
        return None
    _tags(document, name, problems)
    if not isinstance(document, yaml.MappingNode):
        return None
    inherit: Path | None = None
    for key, value in document.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value == "hooks":
            problems.append(error(CONFIG_REFUSED, "'hooks' run Python from the repository at build time; remove them (a maintainer can build with --trusted-config)", _at(name, key)))
        elif key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
            target = (path.parent / value.value).resolve()
            if not target.is_relative_to(root) or ".git" in target.relative_to(root).parts:
                problems.append(error(CONFIG_REFUSED, f"INHERIT {value.value!r} is outside the project (or inside .git); name a file of this repository", _at(name, value)))
            else:
                inherit = target
    return inherit


def _tags(document: yaml.Node, name: str, problems: list[Diagnostic]) -> None:
    """Each tag in the tree once (an alias shares its node: a billion laughs is walked linearly)."""
    seen: set[int] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        problem = _tag_problem(node)
        if problem:
            problems.append(error(CONFIG_TAG, problem, _at(name, node)))
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (value, key)
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)


def _tag_problem(node: yaml.Node) -> str | None:
    tag = node.tag
    if tag in _STANDARD or tag in MKDOCS_TAGS:
        return None
    if tag.startswith(_PYTHON_NAME):
        target = tag[len(_PYTHON_NAME):]
        if target in ALLOWED_NAMES and isinstance(node, yaml.ScalarNode) and not node.value:
            return None
        return f"'!!python/name:{target}' is not on the portal's allow-list of functions ({', '.join(sorted(ALLOWED_NAMES))})"
    shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    return f"the YAML tag '{shown}' could run code; only !ENV, !relative and the allowed !!python/name: values may be used"


def _at(name: str, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(name, mark.line + 1, mark.column + 1)
