"""A hostile corpus: attacks a designer (or a pull request) could write, checked on what is PUBLISHED.

One project carries every attack at once (program.yml fields, pages under content/, a body
file, a folder name, mkdocs.yml settings); it is built once with the real ``mkdocs build``
and every published file is opened: the HTML pages (no script that the policy does not list,
no event handler, no ``javascript:``/``data:`` URL, no frame, form, base or refresh), the
Content-Security-Policy of each, the PDF (pypdf), the Word file (its XML), the calendars
(re-parsed with icalendar), the Markdown downloads and the search index. Files a browser would
run on their own (HTML, active SVG) are refused with a located error. The writers are also
called directly with what validation may one day refuse (control characters), since they must
be safe regardless. ``test_hostile_site_runs_no_injected_script`` drives Chromium.

Each attack's payload calls ``alert(N)``; :data:`ATTACKS` counts them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import lxml.html
import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from conftest import Project, copy_fixture
from program_portal.render import csp, sanitize
from program_portal.render import markdown as mdtext

# -- the attacks -----------------------------------------------------------------------------

POLYGLOT = ("jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(11) )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/"
            "</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert(11)//>\\x3e")


def _yaml(value: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + value.replace("'", "''") + "'"


# program.yml: (old text in the fixture, new text), each one attack.
PROGRAM_ATTACKS = {
    "contact written raw as <...>": ("contact: mentoring@fixture.example", "contact: " + _yaml("@<script>alert(1)</script>")),
    "attr_list event handler in a summary": (
        "summary: A small programme used by the **test suite**.", "summary: " + _yaml('*x*{: onclick="alert(2)" }')),
    "attr_list href override on a safe link": (
        "summary: One mentor, one mentee, nine months.", "summary: " + _yaml('[a](https://ok.example/){: href="javascript:alert(3)" }')),
    "autoescape false in a placeholder": (
        "text: \"We agree to work on {{ blank('goals') }}.\"",
        "text: " + _yaml("We agree {% autoescape false %}{{ '\\x3cscript\\x3ealert(4)\\x3c/script\\x3e' }}{% endautoescape %}"
                         " to {{ blank('goals') }}.")),
    "autofocus with onfocus": (
        "summary: A leader preparing for a bigger role.", "summary: " + _yaml('*y*{: autofocus="" onfocus="alert(5)" tabindex="1" }')),
    "organisation closes the PDF's <style>": (
        "organisation: Fixture Group", "organisation: " + _yaml("</style><a href=javascript:alert(6)>Fixture</a><style>")),
    "raw HTML with handlers in a summary": (
        "summary: Briefings, matching and first meetings.", "summary: " + _yaml("<img src=x onerror=alert(8)><svg onload=alert(8)>")),
    "URL schemes in links": (
        "summary: What is said stays in the relationship.",
        "summary: " + _yaml("[j](javascript:alert(9)) [J]( JaVaScRiPt:alert(9)) [t](java\tscript:alert(9)) "
                            "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==) [v](vbscript:alert(9)) "
                            "<javascript:alert(9)> [e](&#106;avascript:alert(9)) [p](%6Aavascript:alert(9))")),
    "image from another host (tracking pixel)": (
        "rules: [The mentor takes no part in assessing the mentee.]",
        "rules: [" + _yaml("![pixel](https://tracker.example/p.png?alert(10)) takes no part") + "]"),
    "polyglot in agenda notes": ("notes: Keep it personal.", "notes: " + _yaml(POLYGLOT)),
    "checklist item (rendered to HTML inside a label)": (
        "- Listens more than talks", "- " + _yaml('Listens <img src=x onerror=alert(12)> [c](javascript:alert(12)){: onclick="alert(12)"}')),
    "block syntax in a field (.md download)": (
        "preparation: [Read the mentoring agreement]", "preparation: [" + _yaml("# Not a heading") + ", " + _yaml("---") + ", "
        + _yaml("1. not a list") + "]"),
    "script in a template title": ("title: First session", "title: " + _yaml("First <script>alert(14)</script> session")),
    "entities and attribute breakout in a title": (
        "title: Mentor quality checklist", "title: " + _yaml('Checklist" onmouseover="alert(15)" &lt;b&gt; &#60;img src=x onerror=alert(15)&#62;')),
    # pages: the session title goes into the month grid (key, day cells), the timeline and the series table
    "session title in the grid and the timeline": (
        "title: Leadership circle with the President",
        "title: " + _yaml('Circle</a><img src=x onerror=alert(60)>" data-x="<svg onload=alert(60)>](javascript:alert(60))')),
    "phase title in the timeline (md_in_html)": (
        "title: Launch and matching", "title: " + _yaml('Launch</strong></span></li></ol></div><script>alert(61)</script>[x](javascript:alert(61))')),
    # the matching guide (/program/matching/) prints these, and the templates it names link to it
    "matching: markup and placeholders in its summary, criteria and steps": ("\nprivacy:\n", f"""
matching:
  summary: {_yaml("Pairs <script>alert(94)</script> [x](javascript:alert(94)) {{ config }}")}
  decides: program-office
  criteria:
    - title: {_yaml("</h3><img src=x onerror=alert(95)>")}
      summary: {_yaml("{% raw %}x{% endraw %} <svg onload=alert(95)>")}
  steps:
    - title: {_yaml('Profiles" onmouseover="alert(96)')}
      summary: {_yaml("<iframe src=javascript:alert(96)></iframe>")}
      owner: mentee
