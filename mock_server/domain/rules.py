"""Input rules Codat applies to companies: name cleaning, tag limits, id normalisation."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import TypeAdapter, ValidationError

from .errors import BadRequest, ValidationItem
from .models import Tags

# Codat's name pattern allows ASCII letters, digits, whitespace and - ' , & @ . ? !; anything else is
# removed rather than rejected ("Company (Codat[1])" becomes "Company Codat1").
_FORBIDDEN_NAME_CHARS = re.compile(r"[^A-Za-z0-9\s\-',&@.?!]")

_TAGS = TypeAdapter(Tags)


MAX_COMPANY_NAME_LENGTH = 1000
"""Codat publishes no limit; a generous one of ours (docs/decisions.md), so a runaway name is a 400."""


def clean_company_name(name: str) -> str:
    if len(name) > MAX_COMPANY_NAME_LENGTH:
        raise BadRequest.for_field(
            "name",
            f"name must be at most {MAX_COMPANY_NAME_LENGTH} characters; got {len(name)}",
            "CompanyNameValidator",
        )
    cleaned = _FORBIDDEN_NAME_CHARS.sub("", name)
    if not cleaned.strip():
        raise BadRequest.for_field(
            "name",
            "name must contain at least one letter, digit or one of - ' , & @ . ? ! "
            f"(other characters are removed); got {name!r}",
            "CompanyNameValidator",
        )
    return cleaned


def check_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags as a fresh dict, or BadRequest naming each broken limit."""
    try:
        return dict(_TAGS.validate_python(dict(tags), strict=True))
    except ValidationError as exc:
        raise BadRequest(validation=tuple(validation_items(exc, prefix=("tags",)))) from None


def validation_items(exc: ValidationError, *, prefix: tuple[str | int, ...] = ()) -> list[ValidationItem]:
    """One ValidationItem per pydantic error, its itemId the dotted wire path of the field."""
    items = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(err["loc"])
        # pydantic reports dict-key problems with a trailing "[key]" marker; keep the key, drop the marker.
        path = ".".join(str(part) for part in loc if part != "[key]") or "body"
        items.append(ValidationItem(path, f"{path}: {err['msg']}", "RequestValidator"))
    return items


_UUID = re.compile(r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def canonical_id(raw: str) -> str | None:
    """The lower-case form of a hyphenated UUID, or None when `raw` is not one (it then matches nothing).

    Only the 8-4-4-4-12 form counts: it is the form the contract declares (`format: uuid`), so an id the
    contract calls invalid can never reach a stored record.
    """
    return raw.lower() if _UUID.match(raw) else None
