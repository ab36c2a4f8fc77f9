"""The exceptions pipelinekit raises.

Every exception derives from :class:`PipelineError` and also from the builtin it
most resembles, so ``except ValueError`` keeps working for callers who do not
know pipelinekit::

    PipelineError
     ├── FieldError                    .field: the attribute that was wrong
     │    ├── FieldValueError          (ValueError)  a value out of its domain
     │    └── FieldTypeError           (TypeError)   a value of the wrong type
     ├── CurrencyMismatch              (ValueError)  arithmetic across currencies
     ├── SchemaError                   (ValueError)  .path: bad input to from_dict
     ├── UnsupportedType               (TypeError)   .type: no document form for this type
     ├── QualifierError                (ValueError)  a qualifier built or evaluated wrongly
     ├── InvalidPipeline               (ValueError)  a pipeline spec that cannot work
     ├── InvalidTransition             (ValueError)  .event, .stage: event not valid here
     ├── TransitionBlocked             (ValueError)  .event, .verdict: a guard did not pass
     ├── ReasonRequired                (ValueError)  .event: the event needs a reason
     ├── StaleVersion                  (ValueError)  .expected, .actual: optimistic lock
     ├── InvalidHistory                (ValueError)  .index: a history that does not replay
     └── MissingDependency             (ImportError) .name, .extra: an optional package is absent
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from pipelinekit._text import escape_text

if TYPE_CHECKING:
    from pipelinekit.qualifiers.verdict import Verdict

__all__ = [
    "CurrencyMismatch",
    "FieldError",
    "FieldTypeError",
    "FieldValueError",
    "InvalidHistory",
    "InvalidPipeline",
    "InvalidTransition",
    "MissingDependency",
    "PipelineError",
    "QualifierError",
    "ReasonRequired",
    "SchemaError",
    "StaleVersion",
    "TransitionBlocked",
    "UnsupportedType",
]


class PipelineError(Exception):
    """Base class of every error pipelinekit raises."""


class FieldError(PipelineError):
    """A value given for a field was rejected.

    Attributes:
        field: The name of the field (``"employees"``, ``"email"``).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class FieldValueError(FieldError, ValueError):
    """A field got a value of the right type but outside its domain.

    >>> import pipelinekit as pk
    >>> pk.Account(name="Acme", employees=-1)
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: employees: must be >= 0, got -1
    """


class FieldTypeError(FieldError, TypeError):
    """A field got a value of the wrong type."""


class CurrencyMismatch(PipelineError, ValueError):
    """Money amounts in different currencies were combined or compared."""


class SchemaError(PipelineError, ValueError):
    """Data given to :func:`pipelinekit.from_dict` does not fit the schema.

    Attributes:
        path: Where the problem is, as a JSONPath-like string (``"$.account.employees"``).
        problem: What was wrong there (``"expected int"``).

    Both are bounded, whatever the document held: ``path`` is cut to
    :data:`MAX_SCHEMA_PATH` characters and ``problem`` to :data:`MAX_SCHEMA_PROBLEM`
    (the cut is marked with ``...``), so a message never echoes a hostile document.

    >>> error = SchemaError("$.name", "unknown keys " + "x" * 5000)
    >>> len(error.problem) <= MAX_SCHEMA_PROBLEM, error.problem.endswith("...")
    (True, True)
    """

    def __init__(self, path: str, problem: str) -> None:
        path = _cut(str(path), MAX_SCHEMA_PATH)
        problem = _cut(str(problem), MAX_SCHEMA_PROBLEM)
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


MAX_SCHEMA_PATH: Final = 2_000
"""Longest ``SchemaError.path``, in characters (longer paths are cut)."""

MAX_SCHEMA_PROBLEM: Final = 500
"""Longest ``SchemaError.problem``, in characters (longer problems are cut)."""


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with ``...``."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class UnsupportedType(PipelineError, TypeError):
    """A type or object has no document form: a caller's mistake, not bad data.

    Raised by :func:`~pipelinekit.to_dict` for an object it cannot write and by
    :func:`~pipelinekit.from_dict` for a target it cannot build.

    >>> import pipelinekit as pk
    >>> pk.from_dict({"id": "c-1", "name": "Jane"}, "Contact")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.UnsupportedType: from_dict cannot build 'Contact': pass a type ...

    Attributes:
        type: The type (or the object, when it is not a type) that was refused.

    .. versionadded:: 0.1.0
    """

    def __init__(self, type_: object, message: str) -> None:
        super().__init__(message)
        self.type = type_


class QualifierError(PipelineError, ValueError):
    """A qualifier was built with bad arguments, or evaluated without what it needs."""


class InvalidPipeline(PipelineError, ValueError):
    r"""A pipeline definition is inconsistent (unknown or unreachable stage, duplicate event).

    The message shows unsafe characters (newlines, controls, bidirectional overrides) of
    the names and values it quotes as escapes (``\n``), so it stays one line in a log.

    >>> import pipelinekit as pk
    >>> print(pk.InvalidPipeline("stage 'a\nINFO ok' is unknown"))
    stage 'a\nINFO ok' is unknown
    """

    def __init__(self, message: str) -> None:
        super().__init__(escape_text(str(message)))


