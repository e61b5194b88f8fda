"""Cost of deciding reminders at national volume: a first run that claims them all, then a run that finds all known.

Usage (a migrated database; the rows are created in a transaction that is rolled back at the end):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python scripts/bench_reminders.py --sessions 400
    python scripts/bench_reminders.py --sessions 400          # embedded SQLite (var/db.sqlite3)
One national year is about a million registrations, some 4,000 a working day: ``--sessions 400`` with ten
confirmed agents each makes 4,000 ``session_participants`` reminders due on one day. Sending is left out
(the send tasks are enqueued on commit, and nothing commits): this measures the decision, which beat runs
every hour.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from agreements.models import Theme  # noqa: E402
from notifications.models import ReminderLog  # noqa: E402
from notifications.services import reminders_run  # noqa: E402
from partnership.models import Collectivity, Delegation, Department, Region  # noqa: E402
from trainings.models import Registration, Session, SessionHalfDay, TrainingAction, TrainingScheme  # noqa: E402


class Rollback(Exception):
    pass


def populate(sessions: int, agents: int, start: datetime.date) -> None:
    region = Region.objects.create(code="B99", name="Région de mesure", zone="metro")
    department = Department.objects.create(code="B9", name="Département de mesure", region=region, zone="metro")
    delegation = Delegation.objects.create(code="mesure", name="Délégation de mesure", region=region)
    commune = Collectivity.objects.create(kind="commune", code="B9001", name="Commune de mesure", department=department)
    action = TrainingAction.objects.create(
        delegation=delegation,
        title="Action de mesure",
        scheme=TrainingScheme.objects.create(code="mesure", label="Mesure"),
        theme=Theme.objects.create(family="hr_support", code="mesure", label="Mesure"),
        mode="inter",
        for_category_c=True,
        duration_days=Decimal("0.5"),
    )
    created = Session.objects.bulk_create(
        Session(action=action, venue=commune, capacity=agents, start_date=start, end_date=start)
        for _ in range(sessions)
    )
    SessionHalfDay.objects.bulk_create(SessionHalfDay(session=s, date=start, period="am") for s in created)
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            session=s,
            first_name="Agent",
            last_name=str(n),
            email=f"agent{s.pk}-{n}@mesure.example.fr",
            category="C",
            employer=commune,
            status="confirmed",
            confirmed_at=now,
        )
        for s in created
        for n in range(agents)
    )


def timed(today: datetime.date) -> tuple[float, int]:
    begin = time.perf_counter()
    counts = reminders_run(today=today, only=["session_participants"])
    return time.perf_counter() - begin, counts["session_participants"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=400)
    parser.add_argument("--agents", type=int, default=10)
    args = parser.parse_args()
    today = timezone.localdate()
    try:
        with transaction.atomic():
            populate(args.sessions, args.agents, today + datetime.timedelta(days=3))
            first, claimed = timed(today)
            second, again = timed(today)
            assert ReminderLog.objects.count() == claimed == args.sessions * args.agents and again == 0
            print(f"Base : {connection.vendor}, {claimed} rappels dus")
            print(f"1er passage (réserve tout) : {first:.2f} s, {1000 * first / claimed:.2f} ms par rappel")
            print(f"2e passage (rien de neuf)  : {second:.2f} s, soit {second / first:.2f} × le premier")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
