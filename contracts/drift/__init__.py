"""Structural diff of our contract against a Codat-published OpenAPI document.

`diff_documents(ours, upstream)` compares, operation by operation (matched by operationId), the method and
path, the security scheme, parameters, request bodies and responses, down to every schema keyword that
changes what is valid. Descriptions, examples, titles and `x-` extensions are ignored. Both documents may use
`$ref`s anywhere (Codat points into nested `definitions` and even into other operations), `allOf`, and
either style of nullability (3.0 `nullable: true` or 3.1 `type: [..., "null"]`).

Severity follows from which side a schema constrains and how ours differs:

- Requests (parameters, bodies) travel from a client written against Codat to us. Ours being **stricter**
  (a value Codat accepts that we refuse) is *breaking*; ours being **looser** is an *extension*.
- Responses travel from us to that client. Ours being **looser** (we may send what the client does not
  expect) is *breaking*; ours being **stricter** (we promise more) is an *extension*.
- Changes that are neither (a different type, format or pattern) are *breaking* in both directions.
- A missing operation, a different method or path, a different success status, a parameter or request
  field Codat documents that we lack, a response body Codat documents that we lack: *breaking*.
- A status code documented on one side only is an *extension*: a status we add is one Codat's SDKs raise as
  a generic error (docs/decisions.md), and one only Codat documents (402, 403, 500) we never send.

A difference we make on purpose is annotated in our contract: `x-codat-mock-deviation: {kind: reason}` on
the node where the difference is found turns a breaking difference of that kind into an extension and
carries the reason. An annotation that no longer excuses any breaking difference is reported
(`deviation-unused`), so annotations cannot outlive the drift they excuse.

The package: `differences` (the kinds, `Difference`, deviations), `compare` (operations, parameters, bodies,
responses), `schemas` (schema against schema), `normalise` (the canonical form schemas are compared in),
`report` (text and JSON), `load` (reading a document) and `cli` (`codat-mock contract drift`).
"""

from __future__ import annotations

from .cli import main
from .compare import diff_documents
from .differences import DEVIATION_KEY, KINDS, Difference, UnknownOperationError
from .load import load_document
from .report import render_json, render_text

__all__ = [
    "DEVIATION_KEY",
    "KINDS",
    "Difference",
    "UnknownOperationError",
    "diff_documents",
    "load_document",
    "main",
    "render_json",
    "render_text",
]
