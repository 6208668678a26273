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
  side effects (or build itself an unsandboxed environment);
- bounded work: no single operation makes a text or list longer than :data:`MAX_SIZE`
  (``*``, ``**``, ``+``, ``%`` and format widths, text methods, the filters that grow text), and the
  project's own templates (not Material's, not the portal's partials) get :data:`MAX_WORK` loop
  steps, calls and characters of output per rendered file; ``lipsum`` and ``random`` are removed.

A refusal, a syntax error or another template error becomes one located diagnostic
(:data:`~program_portal.codes.THEME_REFUSED`, at the template's file and line) that the caller
turns into its own error type (the MkDocs adapter: a ``PluginError``), never a traceback.
Filters are the theme's and the plugins' own Python (``url``, ``script_tag``, ``tojson``): they
run as before. This module imports Jinja, never MkDocs.
"""

from __future__ import annotations

import functools
import os
import re
import types
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from program_portal.codes import THEME_REFUSED
from program_portal.diagnostics import Diagnostic, Location, ProgramError, error

# Objects whose methods a template may call (the immutable sandbox still refuses the mutating ones).
_PLAIN = (str, Markup, bytes, int, float, bool, list, tuple, dict, set, frozenset, range, LoopContext, Cycler, Joiner)
_READING_METHODS = frozenset({"get", "keys", "values", "items", "index", "count", "startswith", "endswith",
                              "lower", "upper", "strip", "split", "join", "replace", "format"})
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
_BOUND = (types.MethodType, types.BuiltinMethodType)  # what Jinja's wrap_str_format looks at
_DECISIONS = 10_000  # attribute decisions kept per environment (a template names a bounded number of attributes)
_MESSAGE = 240  # the longest refusal text quoted from Jinja (it names the object)


def _refuse(diagnostic: Diagnostic) -> Exception:
    return ProgramError([diagnostic])


MAX_SIZE = 10_000_000
"""The longest text or list one operation of a theme template may make (``'x' * n``, ``ljust``, ``|indent``)."""
MAX_WORK = 5_000_000
"""Loop steps, calls and characters of output of a project's templates in one rendered file."""
CALL_COST = 10
"""A call (a macro, a method) costs about ten loop steps."""
_GROWING_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "replace", "join", "batch", "slice", "format", "list"})
_NUMBER = re.compile(r"\d{8,}")  # a width of 10,000,000 or more in a format
@functools.lru_cache(maxsize=1)
def _installed() -> tuple[Path, ...]:
    """The folders installed packages live in (Material's templates), by this interpreter's paths: not a
    project folder that happens to be named ``site-packages``."""
    import site
    import sysconfig

    folders = {sysconfig.get_paths().get(name) for name in ("purelib", "platlib")}
    folders.update(getattr(site, "getsitepackages", lambda: [])())
    folders.add(getattr(site, "getusersitepackages", lambda: None)())
    return tuple(Path(f).resolve() for f in folders if f)


_PACKAGE = Path(__file__).resolve().parent.parent  # the portal's own theme partials are not the project's
_WORK: ContextVar[list[int] | None] = ContextVar("program_portal_theme_work", default=None)


def charge(amount: int) -> None:
    """Count work of a project's template against the budget of the file being rendered."""
    budget = _WORK.get()
    if budget is not None:
        budget[0] += amount
        if budget[0] > MAX_WORK:
            raise SecurityError(f"the theme's templates do too much work for one page (more than {MAX_WORK} loop steps, "
                                "calls and characters of output); keep loops and computed texts small")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict)) else 1


def _refuse_big(size: int, what: str) -> None:
    if size > MAX_SIZE:
        raise SecurityError(f"{what} would be longer than {MAX_SIZE}")


def _counted(iterable: Any) -> Iterator[Any]:
    for item in iterable:
        charge(1)
        yield item


def _out(value: Any) -> Any:
    charge(_size(value))
    return value