class InvalidTransition(PipelineError, ValueError):
    """The event does not apply to the contact's current stage.

    Attributes:
        event: The event that was fired; ``None`` when the question was about no event
            (``possible_events``, ``allowed_events``, ``next_action`` on a contact whose
            stage is not one of the pipeline's).
        stage: The stage the contact was in, as given (a :class:`~pipelinekit.Stage` for
            default stages); ``None`` when no contact was involved (an unknown event
            given to ``advance_many``).
        allowed: The events that do apply to that stage (under the pipeline's policy).
    """

    def __init__(
        self,
        event: str | None,
        stage: str | None,
        allowed: frozenset[str] = frozenset(),
        message: str | None = None,
    ) -> None:
        if message is None:
            listed = ", ".join(sorted(allowed)) or "none (the stage is final)"
            message = (
                f"event {event!r} does not apply to stage {str(stage)!r}; events that do: {listed}"
            )
        super().__init__(escape_text(str(message)))  # one line, whatever the names hold
        self.event = event
        self.stage = stage
        self.allowed = allowed


class TransitionBlocked(PipelineError, ValueError):
    """A guard did not pass, so the transition did not happen.

    The message gives the failing requirements of a FAIL (named by their criteria); for
    an UNKNOWN, the missing facts and the reason of every undecided requirement that is
    not missing data (a fact of the wrong type, a guard that raised). Either way it ends
    with the other facts nobody recorded yet (``verdict.unknown_facts()``), the questions
    still to ask.

    Attributes:
        event: The event that was fired.
        verdict: The guard's full :class:`~pipelinekit.Verdict`, explaining why.
    """

    def __init__(self, event: str, verdict: Verdict, message: str | None = None) -> None:
        if message is None:
            if verdict.outcome.value == "unknown":
                message = f"event {event!r} blocked: {self._undecided(verdict)}"
            else:
                message = f"event {event!r} blocked: {verdict.summary()}"
            missing = set(verdict.missing())
            others = [path for path in verdict.unknown_facts() if path not in missing]
            if others:
                message += f"; also unknown: {', '.join(others)}"
        super().__init__(message)
        self.event = event
        self.verdict = verdict

    @staticmethod
    def _undecided(verdict: Verdict) -> str:
        """Why an UNKNOWN verdict is undecided: missing facts, then other reasons."""
        missing = verdict.unknown_facts()
        # The UNKNOWN leaves that unknown_facts() does not list: a present fact that could
        # not be checked (.error), or a leaf that reads no path (a custom or failing guard).
        others = [node.reason or node.error or node.label for node in verdict.undecided()]
        parts = []
        if missing:
            parts.append(
                f"not enough facts to decide {verdict.label}; missing {', '.join(missing)}"
            )
        if others:
            lead = "undecided: " if missing else f"could not decide {verdict.label}: "
            parts.append(lead + "; ".join(others))
        return "; ".join(parts) or f"could not decide {verdict.label} (no reason given)"


class ReasonRequired(PipelineError, ValueError):
    """The event must be given a ``reason`` (lose, disqualify)."""

    def __init__(self, event: str) -> None:
        super().__init__(f"event {event!r} requires a reason")
        self.event = event


class StaleVersion(PipelineError, ValueError):
    """The contact changed since the caller read it (optimistic concurrency).

    Attributes:
        expected: The version the caller expected.
        actual: The contact's version.
    """

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(f"expected version {expected}, but the contact is at version {actual}")
        self.expected = expected
        self.actual = actual


class InvalidHistory(PipelineError, ValueError):
    """A contact's history does not replay under the pipeline.

    Attributes:
        index: The position in the history of the first change that does not fit
            (``None`` when the history as a whole disagrees with the contact).
    """

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class MissingDependency(PipelineError, ImportError):
    """A feature needs an optional package that is not installed.

    The message says what to install: the pipelinekit extra that brings the package
    when there is one, else the package itself.

    >>> error = MissingDependency("matplotlib", feature="Funnel.plot()", extra="plot")
    >>> print(error)
    Funnel.plot() needs matplotlib: pip install 'pipelinekit[plot]'
    >>> isinstance(error, ImportError), error.name, error.extra
    (True, 'matplotlib', 'plot')

    Attributes:
        name: The package that is missing (``"matplotlib"``), as on :class:`ImportError`.
        extra: The pipelinekit extra that installs it (``"plot"``), or ``None``.

    .. versionadded:: 0.2.0
    """

    def __init__(self, package: str, *, feature: str, extra: str | None = None) -> None:
        install = f"pip install 'pipelinekit[{extra}]'" if extra else f"pip install {package}"
        super().__init__(f"{feature} needs {package}: {install}", name=package)
        self.extra = extra
