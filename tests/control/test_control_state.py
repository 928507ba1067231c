"""Reset, export/import, settings, tenants, the seed file and the admin token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import basic
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.cli import main
from mock_server.domain.store import Store
from mock_server.settings import Settings, SettingsError

ADMIN = {"X-Codat-Mock-Admin": "s3cret"}


def populate(client: TestClient, headers: dict[str, str] | None = None) -> dict[str, Any]:
    company: dict[str, Any] = client.post(
        "/companies", json={"name": "Acme", "tags": {"region": "uk"}}, headers=headers
    ).json()
    connection = client.post(
        f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}, headers=headers
    ).json()
    client.put(f"/companies/{company['id']}/connections/{connection['id']}/authorization", json={}, headers=headers)
    client.post(f"/companies/{company['id']}/connections", json={"platformKey": "gbol"}, headers=headers)
    return company


@pytest.fixture
def guarded(store: Store) -> Iterator[TestClient]:
    settings = Settings(admin_token="s3cret")  # type: ignore[arg-type]
    with TestClient(create_app(settings, store=store), headers=basic("tenant-a")) as client:
        yield client


# --- reset ----------------------------------------------------------------------------------------------


def test_reset_forgets_only_the_callers_tenant(client: TestClient) -> None:
    mine = populate(client)
    theirs = populate(client, basic("tenant-b"))
    client.put("/_mock/settings", json={"autoLink": {"mode": "immediate"}})
    client.post("/_mock/faults", json={"operationId": "get-company", "status": 500})
    response = client.post("/_mock/reset")
    assert response.status_code == 200 and response.json()["reset"] == "tenant"
    assert client.get("/_mock/journal").json()["entries"] == []  # control calls are not journaled
    assert client.get("/_mock/settings").json()["autoLink"] == {"mode": "manual"}
    assert client.get("/_mock/faults").json()["rules"] == []
    assert client.get(f"/companies/{mine['id']}").status_code == 404
    assert client.get("/companies").json()["totalResults"] == 0
    assert client.get(f"/companies/{theirs['id']}", headers=basic("tenant-b")).status_code == 200
    assert client.get("/_mock/journal", headers=basic("tenant-b")).json()["total"] > 0


def test_reset_needs_a_tenant(client: TestClient) -> None:
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer x"}):
        response = client.post("/_mock/reset", headers=headers)
        assert response.status_code == 401 and response.json()["error"] == "Unauthorized"


def test_reset_all_is_everything(client: TestClient, store: Store) -> None:
    populate(client)
    populate(client, basic("tenant-b"))
    client.post("/_mock/faults", json={"path": "/**", "delayMs": 1}, headers={"Authorization": ""})
    response = client.post("/_mock/reset/all")
    assert response.status_code == 200 and response.json() == {"reset": "all"}
    assert store.tenants() == []
    assert client.get("/_mock/faults", headers={"Authorization": ""}).json()["rules"] == []
    journal = client.get("/_mock/journal", headers={"Authorization": ""}).json()
    assert journal["entries"] == [] and journal["dropped"] == 0


def test_admin_token_guards_global_operations(guarded: TestClient, store: Store) -> None:
    populate(guarded)
    no_auth = {"Authorization": ""}
    for method, path in (("POST", "/_mock/reset/all"), ("GET", "/_mock/tenants"), ("POST", "/_mock/clock")):
        for headers in ({}, {"X-Codat-Mock-Admin": "wrong"}, {"X-Codat-Mock-Admin": ""}):
            response = guarded.request(method, path, headers=headers, json={"advanceSeconds": 1})
            assert response.status_code == 403, (method, path, headers)
            assert "X-Codat-Mock-Admin" in response.json()["error"]
    # Tenant-or-global operations without Authorization are global, so they need the token too.
    for method, path in (("GET", "/_mock/journal"), ("DELETE", "/_mock/journal"), ("GET", "/_mock/faults")):
        assert guarded.request(method, path, headers={**no_auth, "X-Codat-Mock-Admin": "wrong"}).status_code == 403
        assert guarded.request(method, path, headers=no_auth).status_code == 401
    assert len(store.tenants()) == 1
    # With the token, they work.
    assert guarded.get("/_mock/tenants", headers=ADMIN).status_code == 200
    assert guarded.get("/_mock/journal", headers={**no_auth, **ADMIN}).json()["total"] > 0
    assert guarded.post("/_mock/reset/all", headers=ADMIN).status_code == 200
    assert store.tenants() == []


def test_tenant_operations_do_not_need_the_admin_token(guarded: TestClient) -> None:
    company = populate(guarded)
    assert guarded.get("/_mock/state").status_code == 200
    assert guarded.get("/_mock/journal").status_code == 200
    assert guarded.post("/_mock/faults", json={"operationId": "get-company", "delayMs": 1}).status_code == 201
    assert guarded.post("/_mock/reset").status_code == 200
    assert guarded.get(f"/companies/{company['id']}").status_code == 404


def test_list_tenants_shows_fingerprints_not_keys(client: TestClient) -> None:
    populate(client)
    populate(client, basic("tenant-b"))
    client.put("/_mock/settings", json={"autoLink": {"mode": "afterReads", "reads": 2}}, headers=basic("tenant-b"))
    tenants = client.get("/_mock/tenants").json()["tenants"]
    assert len(tenants) == 2
    assert "tenant-a" not in json.dumps(tenants) and "tenant-b" not in json.dumps(tenants)
    assert {(t["companies"], t["connections"]) for t in tenants} == {(1, 2)}
    assert {t["settings"]["autoLink"]["mode"] for t in tenants} == {"manual", "afterReads"}
    reset = client.post("/_mock/reset").json()
    assert reset["tenant"] in {t["tenant"] for t in tenants}


# --- settings -------------------------------------------------------------------------------------------


def test_settings_round_trip_and_defaults(client: TestClient, store: Store) -> None:
    assert client.get("/_mock/settings").json() == {
        "autoLink": {"mode": "manual"},
        "redirectUrl": None,
        "strictBodies": None,
    }
    assert store.tenants() == []  # reading settings creates nothing
    body = {
        "autoLink": {"mode": "afterSeconds", "seconds": 1.5},
        "redirectUrl": "https://app.example/{companyId}",
        "strictBodies": True,
    }
    assert client.put("/_mock/settings", json=body).json() == body
    assert client.get("/_mock/settings").json() == body
    assert client.get("/_mock/settings", headers=basic("tenant-b")).json()["redirectUrl"] is None
    # What the document allows: any http(s) URL with something after `://`; integers written as 2.0.
    loose = {"autoLink": {"mode": "afterReads", "reads": 2.0}, "redirectUrl": "http://a"}
    answer = client.put("/_mock/settings", json=loose).json()
    assert answer == {**loose, "autoLink": {"mode": "afterReads", "reads": 2}, "strictBodies": None}
    # PUT replaces: what is omitted goes back to its default.
    assert client.put("/_mock/settings", json={}).json() == {
        "autoLink": {"mode": "manual"},
        "redirectUrl": None,
        "strictBodies": None,
    }


@pytest.mark.parametrize(
    ("body", "item"),
    [
        ({"autoLink": {"mode": "sometimes"}}, "autoLink"),
        ({"autoLink": {"mode": "afterReads"}}, "autoLink.afterReads.reads"),
        ({"autoLink": {"mode": "afterSeconds", "seconds": "5"}}, "autoLink.afterSeconds.seconds"),
        ({"redirectUrl": "javascript:alert(1)"}, "redirectUrl"),
        ({"redirectUrl": "https://x.example/" + "a" * 2100}, "redirectUrl"),
        ({"autolink": {"mode": "manual"}}, "autolink"),
        ({"redirectUrl": "https://"}, "redirectUrl"),
        ({"autoLink": {"mode": "afterReads", "reads": 2.5}}, "autoLink.afterReads.reads"),
    ],
)
def test_invalid_settings_are_400_and_change_nothing(client: TestClient, body: dict[str, Any], item: str) -> None:
    client.put("/_mock/settings", json={"autoLink": {"mode": "immediate"}})
    response = client.put("/_mock/settings", json=body)
    assert response.status_code == 400
    items = [e["itemId"] for e in response.json()["validation"]["errors"]]
    assert any(i.startswith(item) for i in items), items
    assert client.get("/_mock/settings").json()["autoLink"] == {"mode": "immediate"}


def test_settings_need_json(client: TestClient) -> None:
    response = client.put("/_mock/settings", content=b"autoLink=manual", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert response.json()["validation"]["errors"][0]["itemId"] == "Content-Type"


# --- export and import ----------------------------------------------------------------------------------


def api_bodies(client: TestClient, headers: dict[str, str] | None = None) -> list[Any]:
    companies = client.get("/companies", headers=headers).json()
    bodies: list[Any] = [companies]
    for company in companies["results"]:
        bodies.append(client.get(f"/companies/{company['id']}", headers=headers).json())
        bodies.append(client.get(f"/companies/{company['id']}/connections", headers=headers).json())
    return bodies


def test_export_reset_import_restores_the_same_api(client: TestClient) -> None:
    populate(client)
    client.put("/_mock/settings", json={"redirectUrl": "https://app.example/{statusCode}"})
    before = api_bodies(client)
    exported = client.get("/_mock/state")
    assert exported.status_code == 200 and exported.json()["version"] == 1
    client.post("/_mock/reset")
    assert client.get("/companies").json()["totalResults"] == 0
    imported = client.put("/_mock/state", content=exported.content, headers={"Content-Type": "application/json"})
    assert imported.status_code == 200
    assert imported.content == exported.content
    assert client.get("/_mock/state").content == exported.content
    assert api_bodies(client) == before


def test_import_replaces_rather_than_merges(client: TestClient) -> None:
    populate(client)
    exported = client.get("/_mock/state").json()
    extra = client.post("/companies", json={"name": "Later"}).json()
    client.put("/_mock/state", json=exported)
    assert client.get(f"/companies/{extra['id']}").status_code == 404
    assert client.get("/companies").json()["totalResults"] == 1


def test_a_tenants_export_moves_to_another_tenant_once_the_first_is_reset(client: TestClient) -> None:
    company = populate(client)
    exported = client.get("/_mock/state").json()
    conflict = client.put("/_mock/state", json=exported, headers=basic("tenant-b"))
    assert conflict.status_code == 409 and company["id"] in conflict.json()["error"]
    assert client.get("/companies", headers=basic("tenant-b")).json()["totalResults"] == 0
    client.post("/_mock/reset")
    assert client.put("/_mock/state", json=exported, headers=basic("tenant-b")).status_code == 200
    assert client.get(f"/companies/{company['id']}", headers=basic("tenant-b")).status_code == 200


@pytest.mark.parametrize(
    ("mutate", "item"),
    [
        (lambda d: d.pop("version"), "version"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d["companies"][0].update(id="nope"), "companies.0.id"),
        (lambda d: d["companies"][0].update(name="A<b>"), "companies.0.name"),
        (
            lambda d: d["companies"][0]["connections"][0].update(platformKey="zzzz"),
            "companies.0.connections.0.platformKey",
        ),
        (lambda d: d["companies"][0]["connections"][1].update(status="Linked"), "companies.0.connections"),
        (
            lambda d: d["companies"][0]["connections"][0].update(created="yesterday"),
            "companies.0.connections.0.created",
        ),
        (lambda d: d["companies"].append(dict(d["companies"][0])), "companies.2.id"),
        (lambda d: d["settings"].update(autoLink={"mode": "x"}), "settings.autoLink"),
        (lambda d: d.update(extra=True), "extra"),
    ],
)
def test_invalid_imports_change_nothing(client: TestClient, mutate: Any, item: str) -> None:
    populate(client)
    exported = client.get("/_mock/state").json()
    # Something valid first, then the broken part: nothing of either may be applied.
    document = json.loads(json.dumps(exported))
    document["companies"].insert(
        0, {"id": "9d0c8a64-1f3e-4b7a-9c2d-6e8f0a1b2c3d", "name": "New", "created": "2026-01-01T00:00:00Z"}
    )
    document["companies"] = document["companies"][1:] + document["companies"][:1]
    mutate(document)
    response = client.put("/_mock/state", json=document)
    assert response.status_code == 400, response.text
    items = [e["itemId"] for e in response.json()["validation"]["errors"]]
    assert any(i == item or i.startswith(item + ".") for i in items), items
    assert client.get("/_mock/state").json() == exported


@pytest.mark.parametrize(
    ("mutate", "item", "also"),
    [
        # The same company id on two companies that differ (here by name): no schema can forbid it.
        (
            lambda d: d["companies"].append({**d["companies"][0], "name": "Twin", "connections": []}),
            "companies.2.id",
            "companies.0",
        ),
        # Upper case is the same UUID.
        (
            lambda d: d["companies"].append(
                {**d["companies"][0], "id": d["companies"][0]["id"].upper(), "connections": []}
            ),
            "companies.2.id",
            "companies.0",
        ),
        # A connection id reused by another company: different lists, so no `uniqueItems` either.
        (
            lambda d: d["companies"][1].update(connections=[d["companies"][0]["connections"][1]]),
            "companies.1.connections.0.id",
            "companies.0.connections.1",
        ),
    ],
)
def test_ids_used_twice_by_different_items_are_409_and_change_nothing(
    client: TestClient, mutate: Any, item: str, also: str
) -> None:
    populate(client)
    exported = client.get("/_mock/state").json()
    document = json.loads(json.dumps(exported))
    document["companies"].append(
        {"id": "9d0c8a64-1f3e-4b7a-9c2d-6e8f0a1b2c3d", "name": "New", "created": "2026-01-01T00:00:00Z"}
    )
    mutate(document)
    response = client.put("/_mock/state", json=document)
    assert response.status_code == 409, response.text
    errors = response.json()["validation"]["errors"]
    assert [e["itemId"] for e in errors] == [item]
    assert also in errors[0]["message"]
    assert client.get("/_mock/state").json() == exported


@pytest.mark.parametrize(
    ("mutate", "item"),
    [
        (lambda d: d["companies"][0].update(created="1700000000"), "companies.0.created"),
        (lambda d: d["companies"][0].update(lastSync="2026-01-01T00:00Z"), "companies.0.lastSync"),
        (lambda d: d["companies"][0].update(created="0001-01-01T00:30:00+01:00"), "companies.0.created"),
        (lambda d: d["companies"][0].update(created="9999-12-31T23:30:00-01:00"), "companies.0.created"),
        (
            lambda d: d["companies"][0]["connections"][0].update(pendingReads=1.5),
            "companies.0.connections.0.pendingReads",
        ),
    ],
)
def test_imported_times_and_counts_follow_the_document(client: TestClient, mutate: Any, item: str) -> None:
    populate(client)
    document = client.get("/_mock/state").json()
    mutate(document)
    response = client.put("/_mock/state", json=document)
    assert response.status_code == 400, response.text
    assert [e["itemId"] for e in response.json()["validation"]["errors"]] == [item]


def test_imports_take_what_the_document_allows_at_its_edges(client: TestClient) -> None:
    populate(client)
    document = client.get("/_mock/state").json()
    company = document["companies"][0]
    company["created"] = "0001-01-01T00:00:00Z"  # the first instant the emulator can hold
    company["lastSync"] = "9999-12-30T23:59:59.123456789-23:59"  # lands on 9999-12-31 in UTC
    company["connections"][0]["pendingReads"] = 2.0  # JSON Schema's integers include 2.0
    document["settings"]["redirectUrl"] = "http://a"
    response = client.put("/_mock/state", json=document)
    assert response.status_code == 200, response.text
    imported = response.json()
    assert imported["companies"][0]["created"] == "0001-01-01T00:00:00Z"
    assert imported["companies"][0]["lastSync"] == "9999-12-31T23:58:59.123456Z"
    assert imported["companies"][0]["connections"][0]["pendingReads"] == 2
    # What was exported imports again, unchanged: the UTC form of every time is within the document's pattern.
    again = client.put("/_mock/state", json=imported)
    assert again.status_code == 200 and again.json() == imported
    assert client.get(f"/companies/{company['id']}").json()["created"] == "0001-01-01T00:00:00.0000000Z"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b"{", "application/json"), (b"[]", "application/json"), (b"", "application/json"), (b"{}", "text/plain")],
)
def test_malformed_imports_are_400(client: TestClient, content: bytes, content_type: str) -> None:
    populate(client)
    exported = client.get("/_mock/state").json()
    response = client.put("/_mock/state", content=content, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert client.get("/_mock/state").json() == exported


def test_state_needs_a_tenant(client: TestClient) -> None:
    assert client.get("/_mock/state", headers={"Authorization": ""}).status_code == 401
    assert client.put("/_mock/state", json={"version": 1}, headers={"Authorization": ""}).status_code == 401


# --- the seed file --------------------------------------------------------------------------------------


def seed_file(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "seed.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_seed_file_imports_every_tenant(client: TestClient, tmp_path: Path) -> None:
    populate(client)
    populate(client, basic("tenant-b"))
    a = client.get("/_mock/state").json()
    b = client.get("/_mock/state", headers=basic("tenant-b")).json()
    path = seed_file(tmp_path, {"version": 1, "tenants": {"tenant-a": a, "tenant-b": {"companies": b["companies"]}}})
    with TestClient(create_app(Settings(seed_file=str(path))), headers=basic("tenant-a")) as seeded:
        assert seeded.get("/_mock/state").json() == a
        assert seeded.get("/_mock/state", headers=basic("tenant-b")).json() == b
        company = a["companies"][0]
        assert seeded.get(f"/companies/{company['id']}").json()["dataConnections"][0]["status"] == "Linked"
        # The Link pages find the seeded tenant too.
        assert seeded.get(f"/link/company/{company['id']}").status_code == 200


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not a valid seed file"),
        ({"tenants": {}}, "version"),
        (
            {
                "version": 1,
                "tenants": {"k": {"companies": [{"id": "x", "name": "A", "created": "2026-01-01T00:00:00Z"}]}},
            },
            "tenants.k.companies.0.id",
        ),
        ({"version": 1, "tenants": {"": {}}}, "tenants"),
        (
            {
                "version": 1,
                "tenants": {
                    "k": {
                        "companies": [
                            {
                                "id": "9d0c8a64-1f3e-4b7a-9c2d-6e8f0a1b2c3d",
                                "name": "A",
                                "created": "2026-01-01T00:00:00Z",
                            },
                            {
                                "id": "9d0c8a64-1f3e-4b7a-9c2d-6e8f0a1b2c3d",
                                "name": "B",
                                "created": "2026-01-01T00:00:00Z",
                            },
                        ]
                    }
                },
            },
            "tenants.k.companies.1.id",
        ),
    ],
)
def test_invalid_seed_files_stop_start_up(tmp_path: Path, content: Any, expected: str) -> None:
    path = seed_file(tmp_path, content)
    with pytest.raises(SettingsError) as raised:
        create_app(Settings(seed_file=str(path)))
    assert str(path) in str(raised.value) and expected in str(raised.value)


def test_missing_seed_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        create_app(Settings(seed_file=str(tmp_path / "absent.json")))


def test_the_cli_reports_a_bad_seed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = seed_file(tmp_path, "[]")
    with pytest.raises(SystemExit) as raised:
        main(["serve", "--seed-file", str(path), "--port", "0"], {})
    assert raised.value.code == 2
    assert "seed file" in capsys.readouterr().err


def test_control_flags_and_variables() -> None:
    settings = Settings.from_env(
        {
            "CODAT_MOCK_SEED": "42",
            "CODAT_MOCK_SEED_FILE": "/tmp/x.json",
            "CODAT_MOCK_ADMIN_TOKEN": "tok-9f3e",
            "CODAT_MOCK_JOURNAL_SIZE": "10",
            "CODAT_MOCK_JOURNAL_BODY_BYTES": "100",
        }
    )
    assert (settings.seed, settings.seed_file, settings.journal_size, settings.journal_body_bytes) == (
        42,
        "/tmp/x.json",
        10,
        100,
    )
    assert settings.admin_token is not None and settings.admin_token.get_secret_value() == "tok-9f3e"
    assert "tok-9f3e" not in repr(settings)
    blank = Settings.from_env({"CODAT_MOCK_ADMIN_TOKEN": "", "CODAT_MOCK_SEED_FILE": " "})
    assert blank.admin_token is None and blank.seed_file is None
    with pytest.raises(SettingsError, match="CODAT_MOCK_JOURNAL_SIZE"):
        Settings.from_env({"CODAT_MOCK_JOURNAL_SIZE": "-1"})
    with pytest.raises(SettingsError, match="CODAT_MOCK_SEED"):
        Settings.from_env({"CODAT_MOCK_SEED": "abc"})


def test_serve_help_lists_the_control_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"], {})
    out = capsys.readouterr().out
    for flag in ("--seed", "--seed-file", "--admin-token", "--journal-size"):
        assert flag in out
    for variable in ("CODAT_MOCK_SEED", "CODAT_MOCK_SEED_FILE", "CODAT_MOCK_ADMIN_TOKEN", "CODAT_MOCK_JOURNAL_SIZE"):
        assert variable in out
