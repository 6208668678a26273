"""A hostile corpus: inputs that once crashed a writer or ran for minutes, each now one located message.

Every attack runs the real ``program-portal check`` and ``mkdocs build`` in a subprocess whose
address space is capped at 1 GB (RLIMIT_AS) and with a generous timeout, as a guard: an input
that tried to take more would fail the test by a MemoryError traceback or the timeout. Nothing
here asserts on timings.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import CLI, Project, Result, env

GIGABYTE = 1024**3
GUARD_SECONDS = 300  # far above the 30 s budget: a guard against a hang, not a timing


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIGABYTE, GIGABYTE))


def guarded(project: Project, args: list[str], **extra_env: str) -> Result:
    proc = subprocess.run(
        args, cwd=project.root, capture_output=True, text=True, env=env(**extra_env),
        timeout=GUARD_SECONDS, preexec_fn=_limit_memory,
    )  # fmt: skip
    return Result(args, proc.returncode, proc.stdout, proc.stderr)


@dataclass(frozen=True)
class Attack:
    name: str
    change: Callable[[Project], None]
    code: str
    where: Callable[[Project], str]  # FILE:LINE:COLUMN of the one message
    message: str  # part of it
    env: tuple[tuple[str, str], ...] = ()


def _edit(old: str, new: str) -> Callable[[Project], None]:
    return lambda p: p.edit("program.yml", old, new) and None


def _write(rel: str, text: str) -> Callable[[Project], None]:
    return lambda p: p.write(rel, text) and None


def _at(needle: str, rel: str = "program.yml", column_shift: int = 0) -> Callable[[Project], str]:
    def where(p: Project) -> str:
        file, line, column = p.at(needle, rel=rel).rsplit(":", 2)
        return f"{file}:{line}:{int(column) + column_shift}"

    return where


LONG_ID = "m" * 251
SECONDLY = "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=16;BYMINUTE=0;BYSECOND=0;COUNT=1000"

ATTACKS = [
    Attack(
        "two-line-summary",  # was an icalendar AssertionError
        _edit("    location: Board room, level 5", '    summary: "line one\\nline two"\n    location: Board room, level 5'),
        "PF005", _at('"line one'), "'summary': must be one line, but has a line break (U+000A)",
    ),
    Attack(
        "control-character-in-title",  # was a python-docx ValueError
        _edit("title: Mentoring agreement", 'title: "Mentoring\\x01agreement"'),
        "PF005", _at('"Mentoring\\x01'), "'title': contains the control character U+0001",
    ),
    Attack(
        "template-id-of-251-characters",  # was OSError: File name too long
        _edit("id: mentor-quality", f"id: {LONG_ID}"),
        "PF022", _at(LONG_ID), "'id': at most 64 characters (this has 251)",
    ),
    Attack(
        "1000-nested-quotes-in-a-body",  # was a RecursionError in WeasyPrint
        _write("content/templates/agreement.md", "> " * 1000 + "deep\n"),
        "PF022", lambda p: "content/templates/agreement.md:1:33", "quotes and lists nested 1000 deep; at most 16",
    ),
    Attack(
        "source-date-epoch-after-2106",  # 4294967296 passed, then MkDocs' gzip of the sitemap raised struct.error
        lambda p: None,
        "PF023", lambda p: "SOURCE_DATE_EPOCH:1:1", "SOURCE_DATE_EPOCH=4294967296 is after 2106-02-07",
        env=(("SOURCE_DATE_EPOCH", "4294967296"),),
    ),
    Attack(
        "yaml-nested-500-deep",  # was a RecursionError
        lambda p: p.write("program.yml", p.read() + "x: " + "[" * 500 + "]" * 500 + "\n"),
        "PF001", _at("[" * 65, column_shift=63), "the YAML is nested more than 64 levels deep",
    ),
    Attack(
        "ljust-a-gigabyte",  # took 212 s and 6.9 GB, and published a 1 GB page
        _write("content/about/faq.md", "# FAQ\n\n{{ 'x'.ljust(10**9) }}\n"),
        "PF015", lambda p: "content/about/faq.md:3:1", "a number larger than 100000 given to ljust()",
    ),
    Attack(
        "nested-for-loops",  # ran for minutes
        _write("content/about/faq.md", "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}x"
                                       "{% endfor %}{% endfor %}{% endfor %}\n"),
        "PF015", lambda p: "content/about/faq.md:1:1", "do too much work",
    ),
    Attack(
        "secondly-rule-on-29-february",  # took 327 s
        lambda p: p.write("program.yml", p.read().replace("start: 2027-01-28T16:00", "start: 2028-02-29T16:00")
                          .replace("repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=3", f"repeat: {SECONDLY}").replace("except: [2027-02-25]", "except: []")),
        "PF012", _at(SECONDLY), "takes too long",
    ),
    Attack(
        "deep-front-matter",  # a RecursionError in MkDocs' YAML reader
        _write("content/about/faq.md", "---\ntitle: " + "[" * 500 + "]" * 500 + "\n---\n# FAQ\n"),
        "PF001", lambda p: "content/about/faq.md:2:71", "front matter: the YAML is nested more than 64 levels deep",
    ),
]


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Project, Result, Result]]:
    """Each attack on its own copy of the full fixture, checked and built once."""
    from conftest import copy_fixture, mkdocs_yml

    out = {}
    for attack in ATTACKS:
        project = Project(copy_fixture("full", tmp_path_factory.mktemp(attack.name)))
        project.write("mkdocs.yml", mkdocs_yml())
        attack.change(project)
        extra = dict(attack.env)
        check = guarded(project, [CLI, "check"], **extra)
        build = guarded(project, [sys.executable, "-m", "mkdocs", "build"], **extra)
        out[attack.name] = project, check, build
    return out


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_each_attack_ends_in_one_located_message(attack: Attack, attacked: dict[str, tuple[Project, Result, Result]]) -> None:
    project, check, build = attacked[attack.name]
    expected = f"{attack.where(project)}: error {attack.code}: "
    for result in (check, build):
        assert result.returncode == 1, result
        assert "Traceback" not in result.output and "MemoryError" not in result.output, result
        found = result.diagnostics()
        assert len(found) == 1, result
        assert found[0].startswith(expected) and attack.message in found[0], (expected, found[0])
    assert check.diagnostics() == build.diagnostics()
    assert not (project.root / "site").exists()


def test_valid_fixture_builds_within_the_memory_guard(built) -> None:
    """The guard itself leaves room for a real build with Word and PDF downloads."""
    project, _ = built("full")
    copy = project.copy(project.root.parent / "guarded-copy")
    result = guarded(copy, [sys.executable, "-m", "mkdocs", "build", "--strict"])
    assert result.ok, result
    assert (copy.root / "site" / "downloads" / "agreement.pdf").stat().st_size > 1000


# -- placeholders: each way to make a large value or a long loop ------------------------------

PLACEHOLDER_ATTACKS = {
    "{{ 'x'.ljust(10**9) }}": "a number larger than 100000 given to ljust()",
    "{{ 'x'|center(10**9) }}": "a number larger than 100000 given to the center filter",
    "{{ 'x'.zfill(10**9) }}": "a number larger than 100000 given to zfill()",
    "{{ 'x'.ljust(100000).replace('x', 'x'.ljust(100000)) }}": "the result of replace would be longer than 100000",
    "{{ 'x'.ljust(100000)|replace('x', 'yy') }}": "the result of replace would be longer than 100000",
    "{{ (('x'.ljust(100000),) * 100000)|join }}": "the joined text would be longer than 100000",
    "{{ ''.join(('x'.ljust(100000),) * 100000) }}": "the joined text would be longer than 100000",
    "{{ '%1000000000s' % 'x' }}": "a width in a format larger than 100000",
    "{{ ('%s' * 50000) % (('x'.ljust(100000),) * 50000) }}": "the formatted text would be longer than 100000",
    "{{ '%s'|format('x'.ljust(90000)) ~ '%s'|format('x') }}": "",  # fits
    "{{ '%s%s'|format('x'.ljust(100000), 'y') }}": "the formatted text would be longer than 100000",
    "{{ '{:>1000000000}'.format(1) }}": "a width in a format larger than 100000",
    "{{ '{0}{0}{0}'.format('x'.ljust(100000)) }}": "the formatted text would be longer than 100000",
    "{{ ('x\n' * 50000)|indent(100) }}": "the indented text would be longer than 100000",
    "{{ 'x' * 100000 + 'y' }}": "the result of + would be longer than 100000",
    "{{ 'ab'.translate({97: 'x' * 100000}) }}": "the text method 'translate' is not available in placeholders",
    "{{ 'a\tb'.expandtabs(100000) }}": "the text method 'expandtabs' is not available in placeholders",
    "{{ [[1]] * 100000|sum(start=[]) }}": "the sum filter adds numbers only",
    "{% set s = 'x' * 100000 %}" + "{% set s = s ~ s %}" * 12 + "{{ s|length }}": "do too much work",
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}": "do too much work",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}": "do too much work",
    "{% for x in [1] recursive %}{{ loop(range(100000)) }}{% endfor %}": "nests too deeply",
    "{% for i in range(100000) %}{{ blank('x') }}{% endfor %}": "more than 500 fill-in fields in one document",
    "{{ [1, 2]|random }}": "No filter named 'random'",
    "{{ lipsum(100000) }}": "'lipsum' is undefined",
}


@pytest.mark.parametrize("source, message", PLACEHOLDER_ATTACKS.items(), ids=range(len(PLACEHOLDER_ATTACKS)))
def test_placeholders_are_refused_before_they_exhaust_the_build(source: str, message: str) -> None:
    from program_portal.diagnostics import ProgramError
    from program_portal.render.placeholders import Blanks, render

    if not message:
        assert render(source, file="content/page.md", context={}, blanks=Blanks("html")).startswith("x")
        return
    with pytest.raises(ProgramError) as caught:
        render(source, file="content/page.md", context={}, blanks=Blanks("html"))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "PF015" and diagnostic.location.file == "content/page.md"
    assert message in diagnostic.message, diagnostic.message


def test_one_budget_for_all_pages_of_a_build() -> None:
    """Many pages each just under the page budget still stop at the build's budget."""
    from program_portal.diagnostics import ProgramError
    from program_portal.render import placeholder_limits as limits
    from program_portal.render.placeholders import Blanks, render

    page = "{% for a in range(900) %}{% for b in range(900) %}{% endfor %}{% endfor %}"
    failures = 0
    with limits.build_budget():
        for n in range(20):
            try:
                render(page, file=f"content/{n}.md", context={}, blanks=Blanks("html"))
            except ProgramError as exc:
                assert "the placeholders of this project do too much work" in exc.diagnostics[0].message
                failures += 1
    assert 0 < failures < 20


