from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from mock_server.app import create_app

SEED_PLATFORMS = {
    "pdvj": "MYOB Business",
    "akxx": "Oracle NetSuite",
    "qhyg": "QuickBooks Online",
    "pqsw": "QuickBooks Desktop",
    "knfz": "Sage Intacct",
    "gbol": "Xero",
    "fbrh": "FreeAgent",
    "rwuv": "Zoho Books",
    "mqjo": "Sandbox",
}


def test_catalogue_holds_the_seed_platforms(client: TestClient) -> None:
    page = client.get("/integrations?pageSize=5000").json()
    by_key = {i["key"]: i for i in page["results"]}
    assert {k: by_key[k]["name"] for k in SEED_PLATFORMS} == SEED_PLATFORMS
    assert page["totalResults"] == len(page["results"])
    for integration in page["results"]:
        assert integration["enabled"] is True
        assert integration["logoUrl"] == f"https://static.codat.io/public/platforms/{integration['key']}.png"
        assert {"sourceId", "integrationId", "sourceType", "isOfflineConnector", "isBeta"} <= set(integration)


def test_ids_are_stable_across_emulators(client: TestClient, basic_auth: Callable[[str], dict[str, str]]) -> None:
    with TestClient(create_app(), headers=basic_auth("other")) as other:
        assert other.get("/integrations/knfz").json() == client.get("/integrations/knfz").json()
    assert client.get("/integrations/gbol").json()["integrationId"] == "0f20c943-12d0-4800-9f6c-d218f62d494c"


def test_get_unknown_integration_is_404(client: TestClient) -> None:
    for key in ("zzzz", "NOPE", "toolong"):
        response = client.get(f"/integrations/{key}")
        assert response.status_code == 404
        assert key in response.json()["error"]


def test_list_integrations_query_and_paging(client: TestClient) -> None:
    page = client.get("/integrations?query=sourceType%3Daccounting%26%26enabled%3Dtrue&orderBy=name").json()
    names = [i["name"] for i in page["results"]]
    assert names == sorted(names, key=str.casefold)
    assert all(i["sourceType"] == "Accounting" for i in page["results"])
    assert "Plaid" not in names
    page = client.get("/integrations?page=2&pageSize=3").json()
    assert len(page["results"]) == 3 and "previous" in page["_links"] and "next" in page["_links"]


def test_integrations_need_auth(client: TestClient) -> None:
    assert client.get("/integrations", headers={"Authorization": ""}).status_code == 401
