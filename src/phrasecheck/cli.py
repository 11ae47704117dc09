"""The ``phrasecheck`` command: check, explain, rules and score, with linter exit codes.

Exit codes: 0 clean (no taboo phrase / every transcript passed); 1 findings (a taboo phrase /
a transcript failed the standard); 2 usage, rule file, profile or input errors (for ``score``,
any input record that could not be scored, or an output that is also an input); 3 no input
records (nothing to check or score: an empty file, folder or stdin); 130 interrupted; 141 the
output pipe was closed before the run ended (``| head``), as for a process ended by SIGPIPE.
"""

from __future__ import annotations

import codecs
import os
import sys
import time
from pathlib import Path
from typing import TextIO

import click

from phrasecheck.models import CheckResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_EMPTY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_PIPE_CLOSED = 141

def rule_options(command):
    """--rules, --pack and --no-standard: which rules are in force (shared by every command)."""
    command = click.option(
        "--no-standard",
        is_flag=True,
        help="Leave the bundled standard (T, G and P rules) out: only --rules and --pack count.",
    )(command)
    command = click.option(
        "--pack",
        "packs",
        multiple=True,
        metavar="NAME",
        help="Add a bundled rule pack, e.g. complaint (repeatable; `rules` lists them).",
    )(command)
    return click.option(
        "--rules",
        "rules",
        multiple=True,
        type=click.Path(),
        help="Rule file or folder to ADD to the standard (repeatable).",
    )(command)


def _checker(rules: tuple[str, ...] = (), packs: tuple[str, ...] = (), no_standard: bool = False):
    from phrasecheck.checker import Checker
    from phrasecheck.yamlfile import DataFileError

    try:
        return Checker(list(rules), packs=list(packs), standard=not no_standard)
    except DataFileError as error:
        raise click.ClickException(str(error)) from None


class _UsageErrorsExitTwo(click.Group):
    """click exits 1 on ClickException; linters use 2 for 'the tool could not run'."""

    def main(self, *args, **kwargs):
        click.ClickException.exit_code = EXIT_ERROR
        return super().main(*args, **kwargs)


@click.group(cls=_UsageErrorsExitTwo, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="phrasecheck")
def main() -> None:
    """Check Chinese customer-service speech against the service standard.

    \b
    phrasecheck check "急什麼，煩死人了！"        one utterance: its taboo and polite phrases
    phrasecheck explain "不知道您现在方便吗"      why each candidate stood or fell
    phrasecheck rules --kind taboo                the rules, with ids and severities
    phrasecheck rules --verify my_rules.yaml      check the rules' own examples
    phrasecheck check --pack complaint TEXT       the standard plus a bundled rule pack
    phrasecheck score samples/ --summary s.json   grade transcripts in bulk
    phrasecheck eval tests/devset/heldout.jsonl   precision and recall on a labelled set

    Exit codes: 0 clean, 1 findings, 2 usage or input errors, 3 no input records,
    130 interrupted, 141 output pipe closed.
    """


def _texts(text: str) -> list[tuple[int, str]]:
    """The texts to check, numbered by input line (blank lines are skipped but keep their
    number); bytes that are not UTF-8 become U+FFFD rather than a crash."""
    if text == "-":
        data = sys.stdin.buffer.read()
        decoded = data.decode(
            "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8", "replace"
        )
        lines = enumerate(decoded.splitlines(), start=1)
        return [(number, line) for number, line in lines if line.strip()]
    # Undecodable command-line bytes arrive as surrogate escapes (PEP 383); any other lone
    # surrogate (only a caller in Python can pass one) is left for the checker to replace.
    try:
        return [(1, text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))]
    except UnicodeEncodeError:
        return [(1, text)]


def _no_input(what: str) -> None:
    click.echo(f"phrasecheck: warning: {what}: exit {EXIT_EMPTY}", err=True)
    sys.exit(EXIT_EMPTY)


