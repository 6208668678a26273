"""Read YAML into plain Python data while remembering where every key and value stands.

PyYAML's composed nodes carry 0-based marks; this module turns them into 1-based
:class:`Location` objects indexed by the path of the value (``("roles", 0, "kind")``),
so later stages can point at the offending key or value itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from program_portal.diagnostics import Diagnostic, Location, ProgramError, error
from program_portal.codes import YAML_SYNTAX, YAML_DUPLICATE_KEY

Path = tuple[str | int, ...]

MAX_DEPTH = 64
MAX_VALUES = 100_000  # a real program has a few thousand; aliases of aliases can expand exponentially

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"



@dataclass
class Positions:
    """Where each value (and, for mapping entries, each key) of a YAML document starts."""

    file: str
    values: dict[Path, Location] = field(default_factory=dict)
    keys: dict[Path, Location] = field(default_factory=dict)

    def value(self, path: Path) -> Location:
        """The location of the value at ``path``, or of its nearest parent that has one."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Location(self.file))

    def key(self, path: Path) -> Location:
        """The location of the key naming ``path`` (falls back to the value)."""
        return self.keys.get(path) or self.value(path)


class DepthLimited:
    """A PyYAML loader mixin: PyYAML composes nested nodes recursively, so stop at MAX_DEPTH
    levels with a located error, long before Python's recursion limit."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise yaml.composer.ComposerError(None, None, f"the YAML is nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)  # type: ignore[misc, no-any-return]
        finally:
            self._depth -= 1


class _Loader(DepthLimited, yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema booleans and integers.

    YAML 1.1 reads ``no``, ``on`` and ``off`` as booleans (``language: no`` would not be
    Norwegian) and ``1:30`` as the sexagesimal number 90. Editors validate program.yml
    against the JSON Schema with YAML 1.2 rules, where these are text; so does the portal.
    (``one_to_one: no`` still works: the model reads the text "no" as false.)
    """



_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _INT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_YAML12_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_Loader.add_implicit_resolver(_INT, _YAML12_INT, list("-+0123456789"))


if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):
        """libyaml's parser with the same YAML 1.2 resolvers as :class:`_Loader` (about ten times faster)."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
else:  # pragma: no cover - PyYAML without libyaml
    _CLoader = None


def _compose_all(text: str) -> list[Node | None]:
    """The documents' node trees: libyaml when it is there and the text is clean, else PyYAML's own parser.

    Anything libyaml rejects is parsed again by PyYAML, so every error message (and its
    position) is PyYAML's, as before; text PyYAML's reader would refuse never reaches libyaml.
    """
    if _CLoader is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            documents = list(yaml.compose_all(text, Loader=_CLoader))
        except (yaml.YAMLError, RecursionError):
            documents = None
        if documents is not None and all(_depth(node) <= MAX_DEPTH for node in documents):
            return documents
    return list(yaml.compose_all(text, Loader=_Loader))  # its errors (and the depth limit) are the ones reported


def _depth(root: Node | None) -> int:
    """How deep a composed node tree nests (iteratively: libyaml composes what PyYAML would refuse)."""
    deepest, stack = 0, [(root, 1)] if root is not None else []
    reached: dict[int, int] = {}  # node -> deepest level it was reached at: aliases share nodes, so each is walked
    while stack:  # at most once per level (an alias bomb's paths are exponential, its nodes are not)
        node, depth = stack.pop()
        if reached.get(id(node), 0) >= depth:
            continue
        reached[id(node)] = depth
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        if isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in node.value]
        elif isinstance(node, yaml.MappingNode):
            stack += [(child, depth + 1) for pair in node.value for child in pair]
    return deepest


def _yaml12_int(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _location(file: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


_TOKENS = {
    "'<block mapping start>'": "a key that is indented differently from the keys above it",
    "but found '?'": "but found a key that is indented differently from the lines above it",
    "but found '-'": "but found a list entry ('-') where a key should be",
    "'<block sequence start>'": "a list indented differently from the lines above it",
    "'<block end>'": "the end of a block",
    "<block end>": "the end of a block",
    "'<stream end>'": "the end of the file",
    "'<document start>'": "'---'",
    "<document start>": "'---'",
}


def _plain(text: str) -> str:
    """PyYAML's token names in words a designer knows."""
    for token, words in _TOKENS.items():
        text = text.replace(token, words)
    return text


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = _plain(exc.problem or exc.context or "invalid YAML")
    message = f"YAML syntax error: {problem}"
    if exc.context and exc.problem and exc.context not in problem:
        message += f" ({exc.context})"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem or "expected the end of a block" in problem:
        message += "; check the indentation of this line and the one above, and quote values containing ': '"
    return message