privacy:
"""),
    "a form: markup in questions, help and options, placeholders in options, a long option list": ("\nsessions:\n", f"""
  - id: hostile-form
    kind: form
    title: Hostile form
    sections:
      - title: {_yaml("Section <script>alert(90)</script>")}
        help: {_yaml("<img src=x onerror=alert(91)> [h](javascript:alert(91)){: onclick=alert(91) }")}
        questions:
          - id: q1
            type: text
            question: {_yaml('Question <script>alert(90)</script> " onfocus="alert(92)')}
            help: {_yaml("**help** <svg onload=alert(91)>")}
          - id: q2
            type: choice
            question: {_yaml("Pick </legend></fieldset><img src=x onerror=alert(93)>")}
            options: [{_yaml('" onclick="alert(92)')}, {_yaml("{{ program.title }}")}, {_yaml("{% raw %}x{% endraw %}")},
                      {", ".join(_yaml(f"Option {n} " + "x" * 180) for n in range(17))}]
          - {{id: q3, type: scale, question: Scale, low: {_yaml("<b>low</b>")}, high: {_yaml("{{ 7 * 7 }}")}}}
          - {{id: q4, type: date, question: {_yaml("Date ]] {{% if %}}")}}}

sessions:
"""),
}

ATTACK_PAGE = """---
title: "<img src=x onerror=alert(16)>Attack page"
description: '"><script>alert(16)</script>'
---
# Attacks

<script>alert(17)</script>
<img src="x" onerror="alert(18)">
<a href="javascript:alert(19)">js link</a> <a href="JaVa&#x09;ScRiPt:alert(19)">tab link</a>
<a href="&#x6A;avascript:alert(19)">entity link</a> <a href=" data:text/html,<script>alert(19)</script>">data link</a>
<iframe srcdoc="<script>alert(20)</script>"></iframe>
<iframe src="javascript:alert(20)"></iframe>
<form action="https://evil.example/"><input type="submit" formaction="javascript:alert(21)" value="go"></form>
<meta http-equiv="refresh" content="0;url=javascript:alert(22)">
<base href="https://evil.example/">
<object data="javascript:alert(23)"></object><embed src="javascript:alert(23)">
<style>body { background: url("https://evil.example/alert(24)") }</style>
<div style="background:url(https://evil.example/alert(24))">styled</div>
<svg><script>alert(25)</script><a xlink:href="javascript:alert(25)"><text>svg</text></a></svg>
<math><mtext><table><mglyph><style><img src=x onerror=alert(26)></style></mglyph></table></mtext></math>
<details open ontoggle="alert(27)"><summary>open</summary>x</details>
<input autofocus onfocus="alert(28)">
<noscript><p title="</noscript><img src=x onerror=alert(29)>"></p></noscript>
<div id="__config">{"base": "javascript:alert(30)"}</div>
<textarea></textarea><script>alert(31)</script>
<link rel="stylesheet" href="https://evil.example/alert(32).css">
<template><script>alert(33)</script></template>
<a href="/ok" target="_blank" rel="opener" ping="https://evil.example/alert(34)">ping</a>
<button type="submit" formaction="javascript:alert(35)">button</button>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMzYpPjwvc3ZnPg==" alt="svg data">

*x*{: onclick="alert(37)" }

[a](https://ok.example/){: href="javascript:alert(38)" }

Field: *f*{: autofocus="" onfocus="alert(39)" }

{% autoescape false %}{{ '\\x3cscript\\x3ealert(40)\\x3c/script\\x3e' }}{% endautoescape %}

{{ '<img src=x onerror=alert(41)>' }}
"""

CSP_TEXT_PAGE = """# Policy talk

A page that quotes <code>http-equiv="Content-Security-Policy"</code> still gets the portal's policy.
"""

BODY_ATTACK = """
<a href="javascript:alert(42)">body js</a> <script>alert(42)</script> <img src=x onerror=alert(42)>
"""

SETTINGS_ATTACK = """theme:
  name: material
  font: false
  custom_dir: overrides
  palette:  # look: printed by the theme into attributes; the icon is a template path
    - scheme: default
      media: '"><img src=x onerror=alert(47)>'
      toggle: {icon: ../../../../../etc/passwd, name: '"><script>alert(47)</script>'}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: '<img src=x onerror=alert(47)>'}
