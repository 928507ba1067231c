"""The route table of the Bill Pay operations; names are Codat's operationIds."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from ..context import ApiContext
from .handlers import PayablesHandlers

P = "/companies/{companyId}/connections/{connectionId}/payables"
BILL = P + "/bills/{billId}"


OPERATION_IDS = frozenset(
    {
        "get-company-information",
        "get-mapping-options-bills",
        "get-mapping-options-payments",
        "list-bills",
        "create-bill",
        "update-bill",
        "upload-bill-attachment",
        "list-bill-attachments",
        "download-bill-attachment",
        "create-bill-payment",
        "list-suppliers",
        "create-supplier",
        "update-supplier",
        "create-bank-account",
    }
)
"""The Bill Pay operations: each reads its connection (an auto-link policy counts it, as get-connection)."""


def payables_routes(ctx: ApiContext) -> list[BaseRoute]:
    h = PayablesHandlers(ctx)
    table = (
        ("GET", f"{P}/info", h.get_company_information, "get-company-information"),
        ("GET", f"{P}/mappingOptions/bills", h.get_mapping_options_bills, "get-mapping-options-bills"),
        ("GET", f"{P}/mappingOptions/payments", h.get_mapping_options_payments, "get-mapping-options-payments"),
        ("GET", f"{P}/bills", h.list_bills, "list-bills"),
        ("POST", f"{P}/bills", h.create_bill, "create-bill"),
        ("PUT", BILL, h.update_bill, "update-bill"),
        ("POST", f"{BILL}/attachments", h.upload_bill_attachment, "upload-bill-attachment"),
        ("GET", f"{BILL}/attachments", h.list_bill_attachments, "list-bill-attachments"),
        (
            "GET",
            f"{BILL}/attachments/{{attachmentId}}/download",
            h.download_bill_attachment,
            "download-bill-attachment",
        ),
        ("POST", f"{BILL}/payment", h.create_bill_payment, "create-bill-payment"),
        ("GET", f"{P}/suppliers", h.list_suppliers, "list-suppliers"),
        ("POST", f"{P}/suppliers", h.create_supplier, "create-supplier"),
        ("PUT", f"{P}/suppliers/{{supplierId}}", h.update_supplier, "update-supplier"),
        ("POST", f"{P}/bankAccounts", h.create_bank_account, "create-bank-account"),
    )
    assert {name for *_, name in table} == OPERATION_IDS
    return [Route(path, handler, methods=[method], name=name) for method, path, handler, name in table]
