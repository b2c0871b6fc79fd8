"""The e-mail outbox: claim with a conditional update, send in chunks over one connection with
a stable Message-ID, mark each as the server accepts it; lapsed claims are taken again."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from deadlines import outbox
from deadlines.models import Notification
from deadlines.sweep import notification_email, send_pending_emails

pytestmark = pytest.mark.django_db


def notify(user, n: int = 1) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(recipient=user, kind="other", title=f"Reminder {i}", body="b", url="/x/")
        for i in range(n)
    )


def test_each_message_carries_a_message_id_derived_from_its_notification(alice, mailoutbox):
    [note] = notify(alice)
    assert notification_email(note.pk) is True
    message_id = mailoutbox[0].extra_headers["Message-ID"]
    assert message_id == outbox.message_id(note)
    assert message_id.startswith(f"<psd.notification.{note.pk}.") and message_id.endswith(">")
    assert notification_email(note.pk) is False  # marked: never again
    assert len(mailoutbox) == 1


def test_a_live_claim_is_skipped_and_a_lapsed_one_is_taken_again(alice, mailoutbox, settings):
    settings.PSD_EMAIL_CLAIM_SECONDS = 300
    held, lapsed = notify(alice, 2)
    now = timezone.now()
    Notification.objects.filter(pk=held.pk).update(email_claimed_at=now)  # a sender is on it
    Notification.objects.filter(pk=lapsed.pk).update(  # its sender died six minutes ago
        email_claimed_at=now - datetime.timedelta(minutes=6)
    )
    assert send_pending_emails() == 1
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [outbox.message_id(lapsed)]
    held.refresh_from_db()
    assert held.emailed_at is None and held.email_claimed_at == now


def test_two_claims_never_share_a_notification(alice):
    notify(alice, 5)
    first, _ = outbox.claim(limit=3)
    second, _ = outbox.claim(limit=3)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert outbox.claim(limit=3)[0] == []


def test_a_chunk_goes_over_one_connection(alice, mailoutbox):
    notify(alice, outbox.CHUNK + 20)
    with mock.patch("deadlines.outbox.get_connection", wraps=outbox.get_connection) as opened:
        assert send_pending_emails() == outbox.CHUNK + 20
    assert opened.call_count == 2  # two chunks, two connections
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_refused_recipient_keeps_its_claim_and_the_rest_are_sent(alice, bob, mailoutbox):
    refused, accepted = notify(bob)[0], notify(alice)[0]
    real_send = LocmemBackend.send_messages

    def refuse_bob(self, messages):
        if messages[0].to == [bob.email]:
            raise smtplib.SMTPRecipientsRefused({bob.email: (550, b"no such user")})
        return real_send(self, messages)

    with mock.patch.object(LocmemBackend, "send_messages", refuse_bob):
        assert send_pending_emails() == 1
    refused.refresh_from_db()
    accepted.refresh_from_db()
    assert accepted.emailed_at is not None
    # Not retried in a loop: it waits for its claim to lapse.
    assert refused.emailed_at is None and refused.email_claimed_at is not None
    assert send_pending_emails() == 0


def test_a_failing_mail_server_releases_the_chunk_for_the_next_run(alice, mailoutbox):
    notify(alice, 3)
    with mock.patch.object(
        LocmemBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected
    ):
        assert send_pending_emails() == 0
    assert not Notification.objects.filter(email_claimed_at__isnull=False).exists()
    assert send_pending_emails() == 3


def test_sending_takes_a_fixed_number_of_queries_per_chunk_plus_one_mark_each(
    alice, mailoutbox, django_assert_num_queries
):
    notify(alice, 10)
    # The claim (SELECT ... FOR UPDATE SKIP LOCKED and UPDATE, in a savepoint here inside the
    # test's transaction), the chunk's one load, one mark per message, and on PostgreSQL the
    # SET and RESET of synchronous_commit around the marks. A chunk that was not full ends the
    # run. Ten messages or ten thousand: only the marks grow.
    asynchronous_commit = 2 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries((1 + 2 + 1) + 1 + 10 + asynchronous_commit):
        assert send_pending_emails() == 10
