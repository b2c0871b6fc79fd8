"""The soak: the production stack on 127.0.0.1 under mixed load for N minutes, with a Celery
worker SIGKILLed mid-send, then one table.

    make soak SOAK_MINUTES=15 SOAK_DATABASE=psd_soak SOAK_ALLEGATIONS=1350000
    .venv/bin/python bench/soak.py --minutes 15 --database psd_soak --allegations 1350000

Needs PostgreSQL (``DATABASE_URL`` names the server) and Redis (``REDIS_URL``: the broker and
cache; its queue is purged first). Runs, all bound to 127.0.0.1: a loopback SMTP server
(tests/helpers/smtp_sink.py), gunicorn with docker/gunicorn.conf.py (DEBUG=0), a Celery worker
and beat. ``--clients`` threads send requests back to back: pages and searches as an
appropriate authority (signed in with a verified session), statistics (the page and the API),
and through the API as an investigator reads, case creates and the record action on the case
just created. A third of the way in, a burst of due deadlines is made and swept and the worker
is SIGKILLed while it is sending; it is restarted at once. After the load the soak waits (up
to the visibility timeout and the e-mail claim, as production would) until every e-mail is
sent. Before the load (not measured) the dataset is made steady: statistics collected, every
due deadline swept and every notification marked e-mailed, every user given an address.

Printed: requests, throughput, errors and p50/p95 per kind; RSS per process at the first
sample after one minute and at the end; the most database connections and waiting locks seen;
temporary files written during the load; e-mails expected, received, distinct, received twice
and never sent.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import signal
import subprocess  # nosec B404: starts this project's own processes
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import ensure_dataset  # noqa: E402
from tests.helpers import smtp_sink  # noqa: E402

BIN = Path(sys.executable).parent
KINDS = {  # kind: weight
    "page": 30,
    "search": 20,
    "api_read": 20,
    "api_create": 10,
    "api_action": 10,
    "statistics": 5,
}
BURST = 2000  # due deadlines made at the kill


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dataset_arguments(parser, database: str = "", allegations: int = 20_000) -> None:
    """The options naming the dataset (bench/run.py's ``ensure_dataset``) and the JSON report."""
    parser.add_argument("--database", default=database)
    parser.add_argument("--allegations", type=int, default=allegations)
    parser.add_argument("--people", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default="")


def loopback_redis(script: str) -> str:
    """``REDIS_URL``, which must be on this machine (the stack runs on 127.0.0.1 only)."""
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url.startswith(("redis://127.0.0.1", "redis://localhost")):
        sys.exit(f"{script} needs REDIS_URL=redis://127.0.0.1:6379/<db> (loopback only)")
    return redis_url


# --- preparing the dataset (in this process, not measured) ----------------------------------
def session_for(user) -> str:
    """A signed-in, two-factor verified session of ``user`` (its key, for the cookie)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.helpers.otp import confirmed_device

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    store.set_expiry(24 * 3600)
    store.create()
    return store.session_key


def production_env(url: str, redis_url: str, port: int, **extra: str) -> dict:
    """The environment of the production stack on 127.0.0.1 (gunicorn, and the measuring
    process itself): DEBUG off, the dataset's database, Redis, no TLS redirect, quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "psd.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "soak-only-secret-key-0123456789abcdef"),
        "AUDIT_HMAC_KEY": os.environ.get("AUDIT_HMAC_KEY", "soak-only-audit-key-0123456789abcdef"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        **extra,
    }


def collectstatic(env: dict) -> None:
    """The manifest the production static storage needs (DEBUG off)."""
    subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def prepare() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Person
    from api.services import token_rotate
    from cases.models import AllegationCategory
    from cases.selectors import cases_visible_to
    from deadlines.models import Notification
    from deadlines.sweep import alert_deadlines
    from psd.roles import Role

    users = get_user_model().objects
    head = users.filter(groups__name=Role.APPROPRIATE_AUTHORITY.label, username__startswith="gen.")
    head = head.order_by("pk").first()
    investigator = users.filter(username__startswith="gen.inv.").order_by("pk").first()
    print("prepare: sweeping every due deadline (catch-up, no e-mail)", flush=True)
    today = timezone.localdate()
    while alert_deadlines(today=today).more:
        pass
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET email = username || '@soak.invalid' WHERE email = ''"
        )
        cursor.execute("ANALYZE")

    visible = cases_visible_to(head).order_by("-pk").values_list("reference", flat=True)
    return {
        "head_session": session_for(head),
        "token": token_rotate(user=investigator).key,
        "head_token": token_rotate(user=head).key,
        "references": list(visible[:300]),
        "people": list(Person.objects.order_by("?").values_list("pk", flat=True)[:500]),
        "surnames": list({s[:4] for s in Person.objects.values_list("surname", flat=True)[:400]}),
        "category": AllegationCategory.objects.filter(active=True).order_by("pk").first().pk,
    }


