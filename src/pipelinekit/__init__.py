"""pipelinekit: typed, explainable sales pipelines.

Contacts and accounts as validated values, qualification criteria as composable and
explainable values, and a guarded lead → prospect → opportunity → customer lifecycle.
No I/O: callers pass time in (``at=``) and get values back.

>>> import pipelinekit as pk
>>> pk.Contact(id="c-1", name="Jane Roe").stage
<Stage.LEAD: 'lead'>
"""

from pipelinekit.entities import (
    Account,
    Channel,
    Contact,
    FactValue,
    Opportunity,
    Role,
    StageChange,
    Stakeholder,
    Touchpoint,
)
from pipelinekit.errors import (
    CurrencyMismatch,
    FieldError,
    FieldTypeError,
    FieldValueError,
    InvalidHistory,
    InvalidPipeline,
    InvalidTransition,
    PipelineError,
    QualifierError,
    ReasonRequired,
    SchemaError,
    StaleVersion,
    TransitionBlocked,
    UnsupportedType,
)
from pipelinekit.lifecycle import (
    DEFAULT_SPEC,
    BulkResult,
    NextAction,
    Pipeline,
    PipelineSpec,
    StageSpec,
    Step,
    Transition,
)
from pipelinekit.qualifiers import (
    Field,
    Outcome,
    Qualifier,
    Verdict,
    all_of,
    any_item,
    any_of,
    at_least,
    count_items,
    field,
    frameworks,
    weighted,
)
from pipelinekit.serialization import JSON, SCHEMA_VERSION, Document, from_dict, to_dict
from pipelinekit.stages import Stage, StageInfo
from pipelinekit.values import Money

__version__ = "0.1.0.dev0"

__all__ = [
    "Account",
    "BulkResult",
    "Channel",
    "Contact",
    "CurrencyMismatch",
    "DEFAULT_SPEC",
    "Document",
    "FactValue",
    "Field",
    "FieldError",
    "FieldTypeError",
    "FieldValueError",
    "InvalidHistory",
    "InvalidPipeline",
    "InvalidTransition",
    "JSON",
    "Money",
    "NextAction",
    "Opportunity",
    "Outcome",
    "Pipeline",
    "PipelineError",
    "PipelineSpec",
    "Qualifier",
    "QualifierError",
    "ReasonRequired",
    "Role",
    "SCHEMA_VERSION",
    "SchemaError",
    "Stage",
    "StageChange",
    "StageInfo",
    "StageSpec",
    "Stakeholder",
    "StaleVersion",
    "Step",
    "Touchpoint",
    "Transition",
    "TransitionBlocked",
    "UnsupportedType",
    "Verdict",
    "all_of",
    "any_item",
    "any_of",
    "at_least",
    "count_items",
    "field",
    "frameworks",
    "from_dict",
    "to_dict",
    "weighted",
]
