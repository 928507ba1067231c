"""The Bill Pay walk-through in docs/client.md runs as written (against the fake, with Link done at once)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sdk_fake import API_KEY, BASE_URL, FakeCodat

import sdk_stub

DOC = Path(__file__).resolve().parents[2] / "docs" / "client.md"


def _bill_pay_example() -> str:
    section = DOC.read_text(encoding="utf-8").split("## Bill Pay\n", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None, "the Bill Pay section has no Python example"
    return found.group(1)


def test_the_bill_pay_example_runs(fake: FakeCodat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _bill_pay_example()
    assert 'CodatClient("my-api-key", base_url="http://localhost:8000")' in code
    http = httpx.Client(transport=httpx.MockTransport(fake))

    class LinkingClient(sdk_stub.CodatClient):
        """The documented client, sent to the fake, whose new connections complete Link at once."""

        def __init__(self, api_key: str, **_: Any) -> None:
            super().__init__(API_KEY, base_url=BASE_URL, http_client=http, retry=None)
            create = self.connections.create

            def create_and_link(*, company_id: str, platform_key: str) -> sdk_stub.Connection:
                connection = create(company_id=company_id, platform_key=platform_key)
                fake.link(company_id, connection.id)
                return connection

            self.connections.create = create_and_link  # type: ignore[method-assign]

    monkeypatch.setattr(sdk_stub, "CodatClient", LinkingClient)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "invoice.pdf").write_bytes(b"%PDF-1.7 pies")
    namespace: dict[str, Any] = {}
    with http:
        exec(compile(code, str(DOC), "exec"), namespace)

    bill = namespace["bill"]
    [ledger] = fake.payables.ledgers.values()
    stored = ledger.bills[bill.id]
    assert (stored["status"], stored["amountDue"]) == ("Paid", 0)
    assert [meta["name"] for meta, _ in ledger.attachments[bill.id].values()] == ["invoice.pdf"]
    assert len(ledger.payments) == 2
    assert namespace["supplier"].supplier_name == "Pie Co"
