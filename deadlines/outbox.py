"""The e-mail outbox: notifications are e-mailed from the database, in batches, once each.

A notification row is its own outbox entry (it commits with the work that created it, so a
rollback never leaks an e-mail). Sending is **claim, send, mark**:

1. **Claim** up to ``CHUNK`` unsent rows with one conditional UPDATE: ``email_claimed_at`` is
   set on rows that are unclaimed or whose claim has lapsed (``PSD_EMAIL_CLAIM_SECONDS``),
   locked ``SKIP LOCKED`` so two senders take different rows. The claim commits at once.
2. **Send** each over one SMTP connection per chunk, with a ``Message-ID`` derived from the
   notification (``<psd.notification.<pk>.<created>@<domain>>``): the same id every time.
3. **Mark** ``emailed_at`` as soon as the server has accepted it (one UPDATE per message,
   conditional on ``emailed_at IS NULL``). A message that fails is released for the next run.

What this guarantees. Every notification is handed to the mail server at least once (a claim
that lapses because its sender died is taken again), never by two live senders at once (a
sender stops using its claim when half the lease has gone, and releases the rest), and always
with the same Message-ID. A message is handed over twice only when its sender is killed in the
instant between the server accepting it and the mark committing: at most one message per
sender thread of a killed process, and its copy carries the same Message-ID, which a mail store that
de-duplicates by Message-ID (as the tests' SMTP sink does; many mailbox servers do) shows once.
No other way of killing a worker sends anything twice. Exactly-once delivery across SMTP is not
possible without the receiver's help: this is the narrowest window the protocol allows.
"""

import contextlib
import datetime
import logging
import smtplib
import threading
import time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)
CHUNK = 100


def claim_seconds() -> int:
    return settings.PSD_EMAIL_CLAIM_SECONDS


def message_id(notification: Notification) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "psd.invalid"
    return f"<psd.notification.{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}@{domain}>"


def _email(notification: Notification) -> EmailMessage:
    # E-mail needs an absolute link: the site's address comes from settings.
    link = (
        f"\n\nOpen: {settings.PSD_BASE_URL.rstrip('/')}{notification.url}"
        if notification.url
        else ""
    )
    return EmailMessage(
        notification.title,
        notification.body + link,
        None,
        [notification.recipient.email],
        headers={"Message-ID": message_id(notification)},
    )


