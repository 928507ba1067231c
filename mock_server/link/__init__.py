"""The fake Link flow: server-rendered HTML pages behind the `redirect` and `linkUrl` the API hands out."""

from __future__ import annotations

from .pages import link_routes

__all__ = ["link_routes"]
