"""Jinja's immutable sandbox, with the work of a placeholder bounded by its input.

The sandbox keeps placeholders away from Python's internals but not from the build's time
and memory: ``{{ 'x'.ljust(10**9) }}`` builds a gigabyte, nested ``{% for %}`` loops run
for minutes. Here every step that can grow is measured:

- a value a single operation would make (``*``, ``**``, ``+``, ``%``, ``ljust``, ``replace``,
  ``join``, ``format``, the ``center`` / ``indent`` / ``wordwrap`` filters, ...) may not exceed
  :data:`MAX_SIZE`; it is refused *before* it is built;
- every loop iteration, every call and every character a placeholder outputs is charged to
  a budget: :data:`MAX_WORK` per page, and :data:`MAX_BUILD_WORK` for everything rendered
  inside one :func:`build_budget` (a whole check or build).

Going past a limit raises :class:`~jinja2.sandbox.SecurityError`, which the caller reports
as a located PF015. The limits count steps, not seconds, so they are the same on every
machine. ``random`` and ``lipsum`` are removed: their output would differ between builds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import islice
from typing import Any

from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg

MAX_SIZE = 100_000
"""The largest string or list (items) and number (bits) a placeholder may compute."""
MAX_WORK = 1_000_000
"""Loop iterations, calls and output characters of the placeholders of one page."""
MAX_BUILD_WORK = 10_000_000
"""The same for every page of a build together."""
CALL_COST = 10
"""A call (a macro, a method) costs about ten loop steps."""

# Text methods a placeholder may call (others, like translate or expandtabs, can grow text unchecked).
_STR_METHODS = frozenset(
    "capitalize casefold center count endswith find format index isalnum isalpha isascii isdecimal isdigit "
    "isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip partition "
    "removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith "
    "strip swapcase title upper zfill".split()
)
_NUMBER = re.compile(r"\d+")
_SPECS = {"%": re.compile(r"%[-#0 +*]*\d*(?:\.\d*)?"), "{": re.compile(r"\{[^{}]*\}")}


class _Budget:
    def __init__(self, limit: int, what: str) -> None:
        self.limit, self.used, self.what = limit, 0, what

    def charge(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limit:
            raise SecurityError(f"{self.what} do too much work (more than {self.limit} loop steps, calls and "
                                "characters of output); keep loops and computed texts small")  # fmt: skip


_PAGE: ContextVar[_Budget | None] = ContextVar("program_portal_page_budget", default=None)
_BUILD: ContextVar[_Budget | None] = ContextVar("program_portal_build_budget", default=None)


@contextmanager
def build_budget(limit: int = MAX_BUILD_WORK) -> Iterator[None]:
    """One budget for every page rendered inside (a whole check or build)."""
    token = _BUILD.set(_Budget(limit, "the placeholders of this project"))
    try:
        yield
    finally:
        _BUILD.reset(token)


@contextmanager
def page_budget(limit: int = MAX_WORK) -> Iterator[None]:
    token = _PAGE.set(_Budget(limit, "the placeholders of this page"))
    try:
        yield
    finally:
        _PAGE.reset(token)


def build_work() -> tuple[int, int | None]:
    """The work the placeholders of this build have done so far, and how much is left (None: no build budget)."""
    budget = _BUILD.get()
    return (budget.used, budget.limit - budget.used) if budget is not None else (0, None)


def charge_build(amount: int) -> None:
    """Count ``amount`` of work against this build's budget (what a result kept from an earlier build cost)."""
    budget = _BUILD.get()
    if budget is not None:
        budget.used += amount


def charge(amount: int) -> None:
    for budget in (_PAGE.get(), _BUILD.get()):
        if budget is not None:
            budget.charge(amount)