def claim(
    *, limit: int = CHUNK, ids: list[int] | None = None, deadline_ids: list[int] | None = None
) -> tuple[list[int], datetime.datetime]:
    """Claim up to ``limit`` notifications to e-mail; return their ids and the claim's time
    (which is also its token: only the claimer's release or mark matches it)."""
    now = timezone.now()
    lapsed = now - datetime.timedelta(seconds=claim_seconds())
    pending = Notification.objects.filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=lapsed),
        emailed_at__isnull=True,
        read_at__isnull=True,
        recipient__email__gt="",
    )
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    if deadline_ids is not None:
        pending = pending.filter(deadline_id__in=deadline_ids)
    with transaction.atomic():
        pks = list(
            pending.select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if pks:
            Notification.objects.filter(pk__in=pks).update(email_claimed_at=now)
    return pks, now


def _release(pks, claimed_at) -> None:
    if pks:
        Notification.objects.filter(
            pk__in=pks, emailed_at__isnull=True, email_claimed_at=claimed_at
        ).update(email_claimed_at=None)


@contextlib.contextmanager
def _asynchronous_commit():
    """Marks commit without waiting for the disk (PostgreSQL ``synchronous_commit = off``):
    one mark per message would otherwise wait for a WAL flush each, most of a send's time.
    A worker killed after a mark's COMMIT loses nothing (the server has the commit); only a
    crash of the database server itself can lose the last fraction of a second of marks, and
    those messages are then sent again with the same Message-ID."""
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_one(connection, notification: Notification) -> int:
    """Send one message and mark it; 0 if the server refused it (it keeps its claim)."""
    try:
        accepted = connection.send_messages([_email(notification)])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
        accepted = 0
    if not accepted:
        logger.warning("e-mail for notification %s refused; retried later", notification.pk)
        return 0
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return 1


def send_claimed(pks: list[int], claimed_at: datetime.datetime) -> tuple[int, bool]:
    """E-mail the claimed notifications over one connection; mark each once accepted.
    Return (sent, server_failed). A message the server refuses keeps its claim, so it is
    tried again when the claim lapses, not in a tight loop; a failing server releases them."""
    notifications = list(
        Notification.objects.filter(pk__in=pks, email_claimed_at=claimed_at)
        .select_related("recipient")
        .order_by("pk")
    )
    unsent = {n.pk for n in notifications}
    stop_at = time.monotonic() + claim_seconds() / 2  # never send on a claim about to lapse
    sent, failed = 0, False
    connection = get_connection()
    try:
        connection.open()
        with _asynchronous_commit():
            for notification in notifications:
                if time.monotonic() > stop_at:
                    break
                sent += _send_one(connection, notification)  # raises if the server fails
                unsent.discard(notification.pk)  # sent and marked, or refused (still claimed)
    except Exception as error:  # noqa: BLE001 - any mail failure: release, retry next run
        logger.warning("e-mail sending stopped (%s); will retry", type(error).__name__)
        failed = True
    finally:
        with contextlib.suppress(Exception):  # the server went away: nothing to close
            connection.close()
        _release(list(unsent), claimed_at)
    return sent, failed


class _Run:
    """One sending run shared by its sender threads: the message quota, the deadline, the
    filters, and what the senders report."""

    def __init__(self, limit, budget_seconds, ids, deadline_ids):
        self.left, self.lock = limit, threading.Lock()
        self.end = time.monotonic() + budget_seconds if budget_seconds else None
        self.ids, self.deadline_ids = ids, deadline_ids
        self.sent, self.more = 0, False

    def take(self) -> int:
        with self.lock:
            want = min(CHUNK, self.left)
            self.left -= want
            return want

    def report(self, sent: int, more: bool) -> None:
        with self.lock:
            self.sent += sent
            self.more = self.more or more

    def step(self) -> bool:
        """Claim and send one chunk; False once nothing is left, the quota or the time is
        spent, or the mail server fails (the next sweep tries again)."""
        if self.end is not None and time.monotonic() > self.end:
            self.report(0, True)
            return False
        want = self.take()
        if not want:
            self.report(0, True)
            return False
        pks, claimed_at = claim(limit=want, ids=self.ids, deadline_ids=self.deadline_ids)
        if not pks:
            return False
        done, failed = send_claimed(pks, claimed_at)
        self.report(done, False)
        return len(pks) == want and not failed

    def drain(self) -> None:
        while self.step():
            pass

    def drain_in_thread(self) -> None:
        try:
            self.drain()
        finally:
            db_connection.close()  # this thread's own connection


def send_pending(
    *,
    limit: int,
    budget_seconds: float | None = None,
    ids: list[int] | None = None,
    deadline_ids: list[int] | None = None,
) -> tuple[int, bool]:
    """Send what is pending; return (sent, more_to_do_now).

    When the first chunk was full, ``PSD_EMAIL_SENDERS`` senders work side by side, each
    with its own SMTP and database connections (a message is a few round trips to the mail
    server and one to the database: waiting, mostly). They share nothing but the quota; the
    claim keeps them apart. PostgreSQL only: SQLite has one writer."""
    run = _Run(limit, budget_seconds, ids, deadline_ids)
    if not run.step():  # a chunk or less: this thread alone
        return run.sent, run.more
    extra = settings.PSD_EMAIL_SENDERS - 1 if db_connection.vendor == "postgresql" else 0
    threads = [threading.Thread(target=run.drain_in_thread) for _ in range(extra)]
    for thread in threads:
        thread.start()
    run.drain()
    for thread in threads:
        thread.join()
    return run.sent, run.more
