"""Reading YAML data files so that every problem names the file, the line and the field."""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading (with libyaml's parser where PyYAML has it: ten times faster) that
    refuses a key given twice, which YAML would otherwise settle by keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class DataFileError(ValueError):
    """A data file that cannot be used. ``problems`` lists every finding, one per line."""

    def __init__(self, path: str | PathLike[str], problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}:{problem}" for problem in problems))


def read_yaml(path: Path, error: type[DataFileError]) -> tuple[Any, yaml.Node | None]:
    """The parsed document and its node tree (which knows line numbers)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(path, [" no such file"]) from None
    except UnicodeDecodeError as problem:
        raise error(path, [f" not UTF-8 text (byte {problem.start})"]) from None
    try:
        return yaml.load(text, Loader=_Loader), yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f"{mark.line + 1}:" if mark is not None else ""
        reason = getattr(problem, "problem", None) or str(problem)
        raise error(path, [f"{where} not valid YAML: {reason}"]) from None


def line_of(node: yaml.Node | None, location: tuple[Any, ...]) -> int:
    """1-based line of the deepest node along ``location`` (mapping keys, list indexes)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for step in location:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def validation_details(error: ValidationError) -> list[tuple[tuple[Any, ...], str]]:
    """(location, message) per pydantic error, without pydantic's "Value error, " prefix."""
    return [
        (tuple(detail["loc"]), detail["msg"].removeprefix("Value error, "))
        for detail in error.errors()
    ]


def validation_problems(
    error: ValidationError, node: yaml.Node | None, base: tuple[Any, ...] = ()
) -> list[str]:
    """One ``line: field 'a.b': message`` string per pydantic error (no field: whole object)."""
    problems = []
    for location, message in validation_details(error):
        line = line_of(node, base + location)
        if location:
            *path, last = location
            if isinstance(last, int) and path:  # an item of a list: say which, counting from 1
                field = ".".join(str(part) for part in path)
                problems.append(f"{line}: field '{field}', item {last + 1}: {message}")
            else:
                field = ".".join(str(part) for part in location)
                problems.append(f"{line}: field '{field}': {message}")
        else:
            problems.append(f"{line}: {message}")
    return problems
