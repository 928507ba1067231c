"""`python -m mock_server.healthcheck`: exit 0 when the emulator on this machine answers `/_mock/health`.

The container image's HEALTHCHECK runs it: the slim base image has no curl, and Python is already there.
It asks the port the emulator was configured with (`CODAT_MOCK_PORT`, as `serve` reads it) on the loopback
interface, which the emulator serves whenever it binds 0.0.0.0 (the image's default) or 127.0.0.1.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping

TIMEOUT_SECONDS = 2.0


def health_url(environ: Mapping[str, str]) -> str:
    port = environ.get("CODAT_MOCK_PORT", "").strip() or "8000"
    return f"http://127.0.0.1:{port}/_mock/health"


def check(url: str, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """None when `url` answers 200; otherwise what went wrong, in one line."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            status = int(answer.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (OSError, ValueError) as exc:
        return f"{url}: {exc}"
    return None if status == 200 else f"{url}: HTTP {status}"


def main(environ: Mapping[str, str] | None = None) -> int:
    problem = check(health_url(os.environ if environ is None else environ))
    if problem is not None:
        sys.stderr.write(f"codat-mock healthcheck: {problem}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
