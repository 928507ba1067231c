"""The Dockerfile's promises, read statically (CI's `.ci/container` builds and runs it with podman)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_two_stages_on_python_slim_and_the_final_one_installs_only_the_wheel() -> None:
    froms = [args for name, args in instructions() if name == "FROM"]
    assert froms == ["python:3.12-slim AS build", "python:3.12-slim"]
    steps = instructions()
    final = steps[[i for i, (name, _) in enumerate(steps) if name == "FROM"][1] :]
    copies = [args for name, args in final if name == "COPY"]
    assert copies == ["--from=build /dist/ /tmp/dist/"], "only the wheel reaches the final image"
    (install,) = [args for name, args in final if name == "RUN"]
    assert "pip install --no-cache-dir /tmp/dist/*.whl" in install and "rm -rf /tmp/dist" in install


def test_runs_as_a_non_root_user_with_the_container_defaults() -> None:
    (user,) = [args for name, args in instructions() if name == "USER"]
    assert user.split(":")[0] not in {"root", "0"}
    env = " ".join(args for name, args in instructions() if name == "ENV")
    assert "PYTHONUNBUFFERED=1" in env and "CODAT_MOCK_HOST=0.0.0.0" in env
    assert ("EXPOSE", "8000") in instructions()


def test_exec_form_entrypoint_and_a_python_healthcheck() -> None:
    commands = dict((name, args) for name, args in instructions() if name in {"ENTRYPOINT", "CMD"})
    assert json.loads(commands["ENTRYPOINT"]) + json.loads(commands["CMD"]) == ["codat-mock", "serve"]
    (healthcheck,) = [args for name, args in instructions() if name == "HEALTHCHECK"]
    assert healthcheck.endswith('CMD ["python", "-m", "mock_server.healthcheck"]')


def test_the_build_context_leaves_out_what_the_image_does_not_need() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", "tests", "docs", "**/__pycache__", ".hypothesis", ".schemathesis"} <= ignored
