"""``/v1/diff`` and ``/v1/policies/{name}/diff``: the semantic diff, with replay over measurements."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .test_measurements import LATENCY, ROWS, setup_policy

LOOSER = LATENCY.replace("< 100", "< 200")


def test_diff_of_two_texts_says_whom_a_loosened_target_favours(client: TestClient) -> None:
    body = client.post("/v1/diff", json={"old": LATENCY, "new": LOOSER}).json()
    [change] = body["changes"]
    assert (change["clause"], change["field"], change["favours"]) == ("latency", "target", "provider")
    assert "replay" not in body


def test_diff_with_measurements_replays_both_versions(client: TestClient) -> None:
    """January's max is 150: breached under < 100 (5% of 1000 = 50.0), met under < 200 (0.0)."""
    body = client.post(
        "/v1/diff", json={"old": LATENCY, "new": LOOSER, "measurements": {"measurements": ROWS}}
    )
    replay = body.json()["replay"]
    assert (replay["old_total_credit"], replay["new_total_credit"]) == (50.0, 0.0)
    [clause] = replay["by_clause"]
    assert (clause["clause"], clause["old"], clause["new"]) == ("latency", 50.0, 0.0)


def test_diff_of_the_same_meaning_has_no_changes(client: TestClient) -> None:
    respaced = LATENCY.replace(": latency", ":   latency")
    assert client.post("/v1/diff", json={"old": LATENCY, "new": respaced}).json() == {"changes": []}


def test_invalid_text_in_a_diff_is_422_naming_which_text(client: TestClient) -> None:
    response = client.post("/v1/diff", json={"old": LATENCY, "new": "x p95 < 4h montly\n"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["policy"], error["line"], error["column"]) == ("new", 1, 12)


def test_invalid_measurement_row_in_a_diff_is_422_with_row_and_field(client: TestClient) -> None:
    rows = [{"metric": "latency", "time": "2026-01-05", "value": 1}]
    response = client.post(
        "/v1/diff", json={"old": LATENCY, "new": LOOSER, "measurements": {"measurements": rows}}
    )
    assert response.status_code == 422
    assert (response.json()["errors"][0]["row"], response.json()["errors"][0]["field"]) == (1, "time")


def test_diff_of_stored_versions_defaults_to_the_last_two_and_replays_stored_rows(client: TestClient) -> None:
    setup_policy(client)
    client.put("/v1/policies/lat", json={"source": LOOSER})
    plain = client.get("/v1/policies/lat/diff").json()
    assert (plain["from"], plain["to"], len(plain["changes"])) == (1, 2, 1)
    assert "replay" not in plain, "no measurements stored yet"
    client.post("/v1/policies/lat/measurements", json={"measurements": ROWS})
    body = client.get("/v1/policies/lat/diff", params={"from": 1, "to": 2}).json()
    assert (body["replay"]["old_total_credit"], body["replay"]["new_total_credit"]) == (50.0, 0.0)
    backwards = client.get("/v1/policies/lat/diff", params={"from": 2, "to": 1}).json()
    assert backwards["changes"][0]["favours"] == "client"


def test_diff_of_a_missing_version_is_404(client: TestClient) -> None:
    setup_policy(client)
    assert client.get("/v1/policies/lat/diff", params={"from": 1, "to": 5}).status_code == 404
    assert client.get("/v1/policies/nobody/diff").status_code == 404
