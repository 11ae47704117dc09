"""Issue 8: nothing lost, nothing misread — output safety, reader correctness, honest runs.

Each test drives the real ``phrasecheck`` command (CliRunner, or a subprocess where a real
pipe or terminal matters) on inputs built to reproduce one reported failure.
"""

import codecs
import csv
import json
import os
import re
import subprocess
import sys

import pytest
from cli_helpers import BAD, GOOD, invoke, jsonl_lines, write_jsonl

from phrasecheck.readers import FORMATS, ReadProgress, read_file

HEADER = "transcript_id,turn_index,role,text"


def run_cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "phrasecheck.cli", *map(str, args)],
        capture_output=True,
        **kwargs,
    )


def score(*inputs, tmp_path, extra=()):
    """Score ``inputs`` into out.jsonl with a JSON summary; (exit code, output, reports, summary)."""
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    code, output = invoke("score", *inputs, "-o", out, "--summary", summary, "-w", 1, "-q", *extra)
    reports = jsonl_lines(out) if out.exists() else []
    figures = json.loads(summary.read_text("utf-8")) if summary.exists() else None
    return code, output, reports, figures


def taboo_ids(report):
    return [v["rule_id"] for v in report["violations"] if v["kind"] == "taboo"]


# --- 1. an output that is also an input -------------------------------------------------------


def test_8_1_an_output_that_is_an_input_is_refused_before_anything_is_read(tmp_path):
    source = write_jsonl(tmp_path / "c.jsonl", [GOOD, BAD])
    before = source.read_bytes()
    symlink = tmp_path / "link.jsonl"
    symlink.symlink_to(source)
    hardlink = tmp_path / "hard.jsonl"
    os.link(source, hardlink)
    for output in (source, symlink, hardlink):
        code, output_text = invoke("score", source, "-o", output, "-q")
        assert code == 2, output
        assert "is also an input" in output_text
        assert source.read_bytes() == before
    code, output_text = invoke("score", source, "--summary", hardlink, "-q")
    assert code == 2 and "is also an input" in output_text
    assert source.read_bytes() == before


# --- 2. a run never reads its own output --------------------------------------------------------


def test_8_2_a_folder_run_twice_skips_its_own_outputs_and_rejects_old_reports(tmp_path):
    folder = tmp_path / "d2"
    folder.mkdir()
    write_jsonl(folder / "calls.jsonl", [GOOD, BAD])
    args = ("score", folder, "-o", folder / "z.jsonl", "--summary", folder / "s.json", "-q")
    first = invoke(*args)
    first_lines = jsonl_lines(folder / "z.jsonl")
    second = invoke(*args)
    assert first[0] == second[0] == 1
    assert jsonl_lines(folder / "z.jsonl") == first_lines  # did not grow: z and s were skipped
    assert [r["transcript_id"] for r in first_lines] == ["good-1", "bad-1"]
    figures = json.loads((folder / "s.json").read_text("utf-8"))
    assert figures["records"] == 2 and figures["skipped_files"] == 2

    # a report file (and an error record) given as input is rejected as what it is
    (folder / "z.jsonl").rename(tmp_path / "old.jsonl")
    with (tmp_path / "old.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"schema_version": "1", "transcript_id": null, "error": "x", "line": 3}\n')
    code, _, reports, _ = score(tmp_path / "old.jsonl", tmp_path=tmp_path)
    assert code == 2 and len(reports) == 3
    assert all("this is a phrasecheck report, not a transcript" in r["error"] for r in reports)


# --- 3. an unclosed quote in a CSV ------------------------------------------------------------


def test_8_3_an_unclosed_csv_quote_costs_one_transcript_and_reading_resynchronises(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                'c1,0,agent,"您好，请问有什么可以帮您',  # the quote is never closed
                "c2,0,agent,急什么，烦死人了",
                'c3,0,agent,"您好，',  # a quoted field that rightly spans two lines
                '请问有什么可以帮您？"',
                "c4,0,agent,有本事你去告",
            ]
        )
        + "\n",
        "utf-8",
    )
    code, _, reports, _ = score(path, tmp_path=tmp_path)
    assert code == 2
    assert [r["transcript_id"] for r in reports] == ["c1", "c2", "c3", "c4"]
    assert "quoted field opened on line 2 is not closed before line 3" in reports[0]["error"]
    assert taboo_ids(reports[1]) == ["T04"]  # c2's words are its own, not c1's
    assert "error" not in reports[2] and taboo_ids(reports[2]) == []
    assert taboo_ids(reports[3]) == ["T11"]


