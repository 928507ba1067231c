"""The package surface: an explicit sorted `__all__`, a typing marker, and no imports of the emulator or contract."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import sdk_stub

PACKAGE = Path(sdk_stub.__file__).parent


def test_all_is_sorted_and_complete() -> None:
    assert sdk_stub.__all__ == sorted(sdk_stub.__all__)
    public = {
        name
        for name, value in vars(sdk_stub).items()
        if not name.startswith("_") and not isinstance(value, type(importlib)) and name != "annotations"
    }
    assert public == set(sdk_stub.__all__)
    for name in sdk_stub.__all__:
        assert getattr(sdk_stub, name).__module__.startswith("sdk_stub."), name


def test_public_classes_are_documented() -> None:
    for name in sdk_stub.__all__:
        assert (getattr(sdk_stub, name).__doc__ or "").strip(), f"{name} has no docstring"
    for name in ("CodatClient", "AsyncCodatClient", "RetryPolicy", "CodatAPIError", "Company", "Page"):
        assert "```python" in (getattr(sdk_stub, name).__doc__ or ""), f"{name} has no usage example"


def test_py_typed_marker_exists() -> None:
    assert (PACKAGE / "py.typed").is_file()


def test_sdk_stub_imports_neither_mock_server_nor_contracts() -> None:
    forbidden = {"mock_server", "contracts"}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & forbidden, f"{path.name}:{node.lineno} imports {roots & forbidden}"
