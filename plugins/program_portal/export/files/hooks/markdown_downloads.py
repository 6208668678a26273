"""Written by `program-portal export`; MkDocs and ProperDocs run it (`hooks:` in mkdocs.yml), Zensical needs none.

The Markdown downloads (downloads/<id>.md) are files to download, not pages. MkDocs and
ProperDocs turn every .md under docs_dir into a page and copy none from the theme directory,
so this hook adds the ones in the theme's custom_dir (overrides/downloads/) as plain files,
published at /downloads/<id>.md, as Zensical does by itself.

The pages link to them with raw HTML, ``<a href="../downloads/<id>.md ">`` relative to the
page's source file (the trailing space keeps Zensical from turning the address into a page
URL; browsers ignore it). Zensical makes such addresses relative to the page's URL; this hook
does the same for MkDocs and ProperDocs. It uses only MkDocs' plugin API: building needs no
program-portal code.
"""

from __future__ import annotations

import os
import posixpath
import re

from mkdocs.structure.files import File

_DOWNLOAD_HREF = re.compile(r'href="(?P<path>[^":?#]+\.md) "')


class _Download(File):
    """A file copied as is, although its name ends in .md."""

    def is_documentation_page(self) -> bool:
        return False


def on_files(files, config):
    custom_dir = config.theme.custom_dir
    folder = os.path.join(custom_dir, "downloads") if custom_dir else None
    if not folder or not os.path.isdir(folder):
        return files
    for name in sorted(os.listdir(folder)):
        if name.endswith(".md") and os.path.isfile(os.path.join(folder, name)):
            src_uri = f"downloads/{name}"
            if (existing := files.get_file_from_path(src_uri)) is not None:
                files.remove(existing)
            files.append(_Download(src_uri, custom_dir, config.site_dir, config.use_directory_urls))
    return files


def on_page_content(html, page, config, files):
    base = posixpath.dirname(page.file.src_uri)

    def relative(match):
        target = files.get_file_from_path(posixpath.normpath(posixpath.join(base, match.group("path"))))
        if target is None or target.is_documentation_page():
            return match.group(0)
        return f'href="{target.url_relative_to(page.file)}"'

    return _DOWNLOAD_HREF.sub(relative, html)
