"""The thin Starlette adapter over the domain: parse the request, call the store, render the result."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
