"""The 14 Bill Pay operations under `/companies/{companyId}/connections/{connectionId}/payables`."""

from __future__ import annotations

from .routes import payables_routes

__all__ = ["payables_routes"]
