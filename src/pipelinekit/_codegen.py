"""The one place that generates Python source: the qualifier fast path.

``q(subject, at=...)`` and ``q.filter(subjects, at=...)`` run a function generated from
the qualifier tree, compiled once and cached on the tree. Walking the tree for every
subject costs about four times a hand-written check; generated source costs about the
same as hand-written code (the technique attrs and cattrs use for ``__init__`` and hooks).

How the source stays safe, whatever the tree (it may come from a JSON document):

* identifiers in the source are our own (``_s``, ``_t3``, ``_c0``) or path segments that
  are validated again here (``[A-Za-z][A-Za-z0-9_]*``, not a keyword); other segments are
  read through a helper with the segment passed as a constant;
* operators come from a fixed table of tokens;
* every value (numbers, text, money, sets, patterns, weights) is passed in the
  namespace as ``_c<n>``, never written into the source text;
* the code runs with empty ``__builtins__``: it sees only what the namespace hands it.

Values are compared only when :func:`~pipelinekit.qualifiers.leaves.kind_of` says they are
comparable, and "no value" markers (NaN, ``NaT``) count as missing, exactly as in the
interpreter. The guard is specialised by the criterion's type when the code is built: an
``int`` subject of a number criterion costs one ``type(v) is int`` test, and only unusual
types call the general rule.

How the answer stays exact: for each node we generate two side-effect-free expressions,
"passes" and "fails" (Kleene: ``P(a & b) = P(a) and P(b)``, ``F(a & b) = F(a) or F(b)``,
``P(~a) = F(a)`` ...). Each expression is generated in two flavours: the first reads
attributes directly (``_s.account.employees``); the second reads every segment through
``paths.read``, the path rules themselves, so mappings (dict rows, ``facts.<key>``) stay
on generated code. A dict subject goes straight to the second flavour; any other subject
tries the first, and the second when the first raises. Whenever the second raises too (a
value cannot be compared), the subject is decided by the interpreted evaluator, whose rules
(:mod:`pipelinekit.qualifiers.paths`, ``Node.outcome``) are the definition.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final

from pipelinekit._checks import SEGMENT
from pipelinekit.qualifiers import composites as c
from pipelinekit.qualifiers import leaves as lv
from pipelinekit.qualifiers.core import FAIL, PASS, UNKNOWN, Node, check_at
from pipelinekit.qualifiers.items import AnyItem, CountItems, is_collection
from pipelinekit.qualifiers.paths import NEVER_ABSENT, is_absent, is_plain_attribute, read
from pipelinekit.qualifiers.verdict import Outcome
from pipelinekit.values import Money

__all__ = ["compile_qualifier", "generated_source"]

Check = Callable[[object, object], bool]
Decide = Callable[[object, object], Outcome]
Bulk = Callable[[Iterable[Any], object], list[Any]]

#: Trees with more nodes than this run interpreted (the source would be too large).
MAX_GENERATED_NODES: Final = 2000
_OPERATORS: Final = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
#: Exact types whose kind is fixed (and never a NaN), tested inline: (namespace name, kind).
_EXACT_KINDS: Final = (("_int", "number"), ("_str", "str"), ("_bool", "bool"), ("_date", "date"))


class _Unsupported(Exception):  # private control flow
    """The tree cannot be generated; use the interpreted evaluator."""


class _Generator:
    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self._counter = 0
        self.nodes = 0
        #: Read every segment through ``_read`` (the path rules) instead of ``obj.name``.
        self.generic = False

    def const(self, value: object) -> str:
        name = f"_c{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def temp(self, prefix: str = "_t") -> str:
        self._counter += 1
        return f"{prefix}{self._counter}"

    def chain(self, base: str, segments: tuple[str, ...]) -> tuple[list[str], str]:
        """Conditions that read ``segments`` from ``base``, and the variable holding the value."""
        conditions = []
        current = base
        for segment in segments:
            if SEGMENT.fullmatch(segment) is None:
                raise _Unsupported(segment)  # unreachable for validated nodes; never inline it
            target = self.temp()
            if is_plain_attribute(segment) and not self.generic:
                access = f"{current}.{segment}"
            else:
                access = f"_read({current}, {self.const(segment)})"
            conditions.append(f"({target} := {access}) is not None")
            current = target
        return conditions, current

    def both(self, node: Node, subject: str) -> tuple[str, str]:  # noqa: PLR0911  # one branch per kind
        """The (passes, fails) expressions of ``node`` for the subject held in ``subject``."""
        self.nodes += 1
        if self.nodes > MAX_GENERATED_NODES:
            raise _Unsupported("too many nodes")
        kind = type(node)
        if kind is c.AllOf or kind is c.AnyOf:
            pairs = [self.both(child, subject) for child in node.children]  # type: ignore[attr-defined]
            ands = "(" + " and ".join(p for p, _ in pairs) + ")"
            ors_f = "(" + " or ".join(f for _, f in pairs) + ")"
            if kind is c.AllOf:
                return ands, ors_f
            return "(" + " or ".join(p for p, _ in pairs) + ")", "(" + " and ".join(
                f for _, f in pairs
            ) + ")"
        if kind is c.Not:
            passes, fails = self.both(node.child, subject)  # type: ignore[attr-defined]
            return fails, passes
        if kind is c.AtLeast:
            assert isinstance(node, c.AtLeast)  # noqa: S101  # narrowing
            pairs = [self.both(child, subject) for child in node.children]
            n_pass = " + ".join(f"(1 if {p} else 0)" for p, _ in pairs)
            n_fail = " + ".join(f"(1 if {f} else 0)" for _, f in pairs)
            slack = self.const(len(node.children) - node.k)
            return f"(({n_pass}) >= {self.const(node.k)})", f"(({n_fail}) > {slack})"
        if kind is c.Weighted:
            assert isinstance(node, c.Weighted)  # noqa: S101  # narrowing
            weights = node.exact_weights  # exact sums, as the interpreter adds them
            terms = [
                (self.both(q, subject), self.const(w))
                for q, w in zip(node.subqualifiers(), weights, strict=True)
            ]
            w_pass = " + ".join(f"({w} if {p} else 0)" for (p, _), w in terms)
            w_fail = " + ".join(f"({w} if {f} else 0)" for (_, f), w in terms)
            passes = f"(({w_pass}) >= {self.const(node.exact_threshold)})"
            return passes, f"(not {passes} and ({w_fail}) > {self.const(node.slack)})"
        if kind is AnyItem or kind is CountItems:
            return self.items(node, subject)
        if isinstance(node, lv.Leaf):
            return self.leaf(node, subject)
        raise _Unsupported(kind.__name__)

    def items(self, node: Node, subject: str) -> tuple[str, str]:
        assert isinstance(node, AnyItem | CountItems)  # noqa: S101  # narrowing
        conditions, items = self.chain(subject, node.segments)
        item = self.temp("_i")
        passes, fails = self.both(node.child, item)
        head = " and ".join([*conditions, f"_is_collection({items})"])
        if isinstance(node, AnyItem):
            decided = f" and _len({items}) != 0" if node.empty_is_unknown else ""
            return (
                f"({head} and _any({passes} for {item} in {items}))",
                f"({head}{decided} and _all({fails} for {item} in {items}))",
            )
        n = self.const(node.at_least)
        return (
            f"({head} and _sum(1 for {item} in {items} if {passes}) >= {n})",
            f"({head} and _len({items}) - _sum(1 for {item} in {items} if {fails}) < {n})",
        )

    def guard(self, v: str, kinds: frozenset[Hashable]) -> str:
        """True when ``v`` is comparable with a criterion of one of ``kinds`` (see ``kind_of``)."""
        checks = [f"_type({v}) is {name}" for name, kind in _EXACT_KINDS if kind in kinds]
        if "number" in kinds:
            checks.append(f"_type({v}) is _float and {v} == {v}")
        currencies = [k[1] for k in kinds if type(k) is tuple and k[0] == "money"]
        if len(currencies) == 1:
            checks.append(f"_type({v}) is _Money and {v}.currency == {self.const(currencies[0])}")
        if len(kinds) == 1:
            (kind,) = kinds
            checks.append(f"_kind({v}) == {self.const(kind)}")
        else:
            checks.append(f"_kind({v}) in {self.const(kinds)}")
        return "(" + " or ".join(checks) + ")"

    def leaf(self, node: lv.Leaf, subject: str) -> tuple[str, str]:  # one branch per kind
        conditions, v = self.chain(subject, node.segments)
        present = f"(_type({v}) in _never_absent or not _absent({v}))"
        kind = type(node)
        if kind is lv.IsKnown or kind is lv.IsMissing:
            known = "(" + " and ".join([*conditions, present]) + ")"
            if kind is lv.IsKnown:
                return known, f"(not {known})"
            return f"(not {known})", known
        if kind is lv.Compare:
            assert isinstance(node, lv.Compare)  # noqa: S101  # narrowing
            conditions.append(self.guard(v, frozenset({node.kind})))
            test = f"{v} {_OPERATORS[node.op]} {self.const(node.value)}"
        elif kind is lv.IsIn or kind is lv.NotIn:
            assert isinstance(node, lv.IsIn)  # noqa: S101  # narrowing
            # An empty set compares with nothing: only "no value" markers need excluding.
            conditions.append(self.guard(v, node.kinds) if node.values else present)
            word = "in" if kind is lv.IsIn else "not in"
            test = f"{v} {word} {self.const(node.values)}"
        elif kind is lv.Contains:
            assert isinstance(node, lv.Contains)  # noqa: S101  # narrowing
            conditions.append(
                f"(_type({v}) is _list or _type({v}) is _tuple or _type({v}) is _str"
                f" or not _isinstance({v}, _Mapping))"
            )
            test = f"{self.const(node.item)} in {v}"
        elif kind is lv.IsEmpty:
            test = f"_len({v}) == 0"
        elif kind is lv.IsNotEmpty:
            test = f"_len({v}) != 0"
        elif kind is lv.Matches:
            assert isinstance(node, lv.Matches)  # noqa: S101  # narrowing
            test = f"{self.const(node.regex)}.search({v}) is not None"
        elif isinstance(node, lv._TimeRelative) and kind in _TIME_TESTS:
            conditions.append(f"(_type({v}) is _date or _type({v}) is _datetime or {present})")
            ref = f"(_at if _isinstance({v}, _datetime) else _day)"
            test = _TIME_TESTS[kind].format(v=v, ref=ref, delta=self.const(node.delta))
        else:
            raise _Unsupported(kind.__name__)
        return (
            "(" + " and ".join([*conditions, test]) + ")",
            "(" + " and ".join([*conditions, f"not ({test})"]) + ")",
        )


#: The test of each time-relative leaf, as a template over the value, reference and delta.
_TIME_TESTS: Final[dict[type[Node], str]] = {
    lv.Within: "_abs({v} - {ref}) <= {delta}",
    lv.OlderThan: "{v} < {ref} - {delta}",
    lv.WithinNext: "{ref} <= {v} <= {ref} + {delta}",
    lv.WithinLast: "{ref} - {delta} <= {v} <= {ref}",
}


def _source(root: Node) -> tuple[str, dict[str, Any]]:
    gen = _Generator()
    passes, fails = gen.both(root, "_s")
    # The same tree again, reading paths by the full rules: no exception for mappings
    # (dict rows, ``facts.<key>``), so they stay on generated code too.
    gen.generic, gen.nodes = True, 0
    g_passes, g_fails = gen.both(root, "_s")
    if root.needs_time:
        prologue = [
            "if type(_at) is not _datetime or _at.tzinfo is None:",
            "    _check_at(_at, needs_time=True, qualifier=_root)",
            "_day = _at.date()",
        ]
    else:
        prologue = [
            "if _at is not None and (type(_at) is not _datetime or _at.tzinfo is None):",
            "    _check_at(_at, needs_time=False)",
        ]
    head = "\n".join("    " + line for line in prologue)
    source = f"""\
