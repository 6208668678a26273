"""The exported mkdocs.yml: the source site settings, with the intranet rules applied, plus what the portal needs.

The source mkdocs.yml is read as data, keeping YAML tags (``!!python/name:...``,
``!ENV``) so that they are written back unchanged. Zensical, ProperDocs and MkDocs all
read the result; the keys below are the ones the three share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from program_portal.checks import intranet
from program_portal.diagnostics import Diagnostic


@dataclass(frozen=True)
class Tagged:
    """A value with an application tag (``!ENV [X]``, ``!!python/name:mod.fn``), written back as read."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node, prefix: str) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(prefix + suffix, value)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda lo, suffix, node: _tagged(lo, suffix, node, "tag:yaml.org,2002:python/"))
_Loader.add_multi_constructor("!", lambda lo, suffix, node: _tagged(lo, suffix, node, "!"))


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(Tagged, _represent_tagged)
_Dumper.add_representer(str, _represent_str)


def read_source(config_file: Path | None) -> dict[str, Any]:
    """The source mkdocs.yml as plain data (empty without one); one-line ValueError when unreadable."""
    if config_file is None:
        return {}
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8-sig"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read {config_file}: {' '.join(str(exc).split())}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{config_file}: expected a mapping of settings (site_name, docs_dir, plugins, ...)")
    if "INHERIT" in data:
        raise ValueError(f"{config_file}: INHERIT is not supported by the export; write the settings into one file")
    return data


def dump(config: Mapping[str, Any]) -> str:
    return yaml.dump(dict(config), Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)


# Settings copied as they are: the site's identity and look, shared by the three engines.
COPIED = (
    "site_name", "site_url", "site_description", "site_author", "copyright", "use_directory_urls",
    "repo_url", "repo_name", "edit_uri", "extra", "validation", "not_in_nav", "draft_docs", "nav",
)
# Settings the export sets itself or leaves out (paths of the source project, the plugin's own).
OWN = ("docs_dir", "site_dir", "theme", "plugins", "hooks", "markdown_extensions", "extra_css",
       "extra_javascript", "exclude_docs", "watch", "dev_addr", "extra_templates", "strict", "INHERIT")

DOCS_DIR = "docs"
THEME_DIR = "overrides"
HOOK = "hooks/markdown_downloads.py"


@dataclass
class SiteConfig:
    """The exported configuration and what reviewing the source's settings found."""

    data: dict[str, Any]
    diagnostics: list[Diagnostic]
    dropped: list[str]
    custom_dir: str | None  # the source theme's custom_dir (its files are copied into the export's)


def _plugin_entries(plugins: Any) -> list[Any]:
    items = list(plugins.items()) if isinstance(plugins, dict) else list(plugins or [])
    out = []
    for item in items:
        name = item[0] if isinstance(item, tuple) else next(iter(item)) if isinstance(item, dict) and item else item
        if str(name) == "program-portal":
            continue
        out.append({item[0]: item[1]} if isinstance(item, tuple) else item)
    return out


def _plain(value: Any) -> Any:
    """``value`` with ``!!python/name:X`` as the string ``X`` (what the intranet review compares)."""
    if isinstance(value, Tagged):
        return value.tag.rpartition("python/name:")[2] if "python/name:" in value.tag else value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _name(entry: Any) -> str:
    return str(next(iter(entry))) if isinstance(entry, dict) and entry else str(getattr(entry, "value", entry))


def _extension_names(extensions: Iterable[Any]) -> list[str]:
    return [_name(e) for e in extensions]


_SHAPES: dict[str, tuple[type, ...]] = {
    "theme": (str, dict), "extra": (dict,), "plugins": (list, dict), "markdown_extensions": (list,), "extra_css": (list,),
    "extra_javascript": (list,), "nav": (list,), "exclude_docs": (str,), "not_in_nav": (str,), "draft_docs": (str,),
    "site_name": (str,), "site_url": (str,), "use_directory_urls": (bool,),
}


