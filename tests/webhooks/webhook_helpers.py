"""What the webhook tests share: an emulator whose sender runs, and small steps through its API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from api_helpers import basic
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.settings import Settings


@contextmanager
def running_emulator(**settings: Any) -> Iterator[TestClient]:
    """The app with its lifespan running (so the webhook sender runs), retries scaled down a thousandfold."""
    settings.setdefault("webhook_retry_scale", 0.001)
    with TestClient(create_app(Settings(**settings))) as client:
        yield client


def new_tenant() -> dict[str, str]:
    return basic(f"webhooks-{uuid.uuid4().hex}")


def add_consumer(client: TestClient, auth: dict[str, str], url: str, **body: Any) -> dict[str, Any]:
    response = client.post("/webhooks", json={"url": url, **body}, headers=auth)
    assert response.status_code == 201, response.text
    consumer: dict[str, Any] = response.json()
    return consumer


def secret_of(client: TestClient, auth: dict[str, str], webhook_id: str) -> str:
    response = client.get(f"/_mock/webhooks/consumers/{webhook_id}/secret", headers=auth)
    assert response.status_code == 200, response.text
    secret: str = response.json()["secret"]
    return secret


def flush(client: TestClient, auth: dict[str, str], timeout: float = 20) -> dict[str, Any]:
    response = client.post("/_mock/webhooks/flush", params={"timeout": timeout}, headers=auth)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert result["drained"], result
    return result


def seed_flow(client: TestClient, auth: dict[str, str], tags: dict[str, str] | None = None) -> tuple[str, str]:
    """Create a company and a connection, link, unlink and delete them: (company id, connection id)."""
    company = client.post("/companies", json={"name": "Bank of Dave", "tags": tags or {}}, headers=auth).json()
    base = f"/companies/{company['id']}/connections"
    connection = client.post(base, json={"platformKey": "qhyg"}, headers=auth).json()
    steps = [
        client.put(f"{base}/{connection['id']}/authorization", json={"accessToken": "x"}, headers=auth),
        client.patch(f"{base}/{connection['id']}", json={"status": "Unlinked"}, headers=auth),
        client.delete(f"{base}/{connection['id']}", headers=auth),
        client.delete(f"/companies/{company['id']}", headers=auth),
    ]
    assert [s.status_code for s in steps] == [200, 200, 200, 204], [s.text for s in steps]
    return company["id"], connection["id"]


SEED_FLOW_EVENTS = [
    "company.created",
    "connection.created",
    "connection.connected",
    "connection.disconnected",
    "connection.deleted",
    "company.deleted",
]
