"""The CRM service of ``crm_backend.py`` behind a small FastAPI app.

Run it with ``python examples/web_api.py`` (FastAPI, httpx and SQLAlchemy come with the
test extra: ``pip install -e ".[test]"``); it serves nothing, it calls the app in-process
through httpx and prints what each call answered. To serve it for real:
``uvicorn web_api:app`` from the examples folder.

- ``POST /contacts`` takes a contact document (``pk.to_dict``'s form) and answers 201;
  ``GET /contacts/{id}`` answers it back.
- ``POST /contacts/{id}/events/{event}`` fires an event: 200 with the new contact and the
  recorded changes; **409** when the contact is no longer at the ``expected_version`` the
  client sent (or other workers kept winning); **422** with the guard's explanation and the
  facts still missing when a guard blocks, or with the allowed events when the event does
  not apply; **422** with the ``SchemaError`` path on a bad document.
- The OpenAPI description uses the JSON Schemas pipelinekit generates for its documents
  (``pk.json_schema``), so clients see the real format, not an opaque object.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import pipelinekit as pk

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the example next to this one
from crm_backend import Conflict, ContactStore, sqlite_engine

COMPONENTS = "#/components/schemas/{name}"


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def create_app(store: ContactStore) -> FastAPI:
    """The app, serving ``store``."""
    app = FastAPI(title="pipelinekit CRM", version=pk.__version__)

    @app.exception_handler(pk.SchemaError)
    async def invalid_document(_: Request, error: pk.SchemaError) -> JSONResponse:
        content = {"error": "invalid_document", "path": error.path, "problem": error.problem}
        return JSONResponse(status_code=422, content=content)

    @app.exception_handler(pk.TransitionBlocked)
    async def blocked(_: Request, error: pk.TransitionBlocked) -> JSONResponse:
        content = {
            "error": "transition_blocked",
            "event": error.event,
            "explanation": str(error.verdict),
            "missing": list(error.verdict.unknown_facts()),
            "verdict": pk.to_dict(error.verdict),
        }
        return JSONResponse(status_code=422, content=content)

    @app.exception_handler(pk.InvalidTransition)
    async def not_applicable(_: Request, error: pk.InvalidTransition) -> JSONResponse:
        content = {
            "error": "invalid_transition",
            "message": str(error),
            "stage": None if error.stage is None else str(error.stage),
            "allowed": list(error.allowed),
        }
        return JSONResponse(status_code=422, content=content)

    @app.exception_handler(pk.ReasonRequired)
    async def reason_required(_: Request, error: pk.ReasonRequired) -> JSONResponse:
        content = {"error": "reason_required", "event": error.event, "message": str(error)}
        return JSONResponse(status_code=422, content=content)

    @app.exception_handler(pk.StaleVersion)
    async def stale(_: Request, error: pk.StaleVersion) -> JSONResponse:
        content = {"error": "version_conflict", "expected": error.expected, "actual": error.actual}
        return JSONResponse(status_code=409, content=content)

    @app.exception_handler(Conflict)
    async def conflict(_: Request, error: Conflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"error": "conflict", "message": str(error)})

    contact_ref = {"$ref": COMPONENTS.replace("{name}", "Contact")}

    @app.post(
        "/contacts",
        status_code=201,
        openapi_extra=_body(contact_ref),
        responses={201: {"content": {"application/json": {"schema": contact_ref}}}},
    )
    async def add_contact(request: Request) -> JSONResponse:
        contact = pk.from_dict(await request.json(), pk.Contact)
        try:
            store.add(contact)
        except sa.exc.IntegrityError:
            content = {"error": "exists", "message": f"contact {contact.id!r} exists"}
            return JSONResponse(status_code=409, content=content)
        return JSONResponse(status_code=201, content=pk.to_dict(contact))

    @app.get(
        "/contacts/{contact_id}",
        responses={200: {"content": {"application/json": {"schema": contact_ref}}}},
    )
    async def get_contact(contact_id: str) -> JSONResponse:
        try:
            contact = store.get(contact_id)
        except sa.exc.NoResultFound:
            content = {"error": "not_found", "message": f"no contact {contact_id!r}"}
            return JSONResponse(status_code=404, content=content)
        return JSONResponse(content=pk.to_dict(contact))

    event_body = {
        "type": "object",
        "properties": {
            "by": {"type": ["string", "null"]},
            "reason": {"type": ["string", "null"]},
            "expected_version": {"type": ["integer", "null"], "minimum": 0},
        },
        "additionalProperties": False,
    }

    @app.post("/contacts/{contact_id}/events/{event}", openapi_extra=_body(event_body))
    async def fire(contact_id: str, event: str, request: Request) -> JSONResponse:
        body = await request.json() if await request.body() else {}
        if not isinstance(body, dict) or set(body) - {"by", "reason", "expected_version"}:
            content = {"error": "invalid_document", "path": "$", "problem": "unknown keys"}
            return JSONResponse(status_code=422, content=content)
        try:
            step = store.advance(
                contact_id,
                event,
                by=body.get("by"),
                reason=body.get("reason"),
                expected_version=body.get("expected_version"),
            )
        except sa.exc.NoResultFound:
            content = {"error": "not_found", "message": f"no contact {contact_id!r}"}
            return JSONResponse(status_code=404, content=content)
        except (pk.FieldValueError, pk.FieldTypeError) as error:
            content = {"error": "invalid_request", "field": error.field, "message": str(error)}
            return JSONResponse(status_code=422, content=content)
        changes = [pk.to_dict(change) for change in step.changes]
        return JSONResponse(content={"contact": pk.to_dict(step.contact), "changes": changes})

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi  # noqa: PLC0415

            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            contact: dict[str, Any] = pk.json_schema(pk.Contact, ref_template=COMPONENTS)
            components.update(contact.pop("$defs"))
            contact.pop("$schema")  # OpenAPI 3.1 documents name their dialect once
            components["Contact"] = contact
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
    return app


def guarded_pipeline() -> pk.Pipeline:
    """The default pipeline, with qualifying guarded by a small ideal customer profile."""
    big_enough = (pk.field("account.employees") >= 50).named("ICP: 50+ employees")
    icp = big_enough & pk.field("need").is_not_empty().named("a stated need")
    return pk.Pipeline(guards={"qualify": icp})


def main() -> None:
    import asyncio  # noqa: PLC0415

    async def calls(app: FastAPI) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://crm") as client:
            jane = {"id": "jane", "name": "Jane Roe", "account": {"name": "Acme"}}
            answer = await client.post("/contacts", json=jane)
            print("POST /contacts", answer.status_code)
            answer = await client.post("/contacts/jane/events/qualify", json={"by": "sam"})
            print("qualify", answer.status_code, answer.json()["missing"])
            full = {
                **jane,
                "id": "sam",
                "need": "reports",
                "account": {"name": "B", "employees": 80},
            }
            await client.post("/contacts", json=full)
            answer = await client.post("/contacts/sam/events/qualify", json={"expected_version": 0})
            print("qualify", answer.status_code, answer.json()["contact"]["stage"])
            answer = await client.post("/contacts/sam/events/convert", json={"expected_version": 0})
            print("convert, stale version", answer.status_code, answer.json())
            answer = await client.post("/contacts", json={**jane, "id": "x", "budget": 5000.0})
            print("bad document", answer.status_code, answer.json()["path"])
            schema = (await client.get("/openapi.json")).json()
            print("OpenAPI components:", ", ".join(sorted(schema["components"]["schemas"])))

    with tempfile.TemporaryDirectory() as folder:
        engine = sqlite_engine(Path(folder) / "crm.sqlite")
        store = ContactStore(engine, guarded_pipeline())
        store.create_schema()
        asyncio.run(calls(create_app(store)))
        engine.dispose()


if __name__ == "__main__":
    main()