def test_ordinary_placeholders_are_unaffected() -> None:
    from program_portal.render.placeholders import Blanks, render

    context = {"program": {"title": "T", "objectives": ["a", "b"]}}
    source = ("{{ program.title|upper }} {{ program.objectives|join(', ') }} {% for o in program.objectives %}[{{ o }}{{ loop.index }}]"
              "{% endfor %} {{ '%s-%d' % ('a', 3) }} {{ '{}!'.format('x') }} {{ 'a' ~ 'b' }} {{ 'x'.ljust(3, '.') }} {{ 'ab' * 2 }}")
    assert render(source, file="p.md", context=context, blanks=Blanks("markdown")) == "T a, b [a1][b2] a-3 x! ab x.. abab"


# -- Markdown text: nesting and control characters, located ----------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("> " * 17 + "x\n", "x.md:1:33: error PF022: quotes and lists nested 17 deep; at most 16 levels"),
        ("".join("    " * i + "- x\n" for i in range(20)), "x.md:17:65: error PF022: quotes and lists nested 17 deep; at most 16 levels"),
        ("ok\n\n" + "- " * 40 + "x\n", "x.md:3:33: error PF022: quotes and lists nested 40 deep; at most 16 levels"),
        ("<div>" * 40 + "x", "x.md:1:161: error PF022: HTML elements nested more than 32 deep"),
        ("text " + "*" * 500 + "x" + "*" * 500, "x.md:1:6: error PF022: 500 '*' in a row: emphasis nested too deeply (at most 32)"),
        ("fine\nbad \x01 here\n", "x.md:2:5: error PF005: the control character U+0001 cannot be published; remove it"),
        ("fine\nbad \x1b[31m\n", "x.md:2:5: error PF005: the control character U+001B cannot be published; remove it"),
    ],
)
def test_markdown_limits_are_located(text: str, expected: str) -> None:
    from program_portal.source.textlimits import markdown_problems

    assert [str(d) for d in markdown_problems(text, "x.md")] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "> " * 16 + "x\n",
        "".join("    " * i + "- x\n" for i in range(16)),
        "-" * 80 + "\n\n" + "*" * 80 + "\n",  # rules, not emphasis
        "<p>a<p>b<br><img src=x>" * 50,  # elements HTML closes itself do not nest
        "tab\there, CRLF\r\nline, form feed\x0c between pages\n",
        "    code block\n        more indented code\n",
    ],
)
def test_ordinary_markdown_is_within_the_limits(text: str) -> None:
    from program_portal.source.textlimits import markdown_problems

    assert markdown_problems(text, "x.md") == []