class _Builder:
    def __init__(self, file: str):
        self.positions = Positions(file)
        self.file = file
        self.constructor = SafeConstructor()
        self.problems: list[Diagnostic] = []
        self._active: set[int] = set()
        self._count = 0

    def build(self, node: Node, path: Path, depth: int = 0) -> Any:
        self.positions.values[path] = _location(self.file, node.start_mark)
        self._count += 1
        if self._count > MAX_VALUES:
            raise ProgramError([error(YAML_SYNTAX, f"the file expands to more than {MAX_VALUES} values (aliases that repeat aliases?)", self.positions.values[path])])
        if depth > MAX_DEPTH:
            raise ProgramError([error(YAML_SYNTAX, "YAML nested too deeply", self.positions.values[path])])
        if id(node) in self._active:
            raise ProgramError([error(YAML_SYNTAX, "YAML alias refers to itself", self.positions.values[path])])
        if isinstance(node, ScalarNode):
            try:
                if node.tag == _INT and _YAML12_INT.match(node.value):
                    return _yaml12_int(node.value)
                return self.constructor.construct_object(node, deep=True)
            except (ConstructorError, ValueError, OverflowError) as exc:
                if node.tag == _TIMESTAMP:
                    # Looks like a date but is none (2027-02-30): keep the text, so the model
                    # reports it as a bad date of the field it belongs to.
                    return node.value
                problem = getattr(exc, "problem", None) or str(exc)
                raise ProgramError([error(YAML_SYNTAX, f"cannot read this value: {problem}", self.positions.values[path])]) from None
        if node.tag not in (_SEQ, _MAP):
            raise ProgramError([error(YAML_SYNTAX, f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not supported; write a plain list or mapping", self.positions.values[path])])
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._mapping(node, path, depth)
        finally:
            self._active.discard(id(node))
        raise ProgramError([error(YAML_SYNTAX, "unsupported YAML node", self.positions.values[path])])

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_loc = _location(self.file, key_node.start_mark)
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise ProgramError([error(YAML_SYNTAX, "keys must be plain names (no merge keys, lists or mappings as keys)", key_loc)])
            key = key_node.value
            if key in result:
                first = self.positions.keys[(*path, key)]
                self.problems.append(
                    error(YAML_DUPLICATE_KEY, f"duplicate key '{key}' (first given at line {first.line})", key_loc)
                )
                continue
            self.positions.keys[(*path, key)] = key_loc
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _offset_location(file: str, text: str, offset: int) -> Location:
    """Line and column of character ``offset``, counting line breaks the way PyYAML's marks do."""
    breaks = list(_LINE_BREAK.finditer(text, 0, offset))
    line_start = breaks[-1].end() if breaks else 0
    return Location(file, len(breaks) + 1, offset - line_start + 1)


def _second_document(file: str, text: str, node: Node) -> Location:
    """The '---' (or '...') line that starts the second document, else where its content starts."""
    lines = _LINE_BREAK.split(text)
    for number in range(min(node.start_mark.line, len(lines) - 1), -1, -1):
        if lines[number].startswith(("---", "...")):
            return Location(file, number + 1, 1)
    return _location(file, node.start_mark)


def load(data: bytes | str, file: str) -> tuple[Any, Positions]:
    """Parse one YAML document. Raises :class:`ProgramError` with located errors, never anything else."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = data[: exc.start].decode("utf-8-sig", "replace")
            loc = _offset_location(file, before, len(before))
            raise ProgramError([error(YAML_SYNTAX, "the file is not valid UTF-8 text", loc)]) from None
    else:
        text = data
    try:
        documents = _compose_all(text)
    except yaml.MarkedYAMLError as exc:
        raise ProgramError([error(YAML_SYNTAX, _syntax_message(exc), _location(file, exc.problem_mark or exc.context_mark))]) from None
    except yaml.reader.ReaderError as exc:
        loc = _offset_location(file, text, exc.position)
        raise ProgramError([error(YAML_SYNTAX, f"YAML syntax error: character {exc.character!r} is not allowed", loc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises the two kinds above
        raise ProgramError([error(YAML_SYNTAX, f"YAML syntax error: {exc}", Location(file))]) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        raise ProgramError([error(YAML_SYNTAX, "the file is empty; it must hold one YAML mapping", Location(file))])
    if len(documents) > 1:
        raise ProgramError([error(YAML_SYNTAX, "the file holds more than one YAML document (a second '---')", _second_document(file, text, documents[1]))])
    builder = _Builder(file)
    try:
        value = builder.build(documents[0], ())
    except RecursionError:
        raise ProgramError([error(YAML_SYNTAX, "YAML nested too deeply", Location(file))]) from None
    if builder.problems:
        raise ProgramError(builder.problems)
    return value, builder.positions