def weight(value: Any, cap: int = MAX_BUILD_WORK) -> int:
    """About how many characters ``value`` stands for (stops counting past ``cap``)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        total = len(value)
        for item in value.values() if isinstance(value, dict) else value:
            total += weight(item, cap - total) if isinstance(item, (str, list, tuple, dict)) else 0
            if total > cap:
                break
        return total
    return 1


def _refuse_big(size: int, what: str) -> None:
    if size > MAX_SIZE:
        raise SecurityError(f"{what} would be longer than {MAX_SIZE}")


def _widths(fmt: str, marker: str) -> int:
    """The largest width or precision in the fields of a format string (``%10s``, ``{:>10}``)."""
    numbers = [n for spec in _SPECS[marker].findall(fmt) for n in _NUMBER.findall(spec)]
    if any(len(n) > 6 or int(n) > MAX_SIZE for n in numbers):
        raise SecurityError(f"a width in a format larger than {MAX_SIZE}")
    return max((int(n) for n in numbers), default=0)


def _check_format(fmt: str, args: Iterable[Any], marker: str) -> None:
    """``fmt % args`` or ``fmt.format(*args)``: refuse what would be longer than MAX_SIZE."""
    values = list(args)
    if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_SIZE for v in values):
        raise SecurityError(f"a number larger than {MAX_SIZE} in a format")
    largest = max([_widths(fmt, marker)] + [weight(v, MAX_SIZE + 1) for v in values])
    _refuse_big(len(fmt) + fmt.count(marker) * largest, "the formatted text")


def _check_replace(text: str, old: Any, new: Any) -> None:
    if isinstance(old, str) and isinstance(new, str):
        found = text.count(old) if old else len(text) + 1
        _refuse_big(len(text) + found * len(new), "the result of replace")


def _materialised(items: Any) -> Any:
    if isinstance(items, (str, list, tuple, dict)):
        return items
    out = list(islice(iter(items), MAX_SIZE + 1))
    _refuse_big(len(out), "the list")
    return out


def _check_join(separator: str, items: Any) -> None:
    _refuse_big(weight(items, MAX_SIZE + 1) + len(separator) * len(items), "the joined text")


def _check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    if name not in _STR_METHODS:
        raise SecurityError(f"the text method '{name}' is not available in placeholders")
    numbers = [v for v in (*args, *kwargs.values()) if isinstance(v, int) and not isinstance(v, bool)]
    if any(abs(v) > MAX_SIZE for v in numbers):
        raise SecurityError(f"a number larger than {MAX_SIZE} given to {name}()")
    if name == "replace" and len(args) >= 2:
        _check_replace(text, args[0], args[1])
    elif name == "join" and args:
        args = (_materialised(args[0]), *args[1:])
        _check_join(text, args[0])
    elif name == "format":
        _check_format(text, (*args, *kwargs.values()), "{")
    return args


def _counted(iterable: Any, step: int) -> Iterator[Any]:
    for item in iterable:
        charge(step)
        yield item


def _out(value: Any) -> Any:
    charge(1 + weight(value))
    return value


# -- filters ---------------------------------------------------------------------------------


def _check_filter(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """``args[0]`` is the filtered value; the rest are the filter's own arguments."""
    value, rest = (args[0] if args else None), args[1:]
    numbers = [v for v in (*rest, *kwargs.values()) if isinstance(v, int) and not isinstance(v, bool)]
    if name in ("center", "indent", "wordwrap", "truncate", "batch", "slice") and any(abs(v) > MAX_SIZE for v in numbers):
        raise SecurityError(f"a number larger than {MAX_SIZE} given to the {name} filter")
    text = value if isinstance(value, str) else ""
    if name == "indent":
        width = rest[0] if rest else kwargs.get("width", 4)
        _refuse_big(len(text) + (text.count("\n") + 1) * (len(width) if isinstance(width, str) else int(width or 0)), "the indented text")
    elif name == "wordwrap":
        width = rest[0] if rest else kwargs.get("width", 79)
        wrap = rest[2] if len(rest) > 2 else kwargs.get("wrapstring") or "\n"
        _refuse_big(len(text) + (len(text) // max(int(width or 1), 1) + 1) * len(str(wrap)), "the wrapped text")
    elif name == "replace" and len(rest) >= 2:
        _check_replace(text or str(value), rest[0], rest[1])
    elif name == "format":
        _check_format(str(value), (*rest, *kwargs.values()), "%")
    elif name == "sum":
        start = rest[1] if len(rest) > 1 else kwargs.get("start", 0)
        if not isinstance(start, (int, float)):
            raise SecurityError("the sum filter adds numbers only")


def guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as a filter whose calls and output are charged to the budget (and checked, for the built-in ones)."""
    passed = 0 if _PassArg.from_obj(function) is None else 1

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        charge(1)
        args_list = list(args)
        if name == "join" and len(args_list) > passed:
            args_list[passed] = _materialised(args_list[passed])
            separator = args_list[passed + 1] if len(args_list) > passed + 1 else kwargs.get("d", "")
            _check_join(str(separator), args_list[passed])
        _check_filter(name, args_list[passed:], kwargs)
        result = function(*args_list, **kwargs)
        if isinstance(result, (str, list, tuple)):
            charge(weight(result))
        return result

    return guarded


# -- the environment -------------------------------------------------------------------------


def _call(name: str, *args: nodes.Expr, lineno: int) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load", lineno=lineno), list(args), [], None, None, lineno=lineno)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with every step measured (see the module docstring)."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.pop("lipsum", None)
        self.filters.pop("random", None)
        self.filters = {name: guard_filter(name, f) for name, f in self.filters.items()}
        self.globals["_pp_loop"] = _counted
        self.globals["_pp_out"] = _out

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The parsed template, with every loop, output and ``~`` routed through the budget."""
        tree = super()._parse(source, name, filename)
        loops, outputs, concats = list(tree.find_all(nodes.For)), list(tree.find_all(nodes.Output)), list(tree.find_all(nodes.Concat))
        for loop in loops:
            step = 1 + sum(len(data.data) for data in loop.find_all(nodes.TemplateData))
            loop.iter = _call("_pp_loop", loop.iter, nodes.Const(step), lineno=loop.lineno)
        for output in outputs:
            output.nodes = [n if isinstance(n, nodes.TemplateData) else _call("_pp_out", n, lineno=n.lineno) for n in output.nodes]
        for concat in concats:
            concat.nodes = [_call("_pp_out", n, lineno=n.lineno) for n in concat.nodes]
        return tree

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``text.format`` / ``text.format_map``, refusing a result longer than MAX_SIZE before it is built."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        @functools.wraps(wrapped)
        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(text, (*args, *kwargs.values()), "{")
            return wrapped(*args, **kwargs)

        return checked

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        charge(CALL_COST)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and callable(__obj):
            args = _check_str_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        elif isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (_counted(args[0], 1), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, (str, list, tuple)):
            charge(weight(result))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
        if operator == "**" and ints and right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_SIZE:
            raise SecurityError("the result of ** would be too large")
        if operator == "*":
            for size, times in ((_size(left), right), (_size(right), left)):
                if size is not None and isinstance(times, int) and size * times > MAX_SIZE:
                    raise SecurityError(f"the result of * would be longer than {MAX_SIZE}")
            if ints and abs(left).bit_length() + abs(right).bit_length() > MAX_SIZE:
                raise SecurityError("the result of * would be too large")
        if operator == "+" and _size(left) is not None and _size(right) is not None:
            _refuse_big(_size(left) + _size(right), "the result of +")  # type: ignore[operator]
        if operator == "%" and isinstance(left, str):
            _check_format(left, right.values() if isinstance(right, dict) else right if isinstance(right, tuple) else (right,), "%")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (str, list, tuple)):
            charge(len(result))
        return result


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None
