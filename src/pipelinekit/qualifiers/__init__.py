"""Composable, explainable qualification criteria.

.. versionadded:: 0.1.0
"""

from pipelinekit import _codegen  # noqa: F401  # installs the code generator on the nodes
from pipelinekit.qualifiers import frameworks
from pipelinekit.qualifiers.checklist import Checklist, ChecklistItem
from pipelinekit.qualifiers.composites import (
    AllOf,
    AnyOf,
    AtLeast,
    Not,
    Weighted,
    all_of,
    any_of,
    at_least,
    weighted,
)
from pipelinekit.qualifiers.core import MAX_DEPTH, Node, Qualifier
from pipelinekit.qualifiers.fields import Field, field
from pipelinekit.qualifiers.items import AnyItem, CountItems, any_item, count_items
from pipelinekit.qualifiers.leaves import (
    Compare,
    Contains,
    IsEmpty,
    IsIn,
    IsKnown,
    IsMissing,
    IsNotEmpty,
    Leaf,
    Matches,
    NotIn,
    OlderThan,
    Within,
    WithinLast,
    WithinNext,
)
from pipelinekit.qualifiers.verdict import Outcome, Verdict

__all__ = [
    "MAX_DEPTH",
    "AllOf",
    "AnyItem",
    "AnyOf",
    "AtLeast",
    "Checklist",
    "ChecklistItem",
    "Compare",
    "Contains",
    "CountItems",
    "Field",
    "IsIn",
    "IsEmpty",
    "IsKnown",
    "IsMissing",
    "IsNotEmpty",
    "Leaf",
    "Matches",
    "Node",
    "Not",
    "NotIn",
    "OlderThan",
    "Outcome",
    "Qualifier",
    "Verdict",
    "Weighted",
    "Within",
    "WithinLast",
    "WithinNext",
    "all_of",
    "any_item",
    "any_of",
    "at_least",
    "count_items",
    "field",
    "frameworks",
    "weighted",
]
