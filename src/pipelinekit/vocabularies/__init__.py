"""Ready pipelines and two-way stage mappings for the CRMs users come from.

Each supported system (:data:`SYSTEMS`: ``"salesforce"``, ``"hubspot"``, ``"odoo"``,
``"frappe"``) has a *ready spec*, a :class:`~pipelinekit.PipelineSpec` whose deal stages are
the vendor's default ones (with their probabilities, forecast categories and labels), and
one :class:`Vocabulary` per vendor field that holds a stage: a data table of
:class:`Term` rows, each naming the vendor page it follows.

:func:`to_pipelinekit` reads a vendor value as a stage of the system's ready spec;
:func:`from_pipelinekit` writes a stage back as a vendor value. Where the vendor's model and
pipelinekit's differ the mapping is *lossy*, and the row says why (:attr:`Term.note`):

- several vendor values name one stage (HubSpot's subscriber, lead and MQL are all
  leads): reading gives the stage, writing it back gives the stage's one canonical value;
- one vendor value stands for several stages (Salesforce's "Closed - Converted" is every
  stage after conversion): reading gives the first of them, writing any of them back gives
  the value;
- a vendor field has no value for a stage (HubSpot has no lost lifecycle stage, Odoo no
  lost stage and no prospect stage at all): writing it back is a
  :class:`~pipelinekit.FieldValueError` that says where the vendor keeps that state.

>>> from pipelinekit import vocabularies
>>> vocabularies.to_pipelinekit("salesforce", "Negotiation/Review")
'negotiation_review'
>>> vocabularies.from_pipelinekit("hubspot", "customer")
'closedwon'
>>> vocabularies.from_pipelinekit("hubspot", "customer", vocabulary="lifecyclestage")
'customer'
>>> vocabularies.ready_spec("salesforce").stage("proposal_price_quote").probability
Decimal('0.75')

.. versionadded:: 0.2.0
"""

from pipelinekit.vocabularies._mapping import (
    from_pipelinekit,
    ready_spec,
    tables,
    to_pipelinekit,
)
from pipelinekit.vocabularies._terms import SYSTEMS, System, Term, Vocabulary

__all__ = [
    "SYSTEMS",
    "System",
    "Term",
    "Vocabulary",
    "from_pipelinekit",
    "ready_spec",
    "tables",
    "to_pipelinekit",
]