def _pipe_closed() -> None:
    """The reader of our output quit (``| head -1``): stop quietly, with a code that says so.

    Standard output is pointed at /dev/null so the interpreter's final flush cannot fail.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # a stand-in stdout without a descriptor
        pass
    sys.exit(EXIT_PIPE_CLOSED)


def _render_hits(result: CheckResult, label: str) -> list[str]:
    lines = []
    for hit in result.hits:
        tag = f"{hit.kind}/{hit.severity}" if hit.severity else hit.kind
        line = (
            f"{label}:{hit.start}-{hit.end}: {hit.rule_id} [{tag}] {hit.matched} "
            f"({hit.method}, {hit.score:g})"
        )
        if hit.suggestion:
            line += f"\n    → {hit.suggestion}"
        lines.append(line)
    return lines


@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@rule_options
def check(
    text: str, as_json: bool, rules: tuple[str, ...], packs: tuple[str, ...], no_standard: bool
) -> None:
    """Find the standard's taboo and polite phrases in TEXT ('-': one text per stdin line).

    Prints one line per phrase: where it stands (character offsets), the rule, what matched,
    how, and for taboo phrases what to say instead. Exits 1 when a taboo phrase is found.
    """
    checker = _checker(rules, packs, no_standard)
    texts = _texts(text)
    if not texts:
        _no_input("no text on standard input")
    found_taboo = False
    try:
        for number, item in texts:
            result = checker.check(item)
            found_taboo |= result.has_taboo
            if as_json:
                click.echo(result.model_dump_json())
            else:
                rendered = _render_hits(result, str(number) if text == "-" else "text")
                click.echo("\n".join(rendered) if rendered else f"{number}: no phrase found")
        sys.stdout.flush()
    except BrokenPipeError:
        _pipe_closed()
    sys.exit(EXIT_FINDINGS if found_taboo else EXIT_OK)


@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@rule_options
def explain(
    text: str, as_json: bool, rules: tuple[str, ...], packs: tuple[str, ...], no_standard: bool
) -> None:
    """Show how TEXT was read: normalized form, words, every candidate and its verdict.

    '-' reads standard input and explains each of its lines.
    """
    checker = _checker(rules, packs, no_standard)
    texts = _texts(text)
    if not texts:
        _no_input("no text on standard input")
    try:
        for number, item in texts:
            explanation = checker.explain(item)
            if text == "-" and not as_json:
                click.echo(f"line {number}:")
            click.echo(explanation.model_dump_json(indent=2) if as_json else explanation.render())
        sys.stdout.flush()
    except BrokenPipeError:
        _pipe_closed()


@main.command(name="rules")
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--kind", type=click.Choice(["taboo", "polite"]), help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the rules in force as JSON.")
@click.option(
    "--verify",
    is_flag=True,
    help="Check every example of the rules in FILES (default: the bundled rules and packs).",
)
@rule_options
def list_rules(
    files: tuple[str, ...],
    kind: str | None,
    as_json: bool,
    verify: bool,
    rules: tuple[str, ...],
    packs: tuple[str, ...],
    no_standard: bool,
) -> None:
    """List the rules in force and the bundled packs; with --verify, test their examples.

    \b
    With --verify: FILES (and --rules files) are the rule files whose examples to check,
    loaded on top of the standard and any --pack, as `check --rules FILE` uses them; with
    only --pack, those packs; with neither, every bundled rule and pack. A failure prints as
    FILE:LINE: RULE: EXAMPLE: expected hit, got none (or the reverse); the command exits 1.
    """
    if verify:
        _verify(files, rules, packs, no_standard)
        return
    if files:
        raise click.UsageError("FILES are for --verify; add rule files with --rules")
    checker = _checker(rules, packs, no_standard)
    selected = [rule for rule in checker.rules if kind is None or rule.kind == kind]
    if as_json:
        import json

        click.echo(json.dumps([r.model_dump() for r in selected], ensure_ascii=False, indent=2))
        return
    for rule in selected:
        _echo_rule(rule)
    counts = ", ".join(
        f"{sum(r.kind == name for r in checker.rules)} {name}"
        for name in ("taboo", "polite")
        if any(r.kind == name for r in checker.rules)
    )
    click.echo(f"ruleset {checker.version}: {counts}")
    _echo_packs(checker, kind)


def _echo_rule(rule, brief: bool = False) -> None:
    severity = rule.severity or "-"
    click.echo(f"{rule.id}  {rule.kind:<6} {severity:<8} {rule.category:<16} {rule.phrase}")
    if brief:
        return
    click.echo(f"      forms: {' | '.join(rule.forms)}")
    if rule.core:
        click.echo(f"      core:  {' | '.join(rule.core)}")
    if rule.why:
        click.echo(f"      why:   {rule.why}")


def _echo_packs(checker, kind: str | None) -> None:
    """The bundled packs not in force, with their rules, so a QA lead knows what to add."""
    from phrasecheck.resources import bundled_pack_files
    from phrasecheck.rules.loader import load_rule_file, pack_description

    for name, path in bundled_pack_files().items():
        if str(path) in checker.rules.sources:
            continue
        pack_rules = [r for r in load_rule_file(path) if kind is None or r.kind == kind]
        click.echo(f"\npack {name} (add with --pack {name}): {pack_description(path)}")
        for rule in pack_rules:
            _echo_rule(rule, brief=True)


def _verify(files, rules, packs, no_standard) -> None:
    from phrasecheck.verify import verify_bundled, verify_files
    from phrasecheck.yamlfile import DataFileError

    targets = tuple(dict.fromkeys((*rules, *files)))  # a file named twice is checked once
    try:
        if targets:  # your files, with the standard and packs they are used with
            result = verify_files(_checker(targets, packs, no_standard), targets)
        elif packs:  # the packs named, each in force with the standard
            result = verify_bundled(packs, standard=not no_standard)
        elif no_standard:
            raise click.UsageError("--no-standard leaves nothing to verify: name FILES or packs")
        else:
            result = verify_bundled()
    except DataFileError as error:
        raise click.ClickException(str(error)) from None
    for failure in result.failures:
        click.echo(str(failure))
    if result.without_examples:
        click.echo(f"rules without examples: {', '.join(result.without_examples)}", err=True)
    verdict = "ok" if result.ok else f"{len(result.failures)} failed"
    click.echo(f"{result.examples} examples of {result.rules} rules: {verdict}", err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@main.command(name="eval")
@click.argument("devset", required=False, type=click.Path())
@click.option("--quiet", is_flag=True, help="Omit the list of disagreements.")
@rule_options
def eval_command(
    devset: str | None,
    quiet: bool,
    rules: tuple[str, ...],
    packs: tuple[str, ...],
    no_standard: bool,
) -> None:
    """Precision and recall per rule, kind and group on a labelled set (JSON Lines).

    DEVSET defaults to tests/devset/devset.jsonl; a line is
    {"text": ..., "expect": ["T04"], "group": ...} (tests/devset/README.md).
    """
    from phrasecheck.eval import DEFAULT_DEVSET, evaluate, load_examples, render

    path = Path(devset) if devset else DEFAULT_DEVSET
    if not path.is_file():
        raise click.UsageError(f"no labelled set at {path}")
    checker = _checker(rules, packs, no_standard)
    try:
        examples = load_examples(path)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(render(evaluate(checker, examples), show_errors=not quiet))


def _score_help() -> str:
    """The score command's help, its list of inputs drawn from the one table of formats."""
    from phrasecheck.readers import FORMATS

    inputs = "\n".join(
        f"  {', '.join(fmt.extensions):<16} {fmt.description}" for fmt in FORMATS.values()
    )
    return (
        "Grade transcripts from INPUTS (files, folders, globs, '-' for stdin).\n\n"
        f"\b\nInputs, by extension or --input-format:\n{inputs}\n\n"
        "Every input record yields exactly one output record: a report, or an error record "
        "naming the file, line and reason. A summary table goes to standard error. An output "
        "that is also an input is refused; folders and globs skip other files (counted) and "
        "the run's own outputs. No transcript read at all exits 3."
    )


