"""One pipeline for ``program-portal check``, ``mkdocs build`` and ``program-portal export`` (issue 8).

The cases of the issue end in one located message, the same from check and build, with no
traceback; a failing build, wherever it fails, leaves the previous site/ byte-identical.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Project, cli, tree_digest

SMALL_MKDOCS = (Path(__file__).parent / "fixtures" / "small" / "mkdocs.yml").read_text(encoding="utf-8")


def _mkdocs(project: Project, text: str) -> None:
    project.write("mkdocs.yml", text)


def _with_option(option: str) -> str:
    return SMALL_MKDOCS.replace("      disable_checks: [PD001]", f"      disable_checks: [PD001]\n      {option}")


def _inherit(project: Project) -> None:
    project.write("base.yml", SMALL_MKDOCS)
    _mkdocs(project, "INHERIT: base.yml\nuse_directory_urls: false\n")


def _env_docs_dir(project: Project) -> None:
    project.path("content").rename(project.path("pages"))
    project.write("pages/contact.md", "# Contact\n\nWrite to jane.doe@example.org.\n")
    _mkdocs(project, SMALL_MKDOCS.replace("docs_dir: content", "docs_dir: !ENV [PORTAL_DOCS, pages]"))


def _docs_dir_outside(project: Project) -> None:
    outside = project.root.parent / f"{project.root.name}-content"
    project.path("content").rename(outside)
    _mkdocs(project, SMALL_MKDOCS.replace("docs_dir: content", f"docs_dir: ../{outside.name}"))


def _front_matter_list(project: Project) -> None:
    project.write("content/notes.md", "---\n- a\n- b\n---\n# Notes\n")


# (name, how to set the project up, expected diagnostic line or None for a clean pass)
CASES: list[tuple[str, Callable[[Project], None], str | None]] = [
    ("inherit", _inherit, None),
    ("env-docs-dir", _env_docs_dir, "pages/contact.md:3:10: error PV001: "),
    ("paper-legal", lambda p: _mkdocs(p, _with_option("paper: legal")),
     "mkdocs.yml:1:1: error PF020: program-portal option 'paper' must be one of a4, letter, not 'legal'"),
    ("program-not-a-string", lambda p: _mkdocs(p, _with_option("program: [a, b]")),
     "mkdocs.yml:1:1: error PF020: program-portal option 'program' must be a file name, not a list"),
    ("front-matter-list", _front_matter_list,
     "content/notes.md:2:1: error PF005: the front matter must be a mapping of keys (title: ...), not a list"),
    ("docs-dir-outside", _docs_dir_outside, "mkdocs.yml:2:11: error PF032: docs_dir "),  # nothing from outside the project
]


@pytest.mark.parametrize("name, setup, expected", CASES, ids=[c[0] for c in CASES])
def test_check_and_build_agree_on_the_issue_cases(make_project, name: str, setup, expected: str | None) -> None:
    project = make_project("small")
    setup(project)
    check, build = project.check(), project.build()
    assert "Traceback" not in check.output + build.output, (check, build)
    assert check.ok == build.ok == (expected is None), (check, build)
    assert check.diagnostics() == build.diagnostics(), (check, build)
    if expected is not None:
        line = check.diagnostics()[0]
        assert line.startswith(expected), line


MKDOCS_REFUSES = [
    ("plugins-5", "plugins: 5\n", "mkdocs.yml:8:1: error PF020: Config value 'plugins': Invalid Plugins configuration"),
    ("extra-list", "extra: [1]\n", "mkdocs.yml:6:1: error PF020: Config value 'extra': "),
    ("repo-url-5", "repo_url: 5\n", "mkdocs.yml:12:1: error PF020: Config value 'repo_url': Expected a string"),
    ("yaml-error", "site_name: [unclosed\n", "mkdocs.yml:1:12: error PF020: MkDocs encountered an error parsing the configuration file"),
]


def _replace_setting(text: str, setting: str) -> str:
    key = setting.split(":")[0]
    pattern = re.compile(rf"^{key}:.*?(?=^\S|\Z)", re.M | re.S)
    return pattern.sub(setting, text) if pattern.search(text) else text + setting


@pytest.mark.parametrize("name, setting, expected", MKDOCS_REFUSES, ids=[c[0] for c in MKDOCS_REFUSES])
def test_settings_mkdocs_refuses_are_one_located_message_in_check(make_project, name: str, setting: str, expected: str) -> None:
    """MkDocs refuses these before any plugin runs: check says what MkDocs says, located, and both fail."""
    project = make_project("small")
    _mkdocs(project, _replace_setting(SMALL_MKDOCS, setting))
    check, build = project.check(), project.build()
    assert "Traceback" not in check.output + build.output, (check, build)
    assert not check.ok and not build.ok
    [line] = check.diagnostics()
    assert line.startswith(expected), line
    message = line.split(": error PF020: ", 1)[1]
    assert message.split(":")[0] in build.output, (line, build)


def test_check_reads_the_offline_config_through_inherit() -> None:
    result = cli(REPO, "check", "--strict", "-f", "mkdocs.offline.yml")
    assert result.ok, result
    assert result.stderr.strip() == "ok: no problems found"


def test_source_date_epoch_out_of_range(make_project) -> None:
    project = make_project("small")
    check, build = project.check(SOURCE_DATE_EPOCH="99999999999999"), project.build(SOURCE_DATE_EPOCH="99999999999999")
    assert not check.ok and not build.ok and "Traceback" not in check.output + build.output
    assert check.diagnostics() == build.diagnostics() == [
        "SOURCE_DATE_EPOCH:1:1: error PF023: SOURCE_DATE_EPOCH=99999999999999 is after 2106-02-07, the last date a gzip file can hold; give the seconds since 1970-01-01, e.g. $(git log -1 --format=%ct)"
    ]


# -- export ------------------------------------------------------------------------------------


def test_export_with_a_bad_option(make_project, tmp_path: Path) -> None:
    project = make_project("small")
    _mkdocs(project, _with_option("paper: legal"))
    result = cli(project.root, "export", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.output
    assert result.diagnostics() == ["mkdocs.yml:1:1: error PF020: program-portal option 'paper' must be one of a4, letter, not 'legal'"]
    assert not (tmp_path / "out").exists()


def test_export_to_a_directory_it_cannot_write(make_project) -> None:
    project = make_project("small")
    result = cli(project.root, "export", "program.yml/out")  # below a file: no user can write there, root included
    assert result.returncode == 1 and "Traceback" not in result.output
    [line] = result.diagnostics()
    assert line.startswith("program.yml/out:1:1: error PF021: cannot write the export: ")


def test_export_never_replaces_a_directory_that_is_not_an_export(make_project) -> None:
    project = make_project("small")
    before = tree_digest(project.root)
    result = cli(project.root, "export", ".")
    assert result.returncode == 1 and "Traceback" not in result.output
    [line] = result.diagnostics()
    assert line.startswith(".:1:1: error PF021: ") and "must not be inside docs_dir, nor hold the project itself" in line
    assert tree_digest(project.root) == before


def test_export_again_replaces_the_earlier_export(make_project, tmp_path: Path) -> None:
    project = make_project("small")
    out = tmp_path / "out"
    project.write("content/about/faq.md", "# FAQ\n")
    assert cli(project.root, "export", str(out)).ok
    assert (out / "docs" / "about" / "faq.md").is_file()
    project.path("content/about/faq.md").unlink()  # a page the earlier export wrote and this one does not
    assert cli(project.root, "export", str(out)).ok
    assert not (out / "docs" / "about" / "faq.md").exists() and (out / "docs" / "program" / "index.md").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no staging directory left


# -- publishing is atomic -------------------------------------------------------------------------

HOOK = '''
def on_post_page(output, page, config):
    if page.file.src_uri == "guides/pairs.md":
        raise RuntimeError("a hook fails after some pages were written")
    return output
'''


def _hook(project: Project) -> None:
    project.write("hook.py", HOOK)
    _mkdocs(project, SMALL_MKDOCS + "hooks:\n  - hook.py\n")


def _theme_error(project: Project) -> None:
    project.write("broken-theme/main.html", '{% extends "base.html" %}\n{% block content %}{{ nope() }}{% endblock %}\n')
    _mkdocs(project, SMALL_MKDOCS.replace("  font: false", "  font: false\n  custom_dir: broken-theme"))


def _strict_link_warning(project: Project) -> None:
    project.write("content/links.md", "# Links\n\n[a page that is not there](nowhere.md)\n")


def _program_error(project: Project) -> None:
    project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")


FAILURES = [("hook-on-post-page", _hook), ("theme-error", _theme_error), ("strict-link-warning", _strict_link_warning),
            ("program-error", _program_error)]


@pytest.mark.parametrize("name, breaks", FAILURES, ids=[f[0] for f in FAILURES])
def test_a_failure_anywhere_leaves_site_byte_identical(make_project, name: str, breaks) -> None:
    project = make_project("small")
    first = project.build("--strict")
    assert first.ok, first
    project.write("site/marker.txt", "from the previous build\n")
    before = tree_digest(project.path("site"))
    breaks(project)
    # the hook is a maintainer's (trusted): it runs, and fails after some pages were written
    result = project.build("--strict", PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="")
    assert result.returncode == 1, result
    assert name != "hook-on-post-page" or "a hook fails after some pages were written" in result.output, result
    assert tree_digest(project.path("site")) == before
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site.")) == []  # staging removed


def test_a_successful_build_replaces_site(make_project) -> None:
    project = make_project("small")
    project.write("site/stale.html", "from before\n")
    result = project.build("--strict")
    assert result.ok, result
    assert not project.path("site/stale.html").exists() and project.path("site/program/index.html").is_file()
    assert project.path("site").stat().st_mode & 0o755 == 0o755


@pytest.mark.parametrize("template", ["../../../../etc/passwd", "nope/main.html", "[1, 2]"])
def test_front_matter_template_must_be_a_theme_template_name(make_project, template: str) -> None:
    project = make_project("small")
    project.write("content/notes.md", f"---\ntitle: Notes\ntemplate: {template}\n---\n# Notes\n")
    check, build = project.check(), project.build()
    assert not check.ok and not build.ok and "Traceback" not in check.output + build.output
    assert check.diagnostics() == build.diagnostics() == [
        "content/notes.md:3:1: error PF005: front matter 'template' must name one of the theme's templates, like main.html (no folders)"
    ]
