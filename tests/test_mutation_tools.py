"""The scripts that draw and score mutation samples (tests/mutation/sample.py, score.py)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.mutation import sample, score, verdicts


def _meta(root: Path, module: str, names: list[str]) -> None:
    path = root / "src" / Path(*module.split(".")).with_suffix(".py.meta")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exit_code_by_key": dict.fromkeys(names)}), encoding="utf-8")


class TestSample:
    def test_every_generated_mutant_is_in_the_population(self, tmp_path: Path) -> None:
        _meta(tmp_path, "pipelinekit.values", ["pipelinekit.values.x_f__mutmut_1"])
        _meta(
            tmp_path,
            "pipelinekit.lifecycle.machine",
            ["pipelinekit.lifecycle.machine.x_g__mutmut_2"],
        )
        assert sample.all_mutants(tmp_path) == [
            "pipelinekit.lifecycle.machine.x_g__mutmut_2",
            "pipelinekit.values.x_f__mutmut_1",
        ]

    def test_a_seed_draws_the_same_sample_and_another_seed_another(self) -> None:
        names = [f"m{i}" for i in range(1000)]
        first = sample.draw(names, 50, 7)
        assert first == sample.draw(list(reversed(names)), 50, 7)  # the order given does not matter
        assert first == sorted(set(first))
        assert len(first) == 50
        assert set(first) <= set(names)
        assert sample.draw(names, 50, 8) != first

    def test_excluded_names_are_never_drawn(self) -> None:
        names = [f"m{i}" for i in range(10)]
        drawn = sample.draw(names, 7, 1, exclude=frozenset(names[:3]))
        assert set(drawn) == set(names[3:])

    def test_a_shuffled_draw_holds_the_same_names_in_the_order_drawn(self) -> None:
        names = [f"m{i:03}" for i in range(1000)]
        shuffled = sample.draw(names, 50, 7, shuffled=True)
        assert sorted(shuffled) == sample.draw(names, 50, 7)
        assert shuffled != sorted(shuffled)
        assert shuffled == sample.draw(list(reversed(names)), 50, 7, shuffled=True)

    def test_every_beginning_of_a_shuffled_draw_is_spread_over_the_population(self) -> None:
        # Beginnings of the order drawn are uniform samples: not the lowest names, say.
        names = [f"m{i:04}" for i in range(2000)]
        first = sample.draw(names, 1000, 3, shuffled=True)[:200]
        low = sum(name < "m1000" for name in first)
        assert 70 < low < 130  # 100 expected; ±4 standard deviations

    @pytest.mark.parametrize("size", [0, 11, -1])
    def test_a_size_beyond_the_population_is_refused(self, size: int) -> None:
        with pytest.raises(SystemExit, match="between 1 and 10"):
            sample.draw([f"m{i}" for i in range(10)], size, 1)


class TestScore:
    def test_the_wilson_interval_of_known_proportions(self) -> None:
        low, high = score.wilson(8, 10)
        assert (round(low, 1), round(high, 1)) == (49.0, 94.3)
        low, high = score.wilson(0, 20)
        assert low == pytest.approx(0.0, abs=1e-9)
        assert round(high, 1) == 16.1
        assert score.wilson(0, 0) == (0.0, 100.0)

    def test_areas_are_packages_and_top_level_modules_are_pipelinekit(self) -> None:
        assert score.area_of("pipelinekit.qualifiers.core") == "pipelinekit.qualifiers"
        assert score.area_of("pipelinekit.frames._compile") == "pipelinekit.frames"
        assert score.area_of("pipelinekit.values") == "pipelinekit"

    def test_the_module_of_a_mutant(self) -> None:
        assert score.module_of("pipelinekit._codegen.x_f__mutmut_3") == "pipelinekit._codegen"
        assert (
            score.module_of("pipelinekit.values.xǁMoneyǁ__lt____mutmut_1") == "pipelinekit.values"
        )

    def test_timeouts_count_as_killed_and_untested_mutants_as_survivors(self) -> None:
        c = Counter({"killed": 6, "timeout": 1, "survived": 2, "no tests": 1})
        assert score.tally(c) == ("70 %", 7, 3, 0)
        assert score.tally(c + Counter({"not checked": 5})) == ("70 %", 7, 3, 5)
        line = score.overall({"pipelinekit.values": c}, sample=True)
        assert line.startswith("overall: mutation score: 70 % over the 10 mutants that ran")
        assert "95 % interval 39.7-89.2 % for all mutants" in line
        assert "interval" not in score.overall({"pipelinekit.values": c})

    def test_the_decided_beginning_stops_at_the_first_mutant_without_a_verdict(self) -> None:
        order = ["a", "b", "c", "d", "e"]
        verdicts = {"a": "killed", "b": "error 4", "c": "survived", "e": "killed"}
        decided, left_out = score.decided_beginning(order, verdicts)
        assert decided == [("a", "killed"), ("c", "survived")]  # "e" comes after undecided "d"
        assert left_out == ["b"]
        assert score.decided_beginning(order, {}) == ([], [])

    def test_verdicts_are_read_from_tab_separated_lines(self, tmp_path: Path) -> None:
        path = tmp_path / "verdicts.tsv"
        path.write_text("m.x__mutmut_1\tkilled\nnoise\nm.x__mutmut_2\tno tests\n", encoding="utf-8")
        assert score.read_verdicts(path) == {"m.x__mutmut_1": "killed", "m.x__mutmut_2": "no tests"}

    def test_a_shuffled_sample_is_scored_over_its_decided_beginning(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        order = tmp_path / "order.txt"
        names = [f"pipelinekit.values.x_f__mutmut_{i}" for i in range(1, 6)]
        order.write_text("\n".join(names), encoding="utf-8")
        verdicts = tmp_path / "verdicts.tsv"
        lines = [f"{names[0]}\tkilled", f"{names[1]}\ttimeout", f"{names[2]}\tsurvived"]
        verdicts.write_text("\n".join([*lines, f"{names[4]}\tkilled"]), encoding="utf-8")
        assert score.score_verdicts(verdicts, order) == 0
        out = capsys.readouterr().out
        assert out.startswith("the first 3 of the 5 mutants in the order drawn are decided")
        assert f"{names[2]}: survived" in out
        assert "overall: mutation score: 67 % over the 3 mutants that ran" in out
        assert "95 % interval" in out

    def test_an_unfinished_sample_gives_no_interval(self) -> None:
        c = Counter({"killed": 6, "survived": 2, "not checked": 5})
        line = score.overall({"pipelinekit.values": c}, sample=True)
        assert "interval" not in line
        assert line.endswith("the sample did not finish, so this is no estimate of all mutants")


class TestVerdicts:
    @pytest.mark.parametrize(
        ("returncode", "stderr", "expected"),
        [
            (0, "", "survived"),
            (1, "", "killed"),
            (2, "ERROR collecting tests/test_values.py", "killed"),
            (4, "ImportError while loading conftest '/x/tests/lifecycle/conftest.py'.", "killed"),
            (4, "ERROR: not found: /x/tests/test_values.py::test_gone", "error 4"),
            (5, "", "error 5"),
        ],
    )
    def test_the_exit_code_decides(self, returncode: int, stderr: str, expected: str) -> None:
        assert verdicts.verdict_of(returncode, stderr) == expected
