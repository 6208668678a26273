"""Work every PDF of a process repeats, done once per process: the same bytes, made faster.

A document with fillable fields embeds the whole font its fields use (a reader types any
character into them): WeasyPrint then parses that font with fontTools for the width of every
glyph, and compresses the whole font file (level 9) into the PDF, for every document. Profiled
on the k=16 benchmark program, that was a sixth of a template PDF's time (about 35 ms of 215 ms).

:func:`install` wraps WeasyPrint's font dictionary builder so that, within it:

- a font file's fontTools object is parsed once per process, and its glyph widths and
  character map read once (only where WeasyPrint merely reads them: no variable, colour or
  bitmap font, HarfBuzz subsetting);
- a large stream (the embedded font files) keeps the bytes it serialised to, keyed by a hash
  of its content and dictionary, so an identical stream is compressed once.

Nothing changes in a document: the cached values are the very ones WeasyPrint would compute
(tests/test_pdf_reuse.py compares the bytes with and without). It is applied only to the
WeasyPrint and pydyf versions it was written for; with any other version documents are made
exactly as WeasyPrint makes them.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

SUPPORTED = {"weasyprint": ("70.0",), "pydyf": ("0.13.0",)}
LARGE = 64 * 1024  # streams at least this long (font files) keep their serialised bytes
_MAX_ENTRIES = 64  # bounded: a process keeps at most this many fonts and streams

_installed = False
_fonts: dict[tuple[bytes, int], Any] = {}
_streams: dict[tuple[bytes, bytes, bool], bytes] = {}


def supported() -> bool:
    import pydyf
    import weasyprint

    return weasyprint.__version__ in SUPPORTED["weasyprint"] and getattr(pydyf, "VERSION", getattr(pydyf, "__version__", "")) in SUPPORTED["pydyf"]


def install() -> bool:
    """Wrap WeasyPrint's font dictionary builder (once per process); whether the reuse is on."""
    global _installed
    if _installed:
        return True
    if not supported():
        return False
    import weasyprint.pdf as weasy_pdf
    from weasyprint.pdf import fonts as weasy_fonts

    original = weasy_fonts.build_fonts_dictionary

    def build_fonts_dictionary(pdf: Any, fonts: Any, compress: bool, subset: bool, options: Any) -> Any:
        first = len(pdf.objects)
        plain = weasy_fonts.harfbuzz_subset is not None and all(_plain(font) for font in fonts.values())
        if plain:
            weasy_fonts.TTFont = _parsed_font
        try:
            result = original(pdf, fonts, compress, subset, options)
        finally:
            weasy_fonts.TTFont = _TTFONT
        for obj in pdf.objects[first:]:
            if type(obj) is _STREAM and all(isinstance(item, bytes) for item in obj.stream) and _length(obj) >= LARGE:
                obj.__class__ = _ReusedStream
        return result

    global _TTFONT, _STREAM, _DICTIONARY, _ReusedStream
    from fontTools.ttLib import TTFont
    import pydyf

    _TTFONT, _STREAM, _DICTIONARY = TTFont, pydyf.Stream, pydyf.Dictionary
    _ReusedStream = _reused_stream_class(pydyf.Stream)
    weasy_pdf.build_fonts_dictionary = build_fonts_dictionary  # generate_pdf calls it by this name
    _installed = True
    return True


_TTFONT: Any = None
_STREAM: Any = None
_DICTIONARY: Any = None
_ReusedStream: Any = None


def _plain(font: Any) -> bool:
    """A font whose only fontTools use in WeasyPrint is reading widths and the character map."""
    return not (font.bitmap or font.png or font.svg or font.colr or "fvar" in font.tables)


def _length(stream: Any) -> int:
    return sum(len(item) for item in stream.stream if isinstance(item, bytes))


class _ReadFont:
    """What WeasyPrint reads of a whole font (widths, character map, glyph ids), read once."""

    def __init__(self, font: Any) -> None:
        self._font = font
        self._glyphs = list(font.getGlyphSet().values())
        self._cmap = dict(font.getBestCmap())
        self._ids: dict[str, int] = {}

    def getGlyphSet(self) -> Any:  # noqa: N802 - fontTools' names
        return _Glyphs(self._glyphs)

    def getBestCmap(self) -> dict[int, str]:  # noqa: N802
        return dict(self._cmap)

    def getGlyphID(self, name: str) -> int:  # noqa: N802
        if name not in self._ids:
            self._ids[name] = self._font.getGlyphID(name)
        return self._ids[name]


class _Glyphs:
    def __init__(self, glyphs: list[Any]) -> None:
        self._glyphs = glyphs

    def values(self) -> list[Any]:
        return list(self._glyphs)


def _parsed_font(file: Any, fontNumber: int = -1, **kwargs: Any) -> Any:  # noqa: N803 - fontTools' name
    if kwargs or not isinstance(file, io.BytesIO):
        return _TTFONT(file, fontNumber=fontNumber, **kwargs)
    key = (hashlib.sha256(file.getbuffer()).digest(), fontNumber)
    if key not in _fonts:
        if len(_fonts) >= _MAX_ENTRIES:
            _fonts.clear()
        _fonts[key] = _ReadFont(_TTFONT(file, fontNumber=fontNumber))
    return _fonts[key]


def _reused_stream_class(base: Any) -> Any:
    class ReusedStream(base):
        """A stream whose serialised bytes are made once per identical content and dictionary."""

        @property
        def data(self) -> bytes:
            digest = hashlib.sha256()
            for item in self.stream:  # bytes only (see install)
                digest.update(len(item).to_bytes(8, "big"))
                digest.update(item)
            key = (digest.digest(), _DICTIONARY(dict(self.extra)).data, bool(self.compress))
            if (data := _streams.get(key)) is None:
                if len(_streams) >= _MAX_ENTRIES:
                    _streams.clear()
                data = _streams[key] = base.data.fget(self)
            return data

    return ReusedStream
