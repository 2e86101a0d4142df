"""Measurement batches: atomic, idempotent, in every reader format, within the limits."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import Settings

LATENCY = """policy "Latency test"
fee 1000 EUR monthly
metric latency number
sla "Latency": latency max < 100 monthly, credit 5%
"""
ROWS = [
    {"metric": "latency", "time": "2026-01-05T10:00:00Z", "value": 50, "dims": {"site": "A"}},
    {"metric": "latency", "time": "2026-01-06T10:00:00Z", "value": 150, "dims": {"site": "B"}},
    {"metric": "latency", "time": "2026-02-03T10:00:00Z", "value": 70},
]
RANGE = {"from": "2026-01-01", "to": "2026-03-01"}


def setup_policy(client: TestClient) -> None:
    assert client.post("/v1/policies", json={"name": "lat", "source": LATENCY}).status_code == 201


def stored_rows(client: TestClient) -> int:
    return int(client.post("/v1/policies/lat/evaluate", params=RANGE).json()["inputs"]["rows"])


def test_batch_is_stored_and_evaluated_from_storage_with_hand_worked_credit(client: TestClient) -> None:
    """January max 150 >= 100 breaches: 5% of the 1000 EUR fee = 50.0; February max 70 is met."""
    setup_policy(client)
    response = client.post("/v1/policies/lat/measurements", json={"measurements": ROWS})
    assert response.status_code == 201
    assert (response.json()["rows"], response.json()["dimensions"]) == (3, ["site"])
    report = client.post("/v1/policies/lat/evaluate", params=RANGE).json()
    assert [w["status"] for w in report["clauses"][0]["windows"]] == ["breached", "met"]
    assert report["total_credit"] == 50.0
    assert report["inputs"]["measurements"] == "stored" and report["inputs"]["rows"] == 3


def test_stored_and_posted_evaluations_of_the_same_rows_give_the_same_report(client: TestClient) -> None:
    setup_policy(client)
    client.post("/v1/policies/lat/measurements", json={"measurements": ROWS})
    stored = client.post("/v1/policies/lat/evaluate", params=RANGE).json()
    posted = client.post("/v1/policies/lat/evaluate", params=RANGE, json={"measurements": ROWS}).json()
    assert posted["inputs"]["measurements"] == "posted"
    for report in (stored, posted):
        del report["id"], report["inputs"]
    assert stored == posted
    assert stored_rows(client) == 3, "a batch posted to evaluate is not stored as the policy's measurements"


def test_columns_csv_and_ndjson_bodies_are_read_by_content_type(client: TestClient) -> None:
    setup_policy(client)
    columns = {
        "columns": {"metric": ["latency"], "time": ["2026-01-05T10:00:00Z"], "value": [50], "site": ["A"]}
    }
    assert client.post("/v1/policies/lat/measurements", json=columns).status_code == 201
    csv = b"metric,time,value,site\nlatency,2026-01-06T10:00:00Z,150,B\n"
    headers = {"Content-Type": "text/csv; charset=utf-8"}
    assert client.post("/v1/policies/lat/measurements", content=csv, headers=headers).status_code == 201
    ndjson = b'{"metric": "latency", "time": "2026-02-03T10:00:00Z", "value": 70}\n'
    headers = {"Content-Type": "application/x-ndjson"}
    assert client.post("/v1/policies/lat/measurements", content=ndjson, headers=headers).status_code == 201
    report = client.post("/v1/policies/lat/evaluate", params=RANGE).json()
    assert report["total_credit"] == 50.0 and report["inputs"]["rows"] == 3


def test_one_invalid_row_stores_nothing_and_names_row_and_field(client: TestClient) -> None:
    setup_policy(client)
    bad = [*ROWS, {"metric": "latency", "time": "2026-01-07", "value": 1}]
    response = client.post("/v1/policies/lat/measurements", json={"measurements": bad})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["field"]) == (4, "time")
    assert "offset" in error["message"] and error["hint"]
    assert stored_rows(client) == 0


def test_a_row_the_policy_refuses_is_refused_at_ingest_so_stored_data_stays_evaluable(
    client: TestClient,
) -> None:
    """A negative duration (language.md, Precise readings: Rows) is refused when the batch arrives,
    naming the row and field, and nothing of the batch is stored: were it stored, every later
    evaluation of the stored measurements would fail on it."""
    source = 'fee 1000 EUR monthly\nmetric fix duration\nsla "Fix": fix p95 < 4h monthly, credit 5%\n'
    assert client.post("/v1/policies", json={"name": "fix", "source": source}).status_code == 201
    rows = [
        {"metric": "fix", "time": "2026-01-05T10:00:00Z", "value": 3600},
        {"metric": "fix", "time": "2026-01-06T10:00:00Z", "value": -60},
    ]
    response = client.post("/v1/policies/fix/measurements", json={"measurements": rows})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["code"], error["row"], error["field"]) == ("E622", 2, "value")
    report = client.post("/v1/policies/fix/evaluate", params=RANGE)
    assert report.is_success and report.json()["inputs"]["rows"] == 0


def test_retry_with_the_same_idempotency_key_is_a_no_op_returning_the_first_answer(
    client: TestClient,
) -> None:
    setup_policy(client)
    headers = {"Idempotency-Key": "batch-2026-01"}
    first = client.post("/v1/policies/lat/measurements", json={"measurements": ROWS}, headers=headers)
    again = client.post("/v1/policies/lat/measurements", json={"measurements": ROWS}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert stored_rows(client) == 3


def test_same_idempotency_key_with_another_batch_is_409(client: TestClient) -> None:
    setup_policy(client)
    headers = {"Idempotency-Key": "k"}
    client.post("/v1/policies/lat/measurements", json={"measurements": ROWS}, headers=headers)
    other = client.post("/v1/policies/lat/measurements", json={"measurements": ROWS[:1]}, headers=headers)
    assert other.status_code == 409 and other.json()["errors"][0]["code"] == "idempotency_conflict"
    assert stored_rows(client) == 3


def test_unknown_content_type_is_415_listing_the_accepted_ones(client: TestClient) -> None:
    setup_policy(client)
    response = client.post(
        "/v1/policies/lat/measurements", content=b"x", headers={"Content-Type": "text/xml"}
    )
    assert response.status_code == 415 and "text/csv" in response.json()["errors"][0]["hint"]


def test_empty_body_is_422(client: TestClient) -> None:
    setup_policy(client)
    assert client.post("/v1/policies/lat/measurements").status_code == 422


def test_batch_over_the_row_limit_is_413(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'sla.db'}", max_batch_rows=2)
    with TestClient(create_app(settings=settings)) as client:
        setup_policy(client)
        response = client.post("/v1/policies/lat/measurements", json={"measurements": ROWS})
        assert response.status_code == 413 and "limit is 2" in response.json()["errors"][0]["message"]
        assert stored_rows(client) == 0


def test_measurements_for_unknown_or_archived_policies_are_refused(client: TestClient) -> None:
    assert client.post("/v1/policies/nobody/measurements", json={"measurements": ROWS}).status_code == 404
    setup_policy(client)
    client.delete("/v1/policies/lat")
    assert client.post("/v1/policies/lat/measurements", json={"measurements": ROWS}).status_code == 409


def test_concurrent_retries_with_one_key_store_the_batch_once(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        assert http.post("/v1/policies", json={"name": "lat", "source": LATENCY}).status_code == 201
    barrier = threading.Barrier(6)

    def send(_: int) -> tuple[int, int]:
        with httpx.Client(base_url=server, timeout=30) as http:
            barrier.wait()
            response = http.post(
                "/v1/policies/lat/measurements",
                json={"measurements": ROWS},
                headers={"Idempotency-Key": "once"},
            )
        return response.status_code, response.json()["batch"]

    with ThreadPoolExecutor(6) as pool:
        answers = set(pool.map(send, range(6)))
    assert len(answers) == 1 and next(iter(answers))[0] == 201
    with httpx.Client(base_url=server, timeout=30) as http:
        assert http.post("/v1/policies/lat/evaluate", params=RANGE).json()["inputs"]["rows"] == 3


def test_a_stored_row_a_later_version_cannot_use_is_named_by_batch_and_row(client: TestClient) -> None:
    """Batches are admitted against the latest version. A value of 1.5 is a fine `number` under
    version 1; version 2 declares the metric a ratio, so evaluating the stored data names batch 2,
    row 2 (the ratio must lie in [0, 1])."""
    client.post("/v1/policies", json={"name": "fix", "source": 'kpi "Fix": fix mean >= 0.7 monthly\n'})
    good = [{"metric": "fix", "time": "2026-01-05T10:00:00Z", "value": 0.5}]
    bad = [*good, {"metric": "fix", "time": "2026-01-06T10:00:00Z", "value": 1.5}]
    client.post("/v1/policies/fix/measurements", json={"measurements": good})
    second = client.post("/v1/policies/fix/measurements", json={"measurements": bad}).json()["batch"]
    ratio = 'metric fix ratio\nkpi "Fix": fix mean >= 70% monthly\n'
    assert client.put("/v1/policies/fix", json={"source": ratio}).status_code == 201
    response = client.post("/v1/policies/fix/evaluate")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["batch"], error["row"], error["field"]) == (second, 2, "value")
