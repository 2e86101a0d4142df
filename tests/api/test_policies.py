"""``/v1/policies``: versions numbered 1, 2, ..., immutable, never deleted; errors in one shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

SIMPLE = 'sla "P1 resolution": resolution_time p95 < 4h monthly, credit 5%\n'


def create(client: TestClient, name: str, source: str) -> dict:
    response = client.post("/v1/policies", json={"name": name, "source": source, "author": "ana"})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_returns_201_version_1_with_header_and_clause_ids(
    client: TestClient, desk_source: str
) -> None:
    body = create(client, "desk", desk_source)
    assert (body["name"], body["version"], body["author"]) == ("desk", 1, "ana")
    assert body["source"] == desk_source
    assert body["header"]["policy"] == "Northwind Service Desk"
    assert body["header"]["fee"] == {"amount": "85000", "currency": "GBP", "period": "month"}
    assert [c["id"] for c in body["clauses"]][:2] == ["p1-response", "p1-resolution"]
    assert body["clauses"][0]["kind"] == "sla"
    assert len(body["content_hash"]) == 64


def test_create_existing_name_is_409_in_the_error_shape(client: TestClient) -> None:
    create(client, "desk", SIMPLE)
    response = client.post("/v1/policies", json={"name": "desk", "source": SIMPLE})
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert "exists" in error["message"] and "PUT /v1/policies/desk" in error["hint"]


def test_invalid_source_is_422_with_line_column_snippet_and_hint(client: TestClient) -> None:
    response = client.post("/v1/policies", json={"name": "bad", "source": "x p95 < 4h montly\n"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["line"], error["column"], error["snippet"]) == (1, 12, "x p95 < 4h montly")
    assert error["hint"] == "did you mean `monthly`?"
    assert client.get("/v1/policies/bad").status_code == 404


def test_policy_over_one_mebibyte_is_413(client: TestClient) -> None:
    source = SIMPLE + "# " + "x" * (1024 * 1024) + "\n"
    response = client.post("/v1/policies", json={"name": "huge", "source": source})
    assert response.status_code == 413
    assert "limit" in response.json()["errors"][0]["message"]


def test_put_adds_the_next_version_and_keeps_the_old_one_unchanged(client: TestClient) -> None:
    create(client, "desk", SIMPLE)
    looser = SIMPLE.replace("4h", "6h")
    response = client.put("/v1/policies/desk", json={"source": looser, "author": "bo"})
    assert response.status_code == 201
    assert (response.json()["version"], response.json()["author"]) == (2, "bo")
    assert client.get("/v1/policies/desk").json()["source"] == looser
    assert client.get("/v1/policies/desk/versions/1").json()["source"] == SIMPLE
    history = client.get("/v1/policies/desk/versions").json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert [v["author"] for v in history["versions"]] == ["ana", "bo"]


def test_put_of_the_latest_text_creates_nothing_and_returns_it(client: TestClient) -> None:
    create(client, "desk", SIMPLE)
    response = client.put("/v1/policies/desk", json={"source": SIMPLE})
    assert (response.status_code, response.json()["version"]) == (200, 1)
    assert len(client.get("/v1/policies/desk/versions").json()["versions"]) == 1


def test_put_differing_only_in_layout_is_the_same_version(client: TestClient) -> None:
    """Versions are identified by canonical text: re-spacing a clause changes no term of the contract."""
    create(client, "desk", SIMPLE)
    respaced = SIMPLE.replace(": ", ":   ").replace(", credit", ",credit")
    response = client.put("/v1/policies/desk", json={"source": respaced})
    assert (response.status_code, response.json()["version"]) == (200, 1)


def test_put_of_an_unknown_policy_is_404(client: TestClient) -> None:
    response = client.put("/v1/policies/nobody", json={"source": SIMPLE})
    assert response.status_code == 404
    assert response.json()["errors"][0]["hint"] == "create it with POST /v1/policies"


def test_delete_archives_hidden_from_list_history_readable(client: TestClient) -> None:
    create(client, "desk", SIMPLE)
    create(client, "hosting", SIMPLE)
    response = client.delete("/v1/policies/desk")
    assert response.status_code == 200 and response.json()["archived_at"] is not None
    assert [p["name"] for p in client.get("/v1/policies").json()["policies"]] == ["hosting"]
    listed = client.get("/v1/policies", params={"archived": "true"}).json()["policies"]
    assert [p["name"] for p in listed] == ["desk", "hosting"]
    assert client.get("/v1/policies/desk").json()["source"] == SIMPLE
    assert client.get("/v1/policies/desk/versions/1").status_code == 200
    assert client.delete("/v1/policies/desk").status_code == 200


def test_archived_policy_takes_no_new_version_and_keeps_its_name(client: TestClient) -> None:
    create(client, "desk", SIMPLE)
    client.delete("/v1/policies/desk")
    assert client.put("/v1/policies/desk", json={"source": SIMPLE.replace("4h", "6h")}).status_code == 409
    assert client.post("/v1/policies", json={"name": "desk", "source": SIMPLE}).status_code == 409


def test_unknown_version_is_404_naming_the_range(client: TestClient) -> None:
    create(client, "desk", SIMPLE)
    response = client.get("/v1/policies/desk/versions/7")
    assert response.status_code == 404
    assert response.json()["errors"][0]["hint"] == "versions run from 1 to 1"


def test_malformed_request_is_422_naming_the_field(client: TestClient) -> None:
    response = client.post("/v1/policies", json={"name": "desk"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "source"
    bad_name = client.post("/v1/policies", json={"name": "no spaces", "source": SIMPLE})
    assert bad_name.status_code == 422 and bad_name.json()["errors"][0]["field"] == "name"
