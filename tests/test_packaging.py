"""What a newcomer and a package index see: the quick start, the README's links, the metadata."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REPOSITORY = "https://github.com/pipelinekit/pipelinekit"


def readme_command(marker: str) -> str:
    """The line after ``<!-- quickstart:<marker> -->`` and its bash fence, as .ci/run reads it."""
    match = re.search(rf"<!-- quickstart:{marker} -->\n```bash\n(.*)\n", README)
    assert match, f"README has no quickstart:{marker} command"
    return match.group(1)


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def runtime_modules() -> set[str]:
    """The top-level modules of pipelinekit's runtime dependencies, and of theirs."""
    dists: set[str] = set()
    todo = [_name(r) for r in PYPROJECT["project"]["dependencies"]]
    while todo:
        dist = todo.pop()
        if dist in dists:
            continue
        try:
            requires = importlib.metadata.requires(dist) or []
        except importlib.metadata.PackageNotFoundError:  # a marker excludes it here
            continue
        dists.add(dist)
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return {
        module
        for module, owners in importlib.metadata.packages_distributions().items()
        if any(_name(d) in dists for d in owners)
    } | {"pipelinekit"}


# Runs a script with every import outside the standard library and the runtime dependencies
# refused, as on a machine where only `pip install .` ran.
_LIGHT = """
import runpy, sys
allowed = set(sys.argv[2].split(","))
class Refuse:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top not in allowed and top not in sys.stdlib_module_names:
            raise ImportError(f"{name} is not a runtime dependency of pipelinekit")
sys.meta_path.insert(0, Refuse())
runpy.run_path(sys.argv[1], run_name="__main__")
"""


def run_light(script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # our interpreter on our own files
        [sys.executable, "-c", _LIGHT, str(script), ",".join(sorted(runtime_modules()))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


class TestQuickStart:
    def test_install_command_is_light(self) -> None:
        """The first command installs the library alone and runs the example."""
        install = readme_command("install")
        assert re.search(r"pip install (-e )?\.( |$)", install), install
        assert "[" not in install, "the first command must not install an extra"
        assert install.endswith("python examples/quickstart.py")

    def test_test_command_installs_what_the_tests_need(self) -> None:
        test = readme_command("test")
        assert '.venv/bin/pip install -e ".[test]"' in test
        assert test.endswith(".venv/bin/python -m pytest")
        test_extra = {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
        assert {"pytest", "hypothesis", "mypy", "ruff"} <= test_extra

    def test_example_runs_with_the_runtime_dependencies_only(self) -> None:
        result = run_light(ROOT / "examples" / "quickstart.py")
        assert result.returncode == 0, result.stderr
        assert result.stdout

    def test_the_light_run_refuses_test_tools(self, tmp_path: Path) -> None:
        """The harness itself: a script that needs a test tool fails under it."""
        script = tmp_path / "needs_hypothesis.py"
        script.write_text("import pipelinekit\nimport hypothesis\n")
        result = run_light(script)
        assert result.returncode != 0
        assert "hypothesis is not a runtime dependency" in result.stderr

    def test_runtime_modules_are_the_dependencies(self) -> None:
        modules = runtime_modules()
        assert {"attrs", "cattrs", "statemachine", "pipelinekit"} <= modules
        assert not {"hypothesis", "pytest", "pydantic", "mypy"} & modules


BENCHMARKS = sorted(p.stem for p in (ROOT / "tests" / "benchmarks").glob("[!_]*.py"))


class TestBenchmarkCommand:
    def test_readme_documents_the_module_form(self) -> None:
        assert "python -m tests.benchmarks.<name>" in README
        assert "python tests/benchmarks/" not in README

    @pytest.mark.parametrize("name", BENCHMARKS)
    def test_documented_command_starts(self, name: str) -> None:
        """Each benchmark starts as documented (``--help`` stops before the timing)."""
        result = subprocess.run(  # noqa: S603  # our interpreter on our own module
            [sys.executable, "-m", f"tests.benchmarks.{name}", "--help"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "usage:" in result.stdout


class TestIndexPage:
    """The README is the package's page on the index, where relative links are dead."""

    LINKS = re.findall(r"\]\(([^)\s]+)\)", README)

    def test_links_are_absolute(self) -> None:
        assert self.LINKS
        relative = [link for link in self.LINKS if not link.startswith(("https://", "#"))]
        assert not relative

    @pytest.mark.parametrize(
        "link", sorted({link for link in LINKS if link.startswith(REPOSITORY + "/blob/main/")})
    )
    def test_repository_links_name_files_that_exist(self, link: str) -> None:
        path = link.removeprefix(REPOSITORY + "/blob/main/").partition("#")[0]
        assert (ROOT / path).is_file(), f"{link}: no {path} in the repository"

    def test_license_is_pep_639(self) -> None:
        project = PYPROJECT["project"]
        assert project["license"] == "MIT"  # an SPDX expression, not a table
        assert project["license-files"] == ["LICENSE"]
        assert (ROOT / "LICENSE").is_file()
        deprecated = [c for c in project["classifiers"] if c.startswith("License ::")]
        assert not deprecated, "PEP 639: the license expression replaces license classifiers"

    def test_urls_point_at_the_repository(self) -> None:
        urls = PYPROJECT["project"]["urls"]
        assert urls["Repository"] == REPOSITORY
        assert all(url.startswith(REPOSITORY) for url in urls.values())


class TestChangelog:
    """CHANGELOG.md follows Keep a Changelog and has a dated section for the declared version."""

    TEXT = (ROOT / "CHANGELOG.md").read_text()
    HEADINGS = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", TEXT, re.MULTILINE)

    def test_unreleased_comes_first(self) -> None:
        assert self.HEADINGS[0] == ("Unreleased", "")

    def test_the_declared_version_is_a_dated_section(self) -> None:
        version = PYPROJECT["project"]["version"]
        released = dict(self.HEADINGS[1:])
        if ".dev" in version:  # a development version: its release is still Unreleased
            version = version.partition(".dev")[0]
            assert version not in released
            return
        assert released.get(version), f"no dated '## [{version}] - YYYY-MM-DD' section"

    def test_released_sections_are_newest_first_and_linked(self) -> None:
        versions = [name for name, _ in self.HEADINGS[1:]]
        keys = [tuple(int(part) for part in name.split(".")) for name in versions]
        assert keys == sorted(keys, reverse=True)
        for name, _ in self.HEADINGS:
            link = rf"^\[{re.escape(name)}\]: {REPOSITORY}/"
            assert re.search(link, self.TEXT, re.MULTILINE), name
