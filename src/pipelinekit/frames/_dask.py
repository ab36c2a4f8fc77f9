"""Dask frames, answered partition by partition through the eager pandas path.

A Dask DataFrame is a sequence of pandas partitions, and a pandas frame is answered exactly
(:mod:`pipelinekit.frames._native`: its columns handed to pyarrow, the compiled expressions run
there, the answer a pyarrow-backed pandas column on the frame's index). So a Dask frame is not
reached through narwhals' Dask backend (which gives a ``Decimal`` or ``datetime`` literal a
text meta, has no struct fields, and leaves pandas to pick a regular expression engine per
dtype): each partition is answered by the same public function on that pandas partition,
with Dask's own ``map_partitions``. Whatever the eager path supports, Dask supports, with the
same answers.

The meta (the empty frame that tells Dask the result's columns and dtypes) is computed by
the same function on the frame's own meta, ``ddf._meta``. That call compiles the qualifier
against the frame's columns, so a missing path, a custom qualifier or a bad argument is
raised when :func:`~pipelinekit.frames.evaluate` (or ``filter``, ``outcomes``, ``score``) is
called, not when the result is computed; and nothing is computed then: lazy stays lazy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from pipelinekit.errors import QualifierError

__all__ = ["WithColumn", "dask_frame", "per_partition"]


def dask_frame(df: object) -> Any | None:
    """``df`` when it is a Dask DataFrame; ``None`` when it is not Dask's at all.

    Dask is imported only for an object of Dask's own: a caller without Dask never pays for
    it. A Dask object that is not a DataFrame (a Series, an array) is refused by name.
    """
    if type(df).__module__.partition(".")[0] != "dask":
        return None
    import dask.dataframe as dd  # noqa: PLC0415  # the caller's Dask, present since df is one

    if not isinstance(df, dd.DataFrame):
        raise QualifierError(
            f"pipelinekit.frames takes a Dask DataFrame, got a {type(df).__name__}"
        )
    return df


def per_partition(ddf: Any, answer: Callable[[Any], Any]) -> Any:
    """``answer`` on every partition of ``ddf``: a lazy Dask collection, nothing computed.

    ``answer`` runs once now, on ``ddf._meta``: it raises what it would raise on the data
    (so errors come at call time), and its empty result is the result's meta.
    """
    meta = answer(ddf._meta)  # the empty pandas frame Dask keeps for the dtypes
    return ddf.map_partitions(answer, meta=meta)


@attrs.frozen
class WithColumn:
    """A partition plus the one column ``answer`` gives for it, named ``name``.

    What :func:`~pipelinekit.frames.evaluate` and ``score`` return for a lazy frame: the
    frame with the answer as one more column (a column of that name is replaced, as
    ``with_columns`` does). The values are set by position (``.array``), so a partition
    with repeated index labels is answered row for row.
    """

    answer: Callable[[Any], Any]
    name: str

    def __call__(self, part: Any) -> Any:
        """``part`` with the answer column."""
        return part.assign(**{self.name: self.answer(part).array})
