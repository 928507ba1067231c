"""The documentation's pytest examples run as written, in a project with nothing but the plugin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from plugin_helpers import strict_project

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]


def python_blocks(path: Path, heading: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    section = section[: section.find("\n## ", len(heading))]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.fixture(autouse=True)
def _in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODAT_MOCK_URL", raising=False)


def test_the_readme_example_passes(pytester: pytest.Pytester) -> None:
    (example,) = python_blocks(ROOT / "README.md", "## Using it from pytest")
    strict_project(pytester)
    pytester.makepyfile(test_codat=example)
    result = pytester.runpytest()
    result.assert_outcomes(passed=example.count("\ndef test_"))


def test_the_control_plane_example_passes(pytester: pytest.Pytester) -> None:
    (example,) = python_blocks(ROOT / "docs" / "control-plane.md", "## From pytest")
    strict_project(pytester)
    pytester.makepyfile(test_control=example)
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_reference_examples_pass(pytester: pytest.Pytester) -> None:
    blocks = python_blocks(ROOT / "docs" / "pytest-plugin.md", "## Examples")
    assert blocks, "docs/pytest-plugin.md lost its examples"
    strict_project(pytester)
    for number, example in enumerate(blocks):
        pytester.makepyfile(**{f"test_reference_{number}": example})
    result = pytester.runpytest()
    result.assert_outcomes(passed=sum(block.count("def test_") for block in blocks))
