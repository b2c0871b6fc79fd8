"""The rule register: every guard and clock declares its rule, and docs/rules.md is the
register as generated now (regenerate with ``manage.py rules --markdown docs/rules.md``)."""

import importlib

import pytest
from django.core.management import call_command

from cases.actions_available import ACTIONS
from psd.domain import DomainError, PermissionDenied
from psd.register import ROOT, markdown
from psd.rules import REGISTER, Rule, four_eyes_refusal, refuse_if
from vetting.actions import APPLICATION_ACTIONS


def test_docs_rules_md_is_up_to_date():
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == markdown(), "run: manage.py rules --markdown docs/rules.md"


def test_the_command_writes_the_register(tmp_path):
    target = tmp_path / "rules.md"
    call_command("rules", markdown=str(target))
    assert target.read_text(encoding="utf-8") == markdown()


def test_every_case_and_vetting_action_has_a_registered_guard():
    guards = [spec.available.guard for spec in ACTIONS.values()]
    guards += [spec.guard for spec in APPLICATION_ACTIONS.values()]
    for guard in guards:
        name = getattr(guard, "__name__", "")
        assert name in REGISTER or name.startswith("_"), f"{name} declares no rule"


@pytest.mark.parametrize("entry", list(REGISTER.values()), ids=lambda e: e.name)
def test_each_rule_has_a_statement_and_lives_where_it_says(entry):
    assert entry.rule.statement.endswith(".")
    module, _, name = entry.where.partition(":")
    assert callable(getattr(importlib.import_module(module), name))


def test_an_unverified_source_says_so():
    assert Rule("x.", "CR 2020 reg 99").citation == "CR 2020 reg 99 (unverified)"
    assert Rule("x.", "CR 2020 reg 18", verified=True).citation == "CR 2020 reg 18"
    assert Rule("x.").citation.startswith("Force practice")


@pytest.mark.django_db
def test_four_eyes_refuses_the_proposer_first_then_others_with_permission_denied(alice, bob):
    excluded = [(alice.pk, "You proposed it."), (bob.pk, "It is your work.")]
    assert four_eyes_refusal(actor=alice, excluded=excluded) == "You proposed it."
    assert four_eyes_refusal(actor=bob, excluded=excluded) == "It is your work."
    with pytest.raises(PermissionDenied, match="You proposed it."):
        refuse_if(four_eyes_refusal(actor=alice, excluded=excluded))
    with pytest.raises(DomainError, match="Not now.") as error:
        refuse_if("Not now.")
    assert not isinstance(error.value, PermissionDenied)
    refuse_if(None)