# --- 4. lone surrogates -----------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_8_4_lone_surrogates_become_replacement_characters_everywhere(tmp_path, output_format):
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"id": "x\\ud800", "agent_id": "A\\udc00", "metadata": {"queue": "q\\ud83d"},'
        ' "turns": [{"role": "agent", "text": "急什么\\ud800烦死人了"}]}\n',
        "utf-8",
    )
    out = tmp_path / f"out.{output_format}"
    code, _ = invoke("score", path, "-o", out, "--format", output_format, "-w", 1, "-q")
    assert code in (0, 1)  # scored, not an error record (exit 2)
    if output_format == "jsonl":
        (report,) = jsonl_lines(out)
        assert (report["transcript_id"], report["agent_id"]) == ("x\ufffd", "A\ufffd")
        taboo = [v["matched"] for v in report["violations"] if v["kind"] == "taboo"]
        assert taboo == ["急什么\ufffd烦死人了"]  # offsets hold: one U+FFFD for one surrogate
    else:
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert {row["transcript_id"] for row in rows} == {"x\ufffd"}
        assert "error" not in {row["kind"] for row in rows}


def test_8_4_checked_text_with_a_lone_surrogate_keeps_its_offsets(checker):
    result = checker.check("急什么\ud800烦死人了")
    assert result.text == "急什么\ufffd烦死人了"
    assert json.loads(result.model_dump_json())["text"] == "急什么\ufffd烦死人了"
    code, output = invoke("check", "--json", "急什么\ud800烦死人了")
    assert code == 1 and json.loads(output)["text"] == "急什么\ufffd烦死人了"


# --- 5. an object without turns ---------------------------------------------------------------


