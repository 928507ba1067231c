# codat-mock in a container: `docker build -t codat-mock . && docker run --rm -p 8000:8000 codat-mock`.
# Stage 1 builds the wheel; the final stage installs only that wheel (no build tools, no tests, no sources).

FROM python:3.12-slim AS build
WORKDIR /src
# Only what the wheel is built from, so edits to tests or docs do not invalidate this layer.
COPY pyproject.toml README.md ./
COPY mock_server ./mock_server
COPY sdk_stub ./sdk_stub
COPY contracts ./contracts
# pip builds through the project's own backend (hatchling, fetched into an isolated build environment).
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

FROM python:3.12-slim
# PYTHONUNBUFFERED: logs reach `docker logs` at once. CODAT_MOCK_HOST: listen on the container's interface,
# not only its loopback. Every other setting comes through the same CODAT_MOCK_* variables as the CLI's flags.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CODAT_MOCK_HOST=0.0.0.0 \
    CODAT_MOCK_PORT=8000
# COPY, not a bind mount from the build stage: buildah (podman) would reuse the cached RUN layer even when
# the wheel changed. The wheel's layer is a few hundred kB.
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/*.whl \
    && rm -rf /tmp/dist \
    && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin codat
# Not root; numeric, so `runAsNonRoot` policies can verify it without reading /etc/passwd.
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000
# Python, not curl (slim has none): exit 0 when /_mock/health answers 200 on the configured port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-m", "mock_server.healthcheck"]
# Exec form: codat-mock is PID 1 and gets SIGTERM itself; it stops at once (in-flight requests finish), exit 0.
ENTRYPOINT ["codat-mock"]
CMD ["serve"]
