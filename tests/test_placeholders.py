"""Placeholders (``{{ blank('goals') }}``, ``{{ program.title }}``) rendered in Jinja's sandbox."""

from __future__ import annotations

import time

import pytest

from program_portal.diagnostics import ProgramError
from program_portal.render.placeholders import Blanks, render, split_front_matter

CONTEXT = {"program": {"id": "p", "title": "Programme <b>2027</b>", "organisation": "Example Group", "starts": "2027-01-11"}}


def _render(source: str, target: str = "html", context=CONTEXT, line_offset: int = 0, blanks: Blanks | None = None) -> str:
    return render(source, file="content/page.md", context=context, blanks=blanks or Blanks(target), line_offset=line_offset)  # type: ignore[arg-type]


def _error(source: str, **kwargs) -> str:
    with pytest.raises(ProgramError) as info:
        _render(source, **kwargs)
    [diagnostic] = info.value.diagnostics
    return str(diagnostic)


def test_text_without_placeholders_is_returned_as_is() -> None:
    text = "# Title\n\nNo placeholders: { single braces } and `code`.\n"
    assert _render(text) == text


def test_program_fields() -> None:
    assert _render("{{ program.organisation }} runs it from {{ program.starts }}.\n") == "Example Group runs it from 2027-01-11.\n"


def test_values_are_escaped_on_web_pages() -> None:
    assert _render("{{ program.title }}") == "Programme &lt;b&gt;2027&lt;/b&gt;"


def test_blank_on_a_web_page_is_an_input() -> None:
    html = _render("Goals: {{ blank('goals') }}")
    assert html.startswith('Goals: <input type="text" class="pp-blank"')
    assert 'name="goals"' in html and 'aria-label="goals"' in html and 'placeholder="goals"' in html


def test_blank_with_lines_is_a_textarea() -> None:
    html = _render("{{ blank('Our goals', lines=4) }}")
    assert html.startswith('<textarea class="pp-blank pp-blank--area" rows="4" name="our-goals"')


def test_blank_names_are_unique() -> None:
    blanks = Blanks("html")
    _render("{{ blank('goal') }} {{ blank('goal') }} {{ blank('Goal!') }}", blanks=blanks)
    assert blanks.names == ["goal", "goal-2", "goal-3"]


def test_blank_label_is_escaped() -> None:
    html = _render("""{{ blank('"><script>x</script>') }}""")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_blank_in_markdown() -> None:
    assert _render("Goals: {{ blank('goals') }}", target="markdown") == "Goals: ________ (goals)"
    assert _render("{{ blank() }}", target="markdown") == "________"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ blank(3) }}", "content/page.md:1:1: error PF015: blank() takes a text label, e.g. blank('goals')"),
        ("{{ blank('x', lines=99) }}", "content/page.md:1:1: error PF015: blank(lines=...) takes a whole number from 1 to 20"),
        ("a\n\n  {{ nothing }}", "content/page.md:3:6: error PF015: 'nothing' is undefined; available here: program, blank()"),
        ("{{ progam.title }}", "content/page.md:1:4: error PF015: 'progam' is undefined (did you mean 'program'?); available here: program, blank()"),
        ("x {{ program.titel }}", "content/page.md:1:6: error PF015: 'program' has no field 'titel' (did you mean 'title'?); "
                                  "its fields: id, title, organisation, starts"),
        ("x {{ program['titel'] }}", "content/page.md:1:6: error PF015: 'program' has no field 'titel' (did you mean 'title'?); "
                                     "its fields: id, title, organisation, starts"),
        ("{{ program.title }", "content/page.md:1:1: error PF015: placeholder syntax error: unexpected '}'"),
        ("ok\n{% for x in %}", "content/page.md:2:1: error PF015: placeholder syntax error: Expected an expression, got 'end of statement block'"),
        ("{{ ''.__class__.__mro__ }}", "content/page.md:1:1: error PF015: not allowed in a placeholder: "
                                       "access to attribute '__class__' of 'str' object is unsafe."),
        ("{{ program.title.upper.__globals__ }}", "content/page.md:1:18: error PF015: 'builtin_function_or_method object' has no "
                                                  "attribute '__globals__'; available here: program, blank()"),
        ("{{ cycler.__init__.__globals__ }}", "content/page.md:1:1: error PF015: not allowed in a placeholder: "
                                              "access to attribute '__init__' of 'type' object is unsafe."),
        # lipsum (random text, different in every build) is not available at all
        ("{{ lipsum.__globals__['os'] }}", "content/page.md:1:4: error PF015: 'lipsum' is undefined; available here: program, blank()"),
        ("{{ range.__globals__['os'] }}", "content/page.md:1:1: error PF015: not allowed in a placeholder: "
                                          "access to attribute '__globals__' of 'function' object is unsafe."),
        ("{% include 'secret.txt' %}", "content/page.md:1:1: error PF015: no loader for this environment specified"),
        ("{{ 1 / 0 }}", "content/page.md:1:1: error PF015: division by zero"),
        ("{% for i in range(10**6) %}{% endfor %}", "content/page.md:1:1: error PF015: Range too big. The sandbox blocks ranges "
                                                    "larger than MAX_RANGE (100000)."),
    ],
)
def test_located_errors(source: str, expected: str) -> None:
    assert _error(source) == expected


