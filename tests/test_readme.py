"""The README's promises: its first two commands, and that CI runs the same test command."""

from __future__ import annotations

import re
from pathlib import Path

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
