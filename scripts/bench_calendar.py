"""The calendar at its busiest, on the database ``make bench`` loaded: the month grid of the dataset's busiest
month and the delegation's iCalendar feed over a window full of sessions, for the small and the largest
delegation, in-process (Django's test client, no gunicorn). ``bench_load.py`` times the current month and
today's feed window, which a generated year may leave almost empty.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load .venv/bin/python scripts/bench_calendar.py

Reads only, except the login sessions of the bench's own accounts (created by ``bench_load.py``).
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_load")

import django  # noqa: E402

django.setup()

from bench_pages import delegations_by_size  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from partnership.models import Delegation, User  # noqa: E402
from trainings import calendar_selectors  # noqa: E402
from trainings.calendar_feed import calendar_feed  # noqa: E402
from trainings.models import SessionHalfDay  # noqa: E402

ROUNDS = 5


def median_ms(function, *args) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        function(*args)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def feed_ms(delegation: Delegation, first: datetime.date, last: datetime.date) -> tuple[int, float]:
    def build():
        return calendar_feed(
            delegation,
            calendar_selectors.calendar_feed_sessions(delegation, first=first, last=last),
            calendar_selectors.calendar_feed_half_days(delegation, first=first, last=last),
            first,
            last,
        )

    half_days = SessionHalfDay.objects.filter(
        session__action__delegation=delegation, date__gte=first, date__lte=last
    ).count()
    return half_days, median_ms(build)


def main():
    busiest = (
        SessionHalfDay.objects.values_list("date__year", "date__month").annotate(n=Count("pk")).order_by("-n").first()
    )
    month = datetime.date(busiest[0], busiest[1], 1)
    # The feed's window (30 days back, 365 ahead) laid over the busiest 13 months of the data.
    first = month - datetime.timedelta(days=calendar_selectors.CALENDAR_FEED_DAYS_BACK + 180)
    last = first + datetime.timedelta(
        days=calendar_selectors.CALENDAR_FEED_DAYS_BACK + calendar_selectors.CALENDAR_FEED_DAYS_AHEAD
    )
    print(f"Mois le plus chargé : {month:%Y-%m} ; fenêtre du flux : du {first} au {last}.")
    small, large = delegations_by_size()
    for label, delegation in (("petite", small), ("grande", large)):
        client = Client()
        client.force_login(User.objects.get(email=f"bench-delegue-{delegation.region.code}@bench.example"))
        url = f"/formations/calendrier/?mois={month:%Y-%m}"
        assert client.get(url).status_code == 200
        half_days, feed = feed_ms(delegation, first, last)
        print(
            f"{label:<7} {delegation.name:<32} {url} : {median_ms(client.get, url):.0f} ms ; "
            f"flux de {half_days} demi-journées : {feed:.0f} ms"
        )
    national = Client()
    national.force_login(User.objects.get(email="bench-national@bench.example"))
    url = f"/formations/calendrier/?mois={month:%Y-%m}"
    print(f"national {url} : {median_ms(national.get, url):.0f} ms")


if __name__ == "__main__":
    main()
