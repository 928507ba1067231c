"""The README's promises: its first two commands, that CI runs the same test command, and its client example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_server.testing import LiveServer

ROOT = Path(__file__).resolve().parents[1]


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def test_readme_starts_with_the_two_commands() -> None:
    blocks = bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    serve, test = blocks[0].strip(), blocks[1].strip()
    assert serve.endswith("codat-mock serve") and "pip install -e ." in serve
    assert "pip install -e '.[test]'" in test and test.endswith("pytest")


def test_ci_runs_the_readme_test_command() -> None:
    test = bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))[1].strip()
    install_and_run = test.split("&&", 1)[1].strip()  # CI makes its own fresh venv first
    assert install_and_run in (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace("--quiet ", "")


def test_the_client_example_runs_against_a_live_emulator(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Using the client") :]
    example = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert example is not None, "the 'Using the client' section lost its example"
    with LiveServer() as server:
        code = example.group(1).replace("http://localhost:8000", server.url)
        exec(compile(code, "README.md: Using the client", "exec"), {})
    out = capsys.readouterr().out
    assert "authorize at " + server.url + "/link/companies/" in out
    assert "Bank of Dave [<ConnectionStatus.UNLINKED: 'Unlinked'>]" in out
