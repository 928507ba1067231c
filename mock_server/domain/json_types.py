"""JSON Schema's reading of numbers and nulls, for the strict models that parse control-plane bodies.

The control plane's OpenAPI document is JSON Schema; these keep pydantic's strict mode from refusing what
the document allows, or accepting what it forbids:

- `JsonInt`: JSON Schema counts `3.0` as an integer (a number whose fractional part is zero), where strict
  pydantic wants `3`. Text, booleans and fractions are still refused.
- `refuse_null`: a field the schema types as, say, an integer, and that is optional only in the sense that
  it may be left out, must not take `null` either (pydantic would read `null` as "left out").
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator


def _integral(value: object) -> object:
    # bool is not float, so `true` still reaches (and is refused by) the strict int validator.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[int, BeforeValidator(_integral)]
"""An integer as JSON Schema means it: `3` or `3.0`."""


def refuse_null(value: object) -> object:
    """For a `mode="before"` field validator: a field the schema does not declare nullable refuses `null`."""
    if value is None:
        raise ValueError("must not be null (leave the field out to take its default)")
    return value
