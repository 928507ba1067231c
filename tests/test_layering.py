"""The architecture, enforced: which package may import what (DESIGN.md, "Dependency direction")."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package folder → top-level modules it must never import
FORBIDDEN = {
    "mock_server/domain": {
        "starlette",
        "uvicorn",
        "httpx",
        "jinja2",
        "yaml",
        "mock_server.http",
        "mock_server.cli",
        "contracts",
        "sdk_stub",
    },
    "sdk_stub": {"mock_server", "contracts", "starlette"},
    "mock_server": {"sdk_stub"},
    # `mock_server.app` is the composition root: it assembles the API, the Link pages and the control plane.
    # None of the three reaches up into it, and the API does not know the other two exist.
    "mock_server/http": {"mock_server.control", "mock_server.link", "mock_server.app", "mock_server.cli"},
    "mock_server/link": {"mock_server.control", "mock_server.app", "mock_server.cli"},
    "mock_server/control": {"mock_server.link", "mock_server.app", "mock_server.cli"},
}
# Folders exempt from their parent's rule. The pytest plugin is a harness that hands tests the emulator *and*
# the client (`codat_client`); it sits above both, and nothing in the emulator imports it (checked below).
EXEMPT = {"mock_server": ("mock_server/pytest_plugin",)}
# what the pure core may import at all, beyond the standard library
DOMAIN_THIRD_PARTY = {"pydantic", "pydantic_core"}


def imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # resolve relative imports against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield ".".join([*base, node.module] if node.module else base)
            elif node.module:
                yield node.module


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_forbidden_imports(folder: str) -> None:
    exempt = [ROOT / sub for sub in EXEMPT.get(folder, ())]
    files = [path for path in python_files(folder) if not any(path.is_relative_to(sub) for sub in exempt)]
    assert files, f"no Python files under {folder}"
    violations = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in imports(path)
        for banned in FORBIDDEN[folder]
        if name == banned or name.startswith(banned + ".")
    ]
    assert violations == []


def test_nothing_but_the_plugin_imports_the_plugin() -> None:
    plugin = ROOT / "mock_server" / "pytest_plugin"
    violations = [
        f"{path.relative_to(ROOT)} imports {name}"
        for folder in ("mock_server", "sdk_stub", "contracts")
        for path in python_files(folder)
        if not path.is_relative_to(plugin)
        for name in imports(path)
        if name.startswith("mock_server.pytest_plugin")
    ]
    assert violations == []


def test_domain_uses_only_stdlib_and_pydantic() -> None:
    import sys

    violations = []
    for path in python_files("mock_server/domain"):
        for name in imports(path):
            top = name.split(".")[0]
            if top == "mock_server":
                assert name.startswith("mock_server.domain"), f"{path} imports {name}"
            elif top not in sys.stdlib_module_names and top not in DOMAIN_THIRD_PARTY and top != "__future__":
                violations.append(f"{path.relative_to(ROOT)} imports {name}")
    assert violations == []


def test_the_checker_sees_relative_imports(tmp_path: Path) -> None:
    # Guard against a checker that passes because it never resolves `from ..x import y`.
    resolved = set(imports(ROOT / "mock_server/app.py"))
    assert "mock_server.domain.store" in resolved
    assert "mock_server.http.routes" in resolved
