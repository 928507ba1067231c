"""Small builders the test modules share: the Authorization header, and a one-company world to import.

A module, not fixtures, because they are used at import time (module constants, parametrize lists).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any


def basic(key: str) -> dict[str, str]:
    """The Authorization header Codat expects for `key`."""
    return {"Authorization": "Basic " + base64.b64encode(key.encode()).decode()}


def one_company_world(
    *,
    company_id: str,
    linked_id: str,
    pending_id: str,
    name: str,
    pending_created: str = "2026-01-01T00:00:00Z",
    pending_errors: Sequence[Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An export document (`PUT /_mock/state`): one company with a Linked QuickBooks Online connection and a
    PendingAuth Plaid one (banking, so authorizing it never meets the one-linked-accounting rule)."""
    pending: dict[str, Any] = {
        "id": pending_id,
        "platformKey": "suuo",
        "status": "PendingAuth",
        "created": pending_created,
        "statusChanged": pending_created,
    }
    if pending_errors:
        pending["errors"] = [dict(error) for error in pending_errors]
    world: dict[str, Any] = {
        "version": 1,
        "companies": [
            {
                "id": company_id,
                "name": name,
                "created": "2026-01-01T00:00:00Z",
                "tags": {"region": "uk"},
                "connections": [
                    {
                        "id": linked_id,
                        "platformKey": "qhyg",
                        "status": "Linked",
                        "created": "2026-01-01T00:00:00Z",
                        "statusChanged": "2026-01-01T00:05:00Z",
                    },
                    pending,
                ],
            }
        ],
    }
    if settings is not None:
        world["settings"] = dict(settings)
    return world
