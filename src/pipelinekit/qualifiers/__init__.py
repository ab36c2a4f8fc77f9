"""Composable, explainable qualification criteria."""

from pipelinekit.qualifiers.core import Qualifier
from pipelinekit.qualifiers.verdict import Outcome, Verdict

__all__ = ["Outcome", "Qualifier", "Verdict"]