def test_8_5_an_object_without_turns_is_an_error_naming_the_field(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{}\n{"note": "x"}\n' + json.dumps(GOOD, ensure_ascii=False) + "\n", "utf-8")
    code, _, reports, _ = score(path, tmp_path=tmp_path)
    assert code == 2 and len(reports) == 3
    assert reports[0]["line"] == 1 and "turns: Field required" in reports[0]["error"]
    assert reports[1]["line"] == 2 and "turns: Field required" in reports[1]["error"]
    assert reports[2]["transcript_id"] == "good-1" and reports[2]["passed"] is True


# --- 6 and 7. speaker labels in text transcripts ------------------------------------------------


def test_8_6_every_known_speaker_label_counts_in_any_case(tmp_path):
    (tmp_path / "a.txt").write_text(
        "AGENT: 您好，请问有什么可以帮您？\nCustomer: 急什么，烦死人了\n"
        "客服人员：不客气\ncaller：谢谢\nStaff: 再见\n",
        "utf-8",
    )
    code, _, (report,), _ = score(tmp_path / "a.txt", tmp_path=tmp_path)
    assert report["counts"] == {**report["counts"], "agent_turns": 3, "customer_turns": 2}
    assert taboo_ids(report) == []  # the customer said 急什么, not the agent
    assert code in (0, 1)


def test_8_7_a_continuation_line_with_a_colon_continues_the_turn(tmp_path):
    (tmp_path / "a.txt").write_text(
        "坐席：您好，请问有什么可以帮您？\n温馨提示：明天停水\nmail:cs@example.com\n客户：好的\n",
        "utf-8",
    )
    code, _, (report,), _ = score(tmp_path / "a.txt", tmp_path=tmp_path)
    assert "error" not in report and code in (0, 1)
    assert (report["counts"]["agent_turns"], report["counts"]["customer_turns"]) == (1, 1)


# --- 8. encodings ------------------------------------------------------------------------------


def table_text(delimiter=","):
    rows = [HEADER.split(",")]
    for transcript in (GOOD, BAD):
        for index, turn in enumerate(transcript["turns"]):
            rows.append([transcript["id"], str(index), turn["role"], turn["text"]])
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def test_8_8_gb18030_whose_only_chinese_is_on_an_unterminated_last_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(
        (HEADER + "\n" + "c1,0,agent,ok\n" + "c2,0,agent,急什么，烦死人了").encode("gb18030")
    )
    code, _, reports, _ = score(path, tmp_path=tmp_path)
    assert [r["transcript_id"] for r in reports] == ["c1", "c2"]
    assert taboo_ids(reports[1]) == ["T04"] and code in (0, 1)


@pytest.mark.parametrize(
    ("name", "encoding", "bom", "forced"),
    [
        ("t.csv", "utf-16-le", codecs.BOM_UTF16_LE, None),
        ("t.csv", "utf-16-be", codecs.BOM_UTF16_BE, None),
        ("t.csv", "utf-32-le", codecs.BOM_UTF32_LE, None),
        ("t.csv", "utf-16-le", b"", "utf-16-le"),
        ("t.csv", "utf-16", b"", "utf-16"),  # the codec writes its own BOM
        ("t.csv", "utf-8", codecs.BOM_UTF8, "gb18030"),  # a BOM outranks --encoding
    ],
)
def test_8_8_byte_order_marks_and_utf16(tmp_path, name, encoding, bom, forced):
    path = tmp_path / name
    path.write_bytes(bom + table_text().encode(encoding))
    code, output, reports, _ = score(
        path, tmp_path=tmp_path, extra=("--encoding", forced) if forced else ()
    )
    assert [(r["transcript_id"], r.get("passed")) for r in reports] == [
        ("good-1", True),
        ("bad-1", False),
    ], output
    assert code == 1


def test_8_8_excel_unicode_text_export_is_read_as_a_table(tmp_path):
    """Excel's "Unicode Text": UTF-16 LE with BOM, tab-separated, a .txt extension."""
    path = tmp_path / "export.txt"
    text = (
        table_text("\t")
        .replace("您好，万科物业", '"您好，万科物业')
        .replace("请问有什么可以帮助您？", '请问有什么可以帮助您？"')
    )
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    code, output, reports, _ = score(path, tmp_path=tmp_path)
    assert [r["transcript_id"] for r in reports] == ["good-1", "bad-1"], output
    assert reports[0]["passed"] is True and taboo_ids(reports[1]) == ["T01", "T04", "T11"]
    assert code == 1


def test_8_8_utf16_bad_bytes_are_an_error_for_their_transcript_only(tmp_path):
    path = tmp_path / "t.csv"
    lines = table_text().encode("utf-16-le").split("\r\n".encode("utf-16-le"))
    lines[2] += b"\x00\xd8"  # a lone high surrogate in good-1's second row
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".encode("utf-16-le").join(lines))
    code, _, reports, _ = score(path, tmp_path=tmp_path)
    assert code == 2 and [r["transcript_id"] for r in reports] == ["good-1", "bad-1"]
    assert "line 3: bytes not valid utf-16" in reports[0]["error"]
    assert "error" not in reports[1]


# --- 9. .json documents -----------------------------------------------------------------------


def test_8_9_a_json_file_is_a_document_an_array_or_one_transcript(tmp_path):
    array = tmp_path / "calls.json"
    array.write_text(json.dumps([GOOD, {"id": "x"}, BAD], ensure_ascii=False, indent=2), "utf-8")
    one = tmp_path / "one.json"
    one.write_text(json.dumps(BAD, ensure_ascii=False, indent=4), "utf-8")
    code, _, reports, _ = score(array, one, tmp_path=tmp_path)
    assert code == 2
    assert [r["transcript_id"] for r in reports] == ["good-1", "x", "bad-1", "bad-1"]
    assert reports[1]["error"].startswith("item 2: turns: Field required")
    assert reports[0]["passed"] is True and taboo_ids(reports[3]) == ["T01", "T04", "T11"]


def test_8_9_json_items_that_are_not_transcripts_and_a_truncated_array(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps([GOOD, 5])[:-1] + ', {"id": "c", "turns": [', "utf-8")
    code, _, reports, _ = score(path, tmp_path=tmp_path)
    assert code == 2 and [r.get("transcript_id") for r in reports] == ["good-1", None, None]
    assert reports[1]["error"] == "item 2: array item is a number, not an object"
    assert reports[2]["error"].startswith("item 3: invalid JSON after array item 2: ")
    assert "\n" not in reports[2]["error"]


def test_8_9_a_large_json_array_is_streamed(tmp_path):
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        handle.write(",\n".join(json.dumps(dict(GOOD, id=f"t{i}")) for i in range(20_000)))
        handle.write("\n]\n")
    progress = ReadProgress()
    records = read_file(str(path), progress=progress)
    first = next(records)
    assert first.transcript_id == "t0"
    assert 0 < progress.bytes_read < path.stat().st_size / 4  # the rest is not read yet
    assert sum(1 for _ in records) == 19_999
    assert progress.bytes_read == path.stat().st_size


def test_8_9_jsonl_stays_for_jsonl_and_ndjson(tmp_path):
    for name in ("a.jsonl", "a.ndjson"):
        write_jsonl(tmp_path / name, [GOOD, BAD])
    code, _, reports, _ = score(tmp_path / "a.jsonl", tmp_path / "a.ndjson", tmp_path=tmp_path)
    assert code == 1 and len(reports) == 4


# --- 11. honest empty runs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.jsonl", ""),
        ("blank.jsonl", "\n\n  \n"),
        ("header.csv", HEADER + "\n"),
        ("header.tsv", HEADER.replace(",", "\t") + "\n"),
        ("empty.json", "[]"),
        ("empty.txt", "\n"),
    ],
)
def test_8_11_zero_transcripts_warn_and_exit_3(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, "utf-8")
    done = run_cli("score", path, "-o", tmp_path / "out.jsonl")
    assert done.returncode == 3
    assert b"warning: no transcripts read" in done.stderr


