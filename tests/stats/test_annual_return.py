import csv

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_annual_return_writes_every_table(tmp_path, fy2025, capsys):
    call_command("stats_annual_return", "--year", "2025", "--out", str(tmp_path / "2025"))
    files = sorted(p.name for p in (tmp_path / "2025").iterdir())
    assert files == sorted(
        f"{name}-2025.csv"
        for name in [
            "recorded",
            "outcomes",
            "categories",
            "subcategories",
            "trend",
            "outside_schedule_3",
            "timeliness",
            "referrals",
            "conduct_outcomes",
            "misconduct_proceedings",
            "barred_list",
        ]
    )
    with open(tmp_path / "2025" / "recorded-2025.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Case type", "Cases", "Allegations"]
    assert rows[-1] == ["Total", "5", "8"]
    assert "11 tables for 2025/26" in capsys.readouterr().out


def test_annual_return_refuses_a_silly_year(tmp_path):
    with pytest.raises(CommandError, match="financial year starts"):
        call_command("stats_annual_return", "--year", "25", "--out", str(tmp_path))
