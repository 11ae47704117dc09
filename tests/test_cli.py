import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from cli_helpers import BAD, GOOD, interruptible_cli, invoke, jsonl_lines, write_jsonl


def test_all_passed_exits_0_and_a_failure_exits_1(tmp_path):
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    code, _ = invoke("score", good, "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    assert code == 0
    both = write_jsonl(tmp_path / "both.jsonl", [GOOD, BAD])
    code, _ = invoke("score", both, "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    assert code == 1
    reports = jsonl_lines(tmp_path / "out.jsonl")
    assert [(r["transcript_id"], r["passed"]) for r in reports] == [
        ("good-1", True),
        ("bad-1", False),
    ]
    assert {v["rule_id"] for v in reports[1]["violations"] if v["kind"] == "taboo"} == {
        "T01",
        "T04",
        "T11",
    }


def test_malformed_lines_in_the_middle_yield_error_records_and_the_run_goes_on(tmp_path):
    lines = [
        json.dumps(GOOD, ensure_ascii=False),
        '{"id": "broken", "turns": [',
        json.dumps({"id": "no-text", "turns": [{"role": "agent"}]}),
        json.dumps({"id": "odd-role", "turns": [{"role": "主持人", "text": "大家好"}]}),
        "",
        "[1, 2]",
        json.dumps(BAD, ensure_ascii=False),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        ("\n".join(lines[:4]) + "\n").encode()
        + b'{"id": "\xff\xfe"}\n'
        + ("\n".join(lines[4:]) + "\n").encode()
    )
    summary = tmp_path / "summary.json"
    code, _ = invoke(
        "score", path, "-o", tmp_path / "out.jsonl", "-w", 1, "-q", "--summary", summary
    )
    assert code == 2
    out = jsonl_lines(tmp_path / "out.jsonl")
    assert len(out) == 7  # every non-blank input line, in order
    errors = {r["line"]: r for r in out if "error" in r}
    assert sorted(errors) == [2, 3, 4, 5, 7]
    assert errors[2]["error"].startswith("invalid JSON") and errors[2]["source"] == str(path)
    assert (
        "turns.0.text: Field required" in errors[3]["error"]
        and errors[3]["transcript_id"] == "no-text"
    )
    assert "unknown role '主持人'" in errors[4]["error"]
    assert "not valid utf-8" in errors[5]["error"]
    assert out[0]["transcript_id"] == "good-1" and out[-1]["transcript_id"] == "bad-1"
    figures = json.loads(summary.read_text(encoding="utf-8"))
    assert (figures["records"], figures["transcripts"], figures["errors"]) == (7, 2, 5)


def write_turns_csv(path, encoding, delimiter=","):
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["transcript_id", "turn_index", "role", "text", "agent_id", "queue"])
        for transcript in (GOOD, BAD):
            for index, turn in reversed(list(enumerate(transcript["turns"]))):
                role = {"agent": "坐席", "customer": "客户"}[turn["role"]]
                writer.writerow(
                    [
                        transcript["id"],
                        index,
                        role,
                        turn["text"],
                        transcript["agent_id"],
                        "物业,一线",
                    ]
                )
    return path


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [("turns.csv", "utf-8-sig", ","), ("turns.csv", "gb18030", ","), ("turns.tsv", "utf-8", "\t")],
)
def test_table_inputs_in_utf8_bom_gb18030_and_tsv(tmp_path, name, encoding, delimiter):
    path = write_turns_csv(tmp_path / name, encoding, delimiter)
    code, _ = invoke("score", path, "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    assert code == 1
    out = jsonl_lines(tmp_path / "out.jsonl")
    assert [(r["transcript_id"], r["agent_id"], r["passed"]) for r in out] == [
        ("good-1", "A01", True),
        ("bad-1", "A02", False),
    ]
    assert out[0]["counts"]["turns"] == 3  # rows re-ordered by turn_index


def test_text_transcripts_and_unknown_labels(tmp_path):
    """Only known speaker labels start a turn: 主持人： continues the agent's turn (issue 8.7)."""
    (tmp_path / "a.txt").write_text(
        "坐席：您好，请问有什么可以帮您？\n客户：谢谢\n坐席：不客气，再见\n", "utf-8"
    )
    (tmp_path / "b.txt").write_text("A: 喂\nB: 你好\nA: 急什么\n", "utf-8")
    (tmp_path / "c.txt").write_text("坐席：您好\n主持人：大家好\n", "utf-8")
    code, _ = invoke("score", tmp_path / "*.txt", "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    assert code == 1
    a, b, c = jsonl_lines(tmp_path / "out.jsonl")
    assert (a["transcript_id"], a["counts"]["agent_turns"]) == ("a", 2)
    assert [v["rule_id"] for v in b["violations"] if v["kind"] == "taboo"] == ["T01", "T25"]
    assert "error" not in c and c["counts"]["turns"] == 1


def test_csv_output_has_a_row_per_violation(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD, BAD])
    code, _ = invoke("score", path, "--format", "csv", "-o", tmp_path / "out.csv", "-w", 1, "-q")
    assert code == 1
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8-sig")))
    assert rows[0]["transcript_id"] == "good-1" and rows[0]["kind"] == ""
    taboo = [r for r in rows if r["kind"] == "taboo"]
    assert [r["rule_id"] for r in taboo] == ["T01", "T04", "T11"]
    assert taboo[2]["fatal"] == "True" and taboo[2]["matched"] == "有本事你去告"


def test_folders_and_standard_input(root, tmp_path):
    code, output = invoke("score", "-", "-w", 1, "-q", stdin=json.dumps(GOOD) + "\n")
    assert code == 0 and json.loads(output)["transcript_id"] == "good-1"
    code, _ = invoke("score", root / "samples", "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    out = jsonl_lines(tmp_path / "out.jsonl")
    expected = 2 + 3 + len((root / "samples" / "transcripts.jsonl").read_text("utf-8").splitlines())
    assert len(out) == expected and code == 1 and not any("error" in r for r in out)


def test_usage_and_rule_errors_exit_2(tmp_path):
    code, output = invoke("score", tmp_path / "nothing-*.jsonl", "-q")
    assert code == 2 and "no input files matched" in output
    bad_rules = tmp_path / "rules.yaml"
    bad_rules.write_text("schema: 1\nkind: taboo\nrules: []\n", "utf-8")
    code, output = invoke("check", "你好", "--rules", bad_rules)
    assert code == 2 and "field 'rules' must be a non-empty list" in output
    code, _ = invoke("score", "--workers", "0", "x.jsonl")
    assert code == 2


def test_check_explain_and_rules_commands():
    code, output = invoke("check", "急什麼，煩死人了！")
    assert code == 1 and "text:0-8: T04 [taboo/major] 急什麼，煩死人了" in output
    code, output = invoke("check", "--json", "请稍等一下")
    assert code == 0 and json.loads(output)["hits"][0]["rule_id"] == "P07"
    code, output = invoke("check", "-", stdin="您好\n你问我我问谁\n")
    assert code == 1 and output.splitlines()[0].startswith("1:0-2: P01")
    code, output = invoke("explain", "您着急什么时候用")
    assert code == 0 and "short wording splits a word" in output
    code, output = invoke("rules", "--kind", "taboo")
    assert code == 0 and output.count("\nT") + output.startswith("T") == 30
    code, output = invoke("rules", "--json")
    assert [r["id"] for r in json.loads(output)][:2] == ["T01", "T02"]


def run_cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "phrasecheck.cli", *map(str, args)],
        capture_output=True,
        text=True,
        **kwargs,
    )


