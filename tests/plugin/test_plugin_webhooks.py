"""The `codat_webhooks` fixture: the seed flow's webhooks arrive, signed, in-process and against a live server."""

from __future__ import annotations

import pytest
from plugin_helpers import strict_project

pytest_plugins = ["pytester"]

WEBHOOK_TESTS = """
import json
import pytest
from standardwebhooks import Webhook

def test_the_seed_flow_arrives_signed(codat_client, codat_mock, codat_webhooks):
    company = codat_client.companies.create(name="Hooked Ltd")
    connection = codat_client.connections.create(company_id=company.id, platform_key="gbol")
    codat_mock.link(company.id, connection.id)

    connected = codat_webhooks.wait_for("connection.connected", timeout=10)
    assert connected.body["payload"]["connection"]["id"] == connection.id
    # An independent implementation of Standard Webhooks accepts the signature with the consumer's secret.
    Webhook(codat_webhooks.secret).verify(connected.raw, dict(connected.headers))
    assert codat_webhooks.event_types()[:3] == ["company.created", "connection.created", "connection.connected"]

def test_nothing_arrives_from_another_test(codat_webhooks):
    codat_webhooks.flush()
    assert codat_webhooks.event_types() == []
    with pytest.raises(TimeoutError):
        codat_webhooks.wait_for("company.created", timeout=0.2)
"""


@pytest.mark.parametrize("mode", ["inprocess", "live"])
def test_codat_webhooks_delivers_the_tenants_events(pytester: pytest.Pytester, mode: str) -> None:
    strict_project(pytester)
    pytester.makepyfile(test_hooks=WEBHOOK_TESTS)
    pytester.runpytest_subprocess(f"--codat-mock={mode}", "-p", "no:randomly").assert_outcomes(passed=2)