site_description: '"><script>alert(43)</script>'
copyright: '<img src=x onerror=alert(44)>Fixture copyright <a href="javascript:alert(44)">c</a>'
"""

FOLDER_ATTACK = "<img src=x onerror=alert(45)>"

# A theme override (mkdocs.yml's custom_dir is the designer's too) that writes an inline script
# into every page: nothing sanitises templates, so the Content-Security-Policy must block it.
OVERRIDE_SCRIPT = "window.__ppInjected = true; alert(46)"
OVERRIDE = "{% extends 'base.html' %}\n{% block scripts %}{{ super() }}<script>" + OVERRIDE_SCRIPT + "</script>{% endblock %}\n"

# Attacks in the published project besides program.yml: one per payload number.
SITE_ATTACKS = sorted({int(n) for n in re.findall(r"alert\((\d+)\)", ATTACK_PAGE + BODY_ATTACK + SETTINGS_ATTACK + FOLDER_ATTACK + OVERRIDE)})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The ``full`` fixture with every attack, built once (``mkdocs build``)."""
    project = Project(copy_fixture("full", tmp_path_factory.mktemp("hostile")))
    project.configure(extra=SETTINGS_ATTACK)
    project.edit("mkdocs.yml", "theme:\n  name: material\n  font: false\n", "", 1)
    project.write("overrides/main.html", OVERRIDE)
    for old, new in PROGRAM_ATTACKS.values():
        project.edit("program.yml", old, new)
    project.write("content/about/attack.md", ATTACK_PAGE)
    project.write("content/about/csp-text.md", CSP_TEXT_PAGE)
    project.write(f"content/{FOLDER_ATTACK}/page.md", "# A page in a hostile folder\n")
    project.edit("content/templates/agreement.md", "## How to use this agreement", "## How to use this agreement\n" + BODY_ATTACK)
    result = project.build(SOURCE_DATE_EPOCH="1790000000")
    if not result.ok:
        # Validation (control characters) may refuse some attacks with a located error: that is a
        # fine outcome, but then the rest must still be checked on a build without them.
        refused = result.diagnostics()
        assert refused, result.output
        pytest.fail(f"the hostile project was refused: {refused}")
    return project


def _published(project: Project, suffix: str) -> list[Path]:
    return sorted(p for p in (project.root / "site").rglob(f"*{suffix}") if p.is_file())


DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data|file|blob|about|jar):", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster", "ping", "cite")


def _scheme(value: str) -> str:
    return re.sub(r"[\x00-\x20]", "", value)


def _csp(document: lxml.html.HtmlElement) -> str:
    metas = document.xpath('//head/meta[translate(@http-equiv, "CONTENT-SECURITY-POLICY", "content-security-policy")'
                           '="content-security-policy"]')
    assert metas, "no Content-Security-Policy in <head>"
    return metas[0].get("content")


def _problems(path: Path, text: str) -> list[str]:
    """Everything live in one published HTML file that the portal did not put there."""
    document = lxml.html.document_fromstring(text)
    policy = _csp(document)
    found = []
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        found.append("the policy allows inline scripts")
    for script in document.iter("script"):
        if script.get("src"):
            if not re.fullmatch(r"(\.\./)*(/)?(assets|search)/[\w./-]+\.js", script.get("src")):
                found.append(f"script file {script.get('src')}")
        elif (script.get("type") or "text/javascript") in ("text/javascript", "module"):
            body = re.search(r"<script(?:\s[^>]*)?>(.*?)</script>", lxml.html.tostring(script, encoding="unicode"), re.S)
            if body and csp.token(script.text or "") not in policy and script.text != OVERRIDE_SCRIPT:
                found.append(f"inline script not in the policy: {(script.text or '')[:60]}")
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name.lower() in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(_scheme(value)):
                if not (element.tag == "img" and value.startswith("data:image/") and "svg" not in value[:20]):
                    found.append(f"<{element.tag} {name}={value[:50]!r}>")
            if name.lower() == "autofocus":
                found.append(f"<{element.tag} autofocus>")
        if element.tag in ("iframe", "frame", "object", "embed", "base", "applet"):
            found.append(f"<{element.tag}>")
        if element.tag == "link" and element.getparent().tag != "head":
            found.append("<link> outside <head>")
        theme_form = element.get("name") == "search" or element.get("data-md-component") == "palette"  # search, palette toggle
        if element.tag == "form" and (not theme_form or element.get("action") is not None or element.get("method") is not None):
            found.append("<form> other than the theme's search and palette")
        if element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta refresh>")
        if element.tag == "style":
            found.append("<style>")
    for article in document.xpath("//article"):
        for element in article.iter():
            if isinstance(element.tag, str) and element.get("style"):
                found.append(f"style attribute on <{element.tag}>")
            if isinstance(element.tag, str) and (element.get("id") or "").startswith("__"):
                found.append(f"id {element.get('id')} in the content")
    return [f"{path.name}: {p}" for p in found]


# -- the published site ---------------------------------------------------------------------


def test_every_published_html_file_is_harmless(hostile: Project) -> None:
    pages = _published(hostile, ".html")
    assert len(pages) > 15
    problems = [p for page in pages for p in _problems(page, page.read_text(encoding="utf-8"))]
    assert problems == [], "\n".join(problems)


def test_the_override_s_inline_script_is_not_in_the_policy(hostile: Project) -> None:
    for page in _published(hostile, ".html"):
        text = page.read_text(encoding="utf-8")
        assert OVERRIDE_SCRIPT in text, page.name
        assert csp.token(OVERRIDE_SCRIPT) not in _csp(lxml.html.document_fromstring(text)), page.name


def test_the_attacks_are_published_as_text(hostile: Project) -> None:
    attack = hostile.site("about/attack/index.html")
    assert "Field:" in attack and "Attacks" in attack
    overview = hostile.site("program/index.html")
    article = lxml.html.document_fromstring(overview).xpath("//article")[0]
    text = article.text_content()
    assert "@<script>alert(1)</script>" in text  # the contact, as text
    assert '{: onclick="alert(2)" }' in text  # attr_list syntax shown, not applied
    assert not article.xpath(".//*[@onclick or @onfocus or @autofocus]")
    guide = lxml.html.document_fromstring(hostile.site("guides/executive/index.html")).xpath("//article")[0]
    assert [a.get("href") for a in guide.iter("a") if a.text == "a"] == ["https://ok.example/"]
    agreement = hostile.site("templates/agreement/index.html")
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in agreement or "alert(4)" not in agreement