def test_8_11_empty_standard_input_warns_and_exits_3():
    done = run_cli("score", "-", input=b"")
    assert done.returncode == 3 and b"warning: no transcripts read" in done.stderr
    done = run_cli("check", "-", input=b"\n")
    assert done.returncode == 3 and b"warning" in done.stderr


def test_8_11_folders_and_globs_skip_other_files_and_count_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [GOOD])
    (folder / "README.md").write_text("# calls\n", "utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    code, _, reports, figures = score(folder, tmp_path=tmp_path)
    assert code == 0 and len(reports) == 1 and figures["skipped_files"] == 2
    code, _, reports, figures = score(folder / "*", tmp_path=tmp_path)
    assert code == 0 and len(reports) == 1 and figures["skipped_files"] == 2
    # a folder holding no transcripts at all is an empty run, not a success
    (folder / "a.jsonl").unlink()
    code, _, reports, figures = score(folder, tmp_path=tmp_path)
    assert code == 3 and reports == [] and figures["skipped_files"] == 2


# --- 12. duplicates and interleaving ---------------------------------------------------------------


def test_8_12_interleaved_rows_are_grouped_and_duplicates_warned(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "c1,0,agent,您好，请问有什么可以帮您？",
                "c2,0,agent,您好",
                "c1,1,customer,我家漏水了",
                "c2,1,agent,急什么，烦死人了",
                "c1,2,agent,好的，马上安排师傅，再见",
                "c1,2,agent,请稍等",
            ]
        )
        + "\n",
        "utf-8",
    )
    again = write_jsonl(tmp_path / "again.jsonl", [dict(GOOD, id="c2")])
    code, _, reports, figures = score(path, again, tmp_path=tmp_path)
    assert [r["transcript_id"] for r in reports] == ["c1", "c2", "c2"]
    assert reports[0]["counts"]["turns"] == 4 and reports[1]["counts"]["turns"] == 2
    assert taboo_ids(reports[1]) == ["T04"]
    warnings = "\n".join(figures["warnings"])
    assert "rows of transcript c1 are not consecutive (lines 2, 4, 6, 7)" in warnings
    assert "rows of transcript c2 are not consecutive" in warnings
    assert "transcript c1: turn_index 2 is given 2 times (lines 6, 7)" in warnings
    assert "transcript id c2 appears 2 times" in warnings
    assert code in (0, 1)  # warnings are not errors


# --- 13. command-line details -------------------------------------------------------------------


def test_8_13_check_stdin_numbers_by_input_line():
    code, output = invoke("check", "-", stdin="您好\n\n急什么\n")
    assert code == 1
    assert output.splitlines()[0].startswith("1:0-2: P01")
    assert output.splitlines()[1].startswith("3:0-3: T25")


def test_8_13_explain_reads_standard_input():
    code, output = invoke("explain", "-", stdin="您着急什么时候用\n")
    assert code == 0 and "您着急什么时候用" in output and "short wording splits a word" in output


@pytest.mark.parametrize("value", [None, b"\xe6\x80\xa5", 42])
def test_8_13_checker_needs_a_str(checker, value):
    with pytest.raises(TypeError, match="needs a str"):
        checker.check(value)
    with pytest.raises(TypeError, match="needs a str"):
        checker.explain(value)


