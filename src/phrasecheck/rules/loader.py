"""Reading rule files, with errors a QA lead can act on (file, line, rule id, field)."""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path

import yaml
from pydantic import ValidationError

from phrasecheck.normalize import normalize
from phrasecheck.resources import bundled_rule_files
from phrasecheck.rules.model import Rule, RuleSet
from phrasecheck.rules.patterns import expand, has_slots, parse

SCHEMA_VERSION = 1
_TOP_LEVEL_KEYS = {"schema", "kind", "rules"}


class RuleFileError(ValueError):
    """A rule file that cannot be used. ``problems`` lists every finding, one per line."""

    def __init__(self, path: str | PathLike[str], problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}:{problem}" for problem in problems))


def load_rules(*paths: str | PathLike[str]) -> RuleSet:
    """Load and validate rule files; with no argument, the bundled standard.

    A path may be a YAML file or a folder, whose ``*.yaml`` files are read in name order.
    """
    files = _expand_paths(paths) if paths else bundled_rule_files()
    rules: list[Rule] = []
    owners: dict[str, Path] = {}
    for file in files:
        for rule in load_rule_file(file):
            if rule.id in owners:
                raise RuleFileError(
                    file, [f" rule {rule.id}: id already defined in {owners[rule.id]}"]
                )
            owners[rule.id] = file
            rules.append(rule)
    _check_wordings_are_unambiguous(rules, owners)
    return RuleSet(rules, sources=tuple(str(file) for file in files))


def _expand_paths(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
            if not found:
                raise RuleFileError(path, [" no *.yaml rule files in this folder"])
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise RuleFileError(path, [" no such file or folder"])
    return files


def load_rule_file(path: str | PathLike[str]) -> list[Rule]:
    """Validate one rule file and return its rules; raise :class:`RuleFileError` otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RuleFileError(path, [f" not UTF-8 text (byte {error.start})"]) from None
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{mark.line + 1}:" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        raise RuleFileError(path, [f"{where} not valid YAML: {reason}"]) from None

    if not isinstance(data, dict):
        raise RuleFileError(path, ["1: expected a mapping with keys schema, kind and rules"])
    problems: list[str] = []
    unknown = sorted(set(data) - _TOP_LEVEL_KEYS)
    if unknown:
        problems.append(f"1: unknown top-level key(s) {', '.join(map(str, unknown))}")
    if data.get("schema") != SCHEMA_VERSION:
        problems.append(f"1: field 'schema' must be {SCHEMA_VERSION}, got {data.get('schema')!r}")
    kind = data.get("kind")
    if kind not in ("taboo", "polite"):
        problems.append(f"1: field 'kind' must be 'taboo' or 'polite', got {kind!r}")
    items = data.get("rules")
    if not isinstance(items, list) or not items:
        problems.append("1: field 'rules' must be a non-empty list of rules")
    if problems:
        raise RuleFileError(path, problems)

    lines = _rule_lines(document, len(items))
    rules: list[Rule] = []
    for index, item in enumerate(items):
        line = lines[index]
        if not isinstance(item, dict):
            problems.append(f"{line}: rules[{index}] must be a mapping of fields")
            continue
        label = f"rule {item.get('id', f'#{index + 1} (no id)')}"
        if item.get("kind", kind) != kind:
            problems.append(f"{line}: {label}, field 'kind': this file holds {kind} rules")
            continue
        try:
            rules.append(Rule.model_validate({**item, "kind": kind}))
        except ValidationError as error:
            for detail in error.errors():
                field = ".".join(str(part) for part in detail["loc"]) or "rule"
                message = detail["msg"].removeprefix("Value error, ")
                problems.append(f"{line}: {label}, field '{field}': {message}")
    if problems:
        raise RuleFileError(path, problems)
    return rules


def _rule_lines(document: yaml.Node | None, count: int) -> list[int]:
    """1-based line of each item of ``rules``, so messages point where the QA lead edits."""
    fallback = [1] * count
    if not isinstance(document, yaml.MappingNode):
        return fallback
    for key, value in document.value:
        if key.value == "rules" and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line + 1 for node in value.value]
    return fallback


def _check_wordings_are_unambiguous(rules: list[Rule], owners: dict[str, Path]) -> None:
    """Reject one wording claimed by two rules of a kind: the report could not pick one."""
    claimed: dict[tuple[str, str], str] = {}
    for rule in rules:
        for pattern in (*rule.forms, *rule.core):
            parts = parse(pattern)
            if has_slots(parts):
                continue
            for wording in expand(parts):
                key = (rule.kind, normalize(wording))
                other = claimed.setdefault(key, rule.id)
                if other != rule.id:
                    raise RuleFileError(
                        owners[rule.id],
                        [f" rule {rule.id}: wording {wording!r} is also a wording of {other}"],
                    )
