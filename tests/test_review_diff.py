"""``program-portal diff BASE HEAD`` on real git repositories in tmp_path, with the real CLI."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from conftest import cli
from gitrepo import Repo, git

from program_portal.review import comment


def diff(repo: Repo, base: str = "HEAD~1", head: str = "HEAD", cwd: Path | None = None):
    return cli(cwd or repo.root, "diff", base, head)


def gfm(markdown: str) -> str:
    """The report as GitHub renders it (cmark-gfm; raw HTML let through, to see that none is there)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def untouched(repo: Repo) -> tuple[str, str, str]:
    """What diff must leave alone: the status, the index and the list of worktrees."""
    index = hashlib.sha256((repo.root / ".git" / "index").read_bytes()).hexdigest()
    return repo.status(), index, git(repo.root, "worktree", "list", "--porcelain")


@pytest.fixture
def small(tmp_path: Path) -> Repo:
    return Repo.from_fixture("small", tmp_path / "small")


@pytest.fixture
def full(tmp_path: Path) -> Repo:
    return Repo.from_fixture("full", tmp_path / "full")


def test_a_session_moved_by_half_an_hour(small: Repo) -> None:
    small.edit("program.yml", "start: 2027-02-04T12:00", "start: 2027-02-04T12:30")
    small.commit("Circle half an hour later")
    before = untouched(small)
    result = diff(small)
    assert result.returncode == 1, result
    assert "#### Circle (`circle`)\n\n2 of 2 occurrences move:\n" in result.stdout
    assert "| Thu 4 Feb 2027, 12:00–13:00 GMT | Thu 4 Feb 2027, 12:30–13:30 GMT |" in result.stdout
    assert "| Thu 4 Mar 2027, 12:00–13:00 GMT | Thu 4 Mar 2027, 12:30–13:30 GMT |" in result.stdout
    # nothing about what did not change
    for heading in ("### Templates", "### Policies", "### Pages added", "### Warnings"):
        assert heading not in result.stdout
    assert "### Pages whose text changes\n\n`/guides/circles/`, `/calendar/`\n" in result.stdout
    assert untouched(small) == before


def test_no_visible_change_exits_0(small: Repo) -> None:
    small.write("program.yml", "# reviewed by the program office\n" + small.read())
    small.commit("A comment")
    result = diff(small)
    assert result.returncode == 0, result
    assert "No visible change to the portal." in result.stdout and "###" not in result.stdout


def test_occurrences_added_and_removed_and_session_details(small: Repo) -> None:
    small.edit("program.yml", "repeat: FREQ=MONTHLY;COUNT=2", "repeat: FREQ=MONTHLY;COUNT=4\n    except: [2027-03-04]\n    location: Room 2")
    small.commit("Two more circles, none in March")
    out = diff(small).stdout
    assert "- occurrence removed: Thu 4 Mar 2027, 12:00–13:00 GMT" in out
    assert "- occurrence added: Sun 4 Apr 2027, 12:00–13:00 BST" in out
    assert "- occurrence added: Tue 4 May 2027, 12:00–13:00 BST" in out
    assert "- location: *none* → Room 2" in out
    assert "move:" not in out  # the occurrence of 4 February stays


def test_same_instants_in_another_time_zone_do_not_move(small: Repo) -> None:
    small.edit("program.yml", "start: 2027-02-04T12:00", "start: 2027-02-04T13:00\n    timezone: Europe/Paris")
    small.commit("The circle is run from Paris, at the same time")
    out = diff(small).stdout
    assert "#### Circle (`circle`)\n\n- time zone: Europe/London → Europe/Paris\n" in out
    assert "move" not in out


def test_sessions_added_and_removed(small: Repo) -> None:
    small.edit("program.yml", "  - id: circle\n    title: Circle\n", "  - id: forum\n    title: Forum\n")
    small.commit("The circle becomes a forum")
    out = diff(small).stdout
    assert "#### Added: Forum (`forum`)\n\n2 occurrences, Thu 4 Feb 2027, 12:00–13:00 GMT to Thu 4 Mar 2027, 12:00–13:00 GMT.\n" in out
    assert "#### Removed: Circle (`circle`)\n\n2 occurrences, Thu 4 Feb 2027, 12:00–13:00 GMT to Thu 4 Mar 2027, 12:00–13:00 GMT no longer take place.\n" in out


