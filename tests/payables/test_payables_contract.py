"""The contract's Bill Pay links: authorize → supplier → bill → payment / attachment, for the stateful phase."""

from __future__ import annotations

from typing import Any

from contracts.spec import iter_operations, load_contract


def _links(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    for code, response in operation["responses"].items():
        if code.startswith("2"):
            links: dict[str, dict[str, Any]] = response.get("links") or {}
            return {link["operationId"]: link for link in links.values()}
    return {}


def test_links_chain_supplier_bill_and_payment() -> None:
    ops = {op_id: operation for op_id, _, _, operation in iter_operations(load_contract())}
    after_link = _links(ops["update-connection-authorization"])
    assert {"create-supplier", "list-bills", "get-company-information", "create-bank-account"} <= set(after_link)
    supplier = _links(ops["create-supplier"])
    assert supplier["create-bill"]["requestBody"]["supplierRef"]["id"] == "$response.body#/id"
    bill = _links(ops["create-bill"])
    assert {"create-bill-payment", "update-bill", "upload-bill-attachment", "list-bill-attachments"} <= set(bill)
    assert bill["create-bill-payment"]["parameters"]["path.billId"] == "$response.body#/id"
    upload = _links(ops["upload-bill-attachment"])
    assert upload["download-bill-attachment"]["parameters"]["path.attachmentId"] == "$response.body#/id"