def check(_s, _at):
{head}
    if type(_s) is not _dict:
        try:
            return True if {passes} else False
        except _Exception:
            pass
    try:
        return True if {g_passes} else False
    except _Exception:
        return _slow(_s, _at) is _PASS

def outcome(_s, _at):
{head}
    if type(_s) is not _dict:
        try:
            return _PASS if {passes} else _FAIL if {fails} else _UNKNOWN
        except _Exception:
            pass
    try:
        return _PASS if {g_passes} else _FAIL if {g_fails} else _UNKNOWN
    except _Exception:
        return _slow(_s, _at)

def bulk(_subjects, _at):
{head}
    if type(_subjects) is not _list and type(_subjects) is not _tuple:
        _subjects = _list(_subjects)
    try:
        return [_s for _s in _subjects if {passes}]
    except _Exception:
        pass
    _out = []
    for _s in _subjects:
        try:
            _ok = True if {g_passes} else False
        except _Exception:
            _ok = _slow(_s, _at) is _PASS
        if _ok:
            _out.append(_s)
    return _out
"""
    namespace = {
        "__builtins__": {},
        "_Exception": Exception,
        "_PASS": PASS,
        "_FAIL": FAIL,
        "_UNKNOWN": UNKNOWN,
        "_slow": root.outcome,
        "_root": root,
        "_check_at": check_at,
        "_datetime": datetime,
        "_date": date,
        "_int": int,
        "_str": str,
        "_bool": bool,
        "_float": float,
        "_Money": Money,
        "_Mapping": Mapping,
        "_type": type,
        "_kind": lv.kind_of,
        "_absent": is_absent,
        "_never_absent": NEVER_ABSENT,
        "_read": read,
        "_is_collection": is_collection,
        "_any": any,
        "_all": all,
        "_sum": sum,
        "_len": len,
        "_abs": abs,
        "_list": list,
        "_dict": dict,
        "_tuple": tuple,
        "_isinstance": isinstance,
        "type": type,
        **gen.namespace,
    }
    return source, namespace


def generated_source(root: Node) -> str:
    """The source generated for ``root`` (for debugging and tests)."""
    return _source(root)[0]


def _interpreted(root: Node) -> tuple[Check, Decide, Bulk]:
    needs_time = root.needs_time

    def decide(subject: object, at: object) -> Outcome:
        check_at(at, needs_time=needs_time, qualifier=root)
        return root.outcome(subject, at)  # type: ignore[arg-type]  # checked above

    def check(subject: object, at: object) -> bool:
        check_at(at, needs_time=needs_time, qualifier=root)
        return root.outcome(subject, at) is PASS  # type: ignore[arg-type]  # checked above

    def bulk(subjects: Iterable[Any], at: object) -> list[Any]:
        check_at(at, needs_time=needs_time, qualifier=root)
        return [s for s in subjects if root.outcome(s, at) is PASS]  # type: ignore[arg-type]

    return check, decide, bulk


def compile_qualifier(root: Node) -> tuple[Check, Decide, Bulk]:
    """The (check, outcome, bulk) functions for ``root``: generated, or interpreted for huge trees.

    ``check`` is the fast boolean, ``outcome`` the three-valued outcome (what
    ``evaluate`` would say, without the explanation), ``bulk`` the fast ``filter``.
    """
    try:
        source, namespace = _source(root)
        code = compile(source, f"<pipelinekit qualifier {type(root).__name__}>", "exec")
        exec(code, namespace)  # noqa: S102  # our own source; values only in the namespace
    except (_Unsupported, SyntaxError, RecursionError, MemoryError):
        return _interpreted(root)
    return namespace["check"], namespace["outcome"], namespace["bulk"]
