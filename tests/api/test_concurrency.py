"""Concurrent writers through a real server: versions are never lost or duplicated."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

SIMPLE = 'sla "P1 resolution": resolution_time p95 < 4h monthly, credit 5%\n'
WRITERS = 8


def test_simultaneous_puts_get_consecutive_versions_none_lost(server: str) -> None:
    """8 writers PUT different texts at once onto version 1: versions 2..9, one each."""
    with httpx.Client(base_url=server, timeout=30) as http:
        assert http.post("/v1/policies", json={"name": "desk", "source": SIMPLE}).status_code == 201
    barrier = threading.Barrier(WRITERS)

    def write(writer: int) -> tuple[int, int, str]:
        source = f"# writer {writer}\n{SIMPLE}"
        with httpx.Client(base_url=server, timeout=30) as http:
            barrier.wait()
            response = http.put("/v1/policies/desk", json={"source": source})
        return response.status_code, response.json()["version"], response.json()["content_hash"]

    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(write, range(WRITERS)))
    assert {status for status, _, _ in results} == {201}
    assert sorted(version for _, version, _ in results) == list(range(2, WRITERS + 2))
    with httpx.Client(base_url=server, timeout=30) as http:
        history = http.get("/v1/policies/desk/versions").json()["versions"]
    assert [v["version"] for v in history] == list(range(1, WRITERS + 2))
    stored = {(v["version"], v["content_hash"]) for v in history[1:]}
    assert stored == {(version, digest) for _, version, digest in results}
