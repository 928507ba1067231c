"""`--webhook-secret` and `--webhook-retry-scale` (and their variables): passed through, or a clear exit 2."""

from __future__ import annotations

import pytest

from mock_server.cli import main
from mock_server.settings import Settings


@pytest.mark.parametrize(
    ("argv", "environ", "mentions"),
    [
        (["serve", "--webhook-secret", "whsec_not base64"], {}, "--webhook-secret"),
        (["serve", "--webhook-retry-scale", "-1"], {}, "--webhook-retry-scale"),
        (["serve", "--webhook-retry-scale", "fast"], {}, "--webhook-retry-scale"),
        (["serve"], {"CODAT_MOCK_WEBHOOK_TIMEOUT": "0"}, "CODAT_MOCK_WEBHOOK_TIMEOUT"),
        (["serve"], {"CODAT_MOCK_WEBHOOK_QUEUE_SIZE": "0"}, "CODAT_MOCK_WEBHOOK_QUEUE_SIZE"),
    ],
)
def test_bad_webhook_settings_exit_2_naming_them(
    argv: list[str], environ: dict[str, str], mentions: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(argv, environ)
    assert excinfo.value.code == 2
    assert mentions in capsys.readouterr().err


def test_help_lists_the_webhook_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"], {})
    out = capsys.readouterr().out
    for text in (
        "--webhook-secret",
        "CODAT_MOCK_WEBHOOK_SECRET",
        "--webhook-retry-scale",
        "CODAT_MOCK_WEBHOOK_RETRY_SCALE",
    ):
        assert text in out


def test_defaults_and_normalisation() -> None:
    settings = Settings.from_env({})
    assert (settings.webhook_secret, settings.webhook_retry_scale, settings.webhook_timeout) == (None, 1.0, 15.0)
    given = Settings.from_env({}, webhook_secret="QUJD", webhook_retry_scale=0.001)
    assert given.webhook_secret is not None and given.webhook_secret.get_secret_value() == "whsec_QUJD"
    assert given.webhook_retry_scale == 0.001
    assert Settings.from_env({"CODAT_MOCK_WEBHOOK_SECRET": " "}).webhook_secret is None  # blank is unset
