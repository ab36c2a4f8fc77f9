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
``P(~a) = F(a)`` ...). Each expression is generated in two flavours. The *generic* flavour
reads every segment through ``paths.read`` (the path rules themselves, so mappings such as
dict rows and ``facts.<key>`` stay on generated code) and hands every check that could raise
on an odd value to the leaf's own ``test``, as the interpreter does: it never raises, except
when the caller's code raises (a property of their object, a custom qualifier), and then
that exception propagates at once, as it would from the interpreter. So a subject is read
once per leaf and call, and custom code runs once per call. The *direct* flavour reads
attributes as ``_s.account.employees``; it runs only on pipelinekit's own immutable entities
(where reading runs no caller code) in trees without custom qualifiers, and when it raises
(a path into ``facts``, a value that cannot be checked) the subject is decided by the
generic flavour instead.

Custom :class:`~pipelinekit.Qualifier` subclasses are called, not inlined: their
``outcome(subject, at)`` is a constant of the namespace.

The source is compiled under a file name unique to it (``<pipelinekit generated qualifier
…>``) and registered in :mod:`linecache`, as attrs and cattrs do, so tracebacks and debuggers
show the generated lines.
"""

from __future__ import annotations

import hashlib
import linecache
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final

from pipelinekit._checks import SEGMENT
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers import composites as c
from pipelinekit.qualifiers import leaves as lv
from pipelinekit.qualifiers.core import (
    FAIL,
    IMMUTABLE_SUBJECTS,
    PASS,
    UNKNOWN,
    Compiled,
    Node,
    Qualifier,
    check_at,
    install_compiler,
    interpreted,
)
from pipelinekit.qualifiers.items import AnyItem, CountItems, is_collection
from pipelinekit.qualifiers.paths import NEVER_ABSENT, is_absent, is_plain_attribute, read
from pipelinekit.qualifiers.verdict import Outcome
from pipelinekit.qualifiers.visitors import Visitor
from pipelinekit.values import Money

__all__ = ["compile_qualifier", "generated_source"]

#: Trees with more nodes than this run interpreted (the source would be too large).
MAX_GENERATED_NODES: Final = 2000
#: Generated source longer than this (characters) is not compiled: the tree runs
#: interpreted. The source is linear in the tree (about 2.5 kB per leaf, both flavours
#: together, whatever the nesting), so a tree of :data:`MAX_GENERATED_NODES` stays under it
#: (about 5 MB, compiled in one to two seconds); the bound holds whatever a node kind
#: generates, so the first call of any tree stays bounded.
MAX_GENERATED_SOURCE: Final = 8_000_000
_OPERATORS: Final = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
#: Exact types whose kind is fixed (and never a NaN), tested inline: (namespace name, kind).
_EXACT_KINDS: Final = (("_int", "number"), ("_str", "str"), ("_bool", "bool"), ("_date", "date"))


class _Unsupported(Exception):  # private control flow
    """The tree cannot be generated; use the interpreted evaluator."""


class _Stop(Exception):  # private control flow
    """A bulk call met a subject the direct flavour must not read."""


def _stop() -> bool:
    raise _Stop


def _value_outcome(test: Callable[[object, object], bool], value: object, at: object) -> Outcome:
    """The outcome of a leaf's ``test`` on a present value, exactly as ``Leaf.outcome`` decides."""
    try:
        return PASS if test(value, at) else FAIL
    except lv.CHECK_ERRORS:
        return UNKNOWN


