"""The deadlines sweep with e-mail, at scale: N due deadlines claimed, notified and e-mailed
through a loopback SMTP server, timed end to end.

    .venv/bin/python bench/sweep_email.py --database psd_h6_bench --allegations 1350000 \\
        --people 250000 --due 10000

The dataset is generated (or reused) as by ``bench/run.py``. Before the timed part (not
timed): the first ``--due`` open deadlines with an owner or a supervisor that are inside their
reminder window or overdue on the dataset's anchor day are made due again (notifications deleted,
``next_alert_on`` set to the anchor), every other deadline due that day is moved to the next
day, the existing notifications are marked e-mailed, and every user gets an address.
Then sweep runs (``deadlines.sweep.run_sweep``, each bounded by its time budget)
follow one another until nothing is left, as the task does; the figure is the total. Repeatable:
the next run prepares the same deadlines again.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QueryCounter, ensure_dataset  # noqa: E402
from tests.helpers import smtp_sink  # noqa: E402


def prepare(due: int, anchor: datetime.date) -> int:
    from django.db import connection, transaction
    from django.db.models import Q
    from django.utils import timezone

    from deadlines.models import Deadline, DeadlineKind, Notification, Status

    # Inside its own reminder window: due within its kind's largest threshold, or overdue.
    in_window = Q(pk__in=[])
    for kind in DeadlineKind.objects.all():
        largest = datetime.timedelta(days=max(kind.thresholds, default=0))
        in_window |= Q(kind=kind, due_date__lte=anchor + largest)
    owned = Deadline.objects.filter(status=Status.OPEN).filter(
        Q(owner__isnull=False) | Q(escalate_to__isnull=False)
    )
    chosen = list(owned.filter(in_window).order_by("pk").values_list("pk", flat=True)[:due])
    # The national data has fewer than 10,000 such deadlines on its anchor day (8,687 at
    # 1.35M allegations): the rest are the next open owned deadlines, brought forward to fall
    # due tomorrow (inside every kind's first reminder), so the sweep sends one reminder each.
    extra = list(
        owned.exclude(pk__in=chosen)
        .order_by("pk")
        .values_list("pk", flat=True)[: due - len(chosen)]
    )
    with transaction.atomic():
        Deadline.objects.filter(pk__in=extra).update(due_date=anchor + datetime.timedelta(days=1))
        chosen += extra
        Notification.objects.filter(deadline_id__in=chosen).delete()
        Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
        Deadline.objects.filter(status=Status.OPEN, next_alert_on__lte=anchor).exclude(
            pk__in=chosen
        ).update(next_alert_on=anchor + datetime.timedelta(days=1))
        Deadline.objects.filter(pk__in=chosen).update(next_alert_on=anchor, overdue_since=None)
        with connection.cursor() as cursor:  # every generated user gets an address
            cursor.execute(
                "UPDATE accounts_user SET email = username || '@bench.invalid' WHERE email = ''"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE deadlines_deadline")
        cursor.execute("VACUUM ANALYZE deadlines_notification")
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allegations", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="")
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--smtp-delay-ms", type=float, default=0)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    args.people = args.people or max(100, round(args.allegations / 5.4))
    os.environ.setdefault("DEBUG", "1")  # migrate and generate_data, as under make
    url = ensure_dataset(args)

    sink_dir = Path(tempfile.mkdtemp(prefix="psd-sweep-sink-"))
    sink, port = smtp_sink.start(sink_dir, delay_ms=args.smtp_delay_ms)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "psd.settings",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdef"),
            "AUDIT_HMAC_KEY": os.environ.get("AUDIT_HMAC_KEY", "5a" * 32),  # bench-only key
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.db import connection

    from datagen.models import GeneratedDataset
    from deadlines.sweep import run_sweep

    anchor = GeneratedDataset.objects.order_by("-id").first().anchor
    try:
        chosen = prepare(args.due, anchor)
        counter, runs, totals = QueryCounter(), 0, {"deadlines": 0, "notifications": 0}
        emails = 0
        began = time.perf_counter()
        with connection.execute_wrapper(counter):
            while True:
                result = run_sweep(today=anchor)
                runs += 1
                totals["deadlines"] += result.deadlines
                totals["notifications"] += result.notifications
                emails += result.emails
                if not result.more:
                    break
        seconds = time.perf_counter() - began
        time.sleep(0.5)  # the sink writes its last line
        delivered = smtp_sink.deliveries(sink_dir)
    finally:
        sink.kill()
    print(
        f"due deadlines prepared: {chosen:,}\n"
        f"sweep runs: {runs}\n"
        f"deadlines claimed: {totals['deadlines']:,}\n"
        f"notifications: {totals['notifications']:,}\n"
        f"e-mails sent: {emails:,} (SMTP server received {len(delivered):,}, "
        f"{len(set(delivered)):,} distinct Message-IDs)\n"
        f"queries: {counter.count:,}\n"
        f"total: {seconds:.1f} s ({emails / seconds if seconds else 0:.0f} e-mails/s)"
    )


if __name__ == "__main__":
    main()
