"""The theme as hostile input: template overrides in the sandbox, files that shadow the theme, SVGs with a DTD in any encoding.

Every attack is a real ``mkdocs build`` (and ``program-portal check`` where it can see it) of the
small fixture with a ``custom_dir``, a secret in the environment and a site/ built before: the
attack must end in one located PF033 (PF028 for the SVGs), no traceback, no secret in any file
of the project, no marker file, and the previous site/ untouched.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Project, tree_digest
from program_portal.checks.active import decode_xml, svg_problem

SECRET = "pp-theme-secret-5d1c"
MARKER = "pp-theme-marker"
ENV = {"PORTAL_TEST_SECRET": SECRET}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The small fixture with ``custom_dir: overrides``, built once (the site/ every attack must leave alone)."""
    from conftest import copy_fixture

    project = Project(copy_fixture("small", tmp_path_factory.mktemp("theme-base")))
    project.edit("mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
    project.path("overrides").mkdir()
    result = project.build()
    assert result.ok, result.output
    return project


@pytest.fixture
def themed(base: Project, tmp_path: Path) -> Project:
    return base.copy(tmp_path / "project")


def _no_leak(project: Project) -> None:
    for path in project.root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"the secret is in {path}"
    assert not list(project.root.rglob(f"{MARKER}*")), "a command ran"
    assert not (Path.cwd() / MARKER).exists()


def _refused(project: Project, result, where: str, code: str = "PF033") -> None:  # type: ignore[no-untyped-def]
    assert not result.ok, result.output
    assert "Traceback" not in result.output, result.output
    found = result.diagnostics()
    assert len(found) == 1 and found[0].startswith(f"{where}: error {code}: "), (found, result.output)


def _build_refused(project: Project, where: str, site_before: dict[str, str]) -> None:
    result = project.build(**ENV)
    _refused(project, result, where)
    assert tree_digest(project.root / "site") == site_before, "the previous site/ changed"
    _no_leak(project)


# --- templates in the sandbox ----------------------------------------------------------------------

# Refused by the sandbox in the build and, being visible in the template's text, by check too.
STATIC_ESCAPES = {
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "config-globals": "{{ config.__class__.__init__.__globals__ }}",
    "lipsum-environ": "{{ lipsum.__globals__.os.environ }}",
    "lipsum-environ-item": "{{ lipsum.__globals__['os'].environ['PORTAL_TEST_SECRET'] }}",
    "cycler-popen": "{{ cycler.__init__.__globals__.os.popen('touch " + MARKER + "').read() }}",
    "joiner-import": "{{ joiner.__init__.__globals__.__builtins__.__import__('os').system('touch " + MARKER + "') }}",
    "namespace-init": "{{ namespace.__init__.__globals__ }}",
    "attr-filter": "{{ (lipsum|attr('__globals__')).os.environ }}",
    "map-attribute": "{{ [lipsum]|map(attribute='__globals__')|list }}",
    "self-context": "{{ self._TemplateReference__context }}",
    "plugin-method": "{{ config.plugins['program-portal'].on_build_error(error=none) }}",
    "theme-env": "{{ config.theme.get_env().from_string('{{ lipsum.__globals__.os.environ }}').render() }}",
    "page-file-method": "{{ page.file.copy_file() }}",
}

# Only the build sees these (the names are computed, or the object is reached through a variable):
# the sandbox refuses them while the page renders.
RUNTIME_ESCAPES = {
    "plugin-by-item": "{% set p = config.plugins['program-portal'] %}{{ p['on_post_build'](config=config) }}",
    "plugin-variable": "{% set p = config.plugins['search'] %}{{ p.on_post_build(config=config) }}",
    "get-env-variable": "{% set e = config.theme.get_env %}{{ e().from_string('{{ 1 }}').render() }}",
    "format-dunder": "{{ '{0.__class__.__mro__}'.format(config) }}",
    "computed-dunder": "{% set u = '_' * 2 %}{{ (''|attr(u ~ 'class' ~ u))|attr(u ~ 'mro' ~ u)|first }}",
    "list-append": "{% set l = [] %}{{ l.append(1) }}",
    "dict-update": "{% set d = {} %}{{ d.update(a=1) }}",
    "path-read": "{% set r = config.plugins['program-portal'].root %}{{ r.joinpath('program.yml').read_text() }}",
    # MkDocs' plugin collection is a dict: its own methods (run_event runs every plugin's hook) are not a dict's
    "plugins-run-event": "{% macro f(x, n) %}{{ x[n]('page_content', '<b>ok</b>', page=page, config=config, files=none) }}"
                         "{% endmacro %}{{ f(config['plu' ~ 'gins'], 'run_' ~ 'event') }}",
    "plugins-run-event-config": "{% set c = config['plu' ~ 'gins'] %}{{ c['run_' ~ 'event']('config', config) }}",
}

# Not escapes, but a template that fails is one located line too, never a traceback.
RUNTIME_FAILURES = {
    "huge-range": "{{ range(10**9)|length }}",
    "unserialisable": "{{ config|tojson }}",
    "endless-recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
}

# Work a template asks for, bounded by the sandbox (render/theme_sandbox.py): refused, not computed.
RUNTIME_WORK = {
    "multiply": "{{ 'x' * 10**9 }}",
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "percent-width": "{{ '%0999999999d' % 1 }}",
    "format-width": "{{ '{:>999999999}'.format(1) }}",
    "indent-filter": "{{ 'x'|indent(10**9) }}",
    "concat-doubling": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "plus-doubling": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "nested-loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "macro-fan-out": "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}{{ m(40) }}",
}

