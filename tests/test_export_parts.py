"""The export's parts without a build: the writer that stays inside OUTDIR, download links, the configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from program_portal.export.config import Tagged, dump, read_source, site_config
from program_portal.export.links import download_links_as_html
from program_portal.export.theme import content_security_policy, theme_files
from program_portal.export.writer import MANIFEST, ExportError, Writer

# -- the writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["../escape.txt", "/etc/passwd", "docs/../../x", "docs\\..\\x", "", "docs//x", "./x", MANIFEST])
def test_writer_refuses_paths_that_leave_outdir(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ExportError):
        Writer(tmp_path / "out").add(rel, "x")


def test_writer_refuses_a_symbolic_link_that_points_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    writer = Writer(out)
    writer.add("docs/index.md", "# Home\n")
    writer.commit()
    os.symlink(outside, out / "docs" / "assets")
    again = Writer(out)
    again.add("docs/index.md", "# Home\n")
    again.add("docs/assets/evil.css", "body{}")
    with pytest.raises(ExportError, match="symbolic link"):
        again.commit()
    assert list(outside.iterdir()) == []


def test_writer_refuses_a_directory_that_is_not_an_export(tmp_path: Path) -> None:
    out = tmp_path / "project"
    out.mkdir()
    (out / "mkdocs.yml").write_text("site_name: mine\n")
    writer = Writer(out)
    writer.add("mkdocs.yml", "site_name: export\n")
    with pytest.raises(ExportError, match="not empty"):
        writer.commit()
    assert (out / "mkdocs.yml").read_text() == "site_name: mine\n"


def test_writer_leaves_unchanged_files_and_removes_only_its_own_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = Writer(out)
    first.add("docs/a.md", "a")
    first.add("docs/old/b.md", "b")
    assert first.commit() == (2, 0)
    (out / "site").mkdir()
    (out / "site" / "keep.html").write_text("not the export's")
    os.utime(out / "docs" / "a.md", (1, 1))
    second = Writer(out)
    second.add("docs/a.md", "a")
    second.add("docs/c.md", "c")
    assert second.commit() == (1, 1)
    assert (out / "docs" / "a.md").stat().st_mtime == 1  # not rewritten: a serving engine sees no change
    assert not (out / "docs" / "old").exists() and (out / "site" / "keep.html").is_file()
    assert yaml.safe_load((out / MANIFEST).read_text()) == ["docs/a.md", "docs/c.md"]


# -- links to the Markdown downloads ---------------------------------------------------------------


DOWNLOADS = {"downloads/agreement.md"}


def test_a_download_link_becomes_html_relative_to_the_source_file() -> None:
    page = '[Word](../downloads/agreement.docx){ .md-button } [Markdown](../downloads/agreement.md){ .md-button download="agreement.md" }\n'
    assert download_links_as_html(page, "templates/agreement.md", DOWNLOADS) == (
        '[Word](../downloads/agreement.docx){ .md-button } '
        '<a href="../downloads/agreement.md " class="md-button" download="agreement.md">Markdown</a>\n'
    )
    assert download_links_as_html("[md](downloads/agreement.md)", "index.md", DOWNLOADS) == '<a href="downloads/agreement.md ">md</a>'


@pytest.mark.parametrize("text", [
    "[other](../guides/executive.md)",
    "[outside](https://example.org/downloads/agreement.md)",
    "[absolute](/downloads/agreement.md)",
    "```\n[Markdown](../downloads/agreement.md)\n```\n",
])
def test_other_links_and_code_are_left_alone(text: str) -> None:
    assert download_links_as_html(text, "templates/agreement.md", DOWNLOADS) == text


def test_attribute_values_are_escaped() -> None:
    out = download_links_as_html('[x](../downloads/agreement.md){ title="a<b" }', "templates/x.md", DOWNLOADS)
    assert out == '<a href="../downloads/agreement.md " title="a&lt;b">x</a>'


# -- the configuration ------------------------------------------------------------------------------


def _config(source: dict) -> dict:
    return site_config(source, config_file="mkdocs.yml", nav=[{"Home": "index.md"}], markdown_extensions=["attr_list"],
                       stylesheets=["assets/p.css"], scripts=["assets/p.js"]).data


def test_configuration_applies_the_intranet_rules_and_keeps_the_sites_settings() -> None:
    data = _config({"site_name": "S", "copyright": "C", "theme": {"name": "material", "font": {"text": "Roboto"}, "custom_dir": "mine"},
                    "extra": {"generator": True, "analytics": {"provider": "google"}}, "plugins": ["search", {"program-portal": {"paper": "a4"}}],
                    "exclude_docs": "drafts/\n", "hooks": ["x.py"], "site_dir": "/tmp/elsewhere"})
    assert data["theme"]["font"] is False and data["theme"]["custom_dir"] == "overrides" and data["theme"]["variant"] == "classic"
    assert data["extra"] == {"generator": False}
    assert data["plugins"] == ["search"] and data["hooks"] == ["hooks/markdown_downloads.py"]
    assert data["exclude_docs"] == "drafts/\n!templates/\n"
    assert data["site_name"] == "S" and data["copyright"] == "C" and "site_dir" not in data
    assert data["markdown_extensions"] == ["attr_list"] and data["extra_css"] == ["assets/p.css"]


def test_yaml_tags_survive_the_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "mkdocs.yml"
    source.write_text("site_name: !ENV [NAME, Portal]\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                      "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n")
    data = read_source(source)
    assert data["site_name"] == Tagged("!ENV", ["NAME", "Portal"])
    text = dump(_config(data))
    assert "site_name: !ENV\n- NAME\n- Portal" in text or "site_name: !ENV [NAME, Portal]" in text
    assert "emoji_generator: !!python/name:material.extensions.emoji.to_svg ''" in text


@pytest.mark.parametrize("source, message", [
    ({"plugins": 7}, "'plugins' must be a list or a mapping, not int"),
    ({"theme": ["material"]}, "'theme' must be text or a mapping, not list"),
    ({"markdown_extensions": [{"a": 1, "b": 2}]}, "each entry of 'markdown_extensions'"),
    ({"extra": "x"}, "'extra' must be a mapping, not str"),
])
def test_configuration_of_the_wrong_shape_is_one_line(source: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _config(source)


@pytest.mark.parametrize("text", ["INHERIT: base.yml\n", "- a list\n", "site_name: [unclosed\n"])
def test_unreadable_or_unsupported_source_is_one_line(tmp_path: Path, text: str) -> None:
    source = tmp_path / "mkdocs.yml"
    source.write_text(text)
    with pytest.raises(ValueError) as info:
        read_source(source)
    assert "\n" not in str(info.value)


VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8), lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
KEYS = st.sampled_from(["site_name", "theme", "extra", "plugins", "markdown_extensions", "extra_css", "extra_javascript", "nav",
                        "exclude_docs", "copyright", "repo_url", "use_directory_urls", "validation", "hooks", "other"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_source_configuration_gives_a_configuration_or_one_line(source: dict) -> None:
    try:
        data = _config(source)
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    assert yaml.safe_load(dump(data))["docs_dir"] == "docs"


# -- the theme override -------------------------------------------------------------------------------


def test_policy_allows_no_inline_script_and_is_written_into_the_override() -> None:
    policy = content_security_policy()
    assert "script-src 'self';" in policy and "unsafe" not in policy and "form-action 'none'" in policy
    files = theme_files()
    main = files["overrides/main.html"].decode()
    assert "@@POLICY@@" not in main and "default-src &#x27;self&#x27;" in main
    partials = [rel for rel in files if rel.startswith("overrides/partials/javascripts/")]
    assert len(partials) == 6
    for rel in partials:
        assert "<script>" not in files[rel].decode(), rel
    assert "hooks/markdown_downloads.py" in files
