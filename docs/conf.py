"""Sphinx configuration of the pipelinekit documentation (MyST Markdown, furo, autodoc).

Build it with ``python -m sphinx -W -b html docs <out>``: warnings are errors (``.ci/run``).
"""

from __future__ import annotations

import pipelinekit

project = "pipelinekit"
author = "pipelinekit contributors"
copyright = "2026, pipelinekit contributors"  # noqa: A001  # Sphinx's setting name
release = pipelinekit.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# "Attributes:" sections as fields of their class, not as entries of their own (which
# would describe each attribute twice, once more from autodoc).
napoleon_use_ivar = True

html_theme = "furo"
html_title = f"pipelinekit {release}"
