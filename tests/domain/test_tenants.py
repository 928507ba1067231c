"""Tenant settings, auto-link policy semantics, and the tenant's derived identities."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from mock_server.domain.tenants import (
    ImmediateLink,
    LinkAfterReads,
    LinkAfterSeconds,
    ManualLink,
    TenantSettings,
    client_id,
    fingerprint,
    is_due,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_defaults_are_manual_with_no_redirect() -> None:
    settings = TenantSettings()
    assert settings.auto_link == ManualLink()
    assert settings.redirect_url is None
    assert settings.model_dump(mode="json", by_alias=True) == {
        "autoLink": {"mode": "manual"},
        "redirectUrl": None,
        "strictBodies": None,
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"autoLink": {"mode": "immediate"}}', ImmediateLink()),
        ('{"autoLink": {"mode": "afterSeconds", "seconds": 2.5}}', LinkAfterSeconds(seconds=2.5)),
        ('{"autoLink": {"mode": "afterSeconds", "seconds": 3}}', LinkAfterSeconds(seconds=3)),
        ('{"autoLink": {"mode": "afterReads", "reads": 2}}', LinkAfterReads(reads=2)),
        ('{"autoLink": {"mode": "manual"}}', ManualLink()),
    ],
)
def test_policies_parse_from_json(body: str, expected: object) -> None:
    assert TenantSettings.model_validate_json(body).auto_link == expected


@pytest.mark.parametrize(
    "body",
    [
        '{"autoLink": {"mode": "sometimes"}}',
        '{"autoLink": {}}',
        '{"autoLink": {"mode": "afterSeconds"}}',
        '{"autoLink": {"mode": "afterSeconds", "seconds": -1}}',
        '{"autoLink": {"mode": "afterReads", "reads": 1.5}}',
        '{"autoLink": {"mode": "afterReads", "reads": "2"}}',
        '{"autoLink": {"mode": "immediate", "reads": 2}}',
        '{"redirectUrl": "ftp://x"}',
        '{"redirectUrl": "/relative"}',
        '{"redirectUrl": "https://"}',
        '{"redirectUrl": "https://a b"}',
        '{"redirectUrl": "https://a\\nb"}',
        '{"redirectUrl": 5}',
        '{"unknown": 1}',
    ],
)
def test_invalid_settings_are_refused(body: str) -> None:
    with pytest.raises(ValidationError):
        TenantSettings.model_validate_json(body)


def test_redirect_urls_may_hold_placeholders_anywhere() -> None:
    url = "https://{companyId}.example/{sourceType}/?s={statusCode}"
    assert TenantSettings.model_validate_json(f'{{"redirectUrl": "{url}"}}').redirect_url == url


def test_policy_semantics() -> None:
    later = T0 + timedelta(seconds=5)
    assert not is_due(ManualLink(), created=T0, now=later, reads=100)
    assert is_due(ImmediateLink(), created=T0, now=T0, reads=1)
    assert not is_due(LinkAfterSeconds(seconds=5), created=T0, now=later - timedelta(microseconds=1), reads=1)
    assert is_due(LinkAfterSeconds(seconds=5), created=T0, now=later, reads=1)
    assert is_due(LinkAfterSeconds(seconds=0), created=T0, now=T0, reads=1)
    assert [is_due(LinkAfterReads(reads=2), created=T0, now=T0, reads=n) for n in (1, 2, 3, 4)] == [
        False,
        False,
        True,
        True,
    ]
    assert is_due(LinkAfterReads(reads=0), created=T0, now=T0, reads=1)


def test_identities_are_stable_distinct_and_do_not_show_the_key() -> None:
    assert fingerprint("key-a") == fingerprint("key-a") != fingerprint("key-b")
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprint("key-a"))
    assert "key-a" not in fingerprint("key-a") and "key-a" not in client_id("key-a")
    assert client_id("key-a") == client_id("key-a") != client_id("key-b")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", client_id("key-a"))
