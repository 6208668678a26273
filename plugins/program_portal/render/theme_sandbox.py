"""The theme's templates rendered in Jinja's sandbox: a ``custom_dir`` override runs no code.

MkDocs renders every theme template (Material's own and the project's ``custom_dir``, e.g.
``overrides/main.html``) with a plain :class:`jinja2.Environment`, where
``{{ lipsum.__globals__.os.environ }}`` prints the build's secrets and
``{{ cycler.__init__.__globals__.os.system('...') }}`` runs a command. :func:`sandboxed` makes
the same environment (loader, filters, tests, globals, the i18n extension and its translations,
autoescape and every option) as a :class:`ThemeSandbox`:

- Jinja's immutable sandbox: no attribute that starts with ``_`` (``__class__``, ``__globals__``,
  ``__subclasses__``, ``mro``), no method that changes a list, dict or set (Material's templates
  change nothing but ``namespace()`` objects, which Jinja's ``{% set ns.x %}`` allows);
- no module and no ``os.environ`` reached through an attribute;
- a call only of what a template may call: its macros (``lang.t``, ``item.render``, ``caller``),
  blocks (``super()``, ``self.name()``), loop helpers, the environment's own globals
  (``range``, ``dict``, ``namespace``, ``cycler``, ``joiner``, gettext) and the methods of text,
  numbers and containers. The objects a template sees (``config``, ``page``, ``nav``, the
  plugins in ``config.plugins``) stay readable, but none of their methods runs:
  ``config.plugins['program-portal'].on_post_build(...)``, ``config.theme.get_env()`` or
  ``page.file.copy_file()`` are refused, so a template cannot run portal or MkDocs code with
  side effects (or build itself an unsandboxed environment).

A refusal, a syntax error or another template error becomes one located diagnostic
(:data:`~program_portal.codes.THEME_REFUSED`, at the template's file and line) that the caller
turns into its own error type (the MkDocs adapter: a ``PluginError``), never a traceback.
Filters are the theme's and the plugins' own Python (``url``, ``script_tag``, ``tojson``): they
run as before. This module imports Jinja, never MkDocs.
"""

from __future__ import annotations

import os
import re
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateError, TemplateSyntaxError
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from program_portal.codes import THEME_REFUSED
from program_portal.diagnostics import Diagnostic, Location, ProgramError, error

# Objects whose methods a template may call (the immutable sandbox still refuses the mutating ones).
_PLAIN = (str, Markup, bytes, int, float, bool, list, tuple, dict, set, frozenset, range, LoopContext, Cycler, Joiner)
# Jinja's own callables a template uses: macros (imported ones too: ``lang.t``), blocks and loops.
_TEMPLATE_CALLABLES = (Macro, BlockReference, LoopContext, Cycler, Joiner)
# Environment options copied as they are (everything ``Environment.__init__`` takes but the
# loader, extensions and cache, which are handled on their own).
_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
    "undefined", "finalize", "autoescape", "auto_reload", "bytecode_cache", "is_async",
)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # an object's address: not the same in two builds
_MESSAGE = 240  # the longest refusal text quoted from Jinja (it names the object)


def _refuse(diagnostic: Diagnostic) -> Exception:
    return ProgramError([diagnostic])


