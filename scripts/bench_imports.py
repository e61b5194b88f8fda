"""CSV imports of 10,000 lines (agents to register, attendance) on PostgreSQL: where each runs, and how long it takes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_imports .venv/bin/python scripts/bench_imports.py --prepare
    DATABASE_URL=… .venv/bin/python scripts/bench_imports.py          # reuse the migrated database

``--prepare`` drops and recreates that database and migrates it. Each run then builds, in one
transaction rolled back at the end (so it can run again, and no e-mail leaves), a delegation, a
commune, an HR contact and two sessions, and times, in one process:

- the reader alone (``partnership.csvimport.read_csv``) on each 10,000-line file;
- the agents' import through ``partnership.imports`` (every line through ``registration_create``:
  scope, capacity, Paris rule, duplicates, history, the rollups' triggers) at the request's limit
  (``IMPORT_SYNC_MAX_LINES``) and at 10,000 lines, as the worker runs it;
- the attendance import of 10,000 marks (2,500 agents × 4 half-days) the same way.

Each import runs in its own transaction, as in the request or the worker: many writes to the same
rollup rows in one long transaction cost more and more (PostgreSQL keeps every version of the row
until the commit), so one transaction per import is what production sees.

It prints each time, its cost per line, and its ratio to the web timeout (gunicorn's 30 s): a file the
request imports must stay well inside it; a longer one goes to a worker (« Mes imports »).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
WEB_TIMEOUT_SECONDS = 30.0
LINES = 10_000


def prepare(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, cwd=ROOT)


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="drop, recreate and migrate the database first")
    arguments = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL doit désigner une base PostgreSQL.")
    if arguments.prepare:
        prepare(url)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction

    from partnership.csvimport import CsvFormat, read_csv
    from partnership.enums import CollectivityKind, Role, Zone
    from partnership.imports import _apply
    from partnership.models import Collectivity, Delegation, Department, Region, User
    from tests.trainings.factories import (
        ContractFactory,
        ContractPartyFactory,
        ProgrammeLineFactory,
        SessionFactory,
        TrainingActionFactory,
        in_days,
    )
    from trainings import imports
    from trainings.enums import ActionMode, Period, RegistrationStatus
    from trainings.models import Registration

    assert connection.vendor == "postgresql"
    results = []

    def report(label: str, seconds: float, lines: int) -> None:
        results.append((label, seconds, lines))
        print(
            f"{label:<58} {seconds:8.2f} s  {seconds / lines * 1000:6.2f} ms/ligne  "
            f"{seconds / WEB_TIMEOUT_SECONDS:6.2f} × le délai web",
            flush=True,
        )

    def imported(kind, actor, session, content) -> str:
        table = read_csv(content, kind.format(actor, session))
        return _apply(kind, actor=actor, target=session, table=table, progress=lambda done: None)

    def world():
        """A delegation, a commune, its HR contact and a delegation agent, a contract with a programme line."""
        region = Region.objects.create(code="B1", name="Région du banc d'essai", zone=Zone.METRO)
        department = Department.objects.create(code="B1", name="Banc d'essai", region=region, zone=Zone.METRO)
        delegation = Delegation.objects.create(code="banc", name="Délégation du banc", region=region)
        delegation.departments.add(department)
        commune = Collectivity.objects.create(
            kind=CollectivityKind.COMMUNE, code="B1001", name="Banc-sur-Essai", department=department, population=900
        )
        people = {
            role: User.objects.create_user(
                email=f"{role}@banc.example.fr",
                password=None,
                first_name="Banc",
                last_name="Essai",
                role=role,
                collectivity=commune if role == Role.HR_CONTACT else None,
                delegation=delegation if role == Role.DELEGATION_STAFF else None,
            )
            for role in (Role.HR_CONTACT, Role.DELEGATION_STAFF)
        }
        contract = ContractFactory(delegation=delegation)
        ContractPartyFactory(contract=contract, collectivity=commune)
        action = TrainingActionFactory(
            delegation=delegation, programme_line=ProgrammeLineFactory(contract=contract), mode=ActionMode.INTRA
        )
        return commune, action, people

    def scenario(run):
        """One import in one transaction, as the request or the worker runs it; rolled back after (no e-mail leaves)."""
        try:
            with transaction.atomic():
                run(*world())
                raise Rollback
        except Rollback:
            pass

    def agents_file(count: int) -> bytes:
        rows = [f"Prénom{n};Nom{n};agent{n}@banc.example.fr;C;Agent" for n in range(count)]
        return ("prenom;nom;email;categorie;emploi\r\n" + "\r\n".join(rows) + "\r\n").encode()

    # 1. The reader alone.
    agents = agents_file(LINES)
    started = time.perf_counter()
    read_csv(agents, CsvFormat(columns=imports.REGISTRATION_COLUMNS))
    report(f"lecture seule, {LINES} lignes d'agents ({len(agents) // 1024} Ko)", time.perf_counter() - started, LINES)

    # 2. Agents, at the request's limit then at 10,000 lines.
    def register(count, where):
        def run(commune, action, people):
            hr = people[Role.HR_CONTACT]
            session = SessionFactory(
                action=action,
                venue=commune,
                capacity=LINES,
                start_date=in_days(30),
                half_days=[(in_days(30), Period.MORNING)],
            )
            content = agents_file(count)
            started = time.perf_counter()
            imported(imports.REGISTRATIONS, hr, session, content)
            report(f"inscription de {count} agents ({where})", time.perf_counter() - started, count)
            assert session.registrations.count() == count

        scenario(run)

    register(settings.IMPORT_SYNC_MAX_LINES, "dans la requête")
    register(LINES, "par un worker")

    # 3. Attendance: 2,500 confirmed agents, 4 half-days over.
    def attendance(commune, action, people):
        days = [in_days(-3), in_days(-2)]
        half_days = [(day, period) for day in days for period in (Period.MORNING, Period.AFTERNOON)]
        session = SessionFactory(action=action, venue=commune, capacity=LINES, start_date=days[0], half_days=half_days)
        Registration.objects.bulk_create(
            Registration(
                session=session,
                first_name=f"P{n}",
                last_name=f"N{n}",
                email=f"present{n}@banc.example.fr",
                category="C",
                employer=commune,
                status=RegistrationStatus.CONFIRMED,
            )
            for n in range(LINES // 4)
        )
        rows = [
            f"present{n}@banc.example.fr;{day:%d/%m/%Y};{'matin' if period == Period.MORNING else 'après-midi'};présent"
            for n in range(LINES // 4)
            for day, period in half_days
        ]
        content = ("email;date;demi-journee;statut\r\n" + "\r\n".join(rows) + "\r\n").encode()
        started = time.perf_counter()
        read_csv(content, imports.ATTENDANCE_FORMAT)
        report(f"lecture seule, {LINES} lignes de présence", time.perf_counter() - started, LINES)
        started = time.perf_counter()
        imported(imports.ATTENDANCE, people[Role.DELEGATION_STAFF], session, content)
        report(f"émargement de {LINES} présences (par un worker)", time.perf_counter() - started, LINES)

    scenario(attendance)
    print(
        f"\nUn fichier de {settings.IMPORT_SYNC_MAX_LINES} lignes au plus est importé dans la requête ; "
        "au-delà, par un worker, suivi dans « Mes imports »."
    )


if __name__ == "__main__":
    main()