def _check_numbers(values: Iterable[Any], what: str) -> None:
    if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_SIZE for v in values):
        raise SecurityError(f"a number larger than {MAX_SIZE} given to {what}")


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_numbers((*args[1:], *kwargs.values()), f"the {name} filter")
        if name == "format" and args and isinstance(args[0], str) and _NUMBER.search(args[0]):
            raise SecurityError(f"a width in a format larger than {MAX_SIZE}")
        result = function(*args, **kwargs)
        _refuse_big(_size(result), f"the result of the {name} filter")
        return result

    return guarded


def _call(name: str, *args: nodes.Expr, lineno: int) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load", lineno=lineno), list(args), [], None, None, lineno=lineno)


class ThemeTemplate(Template):
    """A theme template: the work of a page has a budget, and its module (``template.module``, which
    plugins read outside ``render``: Material's search plugin takes ``partials/language.html``'s ``t``
    macro) fails as ``render`` does."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if _WORK.get() is not None:
            return super().render(*args, **kwargs)
        token = _WORK.set([0])
        try:
            return super().render(*args, **kwargs)
        finally:
            _WORK.reset(token)

    def make_module(self, vars: Any = None, shared: bool = False, locals: Any = None) -> Any:  # noqa: A002 (Jinja's names)
        token = _WORK.set([0]) if _WORK.get() is None else None
        try:
            return super().make_module(vars, shared, locals)
        except Exception:  # noqa: BLE001 - handle_exception re-raises: located, or as it was
            self.environment.handle_exception()
        finally:
            if token is not None:
                _WORK.reset(token)


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox for theme templates (see the module docstring)."""

    template_class = ThemeTemplate
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *, root: Path | None = None, refusal: Callable[[Diagnostic], Exception] = _refuse, **options: Any) -> None:
        super().__init__(**options)
        self.root = root
        self.refusal = refusal
        self._trusted: set[int] = set()
        self._attributes: dict[tuple[type, str, type], bool] = {}  # is_safe_attribute's decisions

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """A project's template (not Material's, not the portal's) with its loops and output counted."""
        tree = super()._parse(source, name, filename)
        if not self._projects(filename):
            return tree
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = _call("_pp_theme_loop", loop.iter, lineno=loop.lineno)
        for output in list(tree.find_all(nodes.Output)):
            output.nodes = [n if isinstance(n, nodes.TemplateData) else _call("_pp_theme_out", n, lineno=n.lineno) for n in output.nodes]
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [_call("_pp_theme_out", n, lineno=n.lineno) for n in concat.nodes]
        return tree

    def _projects(self, filename: str | None) -> bool:
        if self.root is None or not filename:
            return self.root is None  # no project known (tests, a bare environment): count everything
        path = Path(filename).resolve()
        if not path.is_relative_to(self.root.resolve()) or path.is_relative_to(_PACKAGE):
            return False
        return not any(path.is_relative_to(folder) for folder in _installed())  # a .venv inside the project: Material's

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
        if operator == "**" and ints and right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_SIZE:
            raise SecurityError("the result of ** would be too large")
        if operator == "*":
            if ints and abs(left).bit_length() + abs(right).bit_length() > MAX_SIZE:
                raise SecurityError("the result of * would be too large")
            for value, times in ((left, right), (right, left)):
                if isinstance(value, (str, list, tuple)) and isinstance(times, int):
                    _refuse_big(len(value) * times, "the result of *")
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            _refuse_big(len(left) + len(right), "the result of +")
        if operator == "%" and isinstance(left, str) and _NUMBER.search(left):
            raise SecurityError(f"a width in a format larger than {MAX_SIZE}")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _NUMBER.search(value.__self__):
            raise SecurityError(f"a width in a format larger than {MAX_SIZE}")
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        charge(CALL_COST)  # the results are counted where a project's template outputs them
        if type(__obj) is Macro:  # most calls (Material's nav-item, lang.t): what the checks below decide for a macro
            result = __context.call(__obj, *args, **kwargs)
            if isinstance(result, (str, list, tuple)):
                _refuse_big(len(result), "the result of a call")
            return result
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and callable(__obj):
            _check_numbers((*args, *kwargs.values()), f"{getattr(__obj, '__name__', 'a text method')}()")
            if getattr(__obj, "__name__", "") == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
                _refuse_big(len(owner) + (owner.count(args[0]) if args[0] else len(owner) + 1) * len(args[1]), "the result of replace")
        elif isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (_counted(args[0]), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, (str, list, tuple)):
            _refuse_big(len(result), "the result of a call")
        return result

    def trust_globals(self) -> None:
        """The environment's globals (Jinja's, gettext's) are the only free functions a template may call."""
        self._trusted = {id(value) for value in self.globals.values() if callable(value)}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed ``obj.attribute`` (the same steps, in fewer calls: templates read attributes
        more than they do anything else)."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        if isinstance(value, _BOUND):  # a text's format method: Jinja's sandboxed formatter instead
            fmt = self.wrap_str_format(value)
            if fmt is not None:
                return fmt
        known = self._attributes.get((type(obj), attribute, type(value)))
        if known is None:
            known = self.is_safe_attribute(obj, attribute, value)
        return value if known else self.unsafe_undefined(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Whether a template may read ``obj.attr`` (``value``): decided once per kind of object, name and
        kind of value, which is all the decision depends on (Jinja's rules and ours test types and the name)."""
        key = (type(obj), attr, type(value))
        known = self._attributes.get(key)
        if known is None:
            known = self._is_safe_attribute(obj, attr, value)
            if len(self._attributes) < _DECISIONS:
                self._attributes[key] = known
        return known

    def _is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
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
            if type(owner) in _PLAIN or isinstance(owner, _TEMPLATE_CALLABLES):
                return True
            # A subclass of a plain type (MkDocs' plugin collection is a dict with run_event, its
            # configuration a dict with methods of its own): only the plain type's reading methods.
            return isinstance(owner, _PLAIN) and getattr(obj, "__name__", "") in _READING_METHODS
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
              refusal: Callable[[Diagnostic], Exception] = _refuse, bytecode_cache: Any = None) -> ThemeSandbox:
    """``env`` (MkDocs' theme environment, as other plugins left it) as a :class:`ThemeSandbox`.

    The loader, filters, tests, globals, policies, extensions (with what they installed, such
    as the i18n extension's translations) and options are the same, so the theme renders as
    before; ``root``: the project, to name a template by its path in it (``overrides/main.html``);
    ``refusal``: the exception a refused template raises, made from its diagnostic;
    ``bytecode_cache``: where compiled templates are kept between builds (:mod:`.compiled`, sealed).
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
    box.globals.pop("lipsum", None)  # unbounded text, and not reproducible (as in placeholders); Material does not use it
    box.filters.pop("random", None)
    box.globals["_pp_theme_loop"] = _counted
    box.globals["_pp_theme_out"] = _out
    for name in _GROWING_FILTERS & set(box.filters):
        box.filters[name] = _guard_filter(name, box.filters[name])
    box.policies.update(env.policies)
    plain = vars(ImmutableSandboxedEnvironment())
    for name, value in vars(env).items():  # what extensions set on the environment (newstyle_gettext, ...)
        if name not in plain and name in vars(box) and not callable(value):
            setattr(box, name, value)
    box.trust_globals()
    if bytecode_cache is not None:
        box.bytecode_cache = bytecode_cache
    return box


def sandboxed_template(box: ThemeSandbox, source: str, name: str, filename: str | None = None) -> Template:
    """``source`` compiled in the sandbox (MkDocs compiles an ``extra_templates`` file with plain Jinja)."""
    code = box.compile(source, name, filename)
    return box.template_class.from_code(box, code, box.make_globals(None), None)


def sandboxed_factory(get_env: Callable[[], Environment], *, root: Path | None = None,
                      refusal: Callable[[Diagnostic], Exception] = _refuse, bytecode_cache: Any = None) -> Callable[[], ThemeSandbox]:
    """A ``get_env`` that returns the sandboxed environment (MkDocs' ``Theme.get_env``, which plugins call too)."""
    def get_sandboxed() -> ThemeSandbox:
        return sandboxed(get_env(), root=root, refusal=refusal, bytecode_cache=bytecode_cache)

    get_sandboxed.program_portal_sandboxed = True  # type: ignore[attr-defined]
    return get_sandboxed


__all__ = ["ThemeSandbox", "ThemeTemplate", "sandboxed", "sandboxed_factory", "sandboxed_template"]