class _Generator(Visitor[tuple[str, str]]):
    """One (passes, fails) pair of expressions per node kind."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self._counter = 0
        self.nodes = 0
        #: Read every segment through ``_read`` (the path rules) instead of ``obj.name``,
        #: and run every check that could raise through the leaf's own ``test``.
        self.generic = False
        #: Whether a custom qualifier was met (then only the generic flavour is used).
        self.custom = False

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

    def visit(self, node: Qualifier, *args: Any) -> tuple[str, str]:
        """The (passes, fails) expressions of ``node`` for the subject held in ``args[0]``."""
        self.nodes += 1
        if self.nodes > MAX_GENERATED_NODES:
            raise _Unsupported("too many nodes")
        return super().visit(node, *args)

    # --- composites -------------------------------------------------------------
    # Kleene: P(a & b) = P(a) and P(b), F(a & b) = F(a) or F(b), P(~a) = F(a) ...

    def visit_custom(self, node: Qualifier, subject: str) -> tuple[str, str]:
        """A custom qualifier: called, once per call."""
        self.custom = True
        call = f"{self.const(node.outcome)}({subject}, _at)"
        return f"({call} is _PASS)", f"({call} is _FAIL)"

    def visit_all_of(self, node: c.AllOf, subject: str) -> tuple[str, str]:
        pairs = [self.visit(child, subject) for child in node.children]
        return _joined(" and ", (p for p, _ in pairs)), _joined(" or ", (f for _, f in pairs))

    def visit_any_of(self, node: c.AnyOf, subject: str) -> tuple[str, str]:
        pairs = [self.visit(child, subject) for child in node.children]
        return _joined(" or ", (p for p, _ in pairs)), _joined(" and ", (f for _, f in pairs))

    def visit_not(self, node: c.Not, subject: str) -> tuple[str, str]:
        passes, fails = self.visit(node.child, subject)
        return fails, passes

    def visit_at_least(self, node: c.AtLeast, subject: str) -> tuple[str, str]:
        pairs = [self.visit(child, subject) for child in node.children]
        n_pass = " + ".join(f"(1 if {p} else 0)" for p, _ in pairs)
        n_fail = " + ".join(f"(1 if {f} else 0)" for _, f in pairs)
        slack = self.const(len(node.children) - node.k)
        return f"(({n_pass}) >= {self.const(node.k)})", f"(({n_fail}) > {slack})"

    def visit_weighted(self, node: c.Weighted, subject: str) -> tuple[str, str]:
        weights = node.scaled_weights  # integers: exact sums in any decimal context
        terms = [
            (self.visit(q, subject), self.const(w))
            for q, w in zip(node.subqualifiers(), weights, strict=True)
        ]
        w_pass = " + ".join(f"({w} if {p} else 0)" for (p, _), w in terms)
        w_fail = " + ".join(f"({w} if {f} else 0)" for (_, f), w in terms)
        # FAIL needs no "not passes": a child never both passes and fails, and weights
        # are positive, so a failed weight above the slack leaves the threshold out of
        # reach. Each child's code appears once per expression: the source stays linear
        # in the tree (a "not passes" here made it grow like Fibonacci under ``~``).
        return (
            f"(({w_pass}) >= {self.const(node.scaled_threshold)})",
            f"(({w_fail}) > {self.const(node.scaled_slack)})",
        )

    # --- collections ------------------------------------------------------------

    def _items(self, node: AnyItem | CountItems, subject: str) -> tuple[str, str, str, str, str]:
        """The head condition, the items and item variables, and the child's (passes, fails)."""
        conditions, items = self.chain(subject, node.segments)
        item = self.temp("_i")
        passes, fails = self.visit(node.child, item)
        head = " and ".join([*conditions, f"_is_collection({items})"])
        return head, items, item, passes, fails

    def visit_any_item(self, node: AnyItem, subject: str) -> tuple[str, str]:
        head, items, item, passes, fails = self._items(node, subject)
        decided = f" and _len({items}) != 0" if node.empty_is_unknown else ""
        return (
            f"({head} and _any({passes} for {item} in {items}))",
            f"({head}{decided} and _all({fails} for {item} in {items}))",
        )

    def visit_count_items(self, node: CountItems, subject: str) -> tuple[str, str]:
        head, items, item, passes, fails = self._items(node, subject)
        n = self.const(node.at_least)
        return (
            f"({head} and _sum(1 for {item} in {items} if {passes}) >= {n})",
            f"({head} and _len({items}) - _sum(1 for {item} in {items} if {fails}) < {n})",
        )

    # --- leaves -----------------------------------------------------------------

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

    def _read(self, node: lv.Leaf, subject: str) -> tuple[list[str], str, str]:
        """The conditions that read the leaf's value, its variable, and "it is present"."""
        conditions, v = self.chain(subject, node.segments)
        return conditions, v, f"(_type({v}) in _never_absent or not _absent({v}))"

    def _leaf(
        self,
        node: lv.Leaf,
        subject: str,
        inline: Callable[[str, str], tuple[str, str]],
        *,
        total: bool = False,
    ) -> tuple[str, str]:
        """A leaf decided by ``inline(v, present)`` = (guard, test) on its present value.

        In the generic flavour a leaf whose inline test could raise once its guard holds
        (``total=False``) is decided by its own ``test``, on the value read once.
        """
        conditions, v, present = self._read(node, subject)
        if self.generic and not total:
            tested = f"_value_outcome({self.const(node.test)}, {v}, _at)"
            head = " and ".join([*conditions, present])
            return f"({head} and {tested} is _PASS)", f"({head} and {tested} is _FAIL)"
        guard, test = inline(v, present)
        if guard:
            conditions.append(guard)
        return (
            "(" + " and ".join([*conditions, test]) + ")",
            "(" + " and ".join([*conditions, f"not ({test})"]) + ")",
        )

    def _known(self, node: lv.IsKnown, subject: str) -> tuple[str, str]:
        conditions, _, present = self._read(node, subject)
        known = "(" + " and ".join([*conditions, present]) + ")"
        return (known, f"(not {known})") if node.KNOWN else (f"(not {known})", known)

    visit_known = visit_missing = _known

    def visit_compare(self, node: lv.Compare, subject: str) -> tuple[str, str]:
        def inline(v: str, present: str) -> tuple[str, str]:
            guard = self.guard(v, frozenset({node.kind}))
            return guard, f"{v} {_OPERATORS[node.op]} {self.const(node.value)}"

        return self._leaf(node, subject, inline, total=True)

    def _membership(self, node: lv.IsIn, subject: str) -> tuple[str, str]:
        word = "not in" if isinstance(node, lv.NotIn) else "in"

        def inline(v: str, present: str) -> tuple[str, str]:
            # An empty set compares with nothing: only "no value" markers need excluding.
            guard = self.guard(v, node.kinds) if node.values else present
            # The guard admits only kinds among the values: a set with no bools (or only
            # bools) is tested as a plain frozenset; a mixed one keeps True apart from 1.
            values = node.values
            if not values:  # nothing is in an empty set, an unhashable value included
                return guard, "False" if word == "in" else "True"
            if not values.bools or not values.others:
                plain: frozenset[object] = values.others or values.bools
                return guard, f"{v} {word} {self.const(plain)}"
            return guard, f"{v} {word} {self.const(values)}"

        return self._leaf(node, subject, inline, total=True)

    visit_in = visit_not_in = _membership

    def visit_contains(self, node: lv.Contains, subject: str) -> tuple[str, str]:
        def inline(v: str, present: str) -> tuple[str, str]:
            guard = (
                f"(_type({v}) is _list or _type({v}) is _tuple or _type({v}) is _str"
                f" or not _isinstance({v}, _Mapping))"
            )
            if type(node.item) in (str, date, datetime, Money):
                return guard, f"{self.const(node.item)} in {v}"
            return guard, f"_contains({v}, {self.const(node.item)})"  # True is not 1 here

        return self._leaf(node, subject, inline)

    def _emptiness(self, node: lv.IsEmpty, subject: str) -> tuple[str, str]:
        test = "== 0" if node.EMPTY else "!= 0"
        return self._leaf(node, subject, lambda v, _: ("", f"_len({v}) {test}"))

    visit_empty = visit_not_empty = _emptiness

    def visit_matches(self, node: lv.Matches, subject: str) -> tuple[str, str]:
        regex = self.const(node.regex)
        return self._leaf(node, subject, lambda v, _: ("", f"{regex}.search({v}) is not None"))

    def _time(self, node: lv.TimeRelative, subject: str) -> tuple[str, str]:
        def inline(v: str, present: str) -> tuple[str, str]:
            guard = f"(_type({v}) is _date or _type({v}) is _datetime or {present})"
            ref = f"(_at if _isinstance({v}, _datetime) else _day)"
            delta = self.const(node.delta)
            differences = {"ahead": f"({v} - {ref})", "behind": f"({ref} - {v})"}
            limits = {"zero": "_zero", "delta": delta}
            test = " and ".join(
                f"{differences[b.difference]} {b.op} {limits[b.limit]}" for b in node.RULE
            )
            return guard, test

        return self._leaf(node, subject, inline)

    visit_within = visit_older_than = visit_within_next = visit_within_last = _time