def _check_shapes(source: Mapping[str, Any], config_file: str) -> None:
    for key, types in _SHAPES.items():
        value = source.get(key)
        if value is not None and not isinstance(value, (*types, Tagged)):  # a tag (!ENV) is resolved by the engine
            names = " or ".join({"str": "text", "dict": "a mapping", "list": "a list", "bool": "true or false"}[t.__name__] for t in types)
            raise ValueError(f"{config_file}: '{key}' must be {names}, not {type(value).__name__}")
    for key in ("plugins", "markdown_extensions"):
        items = source.get(key)
        for item in items if isinstance(items, list) else []:
            if not (isinstance(item, str) or (isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item)), str))):
                raise ValueError(f"{config_file}: each entry of '{key}' must be a name or a mapping of one name to its options")


def site_config(
    source: Mapping[str, Any],
    *,
    config_file: str,
    nav: list[Any],
    markdown_extensions: Iterable[str],
    stylesheets: Iterable[str],
    scripts: Iterable[str],
) -> SiteConfig:
    """The exported mkdocs.yml: the source's settings (intranet rules applied) plus the portal's needs.

    Raises ValueError (one line) for settings of the wrong shape.
    """
    _check_shapes(source, config_file)
    theme_in = source.get("theme")
    theme: dict[str, Any] = dict(theme_in) if isinstance(theme_in, dict) else {"name": theme_in or "material"}
    theme.setdefault("name", "material")
    if theme["name"] == "material":
        theme.setdefault("variant", "classic")  # Zensical: Material's look (its default is "modern"); others ignore it
    extra = dict(source.get("extra") or {}) if isinstance(source.get("extra"), dict) else {}
    plugins = _plugin_entries(source.get("plugins") if source.get("plugins") is not None else ["search"])
    extensions = list(source.get("markdown_extensions") or [])
    ext_names = _extension_names(extensions)
    mdx_configs = {_name(e): next(iter(e.values())) or {} for e in extensions if isinstance(e, dict) and e}
    extra_css = [s for s in source.get("extra_css") or [] if isinstance(s, str)]
    extra_js = list(source.get("extra_javascript") or [])

    review = intranet.review(
        config_file=config_file,
        theme=theme,
        extra=extra,
        repo_url=source.get("repo_url") if isinstance(source.get("repo_url"), str) else None,
        extra_css=extra_css,
        extra_javascript=[s.get("path") if isinstance(s, dict) else s for s in extra_js],
        markdown_extensions=ext_names,
        mdx_configs={k: _plain(v) if isinstance(v, dict) else {} for k, v in mdx_configs.items()},
        plugins=[_name(p) for p in plugins],
    )
    theme.update(review.theme_changes)
    extra.update(review.extra_changes)
    extra.pop("analytics", None)  # refused by the review (PV004): never written
    custom_dir = theme.get("custom_dir")
    theme["custom_dir"] = THEME_DIR

    out: dict[str, Any] = {}
    for key in COPIED:
        if key in source and source[key] is not None:
            out[key] = source[key]
    out["extra"] = extra
    if not source.get("nav"):
        out["nav"] = nav
    out["docs_dir"] = DOCS_DIR
    out["theme"] = theme
    # MkDocs, ProperDocs and Zensical leave templates/ out by default: the template pages live there.
    exclude = str(source.get("exclude_docs") or "").rstrip("\n")
    out["exclude_docs"] = (exclude + "\n" if exclude else "") + "!templates/\n"
    for name in markdown_extensions:
        if name not in ext_names:
            extensions.append(name)
    out["markdown_extensions"] = extensions
    out["extra_css"] = extra_css + [s for s in stylesheets if s not in extra_css]
    out["extra_javascript"] = extra_js + [s for s in scripts if s not in [str(j) for j in extra_js]]
    out["plugins"] = plugins
    out["hooks"] = [HOOK]
    dropped = [key for key in OWN if key in source and key not in ("docs_dir", "theme", "plugins", "markdown_extensions",
                                                                      "extra_css", "extra_javascript", "exclude_docs")]
    dropped += [key for key in source if key not in COPIED and key not in OWN]
    return SiteConfig(out, review.diagnostics, dropped, str(custom_dir) if isinstance(custom_dir, str) and custom_dir else None)