def test_templates_policies_pages_and_warnings(full: Repo) -> None:
    full.edit("program.yml", "      - {policy: no-fault}\n", "")
    full.edit("program.yml", "      - Listens more than talks\n", "      - Listens more than talks\n      - {text: Keeps the mentee's confidences, required: true}\n")
    full.edit("program.yml", "{minutes: 45, topic: Goals and ways of working, lead: mentee}", "{minutes: 45, topic: Goals and ways of working, lead: mentor}")
    full.edit("program.yml", "rules: [Taking part never affects anyone's job.]", "rules: [Taking part never affects anyone's job or bonus.]")
    full.write("content/faq.md", "# Questions\n")
    full.commit("Review of the agreement and the checklist")
    result = diff(full)
    assert result.returncode == 1, result
    out = result.stdout
    templates = out.split("### Templates\n")[1].split("### Policies\n")[0]
    assert "#### Mentoring agreement (`agreement`): the downloads (Word, PDF, Markdown) change\n" in templates
    assert "- clause removed: **5. No\\-fault exit** (policy `no-fault`)\n" in templates
    assert "- clause changed: **4. Employment protection** (policy `job-safe`): the policy changed (see Policies)\n" in templates
    assert "- item added: Keeps the mentee's confidences *(required)*\n" in templates
    assert "- agenda line changed: 45 min Goals and ways of working (lead: Mentee) → 45 min Goals and ways of working (lead: Mentor)\n" in templates
    assert "Leadership circle" not in templates  # an unchanged template is not mentioned
    policies = out.split("### Policies\n")[1].split("###")[0]
    assert "- changed: **Employment protection** (`job-safe`); carried by **Mentoring agreement** (clause 4)\n" in policies
    assert "  - rule changed: Taking part never affects anyone's job\\. → Taking part never affects anyone's job or bonus\\.\n" in policies
    assert "- added: `/faq/` (`faq.md`)" in out
    warnings = out.split("### Warnings\n")[1].split("###")[0]
    assert re.search(r"- introduced: `PD002` at `program.yml:\d+:\d+`: contract 'agreement' has no \\\{policy\\: \\\.\\\.\\\.\\\} clause of kind no\\-fault\\-exit", warnings)
    assert "- introduced: `PD009`" in warnings and "fixed" not in warnings
    assert "### Sessions" not in out

    reverse = diff(full, "HEAD", "HEAD~1").stdout
    assert "- clause added: **5. No\\-fault exit** (policy `no-fault`)" in reverse
    assert "- item removed: Keeps the mentee's confidences *(required)*" in reverse
    assert "- removed: `/faq/` (`faq.md`)" in reverse
    assert "- fixed: `PD002`" in reverse and "- fixed: `PD009`" in reverse


def test_tracks_added_removed_and_changed(full: Repo) -> None:
    full.edit("program.yml", "cadence: {every_weeks: 4, minutes: 60}\n    duration_months: 9", "cadence: {every_weeks: 2, minutes: 45}\n    duration_months: 12")
    full.edit("program.yml", "    domains: [leadership, strategy]\n", "    domains: [leadership]\n")
    full.edit("program.yml", "  - id: circles\n    title: Leadership circles\n", "  - id: forums\n    title: Leadership forums\n")
    full.write("content/guides/executive.md", full.read("content/guides/executive.md") + "\nOne more paragraph.\n")
    full.edit("program.yml", "track: circles", "track: forums")
    full.commit("Executive track every two weeks; circles become forums")
    result = diff(full)
    assert result.returncode == 1, result
    out = result.stdout
    assert out.index("### Sessions") < out.index("### Tracks") < out.index("### Pages")
    tracks = out.split("### Tracks\n")[1].split("\n### ")[0]
    assert "- added: **Leadership forums** (`forums`, group)\n" in tracks
    assert "- removed: **Leadership circles** (`circles`, group); its page is gone\n" in tracks
    executive = tracks.split("#### Executive mentoring (`executive`)\n\n")[1]
    assert executive == (
        "- domains: Leadership and managerial skills, Strategic awareness → Leadership and managerial skills\n"
        "- cadence: every 4 weeks, 60 min → every 2 weeks, 45 min\n"
        "- length (months): 9 → 12\n"
        "- guide text (`guides/executive.md`) changed\n"
    ), tracks
    assert "### Templates" not in out, "no template changed"

    unchanged = diff(full, "HEAD", "HEAD").stdout
    assert "### Tracks" not in unchanged


def test_a_revision_against_the_work_tree(full: Repo) -> None:
    full.edit("program.yml", "title: Mentoring agreement", "title: Mentoring charter")
    before = untouched(full)
    result = diff(full, "HEAD", ".")
    assert result.returncode == 1, result
    assert "#### Mentoring charter (`agreement`): the downloads (Word, PDF, Markdown) change\n\n- title: Mentoring agreement → Mentoring charter\n" in result.stdout
    assert untouched(full) == before  # the uncommitted change is still there, nothing staged


def test_two_directories_without_git(tmp_path: Path) -> None:
    base = Repo.from_fixture("small", tmp_path / "base").root
    head = Repo.from_fixture("small", tmp_path / "head").root
    (head / "content" / "guides" / "pairs.md").write_text("# Pairs\n\nMeet every two weeks.\n", encoding="utf-8")
    result = cli(tmp_path, "diff", "base", "head")
    assert result.returncode == 1, result
    assert "### Pages whose text changes\n\n`/guides/pairs/`\n" in result.stdout