MAIN = '{{% extends "base.html" %}}\n{{% block content %}}\n{{{{ super() }}}}\n{payload}\n{{% endblock %}}\n'
FOOTER = "{{# the footer, replaced #}}\n{payload}\n"


@pytest.mark.parametrize("name", sorted(STATIC_ESCAPES))
def test_escape_in_main_html_is_refused_by_check_and_build(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/main.html", MAIN.format(payload=STATIC_ESCAPES[name]))
    _refused(themed, themed.check(**ENV), "overrides/main.html:4:1")
    _build_refused(themed, "overrides/main.html:4:1", before)


@pytest.mark.parametrize("name", sorted(RUNTIME_ESCAPES))
def test_escape_in_main_html_is_refused_by_the_sandbox(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/main.html", MAIN.format(payload=RUNTIME_ESCAPES[name]))
    _build_refused(themed, "overrides/main.html:4:1", before)


@pytest.mark.parametrize("name", sorted(RUNTIME_WORK))
def test_unbounded_work_is_refused(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/main.html", MAIN.format(payload=RUNTIME_WORK[name]))
    _build_refused(themed, "overrides/main.html:4:1", before)


def test_a_custom_dir_named_like_an_install_folder_is_still_bounded(themed: Project) -> None:
    """Work limits apply to the project's templates wherever they are: a custom_dir called site-packages too."""
    before = tree_digest(themed.root / "site")
    themed.edit("mkdocs.yml", "  custom_dir: overrides\n", "  custom_dir: lib/site-packages\n")
    themed.write("lib/site-packages/main.html", MAIN.format(payload=RUNTIME_WORK["nested-loops"]))
    _build_refused(themed, "lib/site-packages/main.html:4:1", before)


@pytest.mark.parametrize("name", sorted(RUNTIME_FAILURES))
def test_failing_template_is_one_located_line(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/main.html", MAIN.format(payload=RUNTIME_FAILURES[name]))
    _build_refused(themed, "overrides/main.html:4:1", before)


@pytest.mark.parametrize("name", ["lipsum-environ", "cycler-popen", "plugin-method"])
def test_escape_in_a_partial_is_refused(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/partials/footer.html", FOOTER.format(payload=STATIC_ESCAPES[name]))
    _refused(themed, themed.check(**ENV), "overrides/partials/footer.html:2:1")
    _build_refused(themed, "overrides/partials/footer.html:2:1", before)


@pytest.mark.parametrize("name", ["plugin-by-item", "format-dunder"])
def test_runtime_escape_in_a_partial_is_refused(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/partials/footer.html", FOOTER.format(payload=RUNTIME_ESCAPES[name]))
    _build_refused(themed, "overrides/partials/footer.html:2:1", before)


def test_escape_in_the_language_partial_plugins_render_is_refused(themed: Project) -> None:
    """Material's search plugin renders partials/language.html in its own on_config, through Theme.get_env."""
    before = tree_digest(themed.root / "site")
    themed.write("overrides/partials/language.html",
                 '{% set p = config.plugins["program-portal"] %}\n{{ p["on_build_error"](error=none) }}\n'
                 '{% macro t(key) %}{{ key }}{% endmacro %}\n')
    _build_refused(themed, "overrides/partials/language.html:2:1", before)


def test_syntax_error_in_an_override_is_located(themed: Project) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/main.html", '{% extends "base.html" %}\n{% block content %}\n{{ super() }\n{% endblock %}\n')
    _refused(themed, themed.check(), "overrides/main.html:3:1")
    _build_refused(themed, "overrides/main.html:3:1", before)


def test_an_override_that_uses_what_material_uses_builds(themed: Project) -> None:
    """namespace(), macros, super(), loops, the url and tojson filters, i18n, page.meta.get and config.extra still work."""
    themed.edit("mkdocs.yml", "extra:\n  generator: false\n", "extra:\n  generator: false\n  motto: Grow together\n")
    themed.write("overrides/main.html", """{% extends "base.html" %}
{% import "partials/language.html" as lang with context %}
{% macro badge(text) %}<span class="pp-test-badge">{{ text }}</span>{% endmacro %}
{% block content %}
{{ super() }}
{% set ns = namespace(count=0) %}{% for item in nav %}{% set ns.count = ns.count + 1 %}{% endfor %}
<p id="pp-test">{{ badge(config.extra.motto) }} {{ ns.count > 0 }} {{ page.meta.get("missing", "none") }}
{{ "a,b".split(",")|join("+") }} {{ {"k": 1}|tojson }} {{ "assets/x.png"|url }} {{ lang.t("toc") }}
{% trans %}Translated{% endtrans %} {{ (config.plugins["material/search"] | attr("config")) is defined }}</p>
{% endblock %}
""")
    assert themed.check().ok
    result = themed.build("--strict", **ENV)
    assert result.ok, result.output
    page = themed.site("index.html")
    assert '<span class="pp-test-badge">Grow together</span> True none' in page
    assert 'a+b {"k": 1} assets/x.png Table of contents' in page
    assert "Translated" in page and "md-header" in page
    _no_leak(themed)


# --- files that would shadow the theme -------------------------------------------------------------


def _bundle(project: Project) -> str:
    return next(p.name for p in (project.root / "site/assets/javascripts").glob("bundle.*.min.js"))


SHADOWS: dict[str, Callable[[Project], str]] = {
    "material-bundle": lambda p: f"assets/javascripts/{_bundle(p)}",
    "material-stylesheet": lambda p: "assets/stylesheets/" + next(
        x.name for x in (p.root / "site/assets/stylesheets").glob("main.*.min.css")),
    "portal-script": lambda p: "assets/program-portal/portal.js",
    "portal-new-file": lambda p: "assets/program-portal/extra.js",
    "search-index": lambda p: "search/search_index.json",
    "sitemap": lambda p: "sitemap.xml",
    "sitemap-gz": lambda p: "sitemap.xml.gz",
    "offline-shim": lambda p: "assets/vendor/iframe-worker/shim.js",  # the offline pack's, allowed on its pages
}


@pytest.mark.parametrize("name", sorted(SHADOWS))
def test_content_file_at_a_theme_path_is_refused(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    path = SHADOWS[name](themed)
    themed.write(f"content/{path}", "alert(document.domain)\n")
    _refused(themed, themed.check(), f"content/{path}:1:1")
    result = themed.build()
    _refused(themed, result, f"content/{path}:1:1")
    assert tree_digest(themed.root / "site") == before


def test_content_file_at_an_overrides_asset_path_is_refused(themed: Project) -> None:
    themed.write("overrides/assets/images/logo.png", b"\x89PNG\r\n\x1a\n")
    themed.write("content/assets/images/logo.png", b"\x89PNG\r\n\x1a\n")
    _refused(themed, themed.check(), "content/assets/images/logo.png:1:1")


@pytest.mark.parametrize("path", ["overrides/assets/javascripts/BUNDLE", "overrides/assets/javascripts/extra.js",
                                  "overrides/assets/program-portal/portal.js", "overrides/module.mjs"])
def test_script_in_custom_dir_is_refused(themed: Project, path: str) -> None:
    before = tree_digest(themed.root / "site")
    path = path.replace("BUNDLE", _bundle(themed))
    themed.write(path, "alert(document.domain)\n")
    _refused(themed, themed.check(), f"{path}:1:1")
    _refused(themed, themed.build(), f"{path}:1:1")
    assert tree_digest(themed.root / "site") == before


def test_theme_files_that_do_not_collide_are_published(themed: Project) -> None:
    themed.write("content/assets/images/photo.png", b"\x89PNG\r\n\x1a\n")
    themed.write("overrides/assets/images/pattern.png", b"\x89PNG\r\n\x1a\n")
    result = themed.build("--strict")
    assert result.ok, result.output
    assert (themed.root / "site/assets/images/photo.png").is_file()
    assert (themed.root / "site/assets/images/pattern.png").is_file()


# --- SVGs with a DTD, in any encoding --------------------------------------------------------------

DTD_SVG = ('<?xml version="1.0" encoding="{enc}"?>\n'
           '<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(document.domain)&#60;/script&#62;">]>\n'
           '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>\n')
PLAIN_SVG = ('<?xml version="1.0" encoding="{enc}"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
             '<style><![CDATA[rect {{ fill: #336 }}]]></style><rect width="4" height="4"/><text>Zürich</text></svg>\n')
ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.format(enc="UTF-16").encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.format(enc="UTF-16").encode("utf-16-be"),
    "utf-16-le-no-bom": lambda t: t.format(enc="UTF-16").encode("utf-16-le"),
    "utf-16-be-no-bom": lambda t: t.format(enc="UTF-16").encode("utf-16-be"),
    "utf-32-le-bom": lambda t: codecs.BOM_UTF32_LE + t.format(enc="UTF-32").encode("utf-32-le"),
    "utf-32-be-no-bom": lambda t: t.format(enc="UTF-32").encode("utf-32-be"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.format(enc="UTF-8").encode(),
    "latin-1-declared": lambda t: t.format(enc="ISO-8859-1").encode("latin-1"),
    "windows-1252-declared": lambda t: t.format(enc="windows-1252").encode("cp1252"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_svg_with_a_dtd_is_refused_in_any_encoding(themed: Project, encoding: str) -> None:
    themed.write("content/img/drawing.svg", ENCODINGS[encoding](DTD_SVG))
    assert svg_problem(themed.path("content/img/drawing.svg").read_bytes()) == "it has a DOCTYPE or entity declarations"
    _refused(themed, themed.check(), "content/img/drawing.svg:1:1", code="PF028")


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_plain_svg_is_published_in_any_encoding(encoding: str) -> None:
    data = ENCODINGS[encoding](PLAIN_SVG)
    text, _ = decode_xml(data)
    assert text is not None and "Zürich" in text
    assert svg_problem(data) is None


@pytest.mark.parametrize("data", [
    DTD_SVG.format(enc="UTF-7").encode("utf-7"),  # a browser would not read it as this check would
    DTD_SVG.format(enc="cp500").encode("cp500"),  # EBCDIC
    PLAIN_SVG.format(enc="x-unknown").encode(),
    codecs.BOM_UTF16_LE + b"<\x00\x00\xd8",  # a lone surrogate: not UTF-16
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>\xff\xfe</text></svg>',  # not UTF-8
], ids=["utf-7", "ebcdic", "unknown", "bad-utf-16", "bad-utf-8"])
def test_undecodable_svg_is_refused(data: bytes) -> None:
    why = svg_problem(data)
    assert why is not None and "cannot be read as" in why and why.endswith("save it as UTF-8"), why


SVG_STYLE = '<svg xmlns="http://www.w3.org/2000/svg">{}<rect width="4" height="4"{}/></svg>'


@pytest.mark.parametrize(("style", "attribute"), [
    (r"<style>@\69mport 'https://evil.example/x.css';</style>", ""),  # CSS escapes in a <style>
    (r"<style>rect { fill: u\72l(https://evil.example/p.svg#g) }</style>", ""),
    ("<style>rect { fill: url/**/(https://evil.example/p.svg#g) }</style>", ""),
    ("<style>rect { background: image-set('https://evil.example/a.png' 1x) }</style>", ""),
    ("", r' style="fill: u\72l(//evil.example/p.svg#g)"'),  # and in a style attribute
    ("", ' style="-moz-binding: x"'),
    ("", ' fill="url(https://evil.example/p.svg#g)"'),  # a presentation attribute that refers outside
    ("", ' filter="url( //evil.example/f.svg#f)"'),
], ids=["style-import-escaped", "style-url-escaped", "style-url-comment", "style-image-set", "attribute-url-escaped",
        "attribute-binding", "fill-outside", "filter-outside"])
def test_svg_styles_are_read_with_css_escapes_decoded(style: str, attribute: str) -> None:
    assert svg_problem(SVG_STYLE.format(style, attribute).encode()) is not None


def test_svg_styles_and_references_inside_the_drawing_pass() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
           r'<style>rect { fill: #336; font-family: "\41 rial" }</style>'
           '<rect width="4" height="4" fill="url(#g)" style="stroke: url( \'#g\' )"/></svg>')
    assert svg_problem(svg.encode()) is None


def test_undecodable_svg_is_refused_by_the_build(themed: Project) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("content/img/drawing.svg", DTD_SVG.format(enc="UTF-7").encode("utf-7"))
    _refused(themed, themed.build(), "content/img/drawing.svg:1:1", code="PF028")
    assert tree_digest(themed.root / "site") == before


def test_extra_templates_of_a_trusted_configuration_render_in_the_sandbox(themed: Project) -> None:
    """MkDocs compiles an ``extra_templates`` file with plain Jinja; the review refuses the setting, and a
    maintainer's trusted configuration still gets the sandbox (the plugin's on_pre_template)."""
    before = tree_digest(themed.root / "site")
    themed.edit("mkdocs.yml", "docs_dir: content\n", "docs_dir: content\nextra_templates:\n  - robots.txt\n")
    themed.write("content/robots.txt", "User-agent: *\n{{ lipsum.__globals__.os.environ }}\n")
    result = themed.build(PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="", **ENV)
    _refused(themed, result, "content/robots.txt:2:1")
    assert tree_digest(themed.root / "site") == before
    _no_leak(themed)
    themed.write("content/robots.txt", "User-agent: *\n# {{ config.site_name }}\n")
    result = themed.build(PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="")
    assert result.ok, result.output
    assert themed.site("robots.txt") == "User-agent: *\n# Small portal"  # Jinja drops the last newline


# --- what a built page loads -----------------------------------------------------------------------

# An override that loads code from somewhere else on the shared intranet origin (or off it): each is
# refused on the built page (checks/theme.py page_load_problems), the previous site/ untouched.
FOREIGN_LOADS = {
    "root-absolute": ('<script src="/other-app/x.js"></script>', "/other-app/x.js"),
    "dot-dot-escape": ('<script src="../../../../other/x.js"></script>', "../../../../other/x.js"),
    "protocol-relative": ('<script src="//intranet.example/x.js"></script>', "//intranet.example/x.js"),
    "data-url": ('<script src="data:text/javascript,alert(1)"></script>', "data:text/javascript,alert(1)"),
    # a text file is published (and scanned), and a browser runs it as a script when served without nosniff
    "content-file": ('<script src="{{ \'js/extra.txt\'|url }}"></script>', "js/extra.txt"),
    "module-preload": ('<link rel="modulepreload" href="/other-app/m.js">', "/other-app/m.js"),
    "svg-script": ('<svg><script href="/other-app/s.js"></script></svg>', "/other-app/s.js"),
    "encoded-escape": ('<script src="%2e%2e/%2e%2e/x.js"></script>', "%2e%2e/%2e%2e/x.js"),
    "iframe": ('<iframe src="/other-app/"></iframe>', "/other-app/"),
    "object": ('<object data="/other-app/x.swf"></object>', "/other-app/x.swf"),
    "base": ('<base href="/other-app/">', "/other-app/"),
}


@pytest.mark.parametrize("name", sorted(FOREIGN_LOADS))
def test_override_loading_a_foreign_script_is_refused(themed: Project, name: str) -> None:
    before = tree_digest(themed.root / "site")
    markup, src = FOREIGN_LOADS[name]
    themed.write("content/js/extra.txt", "alert(document.domain)\n")  # published, but not the portal's (a .js is PF034)
    themed.write("overrides/main.html", MAIN.format(payload=markup))
    assert themed.check().ok  # only the built page shows it
    result = themed.build(**ENV)
    assert not result.ok and "Traceback" not in result.output, result.output
    found = result.diagnostics()
    assert len(found) == 1, found  # once per build, not once per page
    assert found[0].startswith("content/") and ": error PF033: the built page " in found[0], found
    assert "(template main.html) loads <" in found[0] and f"={src!r}>, which " in found[0], found
    assert tree_digest(themed.root / "site") == before, "the previous site/ changed"
    _no_leak(themed)


def test_override_loading_the_portal_and_theme_scripts_builds(themed: Project) -> None:
    """Relative paths to Material's and the portal's own scripts, from any page depth, are what a page may load."""
    themed.write("overrides/main.html", MAIN.format(payload=(
        '<script src="{{ \'assets/program-portal/portal.js\'|url }}"></script>'
        '<script src="{{ \'assets/javascripts/lunr/tinyseg.js\'|url }}"></script>'
        '<link rel="preload" as="style" href="/other-app/x.css">')))  # not a script: CSP style-src's concern
    result = themed.build("--strict")
    assert result.ok, result.output


def test_page_load_problems_resolve_relative_to_the_page() -> None:
    from program_portal.checks.theme import page_load_problems

    allowed = frozenset({"assets/program-portal/portal.js"})
    html = '<html><head><script src=" ../../assets/program-portal/portal.js\n"></script></head></html>'
    assert page_load_problems(html, file="content/a/b.md", page_url="a/b/", template="main.html", allowed=allowed) == []
    found = page_load_problems(html, file="content/a.md", page_url="a/", template="main.html", allowed=allowed)
    assert len(found) == 1 and "leaves the site's base" in found[0].message
    offline = '<html><head><script src="../assets/vendor/iframe-worker/shim.js"></script></head></html>'  # use_directory_urls: false
    shim = frozenset({"assets/vendor/iframe-worker/shim.js"})
    assert page_load_problems(offline, file="content/a/b.md", page_url="a/b.html", template="main.html", allowed=shim) == []
    not_found = '<html><head><script src="/portal/assets/program-portal/portal.js"></script></head></html>'  # 404.html
    assert page_load_problems(not_found, file="404.html", page_url="", template="404.html", allowed=allowed, site_path="/portal/") == []
    for bad in ("/assets/program-portal/portal.js", "/portal/../other/portal.js", "/portalx/assets/program-portal/portal.js"):
        page = not_found.replace("/portal/assets/program-portal/portal.js", bad)
        assert len(page_load_problems(page, file="404.html", page_url="", template="404.html", allowed=allowed, site_path="/portal/")) == 1, bad
    many = "<html><body>" + "".join(f'<script src="/x{i}.js"></script>' for i in range(5000)) + "</body></html>"
    assert len(page_load_problems(many, file="content/a.md", page_url="a/", template="main.html", allowed=allowed)) == 20


def test_404_override_loading_a_foreign_script_is_refused(themed: Project) -> None:
    before = tree_digest(themed.root / "site")
    themed.write("overrides/404.html", '{% extends "main.html" %}\n{% block content %}<script src="/other-app/x.js"></script>{% endblock %}\n')
    result = themed.build(**ENV)
    assert not result.ok and "Traceback" not in result.output, result.output
    found = result.diagnostics()
    assert len(found) == 1 and found[0].startswith("overrides/404.html:1:1: error PF033: the built page / (template 404.html) loads "
                                                   "<script src='/other-app/x.js'>, which resolves to /other-app/x.js in the site"), found
    assert tree_digest(themed.root / "site") == before, "the previous site/ changed"
