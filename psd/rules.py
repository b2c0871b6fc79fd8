"""The rule register: every guard and every clock declares the rule it applies, with its legal
source, as data beside the code (``manage.py rules`` prints the register a legal adviser
reviews; docs/rules.md is generated from it).

A guard is a function ``<action>_refusal(*, actor, ...) -> str | None`` in the service module
that owns the rule: it returns the sentence saying why the actor may not take the action now,
or None. The service calls it first and refuses with that sentence; the page, the approval
queue and the API offer the action exactly when it returns None (tests/test_agreement.py).
"""

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
    kind: str  # "guard" or "clock"
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


def clock(
    code: str, statement: str, source: str = "", *, verified: bool = False, where: Callable
) -> Rule:
    """Declare the rule of the deadline kind ``code``, opened by ``where``."""
    rule = Rule(statement, source, verified)
    REGISTER[code] = Entry("clock", code, _where(where), rule)
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
