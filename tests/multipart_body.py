"""Reading a `multipart/form-data` request body part by part, for tests that check what a client uploads.

Importable from any test module (tests/ is on sys.path); tests/sdk's fake Codat and the client-contract test
both read uploads with it.
"""

from __future__ import annotations

import re

import httpx


def parse_multipart(request: httpx.Request) -> dict[str, tuple[str | None, str | None, bytes]]:
    """The parts of a `multipart/form-data` body: name → (file name, content type, bytes), byte-exact."""
    content_type = request.headers.get("Content-Type", "")
    found = re.search(r"boundary=([^;]+)", content_type)
    if not content_type.startswith("multipart/form-data") or found is None:
        raise ValueError(f"not a multipart/form-data request: {content_type!r}")
    delimiter = b"--" + found.group(1).strip('"').encode("ascii")
    chunks = request.content.split(delimiter)
    if chunks[0] != b"" or not chunks[-1].startswith(b"--"):
        raise ValueError("the multipart body is not delimited as RFC 7578 says")
    parts = {}
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise ValueError("a multipart part is not framed by CRLF")
        head, _, content = chunk[2:-2].partition(b"\r\n\r\n")
        headers = dict(
            (name.strip().lower(), value.strip())
            for name, _, value in (line.decode("utf-8").partition(":") for line in head.split(b"\r\n"))
        )
        disposition = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        assert name is not None, f"a part without a name: {disposition!r}"
        parts[name.group(1)] = (filename.group(1) if filename else None, headers.get("content-type"), content)
    return parts
