"""The `codat_webhooks` fixture sees the opt-in Bill Pay write events too, and can wait for them."""

from __future__ import annotations

import pytest
from plugin_helpers import strict_project

pytest_plugins = ["pytester"]

BILL_PAY_TESTS = """
from standardwebhooks import Webhook

def test_wait_for_a_bill_write(codat_mock, codat_webhooks):
    http = codat_mock.http
    company = http.post("/companies", json={"name": "Hooked Bills Ltd"}).json()
    connection = http.post(f"/companies/{company['id']}/connections", json={"platformKey": "gbol"}).json()
    codat_mock.link(company["id"], connection["id"])
    prefix = f"/companies/{company['id']}/connections/{connection['id']}/payables"
    supplier = http.post(prefix + "/suppliers", json={"supplierName": "Paper Co", "status": "Active"})
    assert supplier.status_code == 201, supplier.text

    written = codat_webhooks.wait_for("suppliers.write.successful", timeout=10)
    Webhook(codat_webhooks.secret).verify(written.raw, dict(written.headers))
    assert written.body["payload"]["record"]["id"] == supplier.json()["id"]
    assert written.body["payload"]["type"] == "Create"
    assert written.body["payload"]["connectionId"] == connection["id"]
    assert "suppliers.write.successful" in codat_webhooks.consumer["eventTypes"]
"""


def test_codat_webhooks_waits_for_bill_pay_writes(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(test_bill_hooks=BILL_PAY_TESTS)
    pytester.runpytest_subprocess("--codat-mock=inprocess", "-p", "no:randomly").assert_outcomes(passed=1)
