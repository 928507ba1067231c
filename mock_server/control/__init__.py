"""The test control plane under `/_mock`: reset, export/import, clock, headless Link, journal, faults.

Not part of Codat's API: documented in its own OpenAPI document, served at `GET /_mock/openapi.json`.
"""

from __future__ import annotations

from .middleware import ControlMiddleware
from .plane import ControlPlane, store_for
from .routes import control_routes
from .seeding import load_seed_file

__all__ = ["ControlMiddleware", "ControlPlane", "control_routes", "load_seed_file", "store_for"]
