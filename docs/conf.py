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
    # MyST-NB: MyST Markdown (it includes myst_parser) and Jupyter notebooks, executed at
    # build time. It registers the ``.md`` and ``.ipynb`` suffixes itself.
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
exclude_patterns = ["_build", "jupyter_execute"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# Notebooks run on every build ("force": no cache that could show stale outputs), and a
# cell that raises fails the build, as a failing doctest fails the tests. The one notebook
# page, criteria-lab.ipynb, is a symbolic link to examples/criteria_lab.ipynb: the
# notebook users download is the one the site shows (and tests/examples runs), with no
# copy to drift. A MyST text notebook in docs/ would have been a second source.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 120
nb_merge_streams = True

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
