"""The site configuration reviewed before MkDocs reads it: mkdocs.yml and every file it INHERITs.

MkDocs' own loader constructs YAML python tags (``!!python/object/apply:os.system``) and imports
``hooks:`` while it validates the configuration, so a pull request's mkdocs.yml would run code in
``program-portal check`` (the pre-commit hook) before any plugin sees it. This module reads the
files as YAML *nodes* (``yaml.compose``: nothing is constructed, nothing imported) and refuses:

- any tag except MkDocs' ``!ENV`` and ``!relative`` and the ``!!python/name:`` values in
  :data:`ALLOWED_NAMES` (the functions Material's documentation configures), PF029;
- ``hooks:`` (Python run at build time), and an ``INHERIT`` that leaves the project or enters
  ``.git``, PF030;
- everything outside an allow-list (PF031): plugins (:data:`PLUGINS`, each with its options),
  Markdown extensions (:data:`MARKDOWN_EXTENSIONS`; ``pymdownx.snippets`` only confined to
  ``docs_dir``), top-level settings (:data:`SETTINGS`: no ``extra_templates``, no
  ``extra_javascript``), a ``theme.language`` Material does not ship, a ``javascript:``/``data:``
  link, an ``!ENV`` variable not named ``PORTAL_*`` (or named like a secret);
- a path setting (:data:`PATH_SETTINGS`, the portal's ``program`` and ``cache_dir``, snippets'
  ``base_path``, emoji's ``custom_icons``) outside the project or inside ``.git``, PF032.

Only when the review finds nothing does the command line hand the file to MkDocs. A maintainer
can skip it with ``--trusted-config`` (:func:`trusted`). Imports nothing from MkDocs.

The review applies to the designer's input. The project ``program-portal export`` writes (its
own hook, the portal's scripts in ``extra_javascript``) is the portal's output, built by
Zensical, ProperDocs or MkDocs without the plugin, and is not reviewed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from program_portal.codes import CONFIG_NOT_ALLOWED, CONFIG_PATH, CONFIG_REFUSED, CONFIG_TAG
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



# -- the allow-list ------------------------------------------------------------------------------

#: Top-level settings of mkdocs.yml the portal lets a designer write (MkDocs 1.6's, less
#: ``hooks``, ``extra_templates`` and ``extra_javascript``). ``INHERIT`` is read by the loader.
SETTINGS = frozenset({
    "INHERIT", "site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
    "edit_uri", "edit_uri_template", "docs_dir", "site_dir", "theme", "nav", "exclude_docs", "draft_docs",
    "not_in_nav", "validation", "use_directory_urls", "extra_css", "markdown_extensions", "plugins", "extra",
    "strict", "dev_addr", "watch", "remote_branch", "remote_name",
})

#: Refused top-level settings, with the reason shown.
REFUSED_SETTINGS = {
    "extra_templates": "'extra_templates' are rendered by MkDocs' unsandboxed Jinja (they can read the environment and run code)",
    "extra_javascript": "'extra_javascript' runs the repository's script on every page (the portal's policy allows scripts from the site itself); the portal adds its own scripts",
}

#: Plugins a designer may enable, with the options each may set. ``search``, ``offline``,
#: ``tags`` and ``typeset`` are Material's plugins that make no request and run no code of the
#: repository; the others (``privacy``, ``social``, ``info``, ``projects``, ``optimize``,
#: ``group``, ``blog``, ``meta``) fetch from other hosts, run external tools, build nested
#: projects or read settings the portal's checks do not see, and are refused.
PLUGINS: dict[str, frozenset[str]] = {
    "program-portal": frozenset({"program", "disable_checks", "paper", "cache", "cache_dir", "jobs"}),
    "search": frozenset({"enabled", "lang", "separator", "pipeline", "fields", "boost"}),
    "offline": frozenset({"enabled"}),
    "typeset": frozenset({"enabled"}),
    "tags": frozenset({
        "enabled", "filters", "tags", "tags_slugify_separator", "tags_slugify_format", "tags_hierarchy",
        "tags_hierarchy_separator", "tags_sort_reverse", "tags_name_property", "tags_name_variable", "tags_allowed",
        "listings", "listings_map", "listings_sort_reverse", "listings_tags_sort_reverse", "listings_directive",
        "listings_layout", "listings_toc", "shadow", "shadow_on_serve", "shadow_tags", "shadow_tags_prefix",
        "shadow_tags_suffix", "export", "export_only",
    }),
}
_PLUGIN_HINTS = {
    "privacy": "it downloads from other hosts at build time (the portal makes no request; host assets in the repository instead)",
    "social": "it downloads fonts and renders images with external libraries at build time",
    "info": "it bundles the project, environment included, into a zip",
    "projects": "it builds nested projects whose mkdocs.yml the portal does not review",
    "optimize": "it runs external image tools at build time",
    "group": "it enables plugins the portal cannot review",
    "blog": "it publishes pages and author files the portal's checks do not read",
    "meta": "its .meta.yml files set page settings the portal's checks do not read",
}

#: Markdown extensions the portal supports (Python-Markdown's and PyMdown's); each is text to
#: HTML only, whose output the portal's sanitiser reviews. Not: ``pymdownx.b64`` (embeds files
#: from any path), ``pymdownx.pathconverter``, ``meta``, ``wikilinks``, third-party extensions.
MARKDOWN_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "sane_lists",
    "smarty", "nl2br", "fenced_code", "codehilite", "extra", "legacy_attrs", "legacy_em",
    *(f"pymdownx.{name}" for name in (
        "arithmatex", "betterem", "caret", "critic", "details", "emoji", "escapeall", "extra", "fancylists",
        "highlight", "inlinehilite", "keys", "magiclink", "mark", "progressbar", "quotes", "saneheaders",
        "smartsymbols", "snippets", "striphtml", "superfences", "tabbed", "tasklist", "tilde",
        "blocks.admonition", "blocks.details", "blocks.tab", "blocks.html", "blocks.definition", "blocks.caption",
    )),
})

#: Settings that name a file or folder: resolved against the project, never outside it or in .git.
PATH_SETTINGS = ("docs_dir", "site_dir")
#: Settings printed into links: no scheme a browser runs.
URL_SETTINGS = ("site_url", "repo_url", "edit_uri", "edit_uri_template")
_DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript|file):", re.I)
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f]+")
#: ``!ENV`` may read only variables named for the portal, never one named like a secret.
ENV_PREFIX = "PORTAL_"
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE", re.I)


_trusted_by_command_line = False


def trust_command_line() -> None:
    """``--trusted-config`` was given: the plugin, run in this process by ``program-portal build``
    or ``serve``, skips its review too (the environment variable would not do it under CI)."""
    global _trusted_by_command_line
    _trusted_by_command_line = True


def trusted(explicit: bool = False, environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    """Whether to skip the review: ``--trusted-config`` given on the command line (of this process),
    or ``PROGRAM_PORTAL_TRUSTED_CONFIG=1`` outside CI. Under CI (the variable ``CI`` set, as GitHub
    Actions and GitLab CI set it) the environment variable is ignored: a pull request can set
    environment variables of its own pipeline (a ``.gitlab-ci.yml`` or workflow it edits, a
    ``.env`` a tool reads), and only a command line a maintainer wrote trusts."""
    if explicit or _trusted_by_command_line:
        return True
    env = os.environ if environ is None else environ
    return env.get("PROGRAM_PORTAL_TRUSTED_CONFIG") == "1" and not in_ci(env)


def ignored_trust_note(environ: dict[str, str] | os._Environ[str] | None = None) -> str | None:
    """A note for stderr when ``PROGRAM_PORTAL_TRUSTED_CONFIG=1`` was ignored because ``CI`` is set."""
    env = os.environ if environ is None else environ
    if env.get("PROGRAM_PORTAL_TRUSTED_CONFIG") == "1" and in_ci(env) and not _trusted_by_command_line:
        return ("note: PROGRAM_PORTAL_TRUSTED_CONFIG=1 is ignored because CI is set; a maintainer's pipeline "
                "passes --trusted-config on the command line instead")
    return None


def in_ci(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def material_languages() -> frozenset[str] | None:
    """The languages the installed Material theme ships (``partials/languages/*.html``), or None without it."""
    from importlib import resources

    try:
        folder = resources.files("material") / "templates" / "partials" / "languages"
        return frozenset(p.name.removesuffix(".html") for p in folder.iterdir() if p.name.endswith(".html"))
    except (ModuleNotFoundError, OSError):
        return None


def review(config_file: Path, root: Path | None = None) -> list[Diagnostic]:
    """Every problem of ``config_file`` and the files it INHERITs, located; empty when MkDocs may read it."""
    root = (root or config_file.resolve().parent).resolve()
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    chain: list[tuple[Path, str, yaml.MappingNode]] = []
    current: Path | None = config_file
    while current is not None and len(seen) < _MAX_INHERIT:
        path = current.resolve()
        if path in seen:
            break
        seen.add(path)
        current = _review_file(path, root, problems, chain)
    if chain:
        context = _Context(root, config_dir=config_file.resolve().parent)
        for path, name, document in chain:  # the child first: its docs_dir wins, as in MkDocs
            if context.docs_dir is None and (node := _get(document, "docs_dir")) is not None:
                context.docs_dir = context.path(node, path.parent)
        for path, name, document in chain:
            _allow_list(document, name, path.parent, context, problems)
    return problems


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _review_file(path: Path, root: Path, problems: list[Diagnostic], chain: list) -> Path | None:
    """Review one file's tags, hooks and INHERIT; the file it INHERITs, when that one may be read."""
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
    chain.append((path, name, document))
    inherit: Path | None = None
    for key, value in document.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value == "hooks":
            problems.append(error(CONFIG_REFUSED, "'hooks' run Python from the repository at build time; remove them (a maintainer can build with --trusted-config)", _at(name, key)))
        elif key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
            target = (path.parent / value.value).resolve()
            if not _inside(target, root):
                problems.append(error(CONFIG_REFUSED, f"INHERIT {value.value!r} is outside the project (or inside .git); name a file of this repository", _at(name, value)))
            else:
                inherit = target
    return inherit


@dataclass
class _Context:
    root: Path
    config_dir: Path
    docs_dir: Path | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    def text(self, node: yaml.Node) -> str | None:
        """A scalar's value as MkDocs would read it (``!ENV`` from the environment now), or None."""
        if node.tag == "!ENV" and isinstance(node, yaml.ScalarNode):
            return self.env.get(node.value)
        if isinstance(node, yaml.ScalarNode):
            return None if node.tag.endswith(":null") else str(node.value)
        if node.tag == "!ENV" and isinstance(node, yaml.SequenceNode) and node.value:
            *names, default = node.value
            for item in names or [default]:
                if isinstance(item, yaml.ScalarNode) and item.value in self.env:
                    return self.env[item.value]
            return self.text(default) if names else None
        return None

    def path(self, node: yaml.Node, base: Path) -> Path | None:
        value = self.text(node)
        if value is None:
            return None
        if node.tag == "!relative":
            return (base / value).resolve()
        return (self.config_dir / os.path.expanduser(value)).resolve() if not Path(value).is_absolute() else Path(value).resolve()


def _inside(target: Path, root: Path) -> bool:
    return target.is_relative_to(root) and ".git" not in target.relative_to(root).parts


def _get(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for k, v in mapping.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _items(node: yaml.Node) -> list[tuple[yaml.ScalarNode, yaml.Node | None]]:
    """A plugin or extension list (``- name`` or ``- name: {options}``) or mapping, as (name node, options node)."""
    out: list[tuple[yaml.ScalarNode, yaml.Node | None]] = []
    if isinstance(node, yaml.MappingNode):
        out += [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                out.append((item, None))
            elif isinstance(item, yaml.MappingNode) and len(item.value) == 1 and isinstance(item.value[0][0], yaml.ScalarNode):
                out.append(item.value[0])
    return out  # anything else: MkDocs' own validation reports it (PF020)


def _allow_list(document: yaml.MappingNode, name: str, base: Path, context: _Context, problems: list[Diagnostic]) -> None:
    def refuse(message: str, node: yaml.Node, code: str = CONFIG_NOT_ALLOWED) -> None:
        problems.append(error(code, message, _at(name, node)))

    def check_path(label: str, node: yaml.Node, *, within: Path | None = None) -> Path | None:
        target = context.path(node, base)
        if target is None:
            return None
        if not _inside(target, context.root):
            refuse(f"{label} {context.text(node)!r} leads outside the project or into .git; name a path inside the project", node, CONFIG_PATH)
            return None
        if within is not None and not _inside(target, within):
            refuse(f"{label} {context.text(node)!r} is not inside docs_dir ({_name(within, context.root)}/): snippets would publish "
                   "files the portal's checks do not read (.git/config with the CI token among them); name a folder inside docs_dir", node, CONFIG_PATH)
            return None
        return target

    _envs(document, context, refuse)
    _surrogates(document, refuse)
    for key, value in document.value:
        if not isinstance(key, yaml.ScalarNode) or key.value in ("hooks", "INHERIT"):
            continue  # reviewed with the tags (PF030)
        setting = key.value
        if setting in REFUSED_SETTINGS:
            refuse(f"{REFUSED_SETTINGS[setting]}; remove it (a maintainer can build with --trusted-config)", key)
        elif setting not in SETTINGS:
            refuse(f"'{setting}' is not a setting the portal allows in mkdocs.yml (allowed: {', '.join(sorted(SETTINGS))})", key)
        elif setting in PATH_SETTINGS:
            target = check_path(setting, value)
            if setting == "site_dir" and target is not None and (target == context.root or (context.docs_dir and context.docs_dir.is_relative_to(target))):
                refuse(f"site_dir {context.text(value)!r} would replace the project's own files when the site is published; name a folder of its own (site)", value, CONFIG_PATH)
        elif setting == "watch" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                check_path("watch", item)
        elif setting in URL_SETTINGS:
            _url(setting, value, context, refuse)
        elif setting in ("extra", "nav"):
            _links(setting, value, context, refuse)
        elif setting == "theme":
            _theme(value, context, refuse, check_path)
        elif setting == "plugins":
            _plugins(value, context, refuse, check_path)
        elif setting == "markdown_extensions":
            _extensions(value, context, refuse, check_path)


def _envs(document: yaml.Node, context: _Context, refuse) -> None:
    """Every ``!ENV`` names only ``PORTAL_*`` variables, none named like a secret: a CI job's
    environment holds tokens (``CI_JOB_TOKEN``, ``CI_REPOSITORY_URL`` with one inside) that a
    setting printed into the site would publish."""
    def visit(node: yaml.Node) -> bool:
        if node.tag != "!ENV":
            return True
        names = [node] if isinstance(node, yaml.ScalarNode) else node.value[:-1] if isinstance(node, yaml.SequenceNode) and len(node.value) > 1 else node.value if isinstance(node, yaml.SequenceNode) else []
        for item in names:
            variable = item.value if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(variable, str) or not variable.startswith(ENV_PREFIX) or _SECRET_NAME.search(variable[len(ENV_PREFIX):]):
                refuse(f"!ENV may read only variables named {ENV_PREFIX}* and not named like a secret (TOKEN, SECRET, PASSWORD, KEY, ...), "
                       f"not {variable!r}: the environment of a build holds secrets a setting would publish", item)
        return False

    _walk(document, visit)


def _dangerous_url(value: str | None) -> bool:
    return value is not None and bool(_DANGEROUS_SCHEME.match(_SCHEME_NOISE.sub("", value)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogates(document: yaml.Node, refuse) -> None:
    """No value holds a lone surrogate (``"\\ud800"`` in a double-quoted string): it is no character, and no
    page, file or cache key can be written with it."""
    def visit(node: yaml.Node) -> bool:
        if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and _SURROGATE.search(node.value):
            refuse("this value holds a lone surrogate (an escape such as \\ud800 that is no character); write the text itself", node)
        return True

    _walk(document, visit)


def _url(label: str, node: yaml.Node, context: _Context, refuse) -> None:
    value = context.text(node)
    if _dangerous_url(value):
        refuse(f"{label} {value!r} is a link a browser would run or a file it would open; use an https:// address or a path of the site", node)


def _links(setting: str, node: yaml.Node, context: _Context, refuse) -> None:
    """Every value under ``extra`` or ``nav`` may be printed into a link (``homepage``, ``social[].link``, ...)."""
    stack: list[tuple[str, yaml.Node]] = [(setting, node)]
    seen: set[int] = set()
    while stack:
        label, item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, yaml.MappingNode):
            stack += reversed([(f"{label}.{k.value}", v) for k, v in item.value if isinstance(k, yaml.ScalarNode)])
        elif isinstance(item, yaml.SequenceNode):
            stack += reversed([(f"{label}[{i}]", v) for i, v in enumerate(item.value)])
        else:
            _url(label, item, context, refuse)


def _theme(node: yaml.Node, context: _Context, refuse, check_path) -> None:
    if isinstance(node, yaml.ScalarNode):
        if node.value != "material":
            refuse(f"theme {node.value!r}: the portal is built on the Material theme (theme: {{name: material}})", node)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value == "static_templates":
            refuse("theme.static_templates are rendered by MkDocs' unsandboxed Jinja from the theme's folders; remove it (Material's own 404.html stays)", key)
        elif key.value == "name" and context.text(value) != "material":
            refuse(f"theme.name {context.text(value)!r}: the portal is built on the Material theme (name: material)", value)
        elif key.value == "custom_dir":
            check_path("theme.custom_dir", value)
        elif key.value in ("logo", "favicon"):
            text = context.text(value)
            if _dangerous_url(text):
                _url(f"theme.{key.value}", value, context, refuse)
            elif text and "://" not in text and not text.startswith("/"):  # a file of docs_dir
                target = ((context.docs_dir or context.root / "docs") / text).resolve()
                if not _inside(target, context.root):
                    refuse(f"theme.{key.value} {text!r} leads outside the project or into .git; name a file under docs_dir", value, CONFIG_PATH)
        elif key.value == "language":
            language, shipped = context.text(value), material_languages()
            if language is not None and shipped is not None and language not in shipped:
                near = sorted(l for l in shipped if l.split("-")[0] == language.replace("_", "-").split("-")[0].lower())
                hint = f" (did you mean {' or '.join(near)}?)" if near else ""
                refuse(f"theme.language {language!r} is not a language the Material theme ships{hint}; remove it to follow program.language, or use one of: {', '.join(sorted(shipped))}", value)


def _plugins(node: yaml.Node, context: _Context, refuse, check_path) -> None:
    for key, options in _items(node):
        plugin = str(key.value)
        short = plugin.removeprefix("material/")
        if short not in PLUGINS or (plugin != short and short == "program-portal"):
            why = _PLUGIN_HINTS.get(short, "it is not one the portal has reviewed")
            refuse(f"the plugin '{plugin}' is not on the portal's allow-list: {why}; allowed: {', '.join(sorted(PLUGINS))}", key)
            continue
        if not isinstance(options, yaml.MappingNode):
            continue
        for option, value in options.value:
            if not isinstance(option, yaml.ScalarNode):
                continue
            if option.value not in PLUGINS[short]:
                refuse(f"the option '{option.value}' of the plugin '{plugin}' is not on the portal's allow-list (allowed: {', '.join(sorted(PLUGINS[short]))})", option)
            elif short == "program-portal" and option.value in ("program", "cache_dir"):
                check_path(f"{plugin} option '{option.value}'", value)


def _extensions(node: yaml.Node, context: _Context, refuse, check_path) -> None:
    for key, options in _items(node):
        extension = str(key.value)
        short = extension.removeprefix("markdown.extensions.")
        if short not in MARKDOWN_EXTENSIONS:
            refuse(f"the Markdown extension '{extension}' is not on the portal's allow-list (Python-Markdown's and PyMdown's text extensions; not pymdownx.b64, meta, wikilinks or third-party ones)", key)
        elif short == "pymdownx.snippets":
            _snippets(key, options, context, refuse, check_path)
        elif short == "pymdownx.emoji" and (icons := _get(options, "options")) is not None:
            folders = _get(icons, "custom_icons")
            for item in folders.value if isinstance(folders, yaml.SequenceNode) else []:
                check_path("pymdownx.emoji custom_icons", item)


def _snippets(key: yaml.ScalarNode, options: yaml.Node | None, context: _Context, refuse, check_path) -> None:
    """``pymdownx.snippets`` includes files by path: its default ``base_path`` (".") is the project
    root, so ``--8<-- ".git/config"`` would publish the CI token. Required: an explicit
    ``base_path`` inside docs_dir; ``restrict_base_path`` true (its default) and no ``url_download``."""
    docs = context.docs_dir or (context.root / "docs")
    base = _get(options, "base_path") if options is not None else None
    if base is None:
        refuse(f"pymdownx.snippets without base_path includes any file of the project (.git/config too); set base_path to a folder inside docs_dir, e.g. base_path: [{_name(docs, context.root)}/snippets]", key)
    else:
        for item in base.value if isinstance(base, yaml.SequenceNode) else [base]:
            check_path("pymdownx.snippets base_path", item, within=docs)
    for option, value in options.value if isinstance(options, yaml.MappingNode) else []:
        text = context.text(value)
        if option.value == "restrict_base_path" and (text or "").lower() not in ("true", "yes", "on"):
            refuse("pymdownx.snippets restrict_base_path must stay true: otherwise '../' leaves base_path", value)
        elif option.value == "url_download" and (text or "").lower() not in ("false", "no", "off", ""):
            refuse("pymdownx.snippets url_download makes a request to another host at build time: the portal makes none; remove it", value)


def _tags(document: yaml.Node, name: str, problems: list[Diagnostic]) -> None:
    """Each tag in the tree once (an alias shares its node: a billion laughs is walked linearly)."""
    def visit(node: yaml.Node) -> bool:
        if problem := _tag_problem(node):
            problems.append(error(CONFIG_TAG, problem, _at(name, node)))
            return False
        return True

    _walk(document, visit)


def _walk(document: yaml.Node, visit: Callable[[yaml.Node], bool]) -> None:
    """``visit`` each node of the tree once, in document order, and the children of those it returns True for.
    An alias shares its node, so a billion laughs costs its few hundred nodes."""
    seen: set[int] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if not visit(node):
            continue
        if isinstance(node, yaml.MappingNode):
            stack += reversed([part for pair in node.value for part in pair])
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
