"""Reading rule files, with errors a QA lead can act on (file, line, rule id, field)."""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path

from pydantic import ValidationError

from phrasecheck.normalize import normalize
from phrasecheck.resources import bundled_pack_files, bundled_rule_files
from phrasecheck.rules.kinds import KINDS
from phrasecheck.rules.model import Rule, RuleSet
from phrasecheck.rules.patterns import expand, has_slots, parse
from phrasecheck.yamlfile import DataFileError, line_of, read_yaml, validation_problems

SCHEMA_VERSION = 1
_TOP_LEVEL_KEYS = {"schema", "kind", "description", "rules"}


class RuleFileError(DataFileError):
    """A rule file that cannot be used. ``problems`` lists every finding, one per line.

    When several files are loaded at once, every broken file is reported: ``errors`` holds
    one RuleFileError per file, and the message all of their lines.
    """

    def __init__(self, path: str | PathLike[str], problems: list[str]) -> None:
        super().__init__(path, problems)
        self.errors: list[RuleFileError] = [self]

    @classmethod
    def combine(cls, errors: list[RuleFileError]) -> RuleFileError:
        if len(errors) == 1:
            return errors[0]
        combined = cls(errors[0].path, [p for error in errors for p in error.problems])
        combined.errors = errors
        combined.args = ("\n".join(str(error) for error in errors),)
        return combined


def load_rules(*paths: str | PathLike[str]) -> RuleSet:
    """Load and validate rule files; with no argument, the bundled standard.

    A path may be a YAML file or a folder, whose ``*.yaml`` files are read in name order.
    Every broken file is reported, not only the first.
    """
    return _load_files(expand_rule_paths(paths) if paths else bundled_rule_files())


def load_ruleset(
    rules: Iterable[str | PathLike[str]] = (),
    packs: Iterable[str] = (),
    standard: bool = True,
) -> RuleSet:
    """The rules in force: the standard (unless ``standard`` is False), then the named
    bundled packs, then the given rule files or folders, which add to what comes before.

    A file listed twice (say, a bundled file passed by path as well) is read once.
    """
    files = list(bundled_rule_files()) if standard else []
    files += [pack_file(name) for name in packs]
    files += expand_rule_paths(rules)
    if not files:
        raise RuleFileError("rules", [" no rules: name rule files or packs, or keep the standard"])
    seen: set[Path] = set()
    unique = []
    for file in files:
        if file.resolve() not in seen:
            seen.add(file.resolve())
            unique.append(file)
    return _load_files(unique)


def pack_file(name: str) -> Path:
    """The file of the bundled pack ``name``; :class:`RuleFileError` lists the packs if none."""
    packs = bundled_pack_files()
    if name not in packs:
        available = ", ".join(packs) or "none"
        raise RuleFileError(name, [f" no bundled rule pack of this name (packs: {available})"])
    return packs[name]


def pack_description(path: str | PathLike[str]) -> str:
    """The one-line ``description`` of a pack file ('' when it has none)."""
    data, _ = read_yaml(Path(path), RuleFileError)
    return str(data.get("description") or "") if isinstance(data, dict) else ""


def _load_files(files: list[Path]) -> RuleSet:
    rules: list[Rule] = []
    owners: dict[str, tuple[Path, int]] = {}
    errors: list[RuleFileError] = []
    for file in files:
        try:
            loaded = _read_rule_file(file)
        except RuleFileError as error:
            errors.append(error)
            continue
        problems = []
        for rule, line in loaded:
            if rule.id in owners:
                other, other_line = owners[rule.id]
                problems.append(
                    f"{line}: rule {rule.id}: id already defined in {other}:{other_line} "
                    "(ids are unique across the standard, packs and your files)"
                )
                continue
            owners[rule.id] = (file, line)
            rules.append(rule)
        if problems:
            errors.append(RuleFileError(file, problems))
    errors.extend(_ambiguous_wordings(rules, owners))
    if errors:
        raise RuleFileError.combine(errors)
    return RuleSet(rules, sources=tuple(str(file) for file in files))


def expand_rule_paths(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """Rule files named by ``paths``: files as given, folders as their ``*.yaml`` files."""
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
    return [rule for rule, _ in _read_rule_file(Path(path))]


def _read_rule_file(path: Path) -> list[tuple[Rule, int]]:
    """The file's rules, each with the line it starts on."""
    data, document = read_yaml(path, RuleFileError)
    if not isinstance(data, dict):
        raise RuleFileError(path, ["1: expected a mapping with keys schema, kind and rules"])
    problems: list[str] = []
    unknown = sorted(set(data) - _TOP_LEVEL_KEYS)
    if unknown:
        problems.append(f"1: unknown top-level key(s) {', '.join(map(str, unknown))}")
    if data.get("schema") != SCHEMA_VERSION:
        problems.append(f"1: field 'schema' must be {SCHEMA_VERSION}, got {data.get('schema')!r}")
    kind = data.get("kind")
    if kind not in KINDS:
        known = ", ".join(repr(name) for name in KINDS)
        problems.append(f"1: field 'kind' must be one of {known}, got {kind!r}")
    items = data.get("rules")
    if not isinstance(items, list) or not items:
        items = []
        problems.append("1: field 'rules' must be a non-empty list of rules")
    if problems:
        raise RuleFileError(path, problems)

    rules: list[tuple[Rule, int]] = []
    for index, item in enumerate(items):
        line = line_of(document, ("rules", index))
        if not isinstance(item, dict):
            problems.append(f"{line}: rules[{index}] must be a mapping of fields")
            continue
        label = f"rule {item.get('id', f'#{index + 1} (no id)')}"
        if item.get("kind", kind) != kind:
            problems.append(f"{line}: {label}, field 'kind': this file holds {kind} rules")
            continue
        try:
            rules.append((Rule.model_validate({**item, "kind": kind}), line))
        except ValidationError as error:
            for problem in validation_problems(error, document, ("rules", index)):
                where, _, rest = problem.partition(": ")
                joiner = ", " if rest.startswith("field ") else ": "
                problems.append(f"{where}: {label}{joiner}{rest}")
    if problems:
        raise RuleFileError(path, problems)
    return rules


def _ambiguous_wordings(
    rules: list[Rule], owners: dict[str, tuple[Path, int]]
) -> list[RuleFileError]:
    """One wording claimed by two rules of a kind: the report could not pick one."""
    claimed: dict[tuple[str, str], str] = {}
    errors: list[RuleFileError] = []
    for rule in rules:
        for pattern in (*rule.forms, *rule.core):
            parts = parse(pattern)
            if has_slots(parts):
                continue
            for wording in expand(parts):
                key = (rule.kind, normalize(wording))
                other = claimed.setdefault(key, rule.id)
                if other != rule.id:
                    file, line = owners[rule.id]
                    other_file, other_line = owners[other]
                    errors.append(
                        RuleFileError(
                            file,
                            [
                                f"{line}: rule {rule.id}: wording {wording!r} is also a "
                                f"wording of {other} ({other_file}:{other_line})"
                            ],
                        )
                    )
    return errors