class ThemeTemplate(Template):
    """A theme template whose module (``template.module``, which plugins read outside ``render``:
    Material's search plugin takes ``partials/language.html``'s ``t`` macro) fails as ``render`` does."""

    def make_module(self, vars: Any = None, shared: bool = False, locals: Any = None) -> Any:  # noqa: A002 (Jinja's names)
        try:
            return super().make_module(vars, shared, locals)
        except Exception:  # noqa: BLE001 - handle_exception re-raises: located, or as it was
            self.environment.handle_exception()


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox for theme templates (see the module docstring)."""

    template_class = ThemeTemplate

    def __init__(self, *, root: Path | None = None, refusal: Callable[[Diagnostic], Exception] = _refuse, **options: Any) -> None:
        super().__init__(**options)
        self.root = root
        self.refusal = refusal
        self._trusted: set[int] = set()

    def trust_globals(self) -> None:
        """The environment's globals (Jinja's, gettext's) are the only free functions a template may call."""
        self._trusted = {id(value) for value in self.globals.values() if callable(value)}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, types.ModuleType) or isinstance(value, types.ModuleType):
            return False
        if value is os.environ or isinstance(value, os._Environ):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Refused at once (Jinja hands back a silent undefined that ``|attr`` chains would carry on with)."""
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if id(obj) in self._trusted or isinstance(obj, _TEMPLATE_CALLABLES):
            return True
        if isinstance(obj, type):
            return obj is Namespace
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, (types.BuiltinMethodType, types.MethodType, types.MethodWrapperType)) or type(obj).__name__ == "method_descriptor":
            return isinstance(owner, _PLAIN) or isinstance(owner, _TEMPLATE_CALLABLES)
        return False

    def handle_exception(self, source: str | None = None) -> Any:
        """Jinja's error handling (the traceback rewritten to template lines), then one located diagnostic."""
        try:
            super().handle_exception(source)
        except Exception as exc:  # noqa: BLE001 - whatever a template did: one located line
            if getattr(exc, "program_portal_refusal", False) or not (
                    isinstance(exc, (SecurityError, TemplateError, RecursionError)) or _template_frame(exc)[0]):
                raise  # a refusal of an inner template, or not the template's doing
            refusal = self.refusal(self.diagnostic(exc))
            refusal.program_portal_refusal = True  # type: ignore[attr-defined]
            raise refusal from None
        raise AssertionError("unreachable")  # pragma: no cover - handle_exception always raises

    def diagnostic(self, exc: BaseException) -> Diagnostic:
        file, line = _template_frame(exc)
        where = Location(self._name(file), line or 1, 1) if file else Location("theme", 1, 1)
        text = _ADDRESS.sub("", " ".join(str(getattr(exc, "message", None) or exc).split()))[:_MESSAGE]
        if isinstance(exc, SecurityError):
            why = f"this theme template does something the portal's sandbox refuses ({text}); templates may only show values and call their macros"
        elif isinstance(exc, TemplateSyntaxError):
            why = f"this theme template is not valid Jinja ({text})"
        else:
            why = f"this theme template fails ({type(exc).__name__}: {text})"
        return error(THEME_REFUSED, why, where)

    def _name(self, file: str) -> str:
        path = Path(file)
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except (ValueError, OSError):
                pass
        for folder in getattr(self.loader, "searchpath", ()):
            try:
                return f"{Path(folder).name}/{path.relative_to(folder).as_posix()}"
            except ValueError:
                continue
        return path.name


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where ``exc`` happened (the innermost template frame)."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name in ("top-level template code", "template") or code.co_name.startswith(("block ", "macro ")):
            if code.co_filename and not code.co_filename.startswith("<"):
                found = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if found[0] is None and getattr(exc, "filename", None):
        return exc.filename, getattr(exc, "lineno", None)  # type: ignore[attr-defined]
    return found


def sandboxed(env: Environment, *, root: Path | None = None,
              refusal: Callable[[Diagnostic], Exception] = _refuse) -> ThemeSandbox:
    """``env`` (MkDocs' theme environment, as other plugins left it) as a :class:`ThemeSandbox`.

    The loader, filters, tests, globals, policies, extensions (with what they installed, such
    as the i18n extension's translations) and options are the same, so the theme renders as
    before; ``root``: the project, to name a template by its path in it (``overrides/main.html``);
    ``refusal``: the exception a refused template raises, made from its diagnostic.
    """
    if isinstance(env, ThemeSandbox):
        return env
    options = {name: getattr(env, name) for name in _OPTIONS if hasattr(env, name)}
    options["enable_async"] = options.pop("is_async", False)
    box = ThemeSandbox(root=root, refusal=refusal, loader=env.loader, extensions=list(env.extensions), **options)
    box.filters.update(env.filters)
    box.tests.update(env.tests)
    box.globals.update(env.globals)
    box.globals["range"] = safe_range  # the sandbox's (at most MAX_RANGE items), not the builtin MkDocs passes
    box.policies.update(env.policies)
    plain = vars(ImmutableSandboxedEnvironment())
    for name, value in vars(env).items():  # what extensions set on the environment (newstyle_gettext, ...)
        if name not in plain and name in vars(box) and not callable(value):
            setattr(box, name, value)
    box.trust_globals()
    return box


def sandboxed_template(box: ThemeSandbox, source: str, name: str, filename: str | None = None) -> Template:
    """``source`` compiled in the sandbox (MkDocs compiles an ``extra_templates`` file with plain Jinja)."""
    code = box.compile(source, name, filename)
    return box.template_class.from_code(box, code, box.make_globals(None), None)


def sandboxed_factory(get_env: Callable[[], Environment], *, root: Path | None = None,
                      refusal: Callable[[Diagnostic], Exception] = _refuse) -> Callable[[], ThemeSandbox]:
    """A ``get_env`` that returns the sandboxed environment (MkDocs' ``Theme.get_env``, which plugins call too)."""
    def get_sandboxed() -> ThemeSandbox:
        return sandboxed(get_env(), root=root, refusal=refusal)

    get_sandboxed.program_portal_sandboxed = True  # type: ignore[attr-defined]
    return get_sandboxed


__all__ = ["ThemeSandbox", "ThemeTemplate", "sandboxed", "sandboxed_factory", "sandboxed_template"]
