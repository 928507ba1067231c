"""The end of a Link flow: outcomes of each choice, and Codat's {placeholder} redirect substitution."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from mock_server.domain.enums import ConnectionStatus
from mock_server.domain.errors import CompanyNotFound, ConnectionNotFound
from mock_server.domain.linking import (
    LinkChoice,
    LinkOutcome,
    complete_link,
    redirect_values,
    substitute,
)
from mock_server.domain.store import Store
from mock_server.domain.tenants import client_id

OK = LinkOutcome(200, "Success", "", "linked")


@pytest.mark.parametrize(
    ("choice", "code", "message", "status", "entries"),
    [
        (LinkChoice.AUTHORIZE, 200, "", ConnectionStatus.LINKED, []),
        (LinkChoice.CANCEL, 403, "User cancelled.", ConnectionStatus.PENDING_AUTH, [("403", "User cancelled")]),
        (
            LinkChoice.PLATFORM_ERROR,
            500,
            "Unknown error occurred.",
            ConnectionStatus.PENDING_AUTH,
            [("500", "Unknown error occurred.")],
        ),
    ],
)
def test_each_choice_on_a_pending_connection(
    store: Store,
    choice: LinkChoice,
    code: int,
    message: str,
    status: ConnectionStatus,
    entries: list[tuple[str, str]],
) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    record, outcome = complete_link(store, "t", company.id, connection.id, choice)
    assert (outcome.status_code, outcome.error_message, record.status) == (code, message, status)
    assert outcome.succeeded is (code == 200)
    assert [(e.status_code, e.error_message) for e in record.errors] == entries
    assert store.get_connection("t", company.id, connection.id) == record


@pytest.mark.parametrize("choice", list(LinkChoice))
def test_any_choice_on_a_linked_connection_is_201_and_changes_nothing(store: Store, choice: LinkChoice) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    linked = store.authorize("t", company.id, connection.id)
    record, outcome = complete_link(store, "t", company.id, connection.id, choice)
    assert record == linked
    assert (outcome.status_code, outcome.error_message, outcome.succeeded) == (201, "", True)


@pytest.mark.parametrize("start", ["unlink", "deauthorize"])
def test_authorize_reconnects(store: Store, start: str) -> None:
    from mock_server.domain.enums import ConnectionEvent

    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "gbol")
    store.authorize("t", company.id, connection.id)
    store.apply("t", company.id, connection.id, ConnectionEvent(start))
    record, outcome = complete_link(store, "t", company.id, connection.id, LinkChoice.AUTHORIZE)
    assert record.status is ConnectionStatus.LINKED
    assert outcome.status_code == 200 and "reconnected" in outcome.detail


def test_second_accounting_link_fails_with_an_entry(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    qbo = store.create_connection("t", company.id, "qhyg")
    xero = store.create_connection("t", company.id, "gbol")
    store.authorize("t", company.id, qbo.id)
    record, outcome = complete_link(store, "t", company.id, xero.id, LinkChoice.AUTHORIZE)
    assert record.status is ConnectionStatus.PENDING_AUTH
    assert (outcome.status_code, outcome.error_message) == (500, "Unknown error occurred.")
    assert qbo.id in outcome.detail
    assert [(e.status_code, e.status) for e in record.errors] == [("500", "Active")]
    assert qbo.id in record.errors[0].error_message


def test_unknown_ids_raise_not_found(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    with pytest.raises(ConnectionNotFound):
        complete_link(store, "t", company.id, "00000000-0000-4000-8000-000000000000", LinkChoice.AUTHORIZE)
    with pytest.raises(CompanyNotFound):
        complete_link(store, "other", company.id, "00000000-0000-4000-8000-000000000000", LinkChoice.AUTHORIZE)


def test_every_reserved_placeholder(store: Store) -> None:
    company = store.create_company("t", name="Bob's Burgers & Co")
    connection = store.create_connection("t", company.id, "gbol")
    values = redirect_values("t", company, connection, OK, {})
    assert values == {
        "clientId": client_id("t"),
        "companyId": company.id,
        "connectionId": connection.id,
        "integrationId": "0f20c943-12d0-4800-9f6c-d218f62d494c",
        "sourceId": "8a156a5a-39cb-4f9d-856e-76ef9b9a9607",
        "platform": "gbol",
        "platformName": "Xero",
        "sourceType": "accounting",
        "statusCode": "200",
        "statusText": "Success",
        "errorMessage": "",
        "data.company.companyName": "Bob's Burgers & Co",
    }
    for name, value in values.items():
        assert substitute(f"https://x.example/?v={{{name}}}", values) == "https://x.example/?v=" + _enc(value)


def _enc(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def test_codats_documented_example(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    cancelled = LinkOutcome(403, "User cancelled linking", "User cancelled.", "")
    template = "https://redirect.site/{sourceType}/?flow=Codat&statuscode={statusCode}&errormessage={errorMessage}"
    url = substitute(template, redirect_values("t", company, connection, cancelled, {}))
    assert url == "https://redirect.site/accounting/?flow=Codat&statuscode=403&errormessage=User%20cancelled."


def test_custom_parameters_missing_ones_and_reserved_names_win(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    values = redirect_values("t", company, connection, OK, {"customParam": "123456", "companyId": "spoofed"})
    url = substitute("https://www.mybank.io/{customParam}/success?ClientType={clientType}&c={companyId}", values)
    assert url == f"https://www.mybank.io/123456/success?ClientType=&c={company.id}"


def test_values_are_url_encoded_and_other_braces_left_alone(store: Store) -> None:
    values = {"a": "x y&z=1/#?%", "b": "é"}
    url = substitute("https://h.example/p?a={a}&b={b}&raw={not a placeholder}&e={}", values)
    assert url == "https://h.example/p?a=x%20y%26z%3D1%2F%23%3F%25&b=%C3%A9&raw={not a placeholder}&e={}"
    assert parse_qs(urlsplit(url).query)["a"] == ["x y&z=1/#?%"]


def test_placeholders_in_host_and_path(store: Store) -> None:
    values = {"companyId": "c1", "platform": "gbol"}
    assert substitute("https://{companyId}.example/{platform}/done", values) == "https://c1.example/gbol/done"
