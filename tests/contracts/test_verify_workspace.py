"""`contract verify` as a newcomer meets it: nothing left in their directory, and JUnit totals that count
both suites. (That every contract link can be followed: test_contract_document.py.)"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from contracts.verify import AgreementResult, add_agreement_to_junit
from mock_server.cli import main as cli_main
from mock_server.testing import LiveServer


def test_verify_writes_nothing_into_the_callers_directory_and_totals_count_both_suites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    caller = tmp_path / "caller"
    caller.mkdir()
    monkeypatch.chdir(caller)
    with LiveServer() as server:
        argv = ["--base-url", server.url, "--api-key", "workspace", "--max-examples", "3", "--seed", "1"]
        status = cli_main(["contract", "verify", *argv, "--stateful", "--junit-xml", "report.xml"])
    out = capfd.readouterr().out
    assert status == 0, out[-3000:]
    assert sorted(p.name for p in caller.iterdir()) == ["report.xml"]  # no .hypothesis/, no .schemathesis/
    assert "Failed to extract data from response" not in out

    root = ElementTree.parse(caller / "report.xml").getroot()
    suites = list(root.iter("testsuite"))
    assert {s.get("name") for s in suites} == {"schemathesis", "codat-mock agreement"}
    assert int(root.get("tests", -1)) == sum(int(s.get("tests", 0)) for s in suites)
    reported = f"{root.get('tests')} test cases reported, 0 failed, 0 errored"
    assert reported in out, "the CLI's summary and the XML's top-level count agree"


def test_work_dir_keeps_the_caches_where_asked(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "work"
    with LiveServer() as server:
        argv = ["--base-url", server.url, "--api-key", "w", "--max-examples", "2", "--work-dir", str(work)]
        assert cli_main(["contract", "verify", *argv]) == 0, capfd.readouterr().out[-3000:]
    assert (work / ".hypothesis").is_dir()


def test_adding_the_agreement_suite_updates_the_top_level_totals(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuites tests="2" failures="1" errors="0" skipped="0">'
        '<testsuite name="schemathesis" tests="2" failures="1" errors="0" skipped="0">'
        '<testcase name="a"/><testcase name="b"><failure/></testcase></testsuite></testsuites>'
    )
    add_agreement_to_junit(report, AgreementResult(ran=True, failure="steps"))
    root = ElementTree.parse(report).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("3", "2", "0", "0")

    add_agreement_to_junit(empty := tmp_path / "new.xml", AgreementResult(ran=False, note="off"))
    assert ElementTree.parse(empty).getroot().get("skipped") == "1"
