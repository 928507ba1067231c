"""The plugin in-process (the default mode), through pytester: projects with no conftest, only the plugin.

Each test writes a small test module into a fresh directory and runs pytest on it in this process; the
plugin reaches it through its `pytest11` entry point, as it reaches any project that installs codat-mock.
"""

from __future__ import annotations

import json

import pytest
from plugin_helpers import strict_project

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _no_external_server(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's CODAT_MOCK_URL would switch the inner runs to external mode.
    monkeypatch.delenv("CODAT_MOCK_URL", raising=False)
    monkeypatch.delenv("CODAT_MOCK_ADMIN_TOKEN", raising=False)


def test_the_fixtures_appear_without_a_conftest(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        import base64

        def test_everything(codat_mock_server, codat_mock, codat_client, codat_async_client, codat_sdk_kwargs):
            assert codat_mock_server.mode == "inprocess"
            assert codat_mock_server.url is None and codat_mock_server.app is not None
            assert codat_mock.base_url == codat_mock_server.base_url == "http://codat-mock.invalid"
            assert codat_mock.auth_header == "Basic " + base64.b64encode(codat_mock.api_key.encode()).decode()
            company = codat_client.companies.create(name="Acme")
            assert codat_mock.http.get(f"/companies/{company.id}").json()["name"] == "Acme"
            assert codat_sdk_kwargs["server_url"] == codat_mock.base_url
            assert codat_sdk_kwargs["security"].auth_header == codat_mock.auth_header
        """
    )
    assert not list(pytester.path.rglob("conftest.py"))
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["codat-mock: inprocess"])


def test_each_test_gets_its_own_tenant_and_teardown_resets_it(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        KEYS = []

        def test_first(codat_mock, codat_client):
            codat_client.companies.create(name="First")
            codat_mock.set_auto_link("immediate")
            codat_mock.fault("list-integrations", 503)
            KEYS.append(codat_mock.api_key)
            assert len(codat_client.companies.list().results) == 1

        def test_second(codat_mock, codat_client, codat_mock_server):
            assert KEYS and codat_mock.api_key not in KEYS
            assert codat_client.companies.list().results == []
            assert codat_mock.settings()["autoLink"] == {"mode": "manual"}
            assert codat_mock.faults() == []
            # The first tenant's companies, settings and fault rules are gone: no tenant holds anything.
            with codat_mock_server.client() as admin:
                assert admin.get("/_mock/tenants").json()["tenants"] == []
                assert admin.get("/_mock/faults").json()["rules"] == []
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_a_failing_assertion_is_reported_as_the_users(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        def test_fails(codat_client):
            company = codat_client.companies.create(name="Acme")
            assert company.name == "Other"

        def test_after(codat_mock_server):
            with codat_mock_server.client() as admin:
                assert admin.get("/_mock/tenants").json()["tenants"] == []
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(["*def test_fails(codat_client):*", "*AssertionError: assert 'Acme' == 'Other'*"])
    assert "codat_mock/" not in result.stdout.str() and "pytest_plugin" not in result.stdout.str()


def test_the_marker_configures_auto_link_redirect_and_seed(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    company_id, linked_id, pending_id = (
        "3f6c1a8e-0000-4000-8000-000000000001",
        "3f6c1a8e-0000-4000-8000-000000000002",
        "3f6c1a8e-0000-4000-8000-000000000003",
    )
    world = {
        "settings": {"autoLink": {"mode": "immediate"}, "redirectUrl": "https://seeded.example/"},
        "companies": [
            {
                "id": company_id,
                "name": "Seeded Ltd",
                "created": "2026-01-01T00:00:00Z",
                "connections": [
                    {
                        "id": linked_id,
                        "platformKey": "qhyg",
                        "status": "Linked",
                        "created": "2026-01-01T00:00:00Z",
                        "statusChanged": "2026-01-01T00:00:00Z",
                    },
                    {
                        "id": pending_id,
                        "platformKey": "suuo",
                        "status": "PendingAuth",
                        "created": "2026-01-01T00:00:00Z",
                        "statusChanged": "2026-01-01T00:00:00Z",
                    },
                ],
            }
        ],
    }
    pytester.path.joinpath("data").mkdir()
    pytester.path.joinpath("data", "world.json").write_text(json.dumps(world), encoding="utf-8")
    pytester.makepyfile(
        f"""
        import json, pathlib, pytest

        WORLD = {world!r}
        COMPANY, PENDING = {company_id!r}, {pending_id!r}

        def _status(client, connection_id):
            return client.connections.get(company_id=COMPANY, connection_id=connection_id).status

        def _new_connection(client):
            company = client.companies.create(name="Fresh")
            return company.id, client.connections.create(company_id=company.id, platform_key="qhyg").id

        def test_default_is_manual(codat_mock, codat_client):
            company_id, connection_id = _new_connection(codat_client)
            got = codat_client.connections.get(company_id=company_id, connection_id=connection_id)
            assert got.status == "PendingAuth"
            assert codat_mock.settings() == {{
                "autoLink": {{"mode": "manual"}},
                "redirectUrl": None,
                "strictBodies": None,
            }}

        @pytest.mark.codat_mock(auto_link="immediate")
        def test_auto_link_immediate(codat_client):
            company_id, connection_id = _new_connection(codat_client)
            assert codat_client.connections.get(company_id=company_id, connection_id=connection_id).status == "Linked"

        @pytest.mark.codat_mock(auto_link={{"mode": "afterReads", "reads": 1}})
        def test_auto_link_after_reads(codat_client):
            company_id, connection_id = _new_connection(codat_client)
            get = codat_client.connections.get
            reads = [get(company_id=company_id, connection_id=connection_id).status for _ in range(2)]
            assert reads == ["PendingAuth", "Linked"]

        @pytest.mark.codat_mock(redirect="https://app.example/done/{{companyId}}")
        def test_redirect(codat_mock, codat_client):
            company_id, connection_id = _new_connection(codat_client)
            outcome = codat_mock.link(company_id, connection_id)["outcome"]
            assert outcome["redirectUrl"] == f"https://app.example/done/{{company_id}}"

        @pytest.mark.codat_mock(seed=WORLD)
        def test_seed_document(codat_mock, codat_client):
            assert codat_client.companies.get(COMPANY).name == "Seeded Ltd"
            assert codat_mock.settings()["redirectUrl"] == "https://seeded.example/"

        @pytest.mark.codat_mock(seed="data/world.json", auto_link=False)
        def test_seed_file_and_the_marker_wins_over_its_settings(codat_mock, codat_client):
            assert codat_client.companies.get(COMPANY).name == "Seeded Ltd"
            assert _status(codat_client, PENDING) == "PendingAuth"
            assert codat_mock.settings() == {{
                "autoLink": {{"mode": "manual"}},
                "redirectUrl": "https://seeded.example/",
                "strictBodies": None,
            }}

        @pytest.mark.codat_mock(seed=lambda: {{**WORLD, "settings": {{}}}})
        def test_seed_callable(codat_mock, codat_client):
            assert codat_client.companies.get(COMPANY).name == "Seeded Ltd"
            assert codat_mock.settings()["autoLink"] == {{"mode": "manual"}}

        @pytest.mark.codat_mock(auto_link="immediate", redirect="https://class.example/")
        class TestClosestMarkerWins:
            @pytest.mark.codat_mock(auto_link="manual")
            def test_method(self, codat_mock):
                assert codat_mock.settings() == {{
                    "autoLink": {{"mode": "manual"}},
                    "redirectUrl": "https://class.example/",
                    "strictBodies": None,
                }}

        @pytest.mark.codat_mock(autolink=True)
        def test_misspelt_argument(codat_mock):
            pass

        @pytest.mark.codat_mock(auto_link="sometimes")
        def test_refused_policy(codat_mock):
            pass
        """
    )
    result = pytester.runpytest("-rE")
    result.assert_outcomes(passed=8, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*test_misspelt_argument*codat_mock got autolink; it takes auto_link, seed, redirect*",
            "*test_refused_policy: @pytest.mark.codat_mock: codat-mock: PUT /_mock/settings answered 400*autoLink*",
        ]
    )


def test_the_control_plane_helpers(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        import pytest
        from mock_server.pytest_plugin.tenant import ControlPlaneError
        from sdk_stub import ServiceUnavailableError

        @pytest.fixture
        def connection(codat_client):
            company = codat_client.companies.create(name="Acme")
            return company.id, codat_client.connections.create(company_id=company.id, platform_key="qhyg").id

        def test_link_actions(codat_mock, codat_client, connection):
            company_id, connection_id = connection
            assert codat_mock.cancel(company_id, connection_id)["outcome"]["statusCode"] == 403
            assert codat_mock.fail(company_id, connection_id)["outcome"]["statusCode"] == 500
            assert codat_mock.link(company_id, connection_id)["connection"]["status"] == "Linked"
            assert codat_mock.deauthorize(company_id, connection_id)["connection"]["status"] == "Deauthorized"
            got = codat_client.connections.get(company_id=company_id, connection_id=connection_id)
            assert got.status == "Deauthorized"
            assert [e.status_code for e in got.data_connection_errors] == ["403", "500", "401"]

        def test_settings_helpers_keep_each_other(codat_mock):
            codat_mock.set_redirect("https://app.example/")
            codat_mock.set_auto_link("afterSeconds", seconds=30)
            assert codat_mock.settings() == {
                "autoLink": {"mode": "afterSeconds",
                "seconds": 30},
                "redirectUrl": "https://app.example/",
                "strictBodies": None,
            }
            codat_mock.set_redirect(None)
            assert codat_mock.settings()["autoLink"] == {"mode": "afterSeconds", "seconds": 30}

        def test_fault_then_journal(codat_mock):
            rule = codat_mock.fault("list-companies", 503, count=2, retry_after=0)
            client = codat_mock.client(retry=None)
            with pytest.raises(ServiceUnavailableError):
                client.companies.list()
            assert codat_mock.client().companies.list().results == []  # the default client retries past it
            statuses = [e["status"] for e in codat_mock.journal("list-companies")]
            assert statuses == [503, 503, 200]
            assert [e["faultRuleId"] for e in codat_mock.journal(status=503)] == [rule["id"], rule["id"]]
            assert codat_mock.faults()[0]["remaining"] == 0
            assert codat_mock.clear_journal() == 3 and codat_mock.journal() == []
            assert codat_mock.clear_faults() == 1

        def test_export_and_seed_round_trip(codat_mock, codat_client, connection):
            state = codat_mock.export()
            assert [c["name"] for c in state["companies"]] == ["Acme"]
            codat_mock.reset()
            assert codat_client.companies.list().results == []
            assert codat_mock.seed(state) == state
            assert codat_mock.export() == state

        def test_a_refused_request_names_the_field(codat_mock):
            with pytest.raises(ControlPlaneError) as excinfo:
                codat_mock.fault("no-such-operation", 503)
            assert excinfo.value.status == 400
            assert "POST /_mock/faults answered 400" in str(excinfo.value)
            assert "operationId" in str(excinfo.value)

        def test_the_system_clock_cannot_move(codat_mock):
            with pytest.raises(ControlPlaneError) as excinfo:
                codat_mock.advance_clock(30)
            assert excinfo.value.status == 409
        """
    )
    pytester.runpytest().assert_outcomes(passed=6)


def test_a_server_seed_makes_the_clock_movable(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.codat_mock(auto_link={"mode": "afterSeconds", "seconds": 60})
        def test_clock(codat_mock, codat_client):
            assert codat_mock.clock().startswith("2026-01-01T00:00:00")
            company = codat_client.companies.create(name="Acme")
            connection = codat_client.connections.create(company_id=company.id, platform_key="qhyg")
            get = lambda: codat_client.connections.get(company_id=company.id, connection_id=connection.id).status
            assert get() == "PendingAuth"
            assert codat_mock.advance_clock(60).startswith("2026-01-01T00:01:00")
            assert get() == "Linked"
        """
    )
    pytester.runpytest("--codat-mock-server-seed=7").assert_outcomes(passed=1)
    pytester.makeini(
        """
        [pytest]
        codat_mock_server_seed = 7
        filterwarnings = error
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_async_tests_with_anyio(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture
        def anyio_backend():
            return "asyncio"

        @pytest.mark.anyio
        async def test_async(codat_async_client, codat_mock, codat_mock_server):
            company = await codat_async_client.companies.create(name="Async")
            assert (await codat_async_client.companies.get(company.id)).name == "Async"
            # The synchronous helpers work from inside the async test (the app runs on its own loop).
            assert [e["status"] for e in codat_mock.journal("create-company")] == [200]
            async with codat_mock_server.async_client(headers=codat_mock.headers) as http:
                assert (await http.get("/companies")).json()["totalResults"] == 1
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_official_sdks_in_process(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        from codat_platform import CodatPlatform
        from codat_sync_for_payables import CodatSyncPayables

        def test_platform(codat_sdk_kwargs, codat_client):
            assert "client" in codat_sdk_kwargs  # in-process: no server, the SDK sends through this client
            sdk = CodatPlatform(**codat_sdk_kwargs)
            company = sdk.companies.create(request={"name": "Bank of Dave"})
            assert codat_client.companies.get(company.id).name == "Bank of Dave"

        def test_payables(codat_sdk_kwargs, codat_client):
            company = codat_client.companies.create(name="Payables Ltd")
            sdk = CodatSyncPayables(**codat_sdk_kwargs)
            assert sdk.companies.get(request={"company_id": company.id}).name == "Payables Ltd"
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_bad_configuration_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest("--codat-mock=external")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--codat-mock=external needs CODAT_MOCK_URL=http://host:port*"])
    pytester.makeini("[pytest]\ncodat_mock_mode = sideways\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*codat_mock_mode = 'sideways'*expected one of inprocess, live, external*"])


def test_it_coexists_with_schemathesis_pytest_plugin(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(
        """
        import hypothesis
        import schemathesis
        from mock_server.app import create_app

        # (schemathesis.pytest.from_fixture, which would take codat_mock_server.app, fails on pytest 9.2 with
        # or without this plugin: its lazy items lack `_nodeid`.) Any API key is a tenant on any emulator.
        schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())

        @schema.include(operation_id="list-integrations").parametrize()
        @hypothesis.settings(max_examples=3, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
        def test_contract(case, codat_mock):
            # The tenant's headers replace whatever auth a negative case dropped, so only the server's own
            # health is judged here; the contract suites judge everything else.
            case.call_and_validate(headers=codat_mock.headers, checks=[schemathesis.checks.not_a_server_error])

        def test_plain(codat_client):
            assert codat_client.integrations.get("qhyg").key == "qhyg"
        """
    )
    result = pytester.runpytest("-p", "schemathesis")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 2 and not {"failed", "errors", "error"} & set(outcomes), result.stdout.str()