def test_links_keep_only_safe_targets(hostile: Project) -> None:
    document = lxml.html.document_fromstring(hostile.site("program/index.html"))
    hrefs = [a.get("href") for a in document.xpath("//article//a") if a.get("href") is not None]
    assert hrefs and all(re.match(r"^(https?:|mailto:|#|\.\.?/|[\w-]+/|[\w-]+\.\w+)", _scheme(h)) or h == "" for h in hrefs), hrefs
    assert not any("tracker.example" in (img.get("src") or "") for img in document.iter("img"))
    policies = lxml.html.document_fromstring(hostile.site("program/policies/index.html"))
    assert not policies.xpath("//article//img"), "an image from program.yml"


def test_every_html_file_carries_the_policy_even_404_and_csp_text(hostile: Project) -> None:
    for name in ("404.html", "about/csp-text/index.html", "about/attack/index.html", "index.html"):
        document = lxml.html.document_fromstring(hostile.site(name))
        policy = _csp(document)
        assert "script-src 'self'" in policy and "form-action 'none'" in policy and "object-src 'none'" in policy, name
    text = hostile.site("about/csp-text/index.html")
    assert text.count('<meta http-equiv="Content-Security-Policy"') == 1


def test_titles_and_settings_print_as_text(hostile: Project) -> None:
    for name in ("index.html", "about/attack/index.html", "templates/first-session/index.html"):
        head = lxml.html.document_fromstring(hostile.site(name)).find("head")
        for meta in head.iter("meta"):
            assert set(meta.attrib) <= {"charset", "name", "content", "http-equiv", "property"}, lxml.html.tostring(meta)
        assert not [e for e in head.iter() if e.tag in ("img", "a")]
    home = lxml.html.document_fromstring(hostile.site("index.html"))
    footer = home.xpath("//footer")[0]
    assert not footer.xpath(".//img") and not footer.xpath(".//a[starts-with(@href, 'javascript')]")
    assert "Fixture copyright" in footer.text_content()
    nav_text = " ".join(a.text_content() for a in home.xpath("//nav//a"))
    assert "First" in nav_text and "Attack page" in nav_text


def test_pages_names_that_materials_scripts_look_up_stay_the_theme_s(hostile: Project) -> None:
    document = lxml.html.document_fromstring(hostile.site("about/attack/index.html"))
    configs = document.xpath('//*[@id="__config"]')
    assert len(configs) == 1 and configs[0].tag == "script"


# -- downloads and calendars ----------------------------------------------------------------


def test_pdf_has_no_link_or_script_from_the_organisation(hostile: Project) -> None:
    from pypdf import PdfReader

    for path in _published(hostile, ".pdf"):
        data = path.read_bytes()
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            for annotation in page.get("/Annots", []) or []:
                action = annotation.get_object().get("/A")
                if action is not None:
                    uri = str(action.get_object().get("/URI", ""))
                    assert not DANGEROUS_SCHEME.match(_scheme(uri)), (path.name, uri)
                    assert "/JavaScript" not in str(action.get_object().get("/S", "")), path.name
        assert b"/JavaScript" not in data and b"/JS " not in data, path.name
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "alert(42)" not in text or "body js" in text  # the body's script is gone, its link is text
    header = " ".join(PdfReader(io.BytesIO((hostile.root / "site/downloads/agreement.pdf").read_bytes())).pages[0].extract_text().split())
    assert "</style>" in header  # the organisation is printed as text in the running header


def test_word_files_have_no_external_link(hostile: Project) -> None:
    for path in _published(hostile, ".docx"):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".rels"):
                    rels = archive.read(name).decode()
                    assert "javascript:" not in rels.lower() and 'TargetMode="External"' not in rels, (path.name, name)
            document = archive.read("word/document.xml").decode()
            assert "<script" not in document


def test_calendars_carry_no_injected_property(hostile: Project) -> None:
    calendars = _published(hostile, ".ics")
    assert len(calendars) == 2
    for path in calendars:
        data = path.read_bytes()
        lines = re.split(rb"\r\n(?![ \t])", data)
        assert not [line for line in lines if re.match(rb"(ATTENDEE|X-ALERT)", line)], path.name
        assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
        calendar = Calendar.from_ical(data)
        for event in calendar.walk("VEVENT"):
            assert "ATTENDEE" not in event and "X-ALERT" not in event
            assert "\n" not in str(event["LOCATION"])


def test_markdown_download_shows_fields_as_text(hostile: Project) -> None:
    agenda = (hostile.root / "site/downloads/first-session.md").read_text(encoding="utf-8")
    assert "- \\# Not a heading" in agenda and "- \\---" in agenda and "- 1\\. not a list" in agenda
    assert "<script" not in agenda and "<img" not in agenda
    assert "](javascript:" not in agenda.lower() and "<a" not in agenda
    checklist = (hostile.root / "site/downloads/mentor-quality.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)\{: onclick", checklist) and "\\{: onclick" in checklist
    assert "](javascript:" not in checklist