def many(path, count):
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            record = dict(GOOD if index % 3 else BAD, id=f"t{index:06d}")
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_two_workers_keep_input_order(tmp_path):
    path = many(tmp_path / "in.jsonl", 600)
    done = run_cli("score", path, "-o", tmp_path / "out.jsonl", "--workers", 2)
    assert done.returncode == 1
    out = jsonl_lines(tmp_path / "out.jsonl")
    assert [r["transcript_id"] for r in out] == [f"t{i:06d}" for i in range(600)]
    assert "per agent" in done.stderr and "transcripts scored" in done.stderr
    assert "scoring" not in done.stderr  # no progress bar on a pipe


def test_ctrl_c_leaves_a_valid_partial_output(tmp_path):
    path = many(tmp_path / "in.jsonl", 200_000)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        interruptible_cli("score", path, "-o", out, "-w", 2),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 100_000):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr[-3000:]  # what the run said, if it was not cut
    lines = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(lines) < 200_000
    assert [json.loads(line)["transcript_id"] for line in lines] == [
        f"t{i:06d}" for i in range(len(lines))
    ]
    assert "interrupted" in stderr
    assert os.path.getsize(out) > 0


def test_a_progress_bar_on_an_interactive_terminal_only(tmp_path):
    """stderr on a pseudo-terminal gets the bar and the summary; the results stay whole."""
    import pty

    path = many(tmp_path / "in.jsonl", 3000)
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "phrasecheck.cli",
            "score",
            str(path),
            "-w",
            "1",
            "-o",
            str(tmp_path / "out.jsonl"),
        ],
        stderr=secondary,
        env={**os.environ, "COLUMNS": "120"},
    )
    os.close(secondary)
    screen = b""
    while True:  # read as it is drawn, so the terminal's buffer never fills
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    process.wait(timeout=300)
    os.close(primary)
    text = screen.decode("utf-8", "replace")
    assert "scoring" in text and "transcripts" in text  # the bar was drawn
    assert "transcripts scored" in text  # then the summary
    assert process.returncode == 1
    assert len(jsonl_lines(tmp_path / "out.jsonl")) == 3000


