"""codat-mock: a local, stateful emulator of the Codat API."""

from __future__ import annotations

__version__ = "0.1.0"