# -- dates: calendars are made for the years around the program -------------------------------


def test_a_series_reaching_centuries_ahead_is_located(project: Project) -> None:
    # was about a minute of time-zone rules for seven thousand years in the .ics files
    project.edit("program.yml", "repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=3", "repeat: FREQ=YEARLY;INTERVAL=100;COUNT=70")
    project.edit("program.yml", "except: [2027-02-25]", "except: []")
    assert project.diagnostics() == [
        f"{project.at('FREQ=YEARLY')}: error PF011: session 'leadership-circle' has a date (2127-01-28) more than 10 years outside "
        "the program (2027-01-11 to 2027-12-17); calendars are made for the years around it"
    ]


def test_a_program_of_centuries_is_located(project: Project) -> None:
    project.edit("program.yml", "ends: 2027-12-17", "ends: 2999-12-17")
    assert project.diagnostics() == [f"{project.at('2999-12-17')}: error PF022: the program runs from 2027-01-11 to 2999-12-17; at most 10 years"]


def test_many_slow_rules_share_one_budget(project: Project) -> None:
    """Thirty rules that each search years second by second: the first one uses up the budget, the rest stop at once."""
    text = project.read()
    session = text[text.index("  - id: leadership-circle"):text.index("\nprivacy:")]
    slow = (session.replace("start: 2027-01-28T16:00", "start: 2028-12-31T16:00").replace("except: [2027-02-25]", "except: []")
            .replace("repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=3", "repeat: FREQ=SECONDLY;BYYEARDAY=366;BYHOUR=16;BYMINUTE=0;BYSECOND=0;COUNT=2"))
    sessions = "".join(slow.replace("id: leadership-circle", f"id: slow-{n}") for n in range(30))
    project.write("program.yml", text.replace(session, sessions))
    found = project.diagnostics()
    assert len(found) == 30 and all(": error PF012: " in d for d in found), found
    assert "takes too long (more than 500000 steps)" in found[0]
    assert all("used up the program's budget of 500000 steps" in d for d in found[1:])