def test_unrepresentable_text_never_stops_the_run(tmp_path):
    """A lone surrogate (a JSON escape) in text or an id is replaced, and the run goes on."""
    path = tmp_path / "sur.jsonl"
    path.write_text(
        json.dumps(GOOD)
        + "\n"
        + '{"id": "b", "turns": [{"role": "agent", "text": "急什么\\ud800烦死人了"}]}\n'
        + '{"id": "c\\ud800", "turns": [{"role": "agent", "text": "您好"}]}\n'
        + json.dumps(BAD)
        + "\n",
        encoding="utf-8",
    )
    code, _ = invoke("score", path, "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    out = jsonl_lines(tmp_path / "out.jsonl")
    assert code == 1 and len(out) == 4
    assert [v["rule_id"] for v in out[1]["violations"] if v["kind"] == "taboo"] == ["T04"]
    assert out[2]["transcript_id"] == "c\ufffd" and out[3]["transcript_id"] == "bad-1"


def write_lines(path, lines, encoding="utf-8"):
    path.write_bytes(
        b"".join(
            (line if isinstance(line, bytes) else line.encode(encoding)) + b"\n" for line in lines
        )
    )
    return path


HEADER = "transcript_id,turn_index,role,text"


def test_broken_table_rows_turn_their_transcript_into_an_error(tmp_path):
    path = write_lines(
        tmp_path / "t.csv",
        [
            HEADER,
            "c1,0,agent,您好",
            "c2,0,agent,您好，请问有什么可以帮您？,多出来的一列",  # ragged: more fields than header
            "c3,0,agent,您好",
            b"c3,1,agent,\xff\xfe\xe6\x80\xa5",  # undecodable bytes in c3's second turn
            "c4,0,agent," + "好" * 200_000,  # a long turn beyond csv's default field limit
        ],
    )
    code, _ = invoke("score", path, "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    out = jsonl_lines(tmp_path / "out.jsonl")
    assert code == 2
    assert [(r["transcript_id"], "error" in r) for r in out] == [
        ("c1", False),
        ("c2", True),
        ("c3", True),
        ("c4", False),
    ]
    assert "row has 5 fields, the header 4" in out[1]["error"]
    assert "line 5: bytes not valid utf-8" in out[2]["error"]


def test_tsv_quotes_are_text_not_syntax(tmp_path):
    path = write_lines(
        tmp_path / "t.tsv",
        [
            "transcript_id\tturn_index\trole\ttext",
            'c1\t0\tagent\t"好的',
            "c2\t0\tagent\t急什么，烦死人了",
        ],
    )
    invoke("score", path, "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    out = jsonl_lines(tmp_path / "out.jsonl")
    assert [r["transcript_id"] for r in out] == ["c1", "c2"]
    assert [v["rule_id"] for v in out[1]["violations"] if v["kind"] == "taboo"] == ["T04"]


def test_gb18030_after_a_long_ascii_head_and_upper_case_extensions(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    head = [
        json.dumps({"id": f"a{i}", "turns": [{"role": "agent", "text": "ok"}]}) for i in range(300)
    ]
    tail = [json.dumps(GOOD, ensure_ascii=False)]
    write_lines(folder / "CALLS.JSONL", head + tail, encoding="gb18030")
    code, _ = invoke("score", folder, "-o", tmp_path / "out.jsonl", "-w", 1, "-q")
    out = jsonl_lines(tmp_path / "out.jsonl")
    assert code == 0 and len(out) == 301 and not any("error" in r for r in out)
    assert out[-1]["passed"] is True


def test_text_transcripts_wrapped_lines_and_empty_files(tmp_path):
    (tmp_path / "a.txt").write_text(
        "坐席：您好，请问有什么可以帮您？\n客户：师傅几点到\n坐席：下午\n3:00到，请您在家等候，再见\n",
        "utf-8",
    )
    (tmp_path / "b.txt").write_text("\ufeff", "utf-8")
    summary = tmp_path / "s.json"
    invoke(
        "score",
        tmp_path / "a.txt",
        tmp_path / "b.txt",
        "-o",
        tmp_path / "out.jsonl",
        "-q",
        "--summary",
        summary,
    )
    (a,) = jsonl_lines(tmp_path / "out.jsonl")
    assert a["counts"]["turns"] == 3 and "P06" in [p["rule_id"] for p in a["polite"]]
    # an empty file is no transcript, as an empty .jsonl is not: a warning, not an error record
    warnings = json.loads(summary.read_text("utf-8"))["warnings"]
    assert f"{tmp_path / 'b.txt'}: no transcripts" in warnings


def test_bad_output_paths_and_encodings_are_usage_errors(tmp_path):
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    code, output = invoke("score", good, "-o", tmp_path / "missing" / "out.jsonl")
    assert code == 2 and "cannot write" in output
    code, output = invoke("score", good, "--summary", tmp_path / "missing" / "s.json")
    assert code == 2 and "cannot write" in output
    code, output = invoke("score", good, "--encoding", "klingon")
    assert code == 2 and "unknown encoding" in output


def test_summary_counts_missing_phrases_by_expectation(tmp_path):
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "x", "channel": "phone", "turns": [{"role": "agent", "text": "说吧"}]},
        ],
    )
    invoke("score", path, "-o", tmp_path / "out.jsonl", "-q", "--summary", tmp_path / "s.json")
    counts = json.loads((tmp_path / "s.json").read_text("utf-8"))["top_violations"]
    expectations = {c["expectation"] for c in counts if c["kind"] == "missing_opening"}
    assert expectations == {"opening_greeting", "opening_introduction", "opening_offer_help"}


def test_channel_option_applies_to_records_without_their_own(tmp_path):
    plain = {"id": "p", "turns": [{"role": "customer", "text": "快递丢了，太坑人了！"},
                                  {"role": "agent", "text": "您好，非常抱歉，请私信我们单号。"}]}
    own = {**plain, "id": "o", "channel": "chat"}
    path = write_jsonl(tmp_path / "in.jsonl", [plain, own])
    invoke("score", path, "--channel", "social", "-o", tmp_path / "out.jsonl", "-q",
           "--summary", tmp_path / "s.json")
    reports = jsonl_lines(tmp_path / "out.jsonl")
    assert [(r["channel"], r["channel_source"]) for r in reports] == [
        ("social", "option"),
        ("chat", "record"),
    ]
    summary = json.loads((tmp_path / "s.json").read_text("utf-8"))
    assert {c["channel"]: c["transcripts"] for c in summary["channels"]} == {"chat": 1, "social": 1}
    code, output = invoke("score", path, "--channel", "fax")
    assert code == 2 and "fax" in output


def test_unscorable_transcripts_are_counted_apart_from_the_pass_rate(tmp_path):
    silent = {"id": "s", "turns": [{"role": "customer", "text": "有人吗？"}]}
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD, silent])
    code, _ = invoke("score", path, "-o", tmp_path / "out.jsonl", "-q", "--summary",
                     tmp_path / "s.json")
    summary = json.loads((tmp_path / "s.json").read_text("utf-8"))
    assert (summary["scored"], summary["unscorable"], summary["pass_rate"]) == (1, 1, 1.0)
    assert jsonl_lines(tmp_path / "out.jsonl")[1]["status"] == "unscorable"
    assert code == 0
