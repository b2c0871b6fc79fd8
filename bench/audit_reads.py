"""Audited reads per second at a given concurrency (issue 20: sealing must not serialise).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/psd_x SECRET_KEY=... \\
        .venv/bin/python bench/audit_reads.py --workers 4 --seconds 20 [--atomic]

PostgreSQL only; the database is migrated if needed and gets a bench user and 200 people.
Each worker is a separate process (no shared GIL) repeating an audited read for ``--seconds``:
``--what read`` (default) is the read itself — load the person, write its ``read.page`` audit
entry (DPA 2018 s62), what ``audit.reads.get_logged_or_404`` does; ``--what page`` calls the
whole person page in-process (template and its other queries included). ``--atomic`` runs
each request inside one transaction, as a request that also changes something (or
``ATOMIC_REQUESTS``) does: a lock taken by the audit insert is then held until the request
commits; ``--hold MS`` then spends MS milliseconds more in the database inside that
transaction after the audit entry (``pg_sleep``: the rest of a request's queries, without
competing for the two CPUs), which shows whether requests queue on a lock. Where the code
has a sealer (``audit.sealer``), one more process seals the queue every ``--seal-every``
seconds during the run (the beat task does it every 30 s), so its cost is in the figure.
Prints requests per second, total and per worker.

The same script measures the code before and after a change: run it from each checkout
against a freshly created database.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psd.settings")
    import django

    django.setup()


def prepare(people: int) -> tuple[int, list[int]]:
    """Migrate, then return the bench user's id and the ids of ``people`` people."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Person
    from tests.accounts.factories import PersonFactory

    if connection.vendor != "postgresql":
        sys.exit("bench/audit_reads.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    call_command("migrate", verbosity=0)
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username="bench.reader", defaults={"is_superuser": True, "is_staff": True}
    )
    missing = people - Person.objects.count()
    if missing > 0:
        PersonFactory.create_batch(missing)
    return user.pk, list(Person.objects.values_list("pk", flat=True)[:people])


def worker(user_id, person_ids, seconds, atomic, what, hold, start, out) -> None:
    _setup()
    from django.contrib.auth import get_user_model
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections, transaction
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    from accounts.models import Person
    from audit.services import audit_read

    user = get_user_model().objects.get(pk=user_id)
    factory, session = RequestFactory(), SessionStore()
    paths = [reverse("accounts:person_detail", args=[pk]) for pk in person_ids]

    def call(path: str) -> None:
        request = factory.get(path)
        request.user, request.session = user, session
        request._messages = FallbackStorage(request)
        match = resolve(path)
        if what == "read":
            person = Person.objects.get(pk=match.kwargs["pk"])
            audit_read(user=user, obj=person, request=request)
            return
        response = match.func(request, *match.args, **match.kwargs)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    call(paths[0])  # warm-up: connection, templates
    start.wait()
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        path = paths[done % len(paths)]
        if atomic:
            with transaction.atomic():
                call(path)
                if hold:
                    with connections["default"].cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(%s)", [hold / 1000])
        else:
            call(path)
        done += 1
    out.put((done, time.perf_counter() - began))
    connections.close_all()


def sealer(seconds: float, every: float, start) -> None:
    """Seal the queue every ``every`` seconds while the workers run (code with a sealer)."""
    _setup()
    from audit.sealer import seal_pending

    start.wait()
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        seal_pending()
        time.sleep(every)
    seal_pending()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--atomic", action="store_true")
    parser.add_argument("--what", choices=["read", "page"], default="read")
    parser.add_argument("--seal-every", type=float, default=1.0)
    parser.add_argument("--hold", type=float, default=0, help="ms (with --atomic)")
    args = parser.parse_args()
    _setup()
    from django.db import connections

    user_id, person_ids = prepare(args.people)
    connections.close_all()
    has_sealer = (ROOT / "audit" / "sealer.py").exists()
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(args.workers + has_sealer), context.Queue()
    processes = [
        context.Process(
            target=worker,
            args=(user_id, person_ids, args.seconds, args.atomic, args.what, args.hold, start, out),
        )
        for _ in range(args.workers)
    ]
    if has_sealer:
        seal = context.Process(target=sealer, args=(args.seconds, args.seal_every, start))
        seal.start()
    for process in processes:
        process.start()
    results = [out.get() for _ in processes]
    for process in processes:
        process.join()
    if has_sealer:
        seal.join()
    total = sum(done for done, _ in results)
    elapsed = max(seconds for _, seconds in results)
    per_worker = ", ".join(f"{done / seconds:.0f}" for done, seconds in results)
    mode = "one transaction per request" if args.atomic else "autocommit"
    if args.atomic and args.hold:
        mode += f", held {args.hold:g} ms after the entry"
    print(
        f"audited {args.what}s ({mode}), {args.workers} workers, {elapsed:.1f} s: "
        f"{total / elapsed:.0f} requests/s (per worker: {per_worker}); {total} entries written"
        + (f"; sealed every {args.seal_every} s meanwhile" if has_sealer else "")
    )


if __name__ == "__main__":
    main()
