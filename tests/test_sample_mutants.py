"""Behaviour of the top-level modules pinned after the 2026-12-02 mutation sample.

See docs/quality.md: each test here is named for what a surviving mutant showed untested.
"""

from __future__ import annotations

import pytest

import pipelinekit as pk
from pipelinekit._checks import mask_text


class TestAccountDomain:
    """``Account.domain``: the host of the website, lower case, without ``www.`` or a port."""

    @pytest.mark.parametrize(
        ("website", "domain"),
        [
            ("acme.example", "acme.example"),  # no scheme
            ("www.acme.example/about", "acme.example"),
            ("HTTP://Shop.Acme.Example:8080/x", "shop.acme.example"),
            ("https://www.acme.example/", "acme.example"),
        ],
    )
    def test_domain(self, website: str, domain: str) -> None:
        assert pk.Account(name="Acme", website=website).domain == domain


class TestEmailShapes:
    """Any word with an ``@`` is masked as an email, whatever its letters; a lone ``@`` is not."""

    @pytest.mark.parametrize("text", ["X@", "jane@", "XX@XX"])
    def test_a_near_email_is_masked(self, text: str) -> None:
        masked = mask_text(f"got {text!r}")
        assert text not in masked
        assert "***@" in masked

    def test_a_lone_at_sign_is_left(self) -> None:
        assert mask_text("got '@' and @") == "got '@' and @"


class TestGenericTargets:
    """``from_dict`` refuses a generic target of ``object``, naming the whole target (2027)."""

    @pytest.mark.parametrize("target", [list[object], dict[str, object], list[list[object]]])
    def test_refused_with_the_target(self, target: object) -> None:
        with pytest.raises(pk.UnsupportedType, match="from_dict cannot build") as info:
            pk.from_dict([], target)  # type: ignore[arg-type]
        assert info.value.type == target
        assert str(info.value).startswith(f"from_dict cannot build {target}: pass a type")
