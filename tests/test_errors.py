"""The error tree: every error is a PipelineError and the builtin it resembles."""

from __future__ import annotations

import inspect

import pytest

import pipelinekit as pk
from pipelinekit import errors

ERRORS: list[type[Exception]] = [getattr(errors, name) for name in errors.__all__]
#: The builtin each error also derives from (the two abstract bases: none).
BUILTIN: dict[str, type[Exception] | None] = {
    "PipelineError": None,
    "FieldError": None,
    "FieldTypeError": TypeError,
    "UnsupportedType": TypeError,
    "MissingDependency": ImportError,
}


class TestTree:
    @pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
    def test_subclasses_pipeline_error_and_a_builtin(self, error: type[Exception]) -> None:
        """Every error derives from PipelineError and from ValueError, TypeError or ImportError."""
        assert issubclass(error, pk.PipelineError)
        builtin = BUILTIN.get(error.__name__, ValueError)
        for candidate in (ValueError, TypeError, ImportError):
            assert issubclass(error, candidate) is (candidate is builtin)

    @pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
    def test_drawn_in_module_docstring(self, error: type[Exception]) -> None:
        """The tree in errors.py's docstring lists every error."""
        doc = errors.__doc__ or ""
        assert f"── {error.__name__} " in doc or f"    {error.__name__}\n" in doc

    @pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
    def test_exported_and_documented(self, error: type[Exception]) -> None:
        assert getattr(pk, error.__name__) is error
        assert inspect.getdoc(error)

    def test_field_errors(self) -> None:
        """FieldValueError / FieldTypeError carry the field and put it first in the message."""
        for cls, builtin in (
            (pk.FieldValueError, ValueError),
            (pk.FieldTypeError, TypeError),
        ):
            error = cls("employees", "must be >= 0, got -1")
            assert isinstance(error, pk.FieldError)
            assert isinstance(error, builtin)
            assert error.field == "employees"
            assert str(error) == "employees: must be >= 0, got -1"

    def test_schema_error(self) -> None:
        error = pk.SchemaError("$.account.employees", "expected int, got str '12'")
        assert (error.path, error.problem) == ("$.account.employees", "expected int, got str '12'")
        assert str(error) == "$.account.employees: expected int, got str '12'"
        assert isinstance(error, ValueError)

    def test_caught_as_builtins(self) -> None:
        """Callers who do not know pipelinekit can catch ValueError / TypeError."""
        with pytest.raises(ValueError, match="employees"):
            pk.Account(name="Acme", employees=-1)
        with pytest.raises(TypeError, match="employees"):
            pk.Account(name="Acme", employees="many")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"\$\.name"):
            pk.from_dict({"name": 1}, pk.Account)
        with pytest.raises(ValueError, match="cannot add"):
            pk.Money("1", "EUR") + pk.Money("1", "USD")

    def test_invalid_transition_attributes(self) -> None:
        error = pk.InvalidTransition("win", "lead", frozenset({"qualify", "disqualify"}))
        assert (error.event, error.stage) == ("win", "lead")
        assert "disqualify, qualify" in str(error)
