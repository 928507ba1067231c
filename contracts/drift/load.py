"""Reading an OpenAPI document from a file or a URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


def load_document(source: str) -> dict[str, Any]:
    """Read an OpenAPI document (JSON or YAML) from a file path or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        import httpx  # only the URL case needs it

        try:
            response = httpx.get(source, follow_redirects=True, timeout=30.0)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise ValueError(f"cannot fetch {source}: {exc}") from exc
        text = response.text
    else:
        text = Path(source).read_text(encoding="utf-8")
    document = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    if not isinstance(document, dict):
        raise ValueError(f"{source} is not an OpenAPI document (no top-level mapping)")
    return document