def _input_format_names() -> list[str]:
    from phrasecheck.readers import FORMATS

    return list(FORMATS)


@main.command(help=_score_help())
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write one result per input record (default: standard output).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: a report per transcript; csv: a row per violation.",
)
@click.option(
    "--bom/--no-bom",
    default=True,
    show_default=True,
    help="Start CSV output with a byte-order mark, so that Excel reads it as UTF-8.",
)
@click.option(
    "--input-format",
    type=click.Choice(_input_format_names()),
    help="Read every input as this format (default: by file extension).",
)
@click.option(
    "--encoding",
    help="Input encoding when the file has no byte-order mark "
    "(default: UTF-8, or GB18030 when not UTF-8).",
)
@click.option(
    "--channel",
    type=click.Choice(["phone", "chat", "social"]),
    help="Channel of records that do not name their own (default: inferred from each record; "
    "chat when nothing points to a call or a public thread).",
)
@click.option(
    "--profile",
    type=click.Path(exists=True, dir_okay=False),
    help="Score profile YAML (default: the bundled one).",
)
@rule_options
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False),
    help="Also write the run's summary as JSON to this file.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Also write an HTML report of the run (figures, agents, rules, the worst "
    "transcripts turn by turn) to this file. Needs --format jsonl.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when transcripts fail the standard (unreadable records still exit 2).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary table.")
