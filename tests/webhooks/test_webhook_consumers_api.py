"""list/create/delete-webhook-consumer: shapes, limits, Codat-shaped errors, tenants; secrets; export/import."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from webhook_helpers import add_consumer, new_tenant, secret_of

from mock_server.app import create_app
from mock_server.domain.webhooks.signing import secret_key
from mock_server.settings import Settings, SettingsError

URL = "https://app.example/codat/webhooks"


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def test_create_list_delete(client: TestClient) -> None:
    auth = new_tenant()
    assert client.get("/webhooks", headers=auth).json() == {"results": []}
    created = add_consumer(client, auth, URL, eventTypes=["connection.connected"], companyTags=["region:uk"])
    assert created == {
        "id": created["id"],
        "url": URL,
        "eventTypes": ["connection.connected"],
        "disabled": False,
        "companyTags": ["region:uk"],
    }
    plain = add_consumer(client, auth, URL, disabled=True)
    assert plain["eventTypes"] == [] and plain["disabled"] is True and "companyTags" not in plain
    assert client.get("/webhooks", headers=auth).json() == {"results": [created, plain]}
    deleted = client.delete(f"/webhooks/{created['id']}", headers=auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get("/webhooks", headers=auth).json() == {"results": [plain]}
    again = client.delete(f"/webhooks/{created['id']}", headers=auth)
    assert again.status_code == 404
    assert again.json()["error"] == f"No webhook consumer was found with ID {created['id']}"


def test_event_types_the_emulator_never_sends_are_kept(client: TestClient) -> None:
    # Codat's own examples subscribe to older names; they are accepted and simply never match.
    auth = new_tenant()
    created = add_consumer(client, auth, URL, eventTypes=["DataSyncCompleted", "read.completed"])
    assert created["eventTypes"] == ["DataSyncCompleted", "read.completed"]


def test_fifty_consumers_at_most_per_api_key(client: TestClient) -> None:
    auth = new_tenant()
    for _ in range(50):
        add_consumer(client, auth, URL)
    refused = client.post("/webhooks", json={"url": URL}, headers=auth)
    assert refused.status_code == 400
    body = refused.json()
    assert body["statusCode"] == 400 and "at most 50" in body["error"]
    assert len(client.get("/webhooks", headers=auth).json()["results"]) == 50
    add_consumer(client, new_tenant(), URL)  # another API key has its own fifty


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "url"),
        ({"url": "ftp://example.com"}, "url"),
        ({"url": "https://"}, "url"),
        ({"url": "https://a b"}, "url"),
        ({"url": URL, "companyTags": ["region"]}, "companyTags.0"),
        ({"url": URL, "companyTags": [":uk"]}, "companyTags.0"),
        ({"url": URL, "companyTags": [f"k:{i}" for i in range(11)]}, "companyTags"),
        ({"url": URL, "companyTags": ["k:" + "v" * 127]}, "companyTags.0"),
        ({"url": URL, "eventTypes": ["x" * 129]}, "eventTypes.0"),
        ({"url": URL, "eventTypes": "connection.connected"}, "eventTypes"),
        ({"url": URL, "disabled": "yes"}, "disabled"),
    ],
)
def test_invalid_bodies_are_400_naming_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    auth = new_tenant()
    response = client.post("/webhooks", json=body, headers=auth)
    assert response.status_code == 400, response.text
    error = response.json()
    assert set(error) >= {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried"}
    assert field in {item["itemId"] for item in error["validation"]["errors"]}
    assert client.get("/webhooks", headers=auth).json() == {"results": []}  # nothing stored


def test_an_unknown_field_is_ignored_and_named_or_refused_when_strict(client: TestClient) -> None:
    auth = new_tenant()
    response = client.post("/webhooks", json={"url": URL, "colour": "red"}, headers=auth)
    assert response.status_code == 201, response.text
    assert response.headers["X-Codat-Mock-Ignored-Fields"] == "colour"
    assert "colour" not in response.json()
    assert client.put("/_mock/settings", json={"strictBodies": True}, headers=auth).status_code == 200
    refused = client.post("/webhooks", json={"url": URL, "colour": "red"}, headers=auth)
    assert refused.status_code == 400
    assert "colour" in {item["itemId"] for item in refused.json()["validation"]["errors"]}
    assert len(client.get("/webhooks", headers=auth).json()["results"]) == 1  # the refused one was not stored


def test_consumers_belong_to_their_tenant(client: TestClient) -> None:
    mine, theirs = new_tenant(), new_tenant()
    created = add_consumer(client, mine, URL)
    assert client.get("/webhooks", headers=theirs).json() == {"results": []}
    assert client.delete(f"/webhooks/{created['id']}", headers=theirs).status_code == 404
    assert client.get(f"/_mock/webhooks/consumers/{created['id']}/secret", headers=theirs).status_code == 404
    assert client.get("/webhooks").status_code == 401


def test_each_consumer_has_its_own_secret(client: TestClient) -> None:
    auth = new_tenant()
    secrets = [secret_of(client, auth, add_consumer(client, auth, URL)["id"]) for _ in range(2)]
    assert secrets[0] != secrets[1]
    for secret in secrets:
        assert secret.startswith("whsec_") and len(secret_key(secret)) == 32
    assert client.get("/_mock/webhooks/consumers/not-a-uuid/secret", headers=auth).status_code == 404


def test_one_configured_secret_for_every_consumer() -> None:
    client = TestClient(create_app(Settings(webhook_secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
    auth = new_tenant()
    ids = [add_consumer(client, auth, URL)["id"] for _ in range(2)]
    assert {secret_of(client, auth, i) for i in ids} == {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}


def test_a_bad_configured_secret_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        Settings.from_env({"CODAT_MOCK_WEBHOOK_SECRET": "whsec_not base64!"})
    assert Settings.from_env({"CODAT_MOCK_WEBHOOK_SECRET": "QUJD"}).webhook_secret is not None
    assert Settings.from_env({"CODAT_MOCK_WEBHOOK_RETRY_SCALE": "0.001"}).webhook_retry_scale == 0.001


def test_export_import_carries_consumers_and_reset_clears_them(client: TestClient) -> None:
    auth = new_tenant()
    created = add_consumer(client, auth, URL, eventTypes=["company.created"], companyTags=["a:b"])
    secret = secret_of(client, auth, created["id"])
    document = client.get("/_mock/state", headers=auth).json()
    assert document["webhookConsumers"] == [
        {
            "id": created["id"],
            "url": URL,
            "eventTypes": ["company.created"],
            "companyTags": ["a:b"],
            "disabled": False,
            "secret": secret,
        }
    ]
    assert client.post("/_mock/reset", headers=auth).status_code == 200
    assert client.get("/webhooks", headers=auth).json() == {"results": []}
    imported = client.put("/_mock/state", json=document, headers=auth)
    assert imported.status_code == 200, imported.text
    assert imported.json() == document
    assert client.get("/webhooks", headers=auth).json() == {"results": [created]}
    assert secret_of(client, auth, created["id"]) == secret


def test_an_import_with_one_consumer_id_twice_changes_nothing(client: TestClient) -> None:
    auth = new_tenant()
    add_consumer(client, auth, URL)
    consumer = {"id": "0b9a4bde-3e51-4b0e-9b59-4cf5d5b0a8a1", "url": URL, "secret": "whsec_QUJD"}
    twice = {"version": 1, "webhookConsumers": [consumer, {**consumer, "url": URL + "/2"}]}
    assert client.put("/_mock/state", json=twice, headers=auth).status_code == 409
    verbatim = {"version": 1, "webhookConsumers": [consumer, consumer]}
    assert client.put("/_mock/state", json=verbatim, headers=auth).status_code == 400
    bad_secret = {"version": 1, "webhookConsumers": [{**consumer, "secret": "nope"}]}
    assert client.put("/_mock/state", json=bad_secret, headers=auth).status_code == 400
    assert len(client.get("/webhooks", headers=auth).json()["results"]) == 1


def test_an_empty_event_type_is_kept_like_any_name_never_sent(client: TestClient) -> None:
    # Codat's schema sets no minimum length; an empty name is accepted, shown, and matches no event.
    auth = new_tenant()
    response = client.post("/webhooks", json={"url": URL, "eventTypes": ["", "bills.write.successful"]}, headers=auth)
    assert response.status_code == 201, response.text
    assert response.json()["eventTypes"] == ["", "bills.write.successful"]
    assert client.get("/webhooks", headers=auth).json()["results"] == [response.json()]