def test_sandbox_cannot_mutate_values() -> None:
    context = {"program": {"objectives": ["a"]}}
    message = _error("{{ program.objectives.append('b') }}", context=context)
    assert "PF015: not allowed in a placeholder" in message
    assert context["program"]["objectives"] == ["a"]


@pytest.mark.parametrize("source", ["{{ 'x' * 10**9 }}", "{{ [1] * 10**9 }}", "{{ 10 ** 10000000 }}", "{{ (2 ** 90000) * (2 ** 90000) }}"])
def test_arithmetic_that_would_exhaust_the_build_is_refused_quickly(source: str) -> None:
    started = time.monotonic()
    assert "error PF015: not allowed in a placeholder: the result of" in _error(source)
    assert time.monotonic() - started < 2


def test_ordinary_arithmetic_still_works() -> None:
    assert _render("{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ 6 * 7 }}") == "1024 ababab 42"


def test_line_offset_counts_front_matter() -> None:
    text = "---\ntitle: T\n---\n# Heading\n\n{{ missing }}\n"
    head, body, offset = split_front_matter(text)
    assert head == "---\ntitle: T\n---\n" and offset == 3 and body == "# Heading\n\n{{ missing }}\n"
    assert _error(body, line_offset=offset).startswith("content/page.md:6:4: error PF015: 'missing' is undefined")


@pytest.mark.parametrize(
    "text, lines",
    [
        ("# No front matter\n", 0),
        ("---\n---\nbody\n", 2),
        ("---\na: 1\n...\nbody\n", 3),
        ("--- \na: 1\nb: 2\n---\nbody\n", 4),
        ("text\n---\na: 1\n---\n", 0),  # a rule further down is no front matter
    ],
)
def test_split_front_matter(text: str, lines: int) -> None:
    head, body, offset = split_front_matter(text)
    assert offset == lines and head + body == text and head.count("\n") == lines


def test_comments_and_raw_blocks() -> None:
    assert _render("a{# note #}b {% raw %}{{ kept }}{% endraw %}") == "ab {{ kept }}"


def test_attr_list_heading_id_is_not_a_comment() -> None:
    text = "## Goals {#goals}\n\nOur goals for {{ program.organisation }}.\n\n## Next {#next .wide}\n"
    assert _render(text) == "## Goals {#goals}\n\nOur goals for Example Group.\n\n## Next {#next .wide}\n"


def test_track_and_template_in_their_bodies(project) -> None:
    from program_portal.source.loader import load_program
    from program_portal.render.pages.portal import Portal

    loaded = load_program(project.path("program.yml"), root=project.root, docs_dir=project.path("content"))
    portal = Portal(loaded)
    body = portal.body("guides/executive.md", Blanks("html"), track={"title": "Executive mentoring"})
    assert "Executive mentoring pairs a senior executive" in body