def score(
    inputs,
    output,
    output_format,
    bom,
    input_format,
    encoding,
    channel,
    profile,
    rules,
    packs,
    no_standard,
    workers,
    summary_path,
    html_path,
    exit_zero,
    quiet,
) -> None:
    from phrasecheck import batch
    from phrasecheck.readers import ReadProgress, expand_inputs, read_inputs
    from phrasecheck.scoring import Scorer
    from phrasecheck.yamlfile import DataFileError

    outputs = [path for path in (output, summary_path, html_path) if path and path != "-"]
    skipped: list[str] = []
    files = expand_inputs(inputs, exclude=outputs, skipped=skipped)
    _refuse_outputs_that_are_inputs(files, outputs)
    if not files and not skipped and not any(Path(item).is_dir() for item in inputs):
        raise click.UsageError("no input files matched")
    try:
        scorer = Scorer(_checker(rules, packs, no_standard).rules, profile)
    except DataFileError as error:
        raise click.ClickException(str(error)) from None
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(
                f"unknown encoding {encoding!r}", param_hint="--encoding"
            ) from None
    if summary_path and not os.access(Path(summary_path).resolve().parent, os.W_OK):
        raise click.BadParameter(f"cannot write {summary_path}", param_hint="--summary")
    report = _html_builder(html_path, output_format)
    progress = ReadProgress()
    records = read_inputs(files, input_format, encoding, progress)
    workers = workers or os.cpu_count() or 1

    try:
        out = _open_output(output)
    except OSError as error:
        raise click.BadParameter(
            f"cannot write {output}: {error.strerror}", param_hint="-o"
        ) from None
    show_progress = not quiet and sys.stderr.isatty()
    try:
        with _ProgressBar(files, progress, enabled=show_progress) as bar:
            summary = batch.run(
                records,
                scorer,
                out,
                workers=workers,
                output_format=output_format,
                channel=channel,
                on_outcome=bar.update,
                bom=bom,
                progress=progress,
                skipped_files=len(skipped),
                on_result=None if report is None else report.add_outcome,
            )
    except BrokenPipeError:
        _pipe_closed()
    finally:
        if out is not sys.stdout:
            out.close()
    if summary_path:
        Path(summary_path).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if report is not None:
        report.write(html_path, warnings=summary.warnings, interrupted=summary.interrupted)
    if not quiet:
        _print_summary(summary)
        if report is not None:
            click.echo(f"HTML report: {html_path}", err=True)
    if summary.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if summary.errors:
        sys.exit(EXIT_ERROR)
    if summary.records == 0:
        _no_input("no transcripts read")
    failed = summary.passed < summary.scored
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_OK)


def _html_builder(html_path: str | None, output_format: str):
    """The HTML report of a scoring run, or None."""
    if html_path is None:
        return None
    if output_format != "jsonl":
        raise click.BadParameter("an HTML report needs --format jsonl", param_hint="--html")
    if not os.access(Path(html_path).resolve().parent, os.W_OK):
        raise click.BadParameter(f"cannot write {html_path}", param_hint="--html")
    from phrasecheck.htmlreport import ReportBuilder

    return ReportBuilder()