def test_8_13_a_truncated_json_line_reports_its_real_column(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "x", "turns": [\n', "utf-8")
    code, _, (record,), _ = score(path, tmp_path=tmp_path)
    assert code == 2 and record["error"] == "invalid JSON: Expecting value at column 23"


def test_8_13_csv_output_starts_with_a_bom_unless_turned_off(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD])
    invoke("score", path, "--format", "csv", "-o", tmp_path / "a.csv", "-q")
    assert (tmp_path / "a.csv").read_bytes().startswith(codecs.BOM_UTF8 + b"transcript_id,")
    invoke("score", path, "--format", "csv", "--no-bom", "-o", tmp_path / "b.csv", "-q")
    assert (tmp_path / "b.csv").read_bytes().startswith(b"transcript_id,")


def test_8_13_the_per_agent_table_has_a_row_for_transcripts_without_agent_id(tmp_path):
    anonymous = {key: value for key, value in BAD.items() if key != "agent_id"}
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD, dict(anonymous, id="n1")])
    code, _, _, figures = score(path, tmp_path=tmp_path)
    assert code == 1
    agents = {agent["agent_id"]: agent for agent in figures["agents"]}
    assert agents[None]["transcripts"] == 1 and agents[None]["taboo"] == 3
    done = run_cli("score", path, "-o", tmp_path / "out.jsonl", "-w", 1)
    assert "(no agent_id)" in done.stderr.decode()


@pytest.mark.parametrize("command", ["score", "check"])
def test_8_13_a_closed_output_pipe_ends_quietly_with_141(tmp_path, command):
    lines = [json.dumps(dict(BAD, id=f"t{i}"), ensure_ascii=False) for i in range(3000)]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    if command == "score":
        args = [sys.executable, "-m", "phrasecheck.cli", "score", str(path), "-w", "1", "-q"]
        stdin = None
    else:
        args = [sys.executable, "-m", "phrasecheck.cli", "check", "-"]
        stdin = subprocess.PIPE
    process = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if stdin:
        process.stdin.write(("急什么\n" * 20000).encode())
        process.stdin.close()
    process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert b"Traceback" not in stderr and b"Error" not in stderr


# --- the one table of input formats --------------------------------------------------------------


def test_the_input_formats_table_drives_the_cli():
    code, output = invoke("score", "--help")
    for fmt in FORMATS.values():
        assert all(extension in output for extension in fmt.extensions)
        assert fmt.description.split(":")[0][:30] in " ".join(output.split())
    code, output = invoke("score", "--input-format", "nope", "x")
    assert code == 2 and all(name in output for name in FORMATS)


def test_the_readme_names_every_speaker_label_and_format(root):
    from phrasecheck.readers import speaker_labels

    readme = (root / "README.md").read_text("utf-8")
    inputs = readme.split("**Inputs**", 1)[1].split("**Outputs**", 1)[0]
    txt_row = next(line for line in inputs.splitlines() if line.startswith("| `.txt`"))
    named = set(re.findall(r"`([^`]+)`", txt_row.split("The labels", 1)[1].split(". A `.txt`")[0]))
    assert {label.lower() for label in named} == set(speaker_labels())  # labels are caseless
    for fmt in FORMATS.values():
        assert all(f"`{extension}`" in inputs for extension in fmt.extensions)


def test_8_4_lone_surrogates_in_a_json_document_as_in_json_lines(tmp_path):
    """ijson's C parser turns a lone high surrogate into '?' and fails on a lone low one; the
    reader rewrites lone escapes first, also where one is cut by the 64 Ki-character chunk."""
    first = '[{"id": "a\\ud800", "turns": [{"role": "agent", "text": "急什么\\udc00烦死人了"}]}, '
    second = '{"id": "b", "turns": [{"role": "agent", "text": "'
    filler = "好" * (65536 - len(first) - len(second) - 5)  # the next escape straddles the cut
    text = (
        first
        + second
        + filler
        + '\\ud83d\\ude00 \\\\ud800"}]}, '  # a valid pair, then an escaped backslash: kept
        + '{"id": "c\\udbff", "turns": [{"role": "agent", "text": "您好"}]}]'
    )
    path = tmp_path / "s.json"
    path.write_text(text, "utf-8")
    code, _, reports, _ = score(path, tmp_path=tmp_path)
    assert code in (0, 1) and [r["transcript_id"] for r in reports] == ["a\ufffd", "b", "c\ufffd"]
    matched = [v["matched"] for v in reports[0]["violations"] if v["kind"] == "taboo"]
    assert matched == ["急什么\ufffd烦死人了"]
    items = json.loads(text)
    assert items[1]["turns"][0]["text"].endswith("\U0001f600 \\ud800")  # what the reader must keep
