import io

import pytest
from django.core.management import call_command

from accounts.models import Person, User
from psd.roles import Role

pytestmark = pytest.mark.django_db


def run():
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "cases", "vetting", "deadlines", "reporting"}
    }


def test_demo_data_is_idempotent_and_prints_passwords_once():
    first = run()
    before = counts()
    second = run()
    assert counts() == before
    assert first.count("password ") == User.objects.count()
    assert "password " not in second.replace("password unchanged", "")
    assert Person.objects.exists()


def test_demo_data_creates_a_user_for_each_role():
    run()
    for role in Role:
        assert User.objects.filter(groups__name=role.label).exists(), role