@main.command()
@click.argument("scores", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write.",
)
@click.option(
    "--transcripts",
    "transcripts",
    multiple=True,
    help="The transcripts that were scored (files, folders, globs; repeatable): the report "
    "then shows every turn of the transcripts it details, joined by transcript id.",
)
@click.option(
    "--input-format",
    type=click.Choice(_input_format_names()),
    help="Read every transcript file as this format (default: by file extension).",
)
@click.option("--encoding", help="Transcript encoding (default: UTF-8, or GB18030 when not UTF-8).")
@click.option(
    "--worst",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Show this many lowest-scoring transcripts in full.",
)
@click.option(
    "--per-agent",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Also show this many randomly sampled transcripts of each agent.",
)
@click.option(
    "--max-details",
    type=click.IntRange(min=0),
    default=500,
    show_default=True,
    help="Show at most this many transcripts in full (figures always cover every record).",
)
@click.option("--title", help="The report's title (default: 服务用语质检报告).")
def report(
    scores, output, transcripts, input_format, encoding, worst, per_agent, max_details, title
) -> None:
    """Write an HTML report from SCORES: JSON Lines written by `phrasecheck score` (also the
    service's reports, or a Spark JSON column exported as {"report": ...} lines).

    One self-contained file for a browser: overview, charts, a sortable table per agent and
    per rule, and the worst and sampled transcripts with every finding in its conversation.
    """
    from datetime import datetime, timezone

    from phrasecheck.htmlreport import DetailOptions, ReportBuilder
    from phrasecheck.readers import expand_inputs

    files = expand_inputs(scores, exclude=[output])
    if not files:
        raise click.UsageError("no score files matched")
    transcript_files = expand_inputs(transcripts, exclude=[output]) if transcripts else []
    if transcripts and not transcript_files:
        raise click.BadParameter("no transcript files matched", param_hint="--transcripts")
    for name in [*files, *transcript_files]:
        if name != "-" and not os.path.isfile(name):
            raise click.BadParameter(f"no such file: {name}", param_hint="SCORES/--transcripts")
    _refuse_outputs_that_are_inputs([*files, *transcript_files], [output])
    if not os.access(Path(output).resolve().parent, os.W_OK):
        raise click.BadParameter(f"cannot write {output}", param_hint="-o")
    builder = ReportBuilder(DetailOptions(worst=worst, per_agent=per_agent, limit=max_details))
    joined = ""
    try:
        builder.read_scores(files)
        if transcript_files:
            found = builder.attach_transcripts(transcript_files, input_format, encoding)
            joined = f", turns found for {found:,}"
    except OSError as error:
        raise click.ClickException(f"cannot read {error.filename}: {error.strerror}") from None
    written = [os.path.getmtime(f) for f in files if f != "-"]
    run_date = datetime.fromtimestamp(max(written), timezone.utc) if written else None
    builder.write(output, run_date=run_date, title=title)
    summary = builder.stats.summary()
    click.echo(
        f"{output}: {summary.records:,} records, {summary.scored:,} scored, "
        f"{summary.errors:,} errors, {len(builder.chosen()):,} transcripts in detail{joined}",
        err=True,
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (each holds the compiled rules).",
)
@rule_options
@click.option(
    "--profile",
    type=click.Path(exists=True, dir_okay=False),
    help="Score profile YAML (default: the bundled one).",
)
@click.option("--max-body", default=1 << 20, show_default=True, type=click.IntRange(min=1),
              help="Largest request body, bytes (413 above).")
@click.option("--max-text", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Longest text or turn, characters (422 above).")
@click.option("--max-batch", default=256, show_default=True, type=click.IntRange(min=1),
              help="Most texts in one batch check (422 above).")
@click.option("--max-turns", default=2_000, show_default=True, type=click.IntRange(min=1),
              help="Most turns in one transcript (422 above).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.001),
              help="Seconds of work one request may take (503 above).")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="A JSON line per request on standard error.")
@click.option("--admin-token-env", metavar="VAR",
              help="Enable POST /admin/reload for 'Authorization: Bearer $VAR' (off by default).")
def serve(host, port, workers, rules, packs, no_standard, profile, max_body, max_text,
          max_batch, max_turns, timeout, access_log, admin_token_env) -> None:
    """Serve checks and scores over HTTP for chat tools (needs the [server] extra).

    \b
    POST /v1/check  {"text": "..."} or {"texts": [...]}   GET /v1/rules
    POST /v1/score  a transcript (?channel=...)           GET /healthz, /readyz, /docs
    SIGHUP reloads the rule and profile files; a bad file is refused and the old rules serve.
    SIGTERM stops taking connections and finishes the requests in flight.
    """
    try:
        from phrasecheck.server import Limits, ServiceConfig
        from phrasecheck.server import serve as run_server
    except ImportError as error:
        raise click.ClickException(
            f"the server needs its extra: pip install 'phrasecheck[server]' ({error})"
        ) from None
    from phrasecheck.scoring import Scorer
    from phrasecheck.yamlfile import DataFileError

    token = None
    if admin_token_env:
        token = os.environ.get(admin_token_env)
        if not token:
            raise click.BadParameter(
                f"environment variable {admin_token_env} is empty or unset",
                param_hint="--admin-token-env",
            )
    try:  # refuse bad files here, with file and line, before any worker starts
        Scorer(_checker(rules, packs, no_standard).rules, profile)
    except DataFileError as error:
        raise click.ClickException(str(error)) from None
    config = ServiceConfig(
        rules=[str(Path(r).resolve()) for r in rules],
        packs=list(packs),
        standard=not no_standard,
        profile=str(Path(profile).resolve()) if profile else None,
        limits=Limits(
            max_body_bytes=max_body,
            max_text_chars=max_text,
            max_batch=max_batch,
            max_turns=max_turns,
            timeout_s=timeout,
        ),
        access_log=access_log,
        admin_token=token,
    )
    sys.exit(run_server(config, host=host, port=port, workers=workers))


