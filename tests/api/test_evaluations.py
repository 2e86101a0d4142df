"""Evaluations are stored with their version, range and batches, and can be reproduced exactly."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .test_measurements import LATENCY, RANGE, ROWS, setup_policy


def test_get_evaluation_returns_exactly_what_evaluate_returned(client: TestClient) -> None:
    setup_policy(client)
    client.post("/v1/policies/lat/measurements", json={"measurements": ROWS})
    answer = client.post("/v1/policies/lat/evaluate", params=RANGE).json()
    assert client.get(f"/v1/evaluations/{answer['id']}").json() == answer
    assert answer["inputs"]["from"] == "2026-01-01T00:00:00+00:00"
    assert answer["inputs"]["to"] == "2026-03-01T00:00:00+00:00"


def test_rerun_reproduces_the_report_even_after_more_measurements_arrive(client: TestClient) -> None:
    setup_policy(client)
    client.post("/v1/policies/lat/measurements", json={"measurements": ROWS[:1]})
    answer = client.post("/v1/policies/lat/evaluate", params=RANGE).json()
    assert answer["total_credit"] == 0.0
    client.post("/v1/policies/lat/measurements", json={"measurements": ROWS[1:]})
    rerun = client.post(f"/v1/evaluations/{answer['id']}/rerun").json()
    assert rerun["identical"] is True and rerun["report"]["total_credit"] == 0.0
    assert client.post("/v1/policies/lat/evaluate", params=RANGE).json()["total_credit"] == 50.0


def test_rerun_of_a_posted_batch_uses_the_batch_it_kept(client: TestClient) -> None:
    setup_policy(client)
    answer = client.post("/v1/policies/lat/evaluate", params=RANGE, json={"measurements": ROWS}).json()
    assert answer["total_credit"] == 50.0
    assert client.post(f"/v1/evaluations/{answer['id']}/rerun").json()["identical"] is True


def test_evaluate_an_older_version_by_number(client: TestClient) -> None:
    """Version 2 loosens the target to 200, so January's max of 150 is met; version 1 still credits 50."""
    setup_policy(client)
    client.put("/v1/policies/lat", json={"source": LATENCY.replace("< 100", "< 200")})
    client.post("/v1/policies/lat/measurements", json={"measurements": ROWS})
    latest = client.post("/v1/policies/lat/evaluate", params=RANGE).json()
    first = client.post("/v1/policies/lat/evaluate", params={**RANGE, "version": 1}).json()
    assert (latest["version"], latest["total_credit"]) == (2, 0.0)
    assert (first["version"], first["total_credit"], first["inputs"]["version"]) == (1, 50.0, 1)
    assert client.post("/v1/policies/lat/evaluate", params={"version": 9}).status_code == 404


def test_bounds_without_offset_are_read_in_the_policy_time_zone(client: TestClient) -> None:
    source = LATENCY.replace("fee 1000", 'timezone "Europe/Paris"\nfee 1000')
    client.post("/v1/policies", json={"name": "paris", "source": source})
    answer = client.post("/v1/policies/paris/evaluate", params=RANGE, json={"measurements": ROWS}).json()
    assert answer["inputs"]["from"] == "2026-01-01T00:00:00+01:00"


def test_unreadable_or_empty_range_is_422_naming_the_bound(client: TestClient) -> None:
    setup_policy(client)
    bad = client.post("/v1/policies/lat/evaluate", params={"from": "January"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "from"
    empty = client.post("/v1/policies/lat/evaluate", params={"from": "2026-02-01", "to": "2026-01-01"})
    assert empty.status_code == 422


def test_unknown_evaluation_is_404(client: TestClient) -> None:
    assert client.get("/v1/evaluations/12345").status_code == 404
    assert client.post("/v1/evaluations/12345/rerun").status_code == 404
