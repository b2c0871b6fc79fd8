"""The load test (issue 21 item 5): simulated users on the production stack for a minute.

    .venv/bin/python bench/load.py --users 50 --seconds 60 --database psd_soak \\
        --allegations 1350000 --people 250000
    REDIS_URL=redis://127.0.0.1:6379/<db> DATABASE_URL=postgres://... (the server)

gunicorn (docker/gunicorn.conf.py, production settings, 3 workers) on 127.0.0.1 serves
``--users`` simulated users, each with a session of its own (two-factor verified, spread over
the generated appropriate-authority users): each opens the case list (the first page, a
filtered page or the next page), a case page, a search (a reference, a surname, or words
from the summaries, through the header's search page), the statistics page, or acts (through
the API as an investigator: a new case, then the record action on it), then pauses a random
0-2x ``--think`` seconds as a person reading would. Everything runs on 127.0.0.1, bounded in
time. Celery runs eagerly in the web processes and e-mail goes nowhere (no worker, no SMTP).

Printed: requests, throughput and errors in all; per action the requests, errors, median and
p95 in milliseconds; the load average before and after. Exits 1 when any request failed.
The dataset is prepared as bench/soak.py prepares it (made steady, not measured); the cases the
actions create stay in it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.overhttp import Server  # noqa: E402
from bench.run import ensure_dataset  # noqa: E402
from bench.soak import (  # noqa: E402
    Load,
    collectstatic,
    dataset_arguments,
    error_lines,
    free_port,
    kinds_table,
    loopback_redis,
    prepare,
    production_env,
)

ACTIONS = {"list": 30, "case": 25, "search": 25, "statistics": 5, "action": 15}


class Users(Load):
    """bench/soak.py's clients, each a person with a session of their own who pauses."""

    kinds = ACTIONS
    think = 1.0

    def session_of(self, seed: int) -> str:
        sessions = self.data["sessions"]
        return sessions[seed % len(sessions)]

    def pause(self, rng) -> None:
        time.sleep(min(rng.uniform(0, 2 * self.think), max(0.0, self.end - time.monotonic())))

    def list(self, pages, api, rng, mine):
        choice = rng.random()
        if choice < 0.6:
            return self.get(pages, "/cases/")
        if choice < 0.8:
            return self.get(pages, "/cases/", state=rng.choice(["investigation", "recorded"]))
        return self.get(pages, "/cases/", after=rng.choice(self.data["cursors"]))

    def case(self, pages, api, rng, mine):
        return self.get(pages, f"/cases/{rng.choice(self.data['references'])}/")

    def search(self, pages, api, rng, mine):
        return self.get(pages, "/search/", q=rng.choice(self.data["terms"]))

    def statistics(self, pages, api, rng, mine):
        return self.get(pages, "/statistics/")

    def action(self, pages, api, rng, mine):
        if mine:
            return self.api_action(pages, api, rng, mine)
        return self.api_create(pages, api, rng, mine)


def users_data(users: int) -> dict:
    """bench/soak.py's prepared data, plus a session per user, list cursors and search terms."""
    from django.contrib.auth import get_user_model

    from bench.soak import session_for
    from cases.models import Case
    from psd.roles import Role

    data = prepare()
    heads = list(
        get_user_model()
        .objects.filter(groups__name=Role.APPROPRIATE_AUTHORITY.label)
        .order_by("pk")[:users]
    )
    data["sessions"] = [session_for(heads[i % len(heads)]) for i in range(users)]
    keyset = Case.objects.order_by("-received_on", "-id").values_list("received_on", "id")
    data["cursors"] = [f"{day.isoformat()}.{pk}" for day, pk in keyset[24:2000:25]]
    words = ["use of force", "vehicle", "custody", "Market Street", "social media"]
    data["terms"] = data["references"][:50] + data["surnames"][:50] + words
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause, seconds")
    dataset_arguments(parser)
    args = parser.parse_args()
    args.people = args.people or max(100, round(args.allegations / 5.4))
    args.quiet = True
    redis_url = loopback_redis("bench/load.py")
    os.environ.setdefault("DEBUG", "1")  # migrate and generate_data, as under make
    url = ensure_dataset(args)
    port = free_port()
    env = production_env(
        url,
        redis_url,
        port,
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    collectstatic(env)
    os.environ.update(env)
    import django

    django.setup()
    data = users_data(args.users)
    load_before = os.getloadavg()
    with Server(env, port, Path(tempfile.mkdtemp(prefix="psd-load-"))):
        began = time.monotonic()
        load = Users(f"http://127.0.0.1:{port}", data, began + args.seconds)
        load.think = args.think
        threads = [threading.Thread(target=load.client, args=(i,)) for i in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - began
    report = {
        "users": args.users,
        "seconds": round(seconds, 1),
        "think_s": args.think,
        "load_average": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "actions": load.figures(seconds),
    }
    print(format_report(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    if any(a["errors"] for a in report["actions"].values()):
        sys.exit(1)


def format_report(r: dict) -> str:
    total = sum(a["requests"] for a in r["actions"].values())
    errors = sum(a["errors"] for a in r["actions"].values())
    lines = [
        f"Load: {r['users']} users for {r['seconds']:g} s (mean pause {r['think_s']:g} s): "
        f"{total:,} requests ({total / r['seconds']:.1f}/s), {errors} errors; load average "
        f"{r['load_average'][0]} -> {r['load_average'][1]}",
        "",
        *kinds_table(ACTIONS, r["actions"], label="Action"),
    ]
    return "\n".join(lines + error_lines(r["actions"]))


if __name__ == "__main__":
    main()