def test_form_questions_options_and_help_are_text_everywhere(hostile: Project) -> None:
    page = lxml.html.document_fromstring(hostile.site("templates/hostile-form/index.html"))
    article = page.xpath("//article")[0]
    assert not article.xpath(".//script | .//img | .//svg | .//*[@onclick or @onfocus or @onerror or @onload]")
    assert not [a for a in article.iter("a") if "javascript" in (a.get("href") or "").lower()]
    legends = [leg.text_content() for leg in article.iter("legend")]
    assert "Pick </legend></fieldset><img src=x onerror=alert(93)>" in legends
    labels = [lab.text_content() for lab in article.xpath(".//label[contains(@class, 'pp-question-text')]")]
    assert labels == ['Question <script>alert(90)</script> " onfocus="alert(92)', "Date ]] {{% if %}}"]
    values = [r.get("value") for r in article.xpath(".//input[@name='q-q2']")]
    assert values[:3] == ['" onclick="alert(92)', "{{ program.title }}", "{% raw %}x{% endraw %}"] and len(values) == 20
    assert "1 = <b>low</b>, 5 = {{ 7 * 7 }}" in article.text_content()  # neither HTML nor a placeholder
    md = (hostile.root / "site/downloads/hostile-form.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md and "<svg" not in md and "](javascript:" not in md.lower()
    assert "- [ ] \\{\\{ program.title \\}\\}\n" in md  # a placeholder in an option stays text
    from docx import Document

    docx_text = Document(str(hostile.root / "site/downloads/hostile-form.docx")).element.xml
    assert "{{ program.title }}" in docx_text and "&lt;script&gt;alert(90)" in docx_text
    from pypdf import PdfReader

    pdf = PdfReader(str(hostile.root / "site/downloads/hostile-form.pdf"))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Question <script>alert(90)</script>" in text
    assert {"q-q1", "q-q2", "q-q3", "q-q4"} <= set(pdf.get_fields())


def test_search_index_is_json_with_text_only(hostile: Project) -> None:
    index = json.loads((hostile.root / "site/search/search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            value = doc.get(key, "")
            fragment = lxml.html.fragment_fromstring(f"<div>{value}</div>")
            for element in fragment.iter():
                assert not [a for a in element.attrib if a.lower().startswith("on")], (doc["location"], value[:80])
                assert element.tag not in ("script", "img", "iframe"), (doc["location"], value[:80])


def test_exported_navigation_has_escaped_titles(hostile: Project, tmp_path: Path) -> None:
    import yaml

    from conftest import cli

    result = cli(hostile.root, "export", str(tmp_path / "export"))
    assert result.ok, result.output
    nav = yaml.safe_load((tmp_path / "export" / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    titles: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                titles.append(key)
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    assert "First &lt;script&gt;alert(14)&lt;/script&gt; session" in titles
    assert not [t for t in titles if "<" in t], titles


def test_navigation_links_from_mkdocs_yml_keep_safe_targets(project: Project) -> None:
    project.configure(extra="nav:\n  - Home: index.md\n  - '<img src=x onerror=alert(58)>Evil': 'javascript:alert(58)'\n"
                            "  - Vb: ' VBScript:alert(58)'\n  - Ok: 'https://intranet.example/'\n")
    refused = project.build()  # the review refuses both targets where written (PF031)
    assert refused.returncode == 1, refused.output
    assert [line.split(": error ")[0] for line in refused.diagnostics()] == [
        project.at("'javascript:", rel="mkdocs.yml"), project.at("' VBScript", rel="mkdocs.yml")]
    result = project.build(PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="")  # a maintainer's: still made safe
    assert result.ok, result.output
    document = lxml.html.document_fromstring(project.site("index.html"))
    hrefs = [a.get("href") for a in document.xpath("//nav//a")]
    assert "https://intranet.example/" in hrefs
    assert not [h for h in hrefs if h and DANGEROUS_SCHEME.match(_scheme(h))], hrefs
    assert not document.xpath("//nav//img") and "Evil" in " ".join(n.text_content() for n in document.xpath("//nav"))


def test_html_another_plugin_writes_gets_the_policy(project: Project) -> None:
    project.write("hooks.py", "from pathlib import Path\n\n"
                  "def on_post_build(config, **kwargs):\n"
                  "    Path(config.site_dir, 'extra.html').write_text('<!doctype html><title>x</title><script>alert(59)</script>')\n")
    project.configure(extra="hooks:\n  - hooks.py\n")
    refused = project.build()  # a hook is repository code: refused (PF030) unless a maintainer trusts it
    assert refused.returncode == 1 and "error PF030: 'hooks'" in refused.output, refused.output
    result = project.build(PROGRAM_PORTAL_TRUSTED_CONFIG="1", CI="")
    assert result.ok, result.output
    text = project.site("extra.html")
    assert text.startswith("<!doctype html><meta http-equiv=\"Content-Security-Policy\"")
    assert csp.token("alert(59)") not in text


# -- refused files --------------------------------------------------------------------------


REFUSED = [
        ("content/legacy.html", "<html><body><script>alert(46)</script></body></html>"),
        ("content/about/old.htm", "<p onclick=alert(47)>old</p>"),
        ("content/img/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(48)</script></svg>'),
        ("content/img/click.svg", '<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(49)"/></svg>'),
        ("content/img/link.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                                 '<a x:href="javascript:alert(50)"><text>t</text></a></svg>'),
        ("content/img/fo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>'),
        ("content/img/xxe.svg", '<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">'
                                "<text>&e;</text></svg>"),
        ("content/img/anim.svg", '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(51)"/>'
                                 "<text>t</text></a></svg>"),
]


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_files_a_browser_would_run_are_refused_with_a_located_error(project: Project, name: str, data: str) -> None:
    project.write(name, data)
    diagnostics = project.diagnostics()
    assert [d for d in diagnostics if d.startswith(f"{name}:") and "error PF028" in d], diagnostics


def test_plain_svg_is_published(project: Project) -> None:
    project.write("content/img/ok.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                                        '<defs><circle id="c" r="4"/></defs><use xlink:href="#c"/><text>ok</text></svg>')
    assert not [d for d in project.diagnostics() if "PF028" in d]


# -- the writers, with what validation might refuse ------------------------------------------

CONTROL = "A\x00B\x01C\x0bD\x0cE\rF\x1bG\x7fH\x85I\u2028J"


def test_ics_text_never_ends_a_content_line() -> None:
    from program_portal.calendar import ics

    event = ics.CalendarEvent(
        uid="u@x", summary="S\rATTENDEE;CN=evil:urn:alert(52)", start=datetime(2027, 1, 5, 10), timezone="Europe/Berlin",
        minutes=60, repeat=None, except_dates=(), program_ends=date(2027, 12, 1), location="L\nX-EVIL:1" + CONTROL,
        description="line\rX-EVIL:2\r\n" + CONTROL, url="https://portal.example/\r\nX-EVIL:3",
    )
    data = ics.build_calendar([event], name="N\rX-EVIL:4;x,y", description="D\rX-EVIL:5\x00",
                              dtstamp=datetime(2026, 1, 1, tzinfo=timezone.utc), feed=True)
    lines = data.split(b"\r\n")
    assert not [line for line in lines if line.startswith((b"ATTENDEE", b"X-EVIL"))]
    assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", data.replace(b"\r\n", b"").replace(b"\t", b""))
    calendar = Calendar.from_ical(data)
    assert b"\r\nNAME:N X-EVIL:4\\;x\\,y\r\n" in data and b"\r\nX-WR-CALNAME:N X-EVIL:4\\;x\\,y\r\n" in data
    assert "NAME" in calendar
    event_out = calendar.walk("VEVENT")[0]
    assert set(event_out) <= {"UID", "DTSTAMP", "SEQUENCE", "SUMMARY", "DTSTART", "DTEND", "LOCATION", "DESCRIPTION", "URL"}


def test_docx_and_pdf_writers_take_control_characters() -> None:
    from pypdf import PdfReader

    from program_portal.render.downloads import docx, pdf
    from program_portal.render.downloads.document import parse

    tree = parse(f"# Title {CONTROL}\n\nText {CONTROL} <input type=\"text\" class=\"pp-blank\" name=\"n\" aria-label=\"L{CONTROL}\">\n")
    meta = {"program_title": "P" + CONTROL, "organisation": "</style><a href=javascript:alert(53)>O</a>" + CONTROL, "lang": "en",
            "paper": "a4", "created": datetime(2026, 1, 1, tzinfo=timezone.utc)}
    data = docx.build(tree, title="T" + CONTROL, **meta)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
        header = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header"))
    assert "Title A" in xml and "\x01" not in xml
    assert "&lt;/style&gt;" in header
    html = pdf.html_document(pdf.prepare(tree), title="T" + CONTROL, **meta)
    document = lxml.html.document_fromstring(html)
    assert len(document.xpath("//style")) == 1 and not document.xpath("//a")
    style = document.xpath("//style")[0].text
    assert "\\3c /style\\3e \\3c a href=javascript:alert\\28 53\\29 \\3e O" in style  # one CSS string, escaped
    reader = PdfReader(io.BytesIO(pdf.render(html)))
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", []) or [] if a.get_object().get("/Subtype") == "/Link"]
    assert links == []


def test_css_string_cannot_leave_the_string_or_the_style() -> None:
    from program_portal.render.downloads.pdf import css_string

    value = css_string('</style>"; } body { background: url(https://evil.example/) } \\ \n')
    assert value.startswith('"') and value.endswith('"') and value.count('"') == 2
    assert "<" not in value and ">" not in value and "{" not in value and "(" not in value and "\n" not in value


# -- the sanitiser and the policy, directly --------------------------------------------------


SANITIZER_ATTACKS = [
        '<a href="javascript:alert(54)">x</a>', '<a href="jav&#x61;script:alert(54)">x</a>', '<a href="java\nscript:alert(54)">x</a>',
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(54)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1NCk8L3NjcmlwdD4=">x</a>', '<a href="vbscript:msgbox(54)">x</a>',
        '<img src=x onerror=alert(54)>', '<svg/onload=alert(54)>', '<body onload=alert(54)>', '<input onfocus=alert(54) autofocus>',
        '<iframe srcdoc="&lt;script&gt;alert(54)&lt;/script&gt;">', '<form><button formaction=javascript:alert(54)>x</button></form>',
        '<isindex type=image src=1 onerror=alert(54)>', '<video><source onerror="alert(54)">', '<marquee onstart=alert(54)>',
        '<a href="#" style="background:url(javascript:alert(54))">x</a>', '<div style="behavior: url(x.htc)">x</div>',
        '<scr<script>ipt>alert(54)</scr</script>ipt>', '<!--<img src="--><img src=x onerror=alert(54)//">',
        '<select><template shadowrootmode=open><img src=x onerror=alert(54)></template></select>',
        '<a href="http://ok/" onmouseover="alert(54)">x</a>', '<object data="data:text/html,<script>alert(54)</script>">',
]
# ics: CR in SUMMARY, LF in LOCATION, CR/CRLF in DESCRIPTION, CRLF in URL, CR in NAME, CR and NUL in the calendar's
# description; Word and PDF: control characters, the organisation closing <style>; CSS string breakout.
WRITER_ATTACKS = 10


@pytest.mark.parametrize("attack", SANITIZER_ATTACKS)
def test_page_allow_list_keeps_nothing_live(attack: str) -> None:
    out = sanitize.page(attack)
    fragment = lxml.html.fragment_fromstring(f"<div>{out}</div>")
    for element in fragment.iter():
        assert element.tag not in ("script", "iframe", "object", "embed", "form", "svg", "style", "template"), out
        for name, value in element.attrib.items():
            assert not name.startswith("on") and name not in ("style", "formaction", "srcdoc", "autofocus"), out
            if name in ("href", "src"):
                assert not DANGEROUS_SCHEME.match(_scheme(value)), out


def test_field_allow_list_links_keep_only_href_and_title() -> None:
    out = sanitize.field('<a href="https://ok/" title="t" class="md-button" id="x" download onclick="alert(55)">a</a>'
                         '<input type="text" autofocus onfocus="alert(55)" name="n"><div>block</div>')
    assert out == '<a href="https://ok/" title="t">a</a><input type="text" name="n">block'


def test_inline_fields_escape_what_markdown_would_interpret() -> None:
    assert mdtext.inline('*x*{: onclick="alert(56)" }') == '*x*\\{: onclick="alert(56)" \\}'
    assert mdtext.inline("![x](https://tracker/)") == "\\![x](https://tracker/)"
    assert mdtext.inline("# h") == "\\# h" and mdtext.inline("> q") == "&gt; q" and mdtext.inline("3) x") == "3\\) x"
    assert mdtext.inline("[x](javascript:alert(56))") == "[x](#alert(56))"
    assert mdtext.inline("**bold** - and _it_") == "**bold** - and _it_"


def test_policy_hashes_only_the_theme_s_scripts() -> None:
    import material

    templates = Path(material.__file__).parent / "templates"
    scripts = csp.theme_scripts(templates, base_url="..", extra={}, features=[])
    assert scripts and all("alert" not in s for s in scripts)
    assert any('new URL("..",location)' in s for s in scripts)
    hostile = csp.theme_scripts(templates, base_url="..", extra={"scope": '",alert(57),"'}, features=[])
    assert not any("alert(57)" in s for s in hostile)
    page = '<html><head><meta charset="utf-8"></head><body><script>alert(57)</script></body></html>'
    policy = csp.policy(scripts)
    assert csp.token("alert(57)") not in csp.add_policy(page, scripts) and "'unsafe-inline'" not in policy
    assert csp.add_policy("<p>no head</p>").startswith('<meta http-equiv="Content-Security-Policy"')


# mkdocs.yml nav: a title with markup, a javascript: and a VBScript: link; a hook's HTML file without the policy.
SETTING_ATTACKS = 4
ATTACKS = len(PROGRAM_ATTACKS) + len(SITE_ATTACKS) + len(REFUSED) + len(SANITIZER_ATTACKS) + WRITER_ATTACKS + SETTING_ATTACKS


# -- fuzzing: whatever the input, nothing live comes out ------------------------------------

PIECES = ["<", ">", "/", "=", '"', "'", " ", "\t", "\n", "&", "#", ";", "x", ":", "{", "}", "[", "]", "(", ")", "!", "*", "`",
          "script", "img", "svg", "a", "iframe", "style", "input", "on", "onerror", "onclick", "href", "src", "javascript",
          "data", "alert(1)", "&#106;", "&#x3c;", "\x00", "{:", "autofocus", "srcdoc", "formaction", "<!--", "-->", "<![CDATA[",
          "]]>", "\u2028", "base", "meta", "http-equiv", "math", "template", "noscript", "textarea", "title"]
FUZZ = settings(max_examples=400, deadline=None, database=None)
fuzz_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=40).map("".join)


def _live(html: str) -> list[str]:
    fragment = lxml.html.fragment_fromstring(f"<div>{html}</div>")
    found = []
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "iframe", "object", "embed", "form", "svg", "math", "style", "base", "meta", "link", "template"):
            found.append(element.tag)
        for name, value in element.attrib.items():
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "autofocus"):
                found.append(name)
            if name in ("href", "src") and DANGEROUS_SCHEME.match(_scheme(value)):
                found.append(value)
    return found


@given(fuzz_text)
@FUZZ
def test_fuzz_page_allow_list(text: str) -> None:
    assert _live(sanitize.page(text)) == []


@given(fuzz_text)
@FUZZ
def test_fuzz_program_field_through_markdown(text: str) -> None:
    # As MkDocs renders a generated page (attr_list on), then the page allow-list is not even applied.
    rendered = markdown.markdown(mdtext.inline(text), extensions=["attr_list", "md_in_html", "tables", "admonition", "toc"])
    fragment = lxml.html.fragment_fromstring(f"<div>{rendered}</div>")
    for element in fragment.iter():
        if isinstance(element.tag, str) and element.tag != "div":
            assert element.tag in ("p", "a", "em", "strong", "code", "br", "hr"), (text, rendered)
            assert set(element.attrib) <= ({"href", "title"} if element.tag == "a" else set()), (text, rendered)
            if element.tag == "a":
                assert not DANGEROUS_SCHEME.match(_scheme(element.get("href") or "")), (text, rendered)


def test_the_corpus_counts_its_attacks() -> None:
    print(f"{ATTACKS} attacks: {len(PROGRAM_ATTACKS)} in program.yml, {len(SITE_ATTACKS)} in pages, body, folder and settings, "
          f"{len(REFUSED)} refused files, {len(SANITIZER_ATTACKS)} against the allow-list, {WRITER_ATTACKS} against the writers, {SETTING_ATTACKS} in mkdocs.yml nav and hooks")
    assert ATTACKS >= 80


# -- in Chromium ----------------------------------------------------------------------------


def _visit(browser: object, url: str) -> list[str]:
    """Open ``url``, give any injected script its chance (focus, hover, click the content), return the dialogs."""
    dialogs: list[str] = []
    page = browser.page  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser.open(url)  # type: ignore[attr-defined]
    for element in page.query_selector_all("article *")[:200]:
        try:
            element.hover(timeout=200)
        except Exception:  # noqa: BLE001 - hidden or detached elements cannot be hovered
            pass
    page.keyboard.press("Tab")
    page.wait_for_timeout(100)
    return dialogs


@pytest.mark.browser
def test_hostile_site_runs_no_injected_script(hostile: Project, chromium: object) -> None:
    from browser_support import open_browser, serve

    pages = [p.relative_to(hostile.root / "site").as_posix() for p in _published(hostile, ".html")]
    with serve(hostile.root / "site") as server:
        for rel in pages:
            with open_browser(chromium, record_csp=True, block_outside=True) as browser:
                url = server.url(rel.removesuffix("index.html"))
                dialogs = _visit(browser, url)
                assert dialogs == [], (rel, dialogs)
                assert browser.page.evaluate("() => window.__ppInjected === undefined"), rel  # type: ignore[attr-defined]
                violations = browser.csp_violations()
                # The override's inline script is there and blocked by the policy, reported as such;
                # nothing else (the theme's own scripts run).
                assert any("script-src" in v for v in violations), (rel, violations)
                assert all("script-src" in v and "inline" in v for v in violations if "Content Security Policy" not in v), (rel, violations)
                assert browser.blocked == [], (rel, browser.blocked)


@pytest.mark.browser
def test_portal_s_own_pages_report_no_csp_violation(site: object, chromium: object) -> None:
    from browser_support import REPO, open_browser, page_types

    for kind, path in page_types(REPO).items():
        with open_browser(chromium, record_csp=True) as browser:
            browser.open(site.url(path))  # type: ignore[attr-defined]
            browser.page.wait_for_timeout(200)  # type: ignore[attr-defined]
            assert browser.csp_violations() == [], kind
            assert browser.page_errors == [], (kind, browser.page_errors)
            # The theme's inline scripts ran (they define __md_scope, used by Material's bundle).
            assert browser.page.evaluate("() => typeof __md_get === 'function'"), kind  # type: ignore[attr-defined]


# Line breaks in one-line values never reach a writer: validation refuses them at their line (the
# writers escape them anyway: test_ics_text_never_ends_a_content_line is the proof).
REFUSED_LINE_BREAKS = {
    "bare CR injects an iCalendar property": (
        "title: Leadership circle with the President", 'title: "Circle\\rATTENDEE;CN=evil:urn:alert(7)"', "'title': must be one line"),
    "newline in a session location": (
        "location: Board room, level 5", 'location: "Room 5\\nX-ALERT:13\\r\\nATTENDEE:urn:alert(13)"', "'location': must be one line"),
}


@pytest.mark.parametrize("name", sorted(REFUSED_LINE_BREAKS))
def test_line_breaks_in_one_line_values_are_refused_where_written(project: Project, name: str) -> None:
    old, new, message = REFUSED_LINE_BREAKS[name]
    line = project.read("program.yml")[: project.read("program.yml").index(old)].count("\n") + 1
    project.edit("program.yml", old, new)
    check, build = project.check(), project.build()
    assert not check.ok and not build.ok and "Traceback" not in check.output + build.output
    assert check.diagnostics() == build.diagnostics()
    [found] = check.diagnostics()
    assert found.startswith(f"program.yml:{line}:") and f"error PF005: {message}" in found, found
    assert not (project.root / "site").exists()


def test_grid_and_timeline_show_hostile_titles_as_text(hostile: Project) -> None:
    calendar = lxml.html.document_fromstring(hostile.site("calendar/index.html")).xpath("//article")[0]
    legend = calendar.xpath('.//ul[@class="pp-grid-legend"]')[0].text_content()
    assert "Circle</a><img src=x onerror=alert(60)>" in legend
    titles = calendar.xpath('.//span[@class="pp-grid-title"]')
    assert titles and all("onerror=alert(60)" in t.text_content() for t in titles)
    assert not calendar.xpath(".//img | .//svg | .//*[@onerror or @onload or @data-x]")
    for page in ("program/index.html", "guides/circles/index.html"):
        article = lxml.html.document_fromstring(hostile.site(page)).xpath("//article")[0]
        timeline = article.xpath('.//div[@class="pp-timeline"]')[0]
        assert "<script>alert(61)</script>" in timeline.text_content(), page
        assert not timeline.xpath(".//script | .//img") and len(article.xpath('.//ol[@class="pp-phases"]')) == 1, page
        assert not [a for a in timeline.iter("a") if "javascript" in (a.get("href") or "")], page