def _refuse_outputs_that_are_inputs(files: list[str], outputs: list[str]) -> None:
    """Exit 2 before anything is read or truncated when an output is also an input, by
    name or through a link (opening it for writing would empty it)."""
    from phrasecheck.readers import same_file

    for output in outputs:
        for name in files:
            if name != "-" and same_file(name, output):
                raise click.UsageError(
                    f"the output {output} is also an input ({name}); "
                    "writing it would destroy what is being read"
                )


def _open_output(output: str) -> TextIO:
    """The results stream. A text that is not valid Unicode is written as an escape."""
    if output == "-":
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        return sys.stdout
    # A 256 KiB buffer: a report is ~10 KB, and the default 8 KiB cost a write call for each.
    return open(
        output, "w", encoding="utf-8", errors="backslashreplace", newline="", buffering=1 << 18
    )


class _ProgressBar:
    """A rich progress bar by bytes read (for the ETA) with transcripts counted and rated."""

    def __init__(self, files: list[str], progress, enabled: bool) -> None:
        self.enabled = enabled
        self.progress = progress
        self.total = (
            None if "-" in files else sum(os.path.getsize(f) for f in files if os.path.isfile(f))
        )
        self.last = 0.0

    def __enter__(self) -> _ProgressBar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("scoring"),
                BarColumn(),
                TextColumn("{task.fields[count]} transcripts"),
                TextColumn("{task.fields[rate]}/s"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),  # standard output may be the results
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("score", total=self.total, count=0, rate="-")
            self.started = time.perf_counter()
        return self

    def update(self, tally) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1:
            return
        self.last = now
        done = tally.transcripts + tally.errors
        rate = f"{done / (now - self.started):,.0f}" if now > self.started else "-"
        self.bar.update(self.task, completed=self.progress.bytes_read, count=f"{done:,}", rate=rate)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.bar.stop()


def _print_summary(summary) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True)
    head = Table(title="phrasecheck score", show_header=False, box=None)
    head.add_row("records", f"{summary.records:,}")
    head.add_row("transcripts scored", f"{summary.scored:,}")
    head.add_row("unscorable (no agent speech)", f"{summary.unscorable:,}")
    head.add_row("errors", f"{summary.errors:,}")
    head.add_row("passed", f"{summary.passed:,} ({summary.pass_rate:.1%} of scored)")
    mix = ", ".join(
        f"{c.channel} {c.transcripts:,}" + (f" ({c.inferred:,} inferred)" if c.inferred else "")
        for c in summary.channels
    )
    head.add_row("channels", mix or "-")
    head.add_row("mean score", f"{summary.mean_score:.1f}")
    head.add_row("time", f"{summary.seconds:.1f} s ({summary.transcripts_per_second:,.0f}/s)")
    if summary.skipped_files:
        head.add_row("skipped files", f"{summary.skipped_files:,} (not transcripts)")
    if summary.ruleset:
        head.add_row("ruleset", summary.ruleset)
    if summary.interrupted:
        head.add_row("interrupted", "yes: the output holds every result so far")
    console.print(head)
    for warning in summary.warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)
    if summary.top_violations:
        table = Table(title="most frequent violations")
        for column in ("kind", "rule or expectation", "count"):
            table.add_column(column, justify="right" if column == "count" else "left")
        for item in summary.top_violations:
            table.add_row(item.kind, item.rule_id or item.expectation or "-", f"{item.count:,}")
        console.print(table)
    if summary.agents:
        table = Table(title="per agent")
        # The unscorable column only when some agent has one: the table stays narrow.
        unscorable = any(agent.unscorable for agent in summary.agents)
        columns = ("agent", "transcripts", "passed", "pass rate", "mean score", "taboo")
        for column in (*columns, "unscorable") if unscorable else columns:
            table.add_column(column, justify="left" if column == "agent" else "right")
        for agent in summary.agents:
            cells = [
                agent.agent_id if agent.agent_id is not None else "(no agent_id)",
                f"{agent.transcripts:,}",
                f"{agent.passed:,}",
                f"{agent.pass_rate:.1%}",
                f"{agent.mean_score:.1f}",
                f"{agent.taboo:,}",
            ]
            table.add_row(*cells, *([f"{agent.unscorable:,}"] if unscorable else []))
        console.print(table)


if __name__ == "__main__":  # pragma: no cover
    main()
