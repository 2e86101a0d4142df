"""Check, format, health, OpenAPI and the body limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from api.app import create_app
from api.config import Settings

from .conftest import postgres_unavailable


def test_check_valid_lists_clauses_and_stores_nothing(client: TestClient, desk_source: str) -> None:
    body = client.post("/v1/check", json={"source": desk_source}).json()
    assert body["ok"] is True and body["errors"] == []
    assert body["clauses"][1]["id"] == "p1-resolution"
    assert client.get("/v1/policies").json()["policies"] == []


def test_check_invalid_is_200_with_ok_false_and_every_error(client: TestClient) -> None:
    response = client.post("/v1/check", json={"source": "x p95 < 4h montly\ny p95 < 4h weakly\n"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert [e["line"] for e in body["errors"]] == [1, 2]


def test_format_returns_canonical_text(client: TestClient) -> None:
    response = client.post(
        "/v1/format", json={"source": "x   p95 at most 4 hours per month,credit 5% per breach\n"}
    )
    assert response.json() == {"source": "sla x p95 <= 4h monthly, credit 5%\n"}


def test_format_of_invalid_text_is_422_with_errors(client: TestClient) -> None:
    response = client.post("/v1/format", json={"source": "x p95 < 4h montly\n"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == 12


def test_healthz_reports_the_database(client: TestClient, database_url: str) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == ("sqlite" if database_url.startswith("sqlite") else "postgresql")


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'sla.db'}")
    with TestClient(app) as client:
        app.state.engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "unreachable" in response.json()["errors"][0]["message"]


def test_openapi_lists_every_endpoint_and_docs_are_served(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/policies",
        "/v1/policies/{name}",
        "/v1/policies/{name}/versions",
        "/v1/check",
        "/healthz",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_unknown_route_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/v1/nothing")
    assert response.status_code == 404 and response.json() == {"errors": [{"message": "Not Found"}]}


def test_body_over_the_limit_is_413_before_it_is_read(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'sla.db'}", max_body_bytes=1000)
    with TestClient(create_app(settings=settings)) as client:
        response = client.post("/v1/check", json={"source": "#" * 2000})
        assert response.status_code == 413
        assert "limit is 1,000 bytes" in response.json()["errors"][0]["message"]
        assert client.post("/v1/check", json={"source": "#\n"}).status_code == 200


def test_streamed_body_over_the_limit_is_413_once_it_passes_the_limit(tmp_path: Path) -> None:
    """A chunked body has no Content-Length: it is counted as it arrives."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'sla.db'}", max_body_bytes=1000)
    with TestClient(create_app(settings=settings)) as client:
        client.post("/v1/policies", json={"name": "p", "source": "#\n"})
        chunks = iter([b"metric,time,value\n", b"x" * 600, b"x" * 600])
        response = client.post(
            "/v1/policies/p/measurements", content=chunks, headers={"Content-Type": "text/csv"}
        )
        assert response.status_code == 413


def test_postgres_tests_skip_locally_but_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        postgres_unavailable("connection refused")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        postgres_unavailable("connection refused")


def test_an_unexpected_fault_is_500_in_the_error_shape_without_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("api.crud.list_policies", broken)
    app = create_app(f"sqlite:///{tmp_path / 'sla.db'}")
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/policies")
    assert response.status_code == 500
    assert response.json() == {
        "errors": [{"code": "internal", "message": "internal error; the service logged it"}]
    }
