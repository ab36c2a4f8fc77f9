"""The public surface: ``__all__`` is complete, sorted and importable."""

from __future__ import annotations

import importlib.metadata
import inspect
import runpy
from pathlib import Path

import pytest

import pipelinekit as pk

ROOT = Path(__file__).resolve().parent.parent


class TestAll:
    def test_sorted(self) -> None:
        """``__all__`` is sorted, so additions are easy to review."""
        assert pk.__all__ == sorted(pk.__all__)

    def test_every_name_exists(self) -> None:
        """Every name in ``__all__`` is importable from the package."""
        for name in pk.__all__:
            assert hasattr(pk, name), name

    def test_complete(self) -> None:
        """Every public name the package exposes (classes, functions, constants, type
        aliases) is listed in ``__all__``; submodules are listed only when meant for users."""
        public = {
            name
            for name, value in vars(pk).items()
            if not name.startswith("_") and not inspect.ismodule(value)
        }
        assert public <= set(pk.__all__)

    def test_no_duplicates(self) -> None:
        assert len(pk.__all__) == len(set(pk.__all__))


class TestVersion:
    def test_matches_the_installed_metadata(self) -> None:
        """``pk.__version__`` is the version pyproject.toml declares."""
        assert pk.__version__ == importlib.metadata.version("pipelinekit")


class TestExamples:
    @pytest.mark.parametrize("script", sorted((ROOT / "examples").glob("*.py")), ids=str)
    def test_example_runs(self, script: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every example runs to the end and prints what happened."""
        runpy.run_path(str(script), run_name="__main__")
        assert capsys.readouterr().out.strip()
