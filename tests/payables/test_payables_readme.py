"""The README's Bill Pay example runs, unchanged, against a live emulator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_server.testing import LiveServer

ROOT = Path(__file__).resolve().parents[2]


def test_the_bill_pay_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Bill Pay") :]
    example = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert example is not None, "the Bill Pay section lost its example"
    with LiveServer() as server:
        code = example.group(1).replace("http://localhost:8000", server.url)
        exec(compile(code, "README.md: Bill Pay", "exec"), {})
    assert capsys.readouterr().out.strip() == "Paid 0"
