"""The web API example, called through httpx (its ASGI transport: the app's real HTTP
handling, in-process, without a server)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")
jsonschema = pytest.importorskip("jsonschema")
import asyncio  # noqa: E402

import httpx  # noqa: E402

import pipelinekit as pk  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import web_api  # noqa: E402
from crm_backend import ContactStore, sqlite_engine  # noqa: E402

JANE = {"id": "jane", "name": "Jane Roe", "account": {"name": "Acme", "employees": 80}}


class Client:
    """A synchronous face on httpx's async client over the app's ASGI transport."""

    def __init__(self, app: Any) -> None:
        self.transport = httpx.ASGITransport(app=app)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            async with httpx.AsyncClient(transport=self.transport, base_url="http://crm") as c:
                return await c.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str) -> httpx.Response:
        return self.request("GET", url)

    def post(self, url: str, json: object = None) -> httpx.Response:
        return self.request("POST", url, json=json)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Client]:
    engine = sqlite_engine(tmp_path / "crm.sqlite")
    store = ContactStore(engine, web_api.guarded_pipeline())
    store.create_schema()
    yield Client(web_api.create_app(store))
    engine.dispose()


def test_create_and_read(client: Client) -> None:
    created = client.post("/contacts", json=JANE)
    assert created.status_code == 201
    read = client.get("/contacts/jane")
    assert read.status_code == 200
    assert pk.from_dict(read.json(), pk.Contact) == pk.from_dict(JANE, pk.Contact)
    assert client.post("/contacts", json=JANE).status_code == 409
    assert client.get("/contacts/nobody").status_code == 404


def test_an_event_answers_the_step(client: Client) -> None:
    client.post("/contacts", json={**JANE, "need": "reports"})
    answer = client.post("/contacts/jane/events/qualify", json={"by": "sam", "expected_version": 0})
    assert answer.status_code == 200
    body = answer.json()
    assert body["contact"]["stage"] == "prospect"
    assert body["contact"]["version"] == 1
    (change,) = body["changes"]
    assert (change["source"], change["target"], change["by"]) == ("lead", "prospect", "sam")
    assert client.get("/contacts/jane").json()["version"] == 1


def test_a_stale_version_is_a_conflict(client: Client) -> None:
    client.post("/contacts", json={**JANE, "need": "reports"})
    client.post("/contacts/jane/events/qualify", json={"expected_version": 0})
    answer = client.post("/contacts/jane/events/convert", json={"expected_version": 0})
    assert answer.status_code == 409
    assert answer.json() == {"error": "version_conflict", "expected": 0, "actual": 1}
    assert client.get("/contacts/jane").json()["stage"] == "prospect"


def test_a_blocked_guard_explains_itself(client: Client) -> None:
    client.post("/contacts", json={"id": "jo", "name": "Jo", "account": {"name": "Tiny"}})
    answer = client.post("/contacts/jo/events/qualify")
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "transition_blocked"
    assert body["event"] == "qualify"
    assert body["missing"] == ["account.employees", "need"]
    assert "ICP: 50+ employees" in body["explanation"]
    verdict = pk.from_dict(body["verdict"], pk.Verdict)
    assert verdict.outcome is pk.Outcome.UNKNOWN
    assert client.get("/contacts/jo").json()["version"] == 0


def test_an_event_that_does_not_apply(client: Client) -> None:
    client.post("/contacts", json=JANE)
    answer = client.post("/contacts/jane/events/win")
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "invalid_transition"
    assert body["stage"] == "lead"
    assert "qualify" in body["allowed"]


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({**JANE, "budget": 5000.0}, "$.budget"),
        ({**JANE, "email": "jane@"}, "$.email"),
        ({"name": "No id"}, "$.id"),
        ({**JANE, "account": {"name": "Acme", "employees": "80"}}, "$.account.employees"),
    ],
)
def test_a_bad_document_names_its_path(client: Client, document: dict[str, Any], path: str) -> None:
    answer = client.post("/contacts", json=document)
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "invalid_document"
    assert body["path"].startswith(path)


def test_bad_event_requests(client: Client) -> None:
    client.post("/contacts", json=JANE)
    unknown = client.post("/contacts/jane/events/qualify", json={"who": "sam"})
    assert unknown.status_code == 422
    blank = client.post("/contacts/jane/events/qualify", json={"by": "  "})
    assert blank.status_code == 422
    assert blank.json()["field"] == "by"
    no_reason = client.post("/contacts/jane/events/disqualify", json={"reason": None})
    assert no_reason.status_code == 422
    assert no_reason.json()["error"] == "reason_required"
    assert client.post("/contacts/nobody/events/qualify").status_code == 404


def test_openapi_uses_pipelinekit_schemas(client: Client) -> None:
    openapi = client.get("/openapi.json").json()
    components = openapi["components"]["schemas"]
    assert components["Contact"]["properties"]["account"] == {
        "anyOf": [{"$ref": "#/components/schemas/Account"}, {"type": "null"}]
    }
    body = openapi["paths"]["/contacts"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Contact"}
    # The schema in the OpenAPI document validates what to_dict writes, and refuses junk.
    checker = jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Contact", **openapi})
    contact = pk.from_dict({**JANE, "budget": {"amount": "10", "currency": "EUR"}}, pk.Contact)
    assert checker.is_valid(pk.to_dict(contact))
    assert not checker.is_valid({**JANE, "account": {"name": " "}})
