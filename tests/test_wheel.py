"""The rule files must ship inside the wheel and load from there, not from the checkout."""

import subprocess
import sys
import zipfile

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(root)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("phrasecheck-*.whl")
    return built


def test_wheel_contains_the_rule_files_and_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "phrasecheck/data/forbidden_phrases.yaml" in names
    assert "phrasecheck/data/polite_phrases.yaml" in names
    assert "phrasecheck/data/guidance_phrases.yaml" in names
    assert "phrasecheck/data/score_profile.yaml" in names
    assert "phrasecheck/data/packs/complaint.yaml" in names
    assert "phrasecheck/py.typed" in names
    assert "phrasecheck/data/fold_table.json" in names  # the core's precomputed fold table
    assert "phrasecheck/data/sound_table.json" in names  # pypinyin's readings, for slips
    assert "phrasecheck/data/standard_plan.json" in names  # the standard, compiled
    for template in ("report.html.j2", "call.html.j2", "finding.html.j2", "report.css", "report.js"):
        assert f"phrasecheck/htmlreport/templates/{template}" in names


def test_installed_wheel_loads_its_own_rules(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r}); import phrasecheck;"
        "from phrasecheck.resources import bundled_data_dir;"
        "c = phrasecheck.Checker();"
        "print(phrasecheck.__file__); print(bundled_data_dir()); print(len(c.rules));"
        "print(c.check('急什麼，煩死人了').hits[0].rule_id);"
        "print(c.score([{'role': 'agent', 'text': '您好，再见'}]).profile);"
        "k = phrasecheck.Checker(packs=['complaint']);"
        "print(k.check('这个问题太简单了').hits[0].rule_id);"
        "from phrasecheck.verify import verify_bundled; print(verify_bundled().ok);"
        "print(c._compiled_rules is None)"  # the core was built from the shipped plan
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout.split("\n")
    assert out[0].startswith(str(target))
    assert out[1] == str(target / "phrasecheck" / "data")
    assert out[2:8] == ["52", "T04", "default", "K05", "True", "True"]  # T01–T30, P01–P20, G01–G02
