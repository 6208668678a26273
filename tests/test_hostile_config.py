"""Hostile mkdocs.yml: nothing in it runs code when ``program-portal check`` (the pre-commit hook) reads it.

Each attack writes a marker file if its code ran; the review (``program_portal.siteconfig``) must
refuse the file at the offending line before MkDocs' loader constructs a tag or imports a hook.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, Project, cli, mkdocs_yml
from program_portal import siteconfig


def _marker_command(marker: Path) -> str:
    return f"touch {marker}"


ATTACKS = {
    "object/apply os.system": "site_description: !!python/object/apply:os.system ['{cmd}']\n",
    "object/new subprocess": "site_description: !!python/object/new:subprocess.check_output [['sh', '-c', '{cmd}']]\n",
    "name of a function": "extra:\n  x: !!python/name:os.system\n",
    "module": "extra:\n  x: !!python/module:os\n",
    "nested in a plugin option": "markdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:os.system ['{cmd}']\n",
    "unknown application tag": "extra:\n  x: !include secrets.yml\n",
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_python_tag_is_refused_at_its_line_and_never_runs(project: Project, tmp_path: Path, name: str) -> None:
    marker = tmp_path / "ran"
    attack = ATTACKS[name].format(cmd=_marker_command(marker))
    project.write("mkdocs.yml", mkdocs_yml() + attack)
    result = project.check()
    assert result.returncode == 1, result
    assert "Traceback" not in result.output
    (line,) = result.diagnostics()
    assert line.startswith(f"{project.at('!', rel='mkdocs.yml')}: error PF029: "), line
    assert not marker.exists(), "the tag's code ran"


def test_hooks_are_refused_and_never_imported(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project.write("hooks/evil.py", f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
    project.write("mkdocs.yml", mkdocs_yml() + "hooks:\n  - hooks/evil.py\n")
    result = project.check()
    assert result.returncode == 1, result
    assert result.diagnostics() == [f"{project.at('hooks:', rel='mkdocs.yml')}: error PF030: 'hooks' run Python from the repository at build time; remove them (a maintainer can build with --trusted-config)"]
    assert not marker.exists(), "the hook was imported"
    exported = cli(project.root, "export", str(tmp_path / "out"))
    assert exported.returncode == 1 and not marker.exists(), exported


def test_trusted_config_lets_a_maintainer_use_hooks(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project.write("hooks/own.py", f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
    project.write("mkdocs.yml", mkdocs_yml() + "hooks:\n  - hooks/own.py\n")
    result = project.check("--trusted-config")
    assert result.ok, result
    assert marker.exists()


def test_a_tag_in_an_inherited_file_is_refused_there(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project.write("base.yml", f"site_description: !!python/object/apply:os.system ['{_marker_command(marker)}']\n")
    project.write("mkdocs.yml", "INHERIT: base.yml\n" + mkdocs_yml())
    result = project.check()
    assert result.returncode == 1, result
    assert result.diagnostics() == [f"{project.at('!!python', rel='base.yml')}: error PF029: the YAML tag '!!python/object/apply:os.system' could run code; only !ENV, !relative and the allowed !!python/name: values may be used"]
    assert not marker.exists()


@pytest.mark.parametrize("target", ["../outside.yml", ".git/config.yml"])
def test_inherit_outside_the_project_or_into_git_is_refused(project: Project, target: str) -> None:
    (project.root.parent / "outside.yml").write_text("site_name: elsewhere\n", encoding="utf-8")
    project.write(".git/config.yml", "site_name: git\n")
    project.write("mkdocs.yml", f"INHERIT: {target}\n" + mkdocs_yml())
    result = project.check()
    assert result.returncode == 1, result
    (line,) = result.diagnostics()
    assert line.startswith(f"{project.at(target, rel='mkdocs.yml')}: error PF030: INHERIT "), line


def test_allowed_tags_pass_the_review(project: Project) -> None:
    project.write(
        "mkdocs.yml",
        mkdocs_yml(site_name="!ENV [PORTAL_NAME, 'Fixture portal']")
        + "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: plain\n"
        "          class: plain\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n",
    )
    assert siteconfig.review(project.path("mkdocs.yml")) == []
    result = project.check("--strict")
    assert result.ok, result


def test_an_alias_bomb_is_reviewed_in_linear_time(tmp_path: Path) -> None:
    lines = ["extra:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    lines.append("  evil: !!python/name:os.system")
    config = tmp_path / "mkdocs.yml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = siteconfig.review(config)  # 10**30 paths, 300 nodes: walked once each (tags, links, !ENV)
    assert str(problem).startswith("mkdocs.yml:32:9: error PF029: ")


def test_the_shipped_configurations_pass_the_review() -> None:
    for name in ("mkdocs.yml", "mkdocs.offline.yml"):
        assert siteconfig.review(REPO / name) == [], name


def test_a_build_fails_on_what_the_review_refuses(project: Project) -> None:
    project.write("hooks/own.py", "pass\n")
    project.write("mkdocs.yml", mkdocs_yml() + "hooks:\n  - hooks/own.py\n")
    built = project.build()
    assert built.returncode == 1, built
    assert f"{project.at('hooks:', rel='mkdocs.yml')}: error PF030: " in built.output
    assert not project.path("site").exists()
    assert project.build(PROGRAM_PORTAL_TRUSTED_CONFIG="1").ok
