"""Re-vetting reminders are written set-based by the vetting sweep; their e-mails go out with
the deadlines sweep's e-mail pass (every five minutes), once each."""

import datetime

import pytest
import time_machine
from django.core import mail

from deadlines.sweep import send_pending_emails
from tests.accounts.factories import PersonFactory
from vetting.sweep import run_sweep

from .factories import granted

pytestmark = pytest.mark.django_db
GRANTED = datetime.date(2026, 1, 5)
EXPIRES = datetime.date(2026, 6, 30)


def test_reminders_are_emailed_once_by_the_next_email_pass(victor, vera):
    victor.email, vera.email = "victor@example.org", ""
    victor.save()
    vera.save()
    person = PersonFactory()
    with time_machine.travel(datetime.datetime(2026, 1, 5, 6, tzinfo=datetime.UTC), tick=False):
        granted(victor, person, received=10, granted_on=GRANTED, expires_on=EXPIRES)
    day = EXPIRES - datetime.timedelta(days=90)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6), datetime.UTC)):
        assert run_sweep().reminders == 2  # both vetting officers, in the app
        mail.outbox.clear()
        assert send_pending_emails() == 1  # only victor has an address
        assert send_pending_emails() == 0
    assert [m.to for m in mail.outbox] == [["victor@example.org"]]
    assert "Re-vetting due" in mail.outbox[0].subject
