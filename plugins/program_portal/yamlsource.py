"""Read YAML into plain Python data while remembering where every key and value stands.

PyYAML's composed nodes carry 0-based marks; this module turns them into 1-based
:class:`Location` objects indexed by the path of the value (``("roles", 0, "kind")``),
so later stages can point at the offending key or value itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, Location, ProgramError, error

Path = tuple[str | int, ...]

MAX_DEPTH = 64

YAML_SYNTAX = "PF001"
YAML_DUPLICATE_KEY = "PF002"


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


def _location(file: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    message = f"YAML syntax error: {problem}"
    if exc.context and exc.problem and exc.context not in problem:
        message += f" ({exc.context})"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem or "expected <block end>" in problem:
        message += "; check the indentation of this line and the one above, and quote values containing ': '"
    return message


class _Builder:
    def __init__(self, file: str):
        self.positions = Positions(file)
        self.file = file
        self.constructor = SafeConstructor()
        self.problems: list[Diagnostic] = []
        self._active: set[int] = set()

    def build(self, node: Node, path: Path, depth: int = 0) -> Any:
        self.positions.values[path] = _location(self.file, node.start_mark)
        if depth > MAX_DEPTH:
            raise ProgramError([error(YAML_SYNTAX, "YAML nested too deeply", self.positions.values[path])])
        if id(node) in self._active:
            raise ProgramError([error(YAML_SYNTAX, "YAML alias refers to itself", self.positions.values[path])])
        if isinstance(node, ScalarNode):
            try:
                return self.constructor.construct_object(node, deep=True)
            except (ConstructorError, ValueError, OverflowError) as exc:
                problem = getattr(exc, "problem", None) or str(exc)
                raise ProgramError([error(YAML_SYNTAX, f"cannot read this value: {problem}", self.positions.values[path])]) from None
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


def _offset_location(file: str, text: str, offset: int) -> Location:
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return Location(file, line, column)


def load(data: bytes | str, file: str) -> tuple[Any, Positions]:
    """Parse one YAML document. Raises :class:`ProgramError` with located errors, never anything else."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            loc = _offset_location(file, data[: exc.start].decode("utf-8", "replace"), exc.start)
            raise ProgramError([error(YAML_SYNTAX, "the file is not valid UTF-8 text", loc)]) from None
    else:
        text = data
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
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
        raise ProgramError([error(YAML_SYNTAX, "the file holds more than one YAML document (a second '---')", _location(file, documents[1].start_mark))])
    builder = _Builder(file)
    try:
        value = builder.build(documents[0], ())
    except RecursionError:
        raise ProgramError([error(YAML_SYNTAX, "YAML nested too deeply", Location(file))]) from None
    if builder.problems:
        raise ProgramError(builder.problems)
    return value, builder.positions
