"""Parsing Codat's wire shapes into the client's models: aliases, unknown fields, enums, datetimes, pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sdk_fake import company_body, connection_body, integration_body

from sdk_stub import (
    Company,
    Connection,
    ConnectionStatus,
    DataConnectionError,
    ErrorMessage,
    Integration,
    Page,
    SourceType,
    ValidationItem,
)


def test_company_parses_every_documented_field() -> None:
    body = company_body(
        id="8a210b68-6988-11ed-a1eb-0242ac120002",
        name="Codat Ltd.",
        description="Requested early access",
        lastSync="2022-01-01T12:00:00.000Z",
        createdByUserName="Dan Tzabar",
        products=["lending", "spend-insights"],
        tags={"region": "uk"},
        referenceParentCompany={
            "id": "p1",
            "name": "Parent",
            "links": {"portal": "https://app.codat.io/companies/p1/summary"},
        },
        referenceSubsidiaryCompanies=[{"id": "s1", "name": "Child", "tags": {"a": "b"}}],
        dataConnections=[connection_body(id="k1")],
    )
    company = Company.model_validate(body)
    assert company.id == "8a210b68-6988-11ed-a1eb-0242ac120002"
    assert company.redirect == "https://link.codat.io/company/8a210b68-6988-11ed-a1eb-0242ac120002"
    assert company.last_sync == datetime(2022, 1, 1, 12, tzinfo=UTC)
    assert company.created == datetime(2026, 11, 26, 6, 53, 22, 123456, tzinfo=UTC)
    assert company.created_by_user_name == "Dan Tzabar"
    assert company.products == ["lending", "spend-insights"]
    assert company.reference_parent_company is not None
    assert company.reference_parent_company.links == {"portal": "https://app.codat.io/companies/p1/summary"}
    assert company.reference_subsidiary_companies[0].tags == {"a": "b"}
    assert company.data_connections[0].id == "k1"


def test_company_needs_only_codat_required_fields() -> None:
    company = Company.model_validate({"id": "c", "name": "n", "redirect": "https://link.codat.io/company/c"})
    assert (company.description, company.created, company.tags, company.products) == (None, None, {}, [])
    assert company.data_connections == []
    with pytest.raises(pydantic.ValidationError):
        Company.model_validate({"id": "c", "name": "n"})


def test_nulls_for_arrays_and_maps_become_empty() -> None:
    body = company_body(tags=None, products=None, referenceSubsidiaryCompanies=None, dataConnections=None)
    company = Company.model_validate(body)
    assert (company.tags, company.products, company.reference_subsidiary_companies, company.data_connections) == (
        {},
        [],
        [],
        [],
    )


def test_unknown_fields_are_kept_not_rejected() -> None:
    body = company_body(platform="", ownerUserIds=["u1"], someFutureField={"x": 1})
    body["dataConnections"] = [connection_body(additionalInfo="new")]
    company = Company.model_validate(body)
    assert company.model_extra == {"platform": "", "ownerUserIds": ["u1"], "someFutureField": {"x": 1}}
    assert company.data_connections[0].model_extra == {"additionalInfo": "new"}
    dumped = company.model_dump(mode="json")
    assert dumped["ownerUserIds"] == ["u1"]
    assert dumped["createdByUserName"] is None  # wire (camelCase) names on the way out


def test_models_accept_snake_case_names_too() -> None:
    company = Company(id="c", name="n", redirect="r", created_by_user_name="me", data_connections=[])
    assert company.created_by_user_name == "me"
    assert Company.model_validate(company.model_dump()) == company


@pytest.mark.parametrize("status", list(ConnectionStatus))
def test_known_connection_statuses_become_enum_members(status: ConnectionStatus) -> None:
    connection = Connection.model_validate_json(_json(connection_body(status=status.value)))
    assert connection.status is status


def test_unknown_enum_values_are_kept_as_strings() -> None:
    connection = Connection.model_validate(connection_body(status="Suspended", sourceType="Payroll"))
    assert connection.status == "Suspended"
    assert not isinstance(connection.status, ConnectionStatus)
    assert connection.source_type == "Payroll"
    assert not isinstance(connection.source_type, SourceType)


@pytest.mark.parametrize("source_type", list(SourceType))
def test_known_source_types_become_enum_members(source_type: SourceType) -> None:
    assert Connection.model_validate(connection_body(sourceType=source_type.value)).source_type is source_type


def test_connection_fields_and_errors() -> None:
    body = connection_body(
        lastSync="2022-10-27T10:22:43.6464237Z",
        connectionInfo={"realmId": 1},
        dataConnectionErrors=[
            {
                "statusCode": "403",
                "statusText": "User cancelled linking",
                "errorMessage": "User cancelled",
                "erroredOnUtc": "2022-12-27T09:53:29Z",
                "status": "Active",
                "resolvedOnUtc": None,
            }
        ],
    )
    connection = Connection.model_validate(body)
    assert connection.integration_id == body["integrationId"]
    assert connection.link_url == body["linkUrl"]
    assert connection.platform_name == "QuickBooks Online"
    assert connection.last_sync == datetime(2022, 10, 27, 10, 22, 43, 646423, tzinfo=UTC)
    assert connection.connection_info == {"realmId": 1}
    assert connection.data_connection_errors == [
        DataConnectionError(
            status_code="403",
            status_text="User cancelled linking",
            error_message="User cancelled",
            errored_on_utc=datetime(2022, 12, 27, 9, 53, 29, tzinfo=UTC),
            status="Active",
        )
    ]


def test_connection_requires_its_codat_required_fields() -> None:
    for field in ("id", "integrationId", "sourceId", "platformName", "linkUrl", "status", "created", "sourceType"):
        body = connection_body()
        del body[field]
        with pytest.raises(pydantic.ValidationError):
            Connection.model_validate(body)
    body = connection_body()
    del body["integrationKey"]  # optional in Codat's schema
    assert Connection.model_validate(body).integration_key is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26T06:53:22.1234560Z", datetime(2026, 11, 26, 6, 53, 22, 123456, tzinfo=UTC)),
        ("2022-11-10T10:45:18Z", datetime(2022, 11, 10, 10, 45, 18, tzinfo=UTC)),
        ("2021-11-15T01:00:00", datetime(2021, 11, 15, 1)),
        ("2021-11-15T01:00:00-05:00", datetime(2021, 11, 15, 1, tzinfo=timezone(timedelta(hours=-5)))),
        ("2022-10-23", datetime(2022, 10, 23)),
    ],
)
def test_codat_datetime_forms(text: str, expected: datetime) -> None:
    connection = Connection.model_validate_json(_json(connection_body(created=text)))
    assert connection.created == expected
    assert (connection.created.tzinfo is None) == (expected.tzinfo is None)


def test_integration_parses_every_field() -> None:
    body = integration_body("gbol", "Xero") | {
        "supportedEnvironments": "LiveAndSandbox",
        "datatypeFeatures": [
            {"datatype": "invoices", "supportedFeatures": [{"featureType": "Get", "featureState": "Release"}]},
            {"dataType": "bills", "supportedFeatures": None},
        ],
    }
    integration = Integration.model_validate(body)
    assert (integration.key, integration.name, integration.enabled) == ("gbol", "Xero", True)
    assert integration.source_type is SourceType.ACCOUNTING
    assert integration.is_offline_connector is False
    assert integration.is_beta is False
    assert integration.data_provided_by == "Codat"
    assert integration.source_id == body["sourceId"]
    assert integration.integration_id == body["integrationId"]
    assert [f.data_type for f in integration.datatype_features] == ["invoices", "bills"]
    assert integration.datatype_features[0].supported_features[0].feature_state == "Release"
    assert integration.datatype_features[1].supported_features == []
    assert integration.model_extra == {"supportedEnvironments": "LiveAndSandbox"}


def test_integration_needs_only_key_logo_name_enabled() -> None:
    body = {"key": "zzzz", "logoUrl": "https://x/zzzz.png", "name": "Z", "enabled": False}
    integration = Integration.model_validate(body)
    assert (integration.source_type, integration.datatype_features) == (None, [])


def test_error_message_with_validation() -> None:
    body = {
        "statusCode": 400,
        "service": "PublicApi",
        "error": "Error processing request - not valid.",
        "correlationId": "bc997528a9d7abb9161ef45f05d38599",
        "validation": {"errors": [{"itemId": "name", "message": "required", "validatorName": "V"}], "warnings": None},
        "canBeRetried": "Unknown",
        "detailedErrorCode": 0,
        "extra": True,
    }
    error = ErrorMessage.model_validate(body)
    assert error.status_code == 400
    assert error.can_be_retried == "Unknown"
    assert error.detailed_error_code == 0
    assert error.validation is not None
    assert error.validation.errors == [ValidationItem(item_id="name", message="required", validator_name="V")]
    assert error.validation.warnings == []
    assert ErrorMessage.model_validate({}).error is None


def test_page_links_and_has_next() -> None:
    body = {
        "results": [company_body()],
        "pageNumber": 5,
        "pageSize": 20,
        "totalResults": 90,
        "_links": {
            "self": {"href": "/companies"},
            "current": {"href": "/companies?page=5&pageSize=20"},
            "previous": {"href": "/companies?page=4&pageSize=20"},
        },
    }
    page = Page[Company].model_validate(body)
    assert not page.has_next
    assert page.links.previous is not None and page.links.previous.href == "/companies?page=4&pageSize=20"
    assert isinstance(page.results[0], Company)
    assert page.model_dump(mode="json")["_links"]["self"] == {"href": "/companies"}


def _json(body: Any) -> str:
    return json.dumps(body)


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_companies = st.builds(
    lambda cid, name, description, tags: company_body(id=cid, name=name, description=description, tags=tags),
    st.uuids().map(str),
    _text,
    st.none() | _text,
    st.dictionaries(_text, _text, max_size=10),
)


@st.composite
def _pages(draw: st.DrawFn) -> dict[str, Any]:
    page_size = draw(st.integers(1, 5000))
    page_number = draw(st.integers(1, 1000))
    results = draw(st.lists(_companies, max_size=min(page_size, 5)))
    total = draw(st.integers(len(results), 10**6))
    links: dict[str, Any] = {"self": {"href": "/companies"}, "current": {"href": f"/companies?page={page_number}"}}
    if draw(st.booleans()):
        links["next"] = {"href": f"/companies?page={page_number + 1}"}
    if page_number > 1:
        links["previous"] = {"href": f"/companies?page={page_number - 1}"}
    if draw(st.booleans()):
        links["unknownRel"] = {"href": "/elsewhere"}
    return {
        "results": results,
        "pageNumber": page_number,
        "pageSize": page_size,
        "totalResults": total,
        "_links": links,
    }


@given(_pages())
def test_generated_pages_parse(body: dict[str, Any]) -> None:
    page = Page[Company].model_validate_json(_json(body))
    assert page.page_number == body["pageNumber"]
    assert page.page_size == body["pageSize"]
    assert page.total_results == body["totalResults"]
    assert page.has_next == ("next" in body["_links"])
    assert [c.id for c in page.results] == [c["id"] for c in body["results"]]
    assert [c.name for c in page.results] == [c["name"] for c in body["results"]]
    assert [c.tags for c in page.results] == [c["tags"] for c in body["results"]]
    assert [c.description for c in page.results] == [c["description"] for c in body["results"]]