def make_burst() -> list[int]:
    """BURST overdue deadlines made due again now: their reminders and escalations e-mailed."""
    from django.utils import timezone

    from deadlines.models import Deadline, Notification, Status

    today = timezone.localdate()
    chosen = list(
        Deadline.objects.filter(status=Status.OPEN, owner__isnull=False, due_date__lt=today)
        .order_by("-pk")
        .values_list("pk", flat=True)[:BURST]
    )
    Notification.objects.filter(deadline_id__in=chosen).delete()
    Deadline.objects.filter(pk__in=chosen).update(next_alert_on=today, overdue_since=None)
    return chosen


# --- processes ------------------------------------------------------------------------------
class Stack:
    def __init__(self, env: dict, logs: Path, port: int):
        self.env, self.logs, self.port = env, logs, port
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603  # nosec B603: our own commands
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_all(self) -> None:
        self.start("gunicorn", [str(BIN / "gunicorn"), "-c", "docker/gunicorn.conf.py", "psd.wsgi"])
        self.start_worker()
        self.start("beat", [str(BIN / "celery"), "-A", "psd", "beat", "--loglevel=WARNING"])

    def start_worker(self) -> None:
        argv = [str(BIN / "celery"), "-A", "psd", "worker", "--concurrency=2", "--loglevel=INFO"]
        self.start("worker", [*argv, "-n", f"soak-{time.monotonic_ns()}@localhost"])

    def kill_worker(self) -> None:
        worker = self.processes["worker"]
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each process and its children (gunicorn and Celery workers)."""
        children = defaultdict(list)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children[int(fields[1])].append(int(stat.parent.name))
        out = {}
        for name, process in self.processes.items():
            out[f"{name} (main)"] = _rss(process.pid)
            for i, child in enumerate(sorted(children.get(process.pid, []))):
                out[f"{name} child {i + 1}"] = _rss(child)
        return out


def _rss(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- load -----------------------------------------------------------------------------------
class Load:
    kinds = KINDS  # kind: weight; each kind is a method (pages, api, rng, mine) -> (ok, detail)

    def __init__(self, base: str, data: dict, end: float):
        self.base, self.data, self.end = base, data, end
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()

    def client(self, seed: int) -> None:
        import requests

        rng = random.Random(seed)
        pages = requests.Session()
        pages.cookies.set("sessionid", self.session_of(seed), domain="127.0.0.1")
        api = requests.Session()
        api.headers["Authorization"] = f"Token {self.data['token']}"
        mine: list[dict] = []  # cases this client created and has not recorded yet
        kinds, weights = list(self.kinds), list(self.kinds.values())
        while time.monotonic() < self.end:
            kind = rng.choices(kinds, weights)[0]
            if kind == "api_action" and not mine:
                kind = "api_create"
            began = time.perf_counter()
            try:
                ok, detail = getattr(self, kind)(pages, api, rng, mine)
            except Exception as error:  # noqa: BLE001 - a failed request is an error, counted
                ok, detail = False, type(error).__name__
            elapsed = (time.perf_counter() - began) * 1000
            with self.lock:
                self.samples[kind].append(elapsed)
                if not ok:
                    self.errors[kind].append(detail)
            self.pause(rng)

    def figures(self, seconds: float) -> dict:
        """Per kind: requests, throughput, errors (and a few of them), p50 and p95."""
        return {
            kind: {
                "requests": len(values),
                "per_second": round(len(values) / seconds, 2),
                "errors": len(self.errors[kind]),
                "error_samples": sorted(set(self.errors[kind]))[:5],
                "p50_ms": round(p(values, 0.5), 1),
                "p95_ms": round(p(values, 0.95), 1),
            }
            for kind, values in self.samples.items()
        }

    def session_of(self, seed: int) -> str:
        """The page session cookie of client ``seed`` (the soak: one session for all)."""
        return self.data["head_session"]

    def pause(self, rng) -> None:
        """Time between two requests of one client (the soak: none, back to back)."""

    def get(self, session, path: str, **params) -> tuple[bool, str]:
        response = session.get(self.base + path, params=params, timeout=120)
        return response.status_code == 200, f"{response.status_code} {path}"

    def page(self, pages, api, rng, mine):
        reference = rng.choice(self.data["references"])
        path = rng.choice(["/cases/", f"/cases/{reference}/", "/deadlines/", "/"])
        return self.get(pages, path)

    def search(self, pages, api, rng, mine):
        return self.get(pages, "/cases/", q=rng.choice(self.data["surnames"]))

    def statistics(self, pages, api, rng, mine):
        import requests

        if rng.random() < 0.5:
            return self.get(pages, "/statistics/")
        headers = {"Authorization": f"Token {self.data['head_token']}"}
        response = requests.get(self.base + "/api/statistics/", headers=headers, timeout=120)
        return response.status_code == 200, f"{response.status_code} /api/statistics/"

    def api_read(self, pages, api, rng, mine):
        if rng.random() < 0.5:
            return self.get(api, "/api/cases/", page_size=20)
        return self.get(api, "/api/people/", q=rng.choice(self.data["surnames"]))

    def api_create(self, pages, api, rng, mine):
        received = datetime.date.today() - datetime.timedelta(days=rng.randint(1, 20))
        body = {
            "case_type": "complaint",
            "source": "public",
            "received_on": received.isoformat(),
            "summary": "Soak test complaint",
            "complainants": [{"name": "Sam Public", "email": "sam@example.invalid"}],
            "allegations": [
                {
                    "summary": "Rude at the front desk",
                    "category": self.data["category"],
                    "subjects": [rng.choice(self.data["people"])],
                }
            ],
        }
        response = api.post(self.base + "/api/cases/", json=body, timeout=120)
        if response.status_code == 201:
            mine.append(response.json())
        return response.status_code == 201, f"{response.status_code} create"

    def api_action(self, pages, api, rng, mine):
        case = mine.pop()
        url = f"{self.base}/api/cases/{case['reference']}/actions/record/"
        body = {"recorded_on": case["received_on"]}
        response = api.post(url, json=body, timeout=120)
        return response.status_code == 200, f"{response.status_code} record"


# --- database figures -----------------------------------------------------------------------
def db_figures(name: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
        connections = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.datname = %s",
            [name],
        )
        waiting = cursor.fetchone()[0]
        cursor.execute(
            "SELECT temp_files, temp_bytes FROM pg_stat_database WHERE datname = %s", [name]
        )
        temp_files, temp_bytes = cursor.fetchone()
    return {"connections": connections, "waiting_locks": waiting, "temp_files": temp_files,
            "temp_bytes": temp_bytes}  # fmt: skip


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def main() -> None:  # noqa: PLR0915 - one straight script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 5)))
    parser.add_argument("--clients", type=int, default=8)
    dataset_arguments(
        parser,
        database=os.environ.get("SOAK_DATABASE", "psd_soak"),
        allegations=int(os.environ.get("SOAK_ALLEGATIONS", 20000)),
    )
    args = parser.parse_args()
    args.people = args.people or max(100, round(args.allegations / 5.4))
    args.quiet = True
    redis_url = loopback_redis("bench/soak.py")
    os.environ.setdefault("DEBUG", "1")  # migrate and generate_data, as under make
    url = ensure_dataset(args)

    work = Path(tempfile.mkdtemp(prefix="psd-soak-"))
    sink, smtp_port = smtp_sink.start(work / "sink")
    port = free_port()
    env = production_env(
        url,
        redis_url,
        port,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "REDIS_URL", "AUDIT_HMAC_KEY")}
    )
    os.environ.update({k: env[k] for k in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "psd.settings"
    collectstatic(env)
    subprocess.run(  # noqa: S603  # nosec B603
        [str(BIN / "celery"), "-A", "psd", "purge", "-f"], cwd=ROOT, env=env, check=True
    )
    import django

    django.setup()
    from django.conf import settings

    from deadlines import outbox
    from deadlines.models import Notification
    from deadlines.tasks import sweep_deadlines

    data = prepare()
    name = url.rsplit("/", 1)[1]
    stack = Stack(env, work, port)
    stack.start_all()
    wait_for(f"http://127.0.0.1:{port}/healthz", 60)
    print(f"soak: {args.minutes:g} minutes, {args.clients} clients, logs in {work}", flush=True)

    began = time.monotonic()
    end = began + args.minutes * 60
    load = Load(f"http://127.0.0.1:{port}", data, end)
    clients = [threading.Thread(target=load.client, args=(i,)) for i in range(args.clients)]
    first_db = db_figures(name)
    rss_series: list[tuple[float, dict]] = []
    db_series: list[dict] = []
    for client in clients:
        client.start()
    killed, recovered = {}, None
    pending = Notification.objects.filter(
        emailed_at__isnull=True, read_at__isnull=True, recipient__email__gt=""
    )
    while time.monotonic() < end:
        time.sleep(10)
        rss_series.append((time.monotonic() - began, stack.rss_mb()))
        db_series.append(db_figures(name))
        if not killed and time.monotonic() - began > args.minutes * 60 / 3:
            killed = kill_mid_send(stack, make_burst(), sweep_deadlines)
        elif killed and recovered is None and not pending.exists():
            recovered = time.monotonic() - killed["when"]
    for client in clients:
        client.join()
    last_db = db_figures(name)
    seconds = time.monotonic() - began

    # Recovery: as production would, within the visibility timeout and the e-mail claim.
    recovery_limit = time.monotonic() + max(300, settings.PSD_EMAIL_CLAIM_SECONDS) + 120
    while recovered is None and time.monotonic() < recovery_limit:
        time.sleep(5)
        if not pending.exists():
            recovered = time.monotonic() - killed["when"]
    time.sleep(1)
    stack.stop_all()
    sink.kill()
    emailed = Notification.objects.filter(emailed_at__isnull=False, deadline_id__in=killed["ids"])
    expected = {outbox.message_id(n) for n in emailed}
    delivered = smtp_sink.deliveries(work / "sink")
    mine = [m for m in delivered if m in expected]
    report = {
        "minutes": args.minutes,
        "clients": args.clients,
        "seconds": round(seconds, 1),
        "kinds": load.figures(seconds),
        "rss_mb": _rss_summary(rss_series),
        "db": {
            "max_connections": max(d["connections"] for d in db_series),
            "max_waiting_locks": max(d["waiting_locks"] for d in db_series),
            "temp_files": last_db["temp_files"] - first_db["temp_files"],
            "temp_bytes": last_db["temp_bytes"] - first_db["temp_bytes"],
        },
        "email": {
            **killed["at"],
            "expected": len(expected),
            "received": len(mine),
            "distinct": len(set(mine)),
            "received_twice": len(mine) - len(set(mine)),
            "never_sent": pending.count(),
            "recovered_after_s": round(recovered) if recovered is not None else None,
        },
    }
    print(format_report(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


def kill_mid_send(stack: Stack, ids: list[int], sweep_task) -> dict:
    """Sweep the burst and SIGKILL the worker once it is sending; restart it at once."""
    from deadlines.models import Notification

    sweep_task.delay()
    burst = Notification.objects.filter(deadline_id__in=ids)
    limit = time.monotonic() + 300
    while burst.filter(emailed_at__isnull=False).count() < 200 and time.monotonic() < limit:
        time.sleep(0.2)
    stack.kill_worker()
    when = time.monotonic()
    at = {
        "sent_before_kill": burst.filter(emailed_at__isnull=False).count(),
        "claimed_in_flight": burst.filter(
            emailed_at__isnull=True, email_claimed_at__isnull=False
        ).count(),
    }
    print(f"soak: worker SIGKILLed mid-send ({at})", flush=True)
    stack.start_worker()
    return {"ids": ids, "at": at, "when": when}


def wait_for(url: str, seconds: float) -> None:
    import requests

    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    sys.exit(f"{url} did not answer")


def _rss_summary(series: list[tuple[float, dict]]) -> dict:
    """Each process's RSS at the first sample after a minute (warm), half way and at the last:
    growth that stops between the middle and the end is warm-up, growth that goes on a leak."""
    warm = next((rss for t, rss in series if t >= 60), series[0][1] if series else {})
    half = series[len(series) // 2][1] if series else {}
    last = series[-1][1] if series else {}
    return {
        name: {
            "start": round(warm.get(name, 0), 1),
            "middle": round(half.get(name, 0), 1),
            "end": round(last[name], 1),
        }
        for name in last
    }


def format_report(r: dict) -> str:
    total = sum(k["requests"] for k in r["kinds"].values())
    errors = sum(k["errors"] for k in r["kinds"].values())
    lines = [
        f"Soak: {r['minutes']:g} min, {r['clients']} clients, {total:,} requests "
        f"({total / r['seconds']:.1f}/s), {errors} errors",
        "",
        *kinds_table(KINDS, r["kinds"]),
    ]
    lines += [
        "",
        "| Process | RSS after 1 min (MB) | half way (MB) | at end (MB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, rss in r["rss_mb"].items():
        lines.append(f"| {name} | {rss['start']} | {rss['middle']} | {rss['end']} |")
    d, e = r["db"], r["email"]
    lines += [
        "",
        f"Database: at most {d['max_connections']} connections, at most "
        f"{d['max_waiting_locks']} waiting locks, {d['temp_files']} temporary files "
        f"({d['temp_bytes'] / 1e6:.1f} MB) during the load.",
        f"E-mail after the worker kill ({e['sent_before_kill']} sent before it, "
        f"{e['claimed_in_flight']} claimed in flight): {e['expected']} expected, "
        f"{e['received']} received, {e['distinct']} distinct Message-IDs, "
        f"{e['received_twice']} received twice, {e['never_sent']} never sent; "
        + (
            f"every e-mail was out {e['recovered_after_s']} s after the kill."
            if e["recovered_after_s"] is not None
            else "some e-mails were still unsent at the end of the wait."
        ),
    ]
    return "\n".join(lines + error_lines(r["kinds"]))


def kinds_table(order, kinds: dict, label: str = "Kind") -> list[str]:
    """The per-kind figures (``Load.figures``) as a Markdown table, in ``order``."""
    lines = [
        f"| {label} | Requests | Per second | Errors | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in order:
        k = kinds.get(kind)
        if k:
            lines.append(
                f"| {kind} | {k['requests']:,} | {k['per_second']} | {k['errors']} "
                f"| {k['p50_ms']} | {k['p95_ms']} |"
            )
    return lines


def error_lines(kinds: dict) -> list[str]:
    return [
        f"Errors ({kind}): {', '.join(k['error_samples'])}"
        for kind, k in kinds.items()
        if k["error_samples"]
    ]


if __name__ == "__main__":
    main()
