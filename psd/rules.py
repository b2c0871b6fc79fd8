"""The rule register: every guard and every clock declares the rule it applies, with its legal
source, as data beside the code (``manage.py rules`` prints the register a legal adviser
reviews; docs/rules.md is generated from it).

A guard is a function ``<action>_refusal(*, actor, ...) -> str | None`` in the service module
that owns the rule: it returns the sentence saying why the actor may not take the action now,
or None. The service calls it first and refuses with that sentence; the page, the approval
queue and the API offer the action exactly when it returns None (tests/test_agreement.py).
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from psd.domain import DomainError, PermissionDenied


@dataclass(frozen=True)
class Rule:
    """One rule. ``source`` is the instrument and provision ("CR 2020 reg 42(5)"), empty for
    a rule of the force's own practice; ``verified`` says whether the provision was read
    against the legislation's text (see ../shared/DOMAIN.md "Provisions checked")."""

    statement: str
    source: str = ""
    verified: bool = False

    @property
    def citation(self) -> str:
        if not self.source:
            return "Force practice (no statutory source)"
        return self.source if self.verified else f"{self.source} (unverified)"


@dataclass(frozen=True)
class Entry:
    kind: str  # "guard" (may the action be taken now), "input" (a check of its input), "clock",
    # or "count" (how a statistics table counts)
    name: str  # the guard's function name, or the deadline kind's code
    where: str  # module:function
    rule: Rule


REGISTER: dict[str, Entry] = {}


def _where(func: Callable) -> str:
    return f"{func.__module__}:{func.__qualname__}"


def guard(statement: str, source: str = "", *, verified: bool = False):
    """Declare ``func`` a guard applying this rule, and register it."""
    rule = Rule(statement, source, verified)

    def register(func: Callable) -> Callable:
        func.rule = rule
        REGISTER[func.__name__] = Entry("guard", func.__name__, _where(func), rule)
        return func

    return register


def rule(statement: str, source: str = "", *, verified: bool = False):
    """Declare ``func`` a check of the action's input that applies this rule (it raises the
    refusal itself, naming the field), and register it."""
    rule_ = Rule(statement, source, verified)

    def register(func: Callable) -> Callable:
        func.rule = rule_
        REGISTER[func.__name__] = Entry("input", func.__name__, _where(func), rule_)
        return func

    return register


def clock(
    code: str, statement: str, source: str = "", *, verified: bool = False, where: Callable
) -> Rule:
    """Declare the rule of the deadline kind ``code``, opened by ``where``."""
    rule = Rule(statement, source, verified)
    REGISTER[code] = Entry("clock", code, _where(where), rule)
    return rule


def counting(
    name: str, statement: str, source: str = "", *, verified: bool = False, where: Callable
) -> Rule:
    """Declare how the statistics table ``name`` counts, and the published table whose shape
    it follows (built by ``where``)."""
    rule = Rule(statement, source, verified)
    REGISTER[name] = Entry("count", name, _where(where), rule)
    return rule


class Refusal(str):
    """A guard's sentence when the actor is the wrong person (not the wrong moment): the
    service refuses with ``PermissionDenied`` rather than ``DomainError``."""


def refuse_if(sentence: str | None) -> None:
    """The service's first step: refuse with the guard's sentence, if it gave one."""
    if sentence is None:
        return
    if isinstance(sentence, Refusal):
        raise PermissionDenied(str(sentence))
    raise DomainError(sentence)


@guard(
    "A proposal is approved or refused by a second person: never the person who proposed "
    "it, nor anyone whose own work it concerns (for a case, its investigator).",
)
def four_eyes_refusal(*, actor, excluded: list[tuple[int | None, str]]) -> str | None:
    """The one four-eyes rule of cases and vetting. ``excluded`` lists who may not decide —
    the proposer first, then anyone whose own work it is — each with the sentence that says
    why."""
    for pk, sentence in excluded:
        if pk is not None and actor.pk == pk:
            return Refusal(sentence)
    return None


# Dates a user can mean: anything outside is a typing mistake (e.g. 0202 for 2020).
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


@rule("A date given to the system lies between 1 January 1990 and 31 December 2100.")
def date_range_refusal(day: datetime.date | None) -> str | None:
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"Give a date from {EARLIEST_DATE:%d/%m/%Y} to {LATEST_DATE:%d/%m/%Y}."
    return None


def plausible_dates(service: Callable) -> Callable:
    """Refuse, naming the field, any date argument of ``service`` outside the range above:
    the same rule for the pages, the API, triage, import and commands."""

    @functools.wraps(service)
    def checked(*args, **kwargs):
        for name, value in kwargs.items():
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                sentence = date_range_refusal(value)
                if sentence:
                    raise DomainError(sentence, field=name)
        return service(*args, **kwargs)

    return checked
