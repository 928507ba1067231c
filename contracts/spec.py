"""The emulator's contract, `openapi.yaml`, loaded from the installed package, and a `$ref` resolver.

Everything here is cheap to import (PyYAML and the standard library only): the server imports it to serve
`/openapi.json`, the drift check and the tests to read the contract.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any, Literal
from urllib.parse import unquote

__all__ = [
    "HTTP_METHODS",
    "RefResolutionError",
    "contract_text",
    "iter_operations",
    "load_contract",
    "operation_ids",
    "operations",
    "resolve_refs",
]

#: The keys of an OpenAPI path item that hold operations.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_RESOURCE = "openapi.yaml"


@functools.cache
def _yaml_text() -> str:
    return resources.files("contracts").joinpath(_RESOURCE).read_text(encoding="utf-8")


@functools.cache
def _parsed() -> dict[str, Any]:
    # Imported here, and with libyaml's loader where PyYAML has it (its wheels do): the pure-Python one takes
    # most of a second, which `codat-mock serve` would otherwise spend before its first answer.
    import yaml

    document = yaml.load(_yaml_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # safe either way
    if not isinstance(document, dict):
        raise TypeError(f"contracts/{_RESOURCE} does not hold a mapping")
    return document


@functools.cache
def _json_text() -> str:
    return json.dumps(_parsed(), indent=2, ensure_ascii=False) + "\n"


def load_contract() -> dict[str, Any]:
    """The contract as a dict. It is parsed once; each call returns a fresh deep copy the caller may change."""
    return copy.deepcopy(_parsed())


def contract_text(fmt: Literal["yaml", "json"] = "yaml") -> str:
    """The contract as text: the YAML file as shipped, or the same document rendered as JSON."""
    if fmt == "yaml":
        return _yaml_text()
    if fmt == "json":
        return _json_text()
    raise ValueError(f"unknown format {fmt!r}; expected 'yaml' or 'json'")


def iter_operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, str, Mapping[str, Any]]]:
    """Yield ``(operationId, METHOD, path, operation)`` for every operation of an OpenAPI document.

    Operations without an operationId are skipped: nothing in this project can name them.
    """
    paths = document.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, Mapping) and isinstance(operation.get("operationId"), str):
                yield operation["operationId"], method.upper(), path, operation


@functools.cache
def _operation_table() -> dict[str, tuple[str, str]]:
    return {op_id: (method, path) for op_id, method, path, _ in iter_operations(_parsed())}


def operations() -> dict[str, tuple[str, str]]:
    """operationId → (METHOD, path) for every operation of the contract, in document order (a fresh copy)."""
    return dict(_operation_table())


@functools.cache
def operation_ids() -> frozenset[str]:
    """The operationIds of the contract: the Codat operations the emulator implements."""
    return frozenset(_operation_table())


# --- $ref resolution ---------------------------------------------------------------------------------------


class RefResolutionError(ValueError):
    """A `$ref` that cannot be followed: not local to the document, or pointing at nothing."""


def resolve_refs(document: Mapping[str, Any]) -> dict[str, Any]:
    """Return `document` with every local `$ref` replaced by what it points at.

    - Pointers may reach anywhere in the document, including nested `definitions` and paths (JSON Pointer
      escapes `~0`/`~1` and URI percent-encoding are decoded), and may pass through other `$ref`s.
    - Keys next to a `$ref` (OpenAPI 3.1 allows `description`; Codat also writes `nullable`) are laid over
      the target, so they win.
    - A reference back into a target that is still being expanded (a cycle) is left as `{"$ref": ...}`.
    - Only same-document references (`#...`) are supported; others raise `RefResolutionError`.

    Targets are expanded once and shared between the places that use them, so the result may hold the
    same dict more than once: treat it as read-only (deep-copy it before changing it). `document` itself
    is not modified.
    """
    resolved = _Resolver(document).walk(document)
    if not isinstance(resolved, dict):
        raise RefResolutionError("the document's top-level reference does not point at a mapping")
    return resolved


_CYCLE = object()  # what `_Resolver._target` answers for a target that is still being expanded


class _Resolver:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        self._done: dict[str, Any] = {}
        self._expanding: set[str] = set()

    def walk(self, node: Any) -> Any:
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            siblings = {
                key: self.walk(value) for key, value in node.items() if key != "$ref" or not isinstance(ref, str)
            }
            if not isinstance(ref, str):
                return siblings
            target = self._target(ref)
            if target is _CYCLE:  # keep the reference so the result stays finite
                return {"$ref": ref, **siblings}
            if not siblings:
                return target
            if isinstance(target, dict):
                return {**target, **siblings}
            return target
        if isinstance(node, list):
            return [self.walk(item) for item in node]
        return node

    def _target(self, ref: str) -> Any:
        pointer = _pointer(ref)
        if pointer in self._done:
            return self._done[pointer]
        if pointer in self._expanding:
            return _CYCLE
        self._expanding.add(pointer)
        try:
            resolved = self.walk(self._lookup(pointer, ref, hops=0))
        finally:
            self._expanding.discard(pointer)
        self._done[pointer] = resolved
        return resolved

    def _lookup(self, pointer: str, ref: str, *, hops: int) -> Any:
        """The raw node at `pointer`, following `$ref`s met on the way (Codat points through them)."""
        if hops > 64:
            raise RefResolutionError(f"{ref}: too many chained references")
        node: Any = self._root
        for token in _tokens(pointer):
            if isinstance(node, Mapping) and token not in node and isinstance(node.get("$ref"), str):
                node = self._lookup(_pointer(node["$ref"]), ref, hops=hops + 1)
            if isinstance(node, Mapping) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise RefResolutionError(f"{ref}: nothing at {token!r}")
        return node


def _pointer(ref: str) -> str:
    if not ref.startswith("#"):
        raise RefResolutionError(f"{ref}: only references within the same document are supported")
    # RFC 6901 §6: a pointer in a URI fragment is percent-decoded first, then split and unescaped.
    return unquote(ref[1:])


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise RefResolutionError(f"#{pointer}: a JSON pointer starts with '/'")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]