def test_project_in_a_sub_folder(tmp_path: Path) -> None:
    repo = Repo.from_fixture("small", tmp_path / "repo" / "portal")
    git(repo.root, "init", "-q")  # already a repository; make the parent one instead
    (repo.root / ".git").rename(tmp_path / "moved.git")
    git(tmp_path / "repo", "init", "-q", "-b", "main")
    outer = Repo(tmp_path / "repo")
    outer.commit("Portal in a sub-folder")
    outer.edit("portal/program.yml", "title: Circle\n", "title: Leaders' circle\n")
    outer.commit("Rename the circle")
    result = diff(outer, cwd=outer.root / "portal")
    assert result.returncode == 1, result
    assert "#### Leaders' circle (`circle`)\n\n- title: Circle → Leaders' circle\n" in result.stdout


def test_errors_are_located_and_prefixed_with_the_side(small: Repo) -> None:
    small.edit("program.yml", "    host: president\n    start:", "    host: presidnt\n    start:")
    small.commit("A typo")
    result = diff(small)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "head: program.yml:42:11: error PF008: unknown role 'presidnt' (did you mean 'president'?)\n"
    reverse = diff(small, "HEAD", "HEAD~1")
    assert reverse.returncode == 2 and reverse.stderr.startswith("base: program.yml:42:11: error PF008")


def test_bad_sides_exit_2_without_traceback(small: Repo, tmp_path: Path) -> None:
    (small.root / "empty").mkdir()
    for args, message in [
        (("no-such-branch", "HEAD"), "base: error: 'no-such-branch' is neither a project directory (holding mkdocs.yml) nor a git revision of this repository\n"),
        (("--", "HEAD", "--output=x"), "head: error: '--output=x' is neither a project directory"),
        (("HEAD", "empty"), "head: error: 'empty' is a directory without mkdocs.yml, and not a git revision\n"),
    ]:
        result = cli(small.root, "diff", *args)
        assert result.returncode == 2 and result.stderr.startswith(message) and "Traceback" not in result.output, result
    small.write("mkdocs.yml", "site_name: [unclosed\n")
    small.commit("Broken settings")
    result = diff(small)
    assert result.returncode == 2 and result.stderr.startswith("head: mkdocs.yml:1:12: error PF020: ") and "Traceback" not in result.output


def test_hostile_titles_stay_text_in_the_comment(small: Repo) -> None:
    hostile = "Circle | `x` <script>alert(1)</script> @octocat #1 [link](javascript:alert(1)) ** _ \u202e"
    small.edit("program.yml", "    title: Circle\n", f"    title: {hostile!r}\n".replace("'", '"'))
    small.edit("program.yml", "start: 2027-02-04T12:00", "start: 2027-02-04T12:30")
    small.commit("Hostile title")
    out = diff(small).stdout
    rendered = gfm(out)
    assert "<script" not in rendered and "<a " not in rendered and "<em>" not in rendered and "<strong>" not in rendered
    assert "@octocat" not in rendered and "#1 " not in rendered  # no mention, no issue reference
    heading = re.search(r"<h4>(.*)</h4>", rendered)[1]
    readable = html.unescape(re.sub(r"<[^>]+>", "", heading)).replace(comment.WORD_JOINER, "")
    assert readable.startswith("Circle | `x` <script>alert(1)</script> @octocat #1 [link](javascript:alert(1)) ** _ \\u202e")
    rows = re.findall(r"<tr>(.*?)</tr>", rendered, re.S)
    assert all(row.count("<td>") in (0, 2) for row in rows)


def test_comment_text_escaping() -> None:
    assert comment.text("a|b`c<d>&e") == "a\\|b\\`c&lt;d&gt;&amp;e"
    assert comment.text("@team #3") == f"@{comment.WORD_JOINER}team \\#{comment.WORD_JOINER}3"
    assert comment.text("line\nbreak\tand  spaces") == "line break and spaces"
    assert comment.text("x" * 300).endswith("…") and len(comment.text("x" * 300)) == comment.MAX_TEXT
    assert comment.literal("program.yml:3:4") == "`program.yml:3:4`"
    assert comment.literal("a`b.md") == "a\\`b\\.md"


def test_a_long_report_is_cut_to_one_comment() -> None:
    long = "".join(f"- line {n}\n" for n in range(20_000))
    cut = comment.cut(long)
    assert len(cut) < 65_536 and cut.endswith("Run `program-portal diff` locally for all of it.*\n")
    assert comment.cut("short\n") == "short\n"


# -- fuzz: any designer text stays one line of plain text in GitHub's Markdown ------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_comment_text_is_plain_text_in_gfm(value: str) -> None:
    cell = comment.text(value)
    rendered = gfm(f"| a | b |\n| --- | --- |\n| {cell} | end |\n")
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert len(cells) == 2 and cells[1] == "end", rendered  # the value stays in its cell
    assert not re.search(r"<(?!/?td>|/?tr>)[a-z]", cells[0]), rendered  # no element inside the cell
    shown = html.unescape(cells[0]).replace(comment.WORD_JOINER, "")
    expected = " ".join("".join(comment._visible(c) for c in value).split())
    assert shown == expected or (shown.endswith("…") and expected.startswith(shown[:-1].rstrip()))
    assert not re.search(r"@\w", html.unescape(cells[0]))  # no mention