def _joined(word: str, parts: Iterable[str]) -> str:
    return "(" + word.join(parts) + ")"


def _source(root: Node) -> tuple[str, dict[str, Any], bool]:
    """The source, its namespace, and whether the tree holds a custom qualifier."""
    gen = _Generator()
    gen.generic = True
    g_passes, g_fails = gen.visit(root, "_s")
    direct = not gen.custom
    if 3 * len(g_passes) + len(g_fails) > MAX_GENERATED_SOURCE:
        raise _Unsupported("source too large")
    if direct:
        # The direct flavour, for pipelinekit's own entities (no caller code to run twice).
        gen.generic, gen.nodes = False, 0
        passes, fails = gen.visit(root, "_s")
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
    size = 3 * len(g_passes) + len(g_fails) + (4 * len(passes) + len(fails) if direct else 0)
    if size > MAX_GENERATED_SOURCE:
        raise _Unsupported("source too large")
    if direct:
        source = f"""\
def check(_s, _at):
{head}
    if _type(_s) in _entities:
        try:
            return True if {passes} else False
        except _Exception:
            pass
    return True if {g_passes} else False

def outcome(_s, _at):
{head}
    if _type(_s) in _entities:
        try:
            return _PASS if {passes} else _FAIL if {fails} else _UNKNOWN
        except _Exception:
            pass
    return _PASS if {g_passes} else _FAIL if {g_fails} else _UNKNOWN

def bulk(_subjects, _at):
{head}
    if type(_subjects) is not _list and type(_subjects) is not _tuple:
        _subjects = _list(_subjects)
    try:
        return [_s for _s in _subjects if (_type(_s) in _entities or _stop()) and {passes}]
    except _Exception:
        pass
    _out = []
    for _s in _subjects:
        if _type(_s) in _entities:
            try:
                _ok = True if {passes} else False
            except _Exception:
                _ok = True if {g_passes} else False
        else:
            _ok = True if {g_passes} else False
        if _ok:
            _out.append(_s)
    return _out
"""
    else:
        source = f"""\
def check(_s, _at):
{head}
    return True if {g_passes} else False

def bulk(_subjects, _at):
{head}
    return [_s for _s in _subjects if {g_passes}]
"""
    namespace = {
        "__builtins__": {},
        "_Exception": Exception,
        "_PASS": PASS,
        "_FAIL": FAIL,
        "_UNKNOWN": UNKNOWN,
        "_entities": IMMUTABLE_SUBJECTS,
        "_stop": _stop,
        "_value_outcome": _value_outcome,
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
        "_contains": lv.contains,
        "_zero": timedelta(0),
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
    return source, namespace, gen.custom


def generated_source(root: Qualifier) -> str:
    """The source generated for ``root`` (for debugging and tests)."""
    if not isinstance(root, Node):
        raise QualifierError(f"{type(root).__name__} is a custom qualifier: it runs as written")
    return _source(root)[0]


def _filename(source: str) -> str:
    """A file name unique to ``source``, registered in :mod:`linecache` with it."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    filename = f"<pipelinekit generated qualifier {digest}>"
    # The same source always gets the same name, so identical trees share one entry.
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    return filename


def compile_qualifier(root: Node) -> Compiled:
    """The (check, outcome, bulk) functions for ``root``: generated, or interpreted for huge trees.

    ``check`` is the fast boolean, ``outcome`` the three-valued outcome (what
    ``evaluate`` would say, without the explanation), ``bulk`` the fast ``filter``. A tree
    holding a custom qualifier gets the interpreted ``outcome``: its verdicts are explained
    at once (see :meth:`~pipelinekit.qualifiers.core.Node.evaluate`), and the generated one
    would evaluate each node twice.
    """
    try:
        source, namespace, custom = _source(root)
        code = compile(source, _filename(source), "exec")
        exec(code, namespace)  # noqa: S102  # our own source; values only in the namespace
    except (_Unsupported, SyntaxError, RecursionError, MemoryError):
        return interpreted(root)
    decide = interpreted(root)[1] if custom else namespace["outcome"]
    return namespace["check"], decide, namespace["bulk"]


install_compiler(compile_qualifier)
