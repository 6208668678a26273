"""Benchmark: what hostile pages and files cost ``check`` and the build (issue 16).

Run with ``.venv/bin/python benchmarks/hostile.py``. For each page it prints the seconds the
structure budget takes (``source/textlimits.markdown_problems``, run by ``check`` and the build
before Markdown) and, when the page is within the budget, what Python-Markdown takes to convert it
with the example site's extensions; for each file, what ``checks/filetypes.inspect`` takes (and
whether it refuses the file). Pages past the budget never reach Markdown. CPU seconds of this
process; a busy machine slows every row alike.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from program_portal.checks import filetypes  # noqa: E402
from program_portal.source import textlimits  # noqa: E402

PAGES = {
    "headings x 60,000 (attack)": "# a\n\n" * 60_000,
    "<a x 200,000 (attack)": "<a" * 200_000,
    "[a]( x 150,000 (attack)": "[a](" * 150_000,
    "[ x 3,000, unclosed (attack)": "[" * 3_000,
    "headings x 999": "# a\n\n" * 999,
    "<a x 999": "<a" * 999,
    "[a]( x 990": "[a](" * 990,
    "[ x 1,900, unclosed": "[" * 1_900,
    "links x 19,999": "[a](b) " * 19_999,
    "<b>x</b> x 9,999": "<b>x</b> " * 9_999,
    "list items x 9,999": "- [a](b)\n" * 9_999,
    "table rows x 16,000": "| a | b |\n|---|---|\n" + "| x | y |\n" * 16_000,
    "prose, 1 MB": ("Some text with a [link](x) and `code` and *emphasis*, and more words here.\n\n" * 13_000)[:1_000_000],
}


def cpu() -> float:
    return time.process_time()


def convert(text: str) -> float:
    import markdown

    md = markdown.Markdown(extensions=["admonition", "attr_list", "md_in_html", "tables", "toc"], extension_configs={"toc": {"permalink": True}})
    start = cpu()
    md.convert(text)
    return cpu() - start


def files(folder: Path) -> dict[str, bytes]:
    row = "Mentor;Mentee;Week 12;Goal: agree the next steps and review progress;2027-03-01\n"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(3):
            z.writestr(f"p{i}.txt", b"0" * 20_000_000)
    import docx

    document = docx.Document()
    for _ in range(5_000):
        document.add_paragraph(row)
    big = io.BytesIO()
    document.save(big)
    return {"roster.csv (1 MB, cp1252)": (row * 12_500).encode("cp1252"), "bomb.zip (60 MB of zeros)": bomb.getvalue(),
            "agenda.docx (5,000 paragraphs)": big.getvalue()}


def main() -> None:
    print(f"{'page':32} {'budget':>8} {'markdown':>9}  result")
    for name, text in PAGES.items():
        start = cpu()
        problems = textlimits.markdown_problems(text, "page.md")
        budget = cpu() - start
        md = "" if problems else f"{convert(text):8.2f}s"
        print(f"{name:32} {budget:7.2f}s {md:>9}  {problems[0].message[:70] if problems else 'within the budget'}")
    print(f"\n{'file':32} {'bytes':>9} {'inspect':>8}  result")
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files(Path(tmp)).items():
            path = Path(tmp) / name.split(" ")[0]
            path.write_bytes(data)
            start = cpu()
            contents = filetypes.inspect(path, path.name)
            took = cpu() - start
            chars = sum(len(t.text) for t in contents.texts)
            print(f"{name:32} {len(data):9} {took:7.2f}s  {contents.refusal[:70] if contents.refusal else f'{chars} characters to scan'}")


if __name__ == "__main__":
    main()
