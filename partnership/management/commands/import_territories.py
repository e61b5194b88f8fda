"""Load regions, départements, communes and EPCIs from ``partnership/data/territories.json.gz``.

The file is built by ``scripts/build_territories.py`` (see ``partnership/data/README.md``). The
import is idempotent: existing rows are matched by code, only new rows are inserted and only rows
whose values differ are updated; EPCI memberships are synchronised by set difference. Rows absent
from the file are kept (contracts or accounts may point at them) and only reported.

It also creates, when missing, the CNFPT regional delegations and the associations of mayors;
those are never modified afterwards, so that edits made by the staff survive a re-import.
"""

import gzip
import json
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from partnership.enums import CollectivityKind
from partnership.models import Collectivity, Delegation, Department, MayorsAssociation, Region
from partnership.text import normalize_search

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "territories.json.gz"
FORMAT_VERSION = 1
BATCH_SIZE = 2000
DELETE_BATCH_SIZE = 500

NATIONAL_ASSOCIATION_NAME = "Association des maires de France et des présidents d'intercommunalité (AMF)"
DEPARTMENTAL_ASSOCIATION_PREFIX = "Association des maires "

# Seat of the CNFPT regional delegation when it is not the region's chef-lieu (by region code).
# Elsewhere the chef-lieu is used.
DELEGATION_SEATS = {
    "11": "Pantin",  # Île-de-France
    "52": "Angers",  # Pays de la Loire
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def load_territories(path) -> dict:
    """Read and check a ``territories.json.gz`` file."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise CommandError(f"Fichier introuvable : {path}") from exc
    except (OSError, ValueError) as exc:
        raise CommandError(f"Fichier illisible ({path}) : {exc}") from exc
    header = data.get("header") if isinstance(data, dict) else None
    if not isinstance(header, dict) or header.get("format") != FORMAT_VERSION:
        raise CommandError(f"Format de fichier non reconnu : {path} (attendu : format {FORMAT_VERSION}).")
    for key in ("regions", "departments", "communes", "epcis"):
        if not isinstance(data.get(key), list):
            raise CommandError(f"Le fichier {path} ne contient pas de table « {key} ».")
    return data


def _sync_rows(queryset, wanted: dict[str, dict], fields: list[str], defaults: dict | None = None):
    """Insert or update ``queryset.model`` rows keyed by ``code`` so that they hold ``wanted``.

    Returns the counts, the ``{code: pk}`` map after the operation and the codes absent from ``wanted``.
    """
    model = queryset.model
    existing = {row["code"]: row for row in queryset.values("pk", "code", *fields)}
    to_create, to_update, changed_fields = [], [], set()
    unchanged = 0
    for code, values in wanted.items():
        row = existing.get(code)
        if row is None:
            to_create.append(model(code=code, **(defaults or {}), **values))
            continue
        differences = {field for field in fields if row[field] != values[field]}
        if differences:
            changed_fields |= differences
            to_update.append(model(pk=row["pk"], code=code, **values))
        else:
            unchanged += 1
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    ids = dict(queryset.values_list("code", "pk"))
    absent = sorted(set(existing) - set(wanted))
    return Counts(len(to_create), len(to_update), unchanged), ids, absent


class TerritoryImporter:
    """Writes the content of a territories file to the database. Call ``run()`` inside a transaction."""

    def __init__(self, data: dict, write=print):
        self.data = data
        self.write = write

    def run(self) -> dict[str, Counts]:
        results = {}
        results["regions"], region_ids = self._regions()
        results["departments"], department_ids = self._departments(region_ids)
        results["communes"], commune_ids = self._communes(department_ids)
        results["epcis"], epci_ids = self._epcis(department_ids)
        results["memberships"] = self._memberships(epci_ids, commune_ids)
        results["delegations"] = self._delegations(region_ids, department_ids)
        results["associations"] = self._associations(department_ids)
        return results

    # Territories ------------------------------------------------------------------------------

    def _report_absent(self, label: str, codes: list[str]) -> None:
        """Rows absent from the file are kept (contracts or accounts may point at them): just say so."""
        if codes:
            sample = ", ".join(codes[:10]) + (", …" if len(codes) > 10 else "")
            self.write(f"  {label} : {len(codes)} ({sample})")

    def _regions(self):
        wanted = {code: {"name": name, "zone": zone} for code, name, zone, *_ in self.data["regions"]}
        counts, ids, absent = _sync_rows(Region.objects.all(), wanted, ["name", "zone"])
        self.write(f"Régions : {counts.created} créées, {counts.updated} modifiées, {counts.unchanged} inchangées")
        self._report_absent("Régions absentes du fichier, conservées", absent)
        return counts, ids

    def _departments(self, region_ids):
        wanted = {}
        for code, name, region_code, zone, liaison_type in self.data["departments"]:
            if region_code not in region_ids:
                raise CommandError(f"Département {code} : région {region_code} inconnue.")
            wanted[code] = {
                "name": name,
                "region_id": region_ids[region_code],
                "zone": zone,
                "liaison_type": liaison_type,
            }
        fields = ["name", "region_id", "zone", "liaison_type"]
        counts, ids, absent = _sync_rows(Department.objects.all(), wanted, fields)
        self.write(f"Départements : {counts.created} créés, {counts.updated} modifiés, {counts.unchanged} inchangés")
        self._report_absent("Départements absents du fichier, conservés", absent)
        return counts, ids

    def _communes(self, department_ids):
        wanted = {}
        for code, name, department_code, siren, population, postal_codes in self.data["communes"]:
            if department_code not in department_ids:
                raise CommandError(f"Commune {code} : département {department_code} inconnu.")
            wanted[code] = {
                "siren": siren,
                "name": name,
                "search_name": normalize_search(name),
                "department_id": department_ids[department_code],
                "population": population,
                "postal_codes": postal_codes,
            }
        counts, ids, absent = _sync_rows(
            Collectivity.objects.filter(kind=CollectivityKind.COMMUNE),
            wanted,
            ["siren", "name", "search_name", "department_id", "population", "postal_codes"],
            defaults={"kind": CollectivityKind.COMMUNE},
        )
        self.write(f"Communes : {counts.created} créées, {counts.updated} modifiées, {counts.unchanged} inchangées")
        self._report_absent("Communes absentes du fichier, conservées", absent)
        return counts, ids

    def _epcis(self, department_ids):
        populations = {row[0]: row[4] for row in self.data["communes"]}
        wanted = {}
        for siren, name, epci_type, department_code, members in self.data["epcis"]:
            if department_code not in department_ids:
                raise CommandError(f"EPCI {siren} : département {department_code} inconnu.")
            unknown = [code for code in members if code not in populations]
            if unknown:
                raise CommandError(f"EPCI {siren} : communes membres inconnues ({', '.join(unknown[:5])}).")
            member_populations = [populations[code] for code in members if populations[code] is not None]
            wanted[siren] = {
                "siren": siren,
                "name": name,
                "search_name": normalize_search(name),
                "department_id": department_ids[department_code],
                "population": sum(member_populations) if member_populations else None,
                "epci_type": epci_type,
            }
        counts, ids, absent = _sync_rows(
            Collectivity.objects.filter(kind=CollectivityKind.EPCI),
            wanted,
            ["siren", "name", "search_name", "department_id", "population", "epci_type"],
            defaults={"kind": CollectivityKind.EPCI},
        )
        self.write(f"EPCI : {counts.created} créés, {counts.updated} modifiés, {counts.unchanged} inchangés")
        self._report_absent("EPCI absents du fichier, conservés", absent)
        return counts, ids

    def _memberships(self, epci_ids, commune_ids):
        """Make the members of every EPCI of the file exactly those listed; other EPCIs are left alone."""
        through = Collectivity.members.through
        wanted = {
            (epci_ids[siren], commune_ids[code])
            for siren, _name, _type, _dep, members in self.data["epcis"]
            for code in members
        }
        file_epcis = {epci_ids[row[0]] for row in self.data["epcis"]}
        existing = {
            (from_id, to_id): pk
            for pk, from_id, to_id in through.objects.filter(from_collectivity__kind=CollectivityKind.EPCI).values_list(
                "pk", "from_collectivity_id", "to_collectivity_id"
            )
            if from_id in file_epcis
        }
        new_pairs = sorted(wanted - existing.keys())
        removed = sorted(pk for pair, pk in existing.items() if pair not in wanted)
        through.objects.bulk_create(
            [through(from_collectivity_id=from_id, to_collectivity_id=to_id) for from_id, to_id in new_pairs],
            batch_size=BATCH_SIZE,
        )
        for start in range(0, len(removed), DELETE_BATCH_SIZE):
            through.objects.filter(pk__in=removed[start : start + DELETE_BATCH_SIZE]).delete()
        counts = Counts(created=len(new_pairs), updated=len(removed), unchanged=len(existing) - len(removed))
        self.write(
            f"Adhésions aux EPCI : {counts.created} créées, {counts.updated} supprimées, {counts.unchanged} inchangées"
        )
        return counts

    # CNFPT delegations and associations of mayors ---------------------------------------------

    def _delegations(self, region_ids, department_ids):
        """One delegation per region of the file, created once; existing ones are never modified."""
        commune_names = {row[0]: row[1] for row in self.data["communes"]}
        departments_by_region = {}
        for code, _name, region_code, *_ in self.data["departments"]:
            departments_by_region.setdefault(region_code, []).append(department_ids[code])
        covered = set(Delegation.objects.values_list("region_id", flat=True))
        taken_names = set(Delegation.objects.values_list("name", flat=True))
        taken_codes = set(Delegation.objects.values_list("code", flat=True))
        counts = Counts()
        for region_code, region_name, _zone, *rest in sorted(self.data["regions"]):
            if region_ids[region_code] in covered:
                counts.unchanged += 1
                continue
            name, code = f"Délégation {region_name}", slugify(region_name)
            if name in taken_names or code in taken_codes:
                self.write(f"  Délégation non créée pour la région {region_name} : nom ou code « {code} » déjà pris.")
                continue
            chef_lieu = rest[0] if rest else ""
            delegation = Delegation.objects.create(
                code=code,
                name=name,
                region_id=region_ids[region_code],
                seat=DELEGATION_SEATS.get(region_code) or commune_names.get(chef_lieu, ""),
            )
            delegation.departments.set(departments_by_region.get(region_code, []))
            counts.created += 1
        self.write(f"Délégations régionales : {counts.created} créées, {counts.unchanged} existantes")
        return counts

    def _associations(self, department_ids):
        """The AMF and one association per département, created once; existing ones are never renamed."""
        taken_names = set(MayorsAssociation.objects.values_list("name", flat=True))
        counts = Counts()
        to_create = []
        if MayorsAssociation.objects.filter(department__isnull=True).exists():
            counts.unchanged += 1
        elif NATIONAL_ASSOCIATION_NAME in taken_names:
            self.write(f"  Association nationale non créée : « {NATIONAL_ASSOCIATION_NAME} » existe déjà.")
        else:
            to_create.append(MayorsAssociation(name=NATIONAL_ASSOCIATION_NAME, department=None))
            taken_names.add(NATIONAL_ASSOCIATION_NAME)
        departments = Department.objects.filter(pk__in=department_ids.values()).order_by("code")
        with_association = set(
            MayorsAssociation.objects.filter(department__isnull=False).values_list("department_id", flat=True)
        )
        for department in departments:
            if department.pk in with_association:
                counts.unchanged += 1
                continue
            name = DEPARTMENTAL_ASSOCIATION_PREFIX + department.name_with_of
            if name in taken_names:
                self.write(f"  Association non créée pour le département {department.code} : « {name} » existe déjà.")
                continue
            to_create.append(MayorsAssociation(name=name, department=department))
            taken_names.add(name)
        MayorsAssociation.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        counts.created = len(to_create)
        self.write(f"Associations de maires : {counts.created} créées, {counts.unchanged} existantes")
        return counts


class Command(BaseCommand):
    help = (
        "Importe les régions, départements, communes et EPCI (métropole et DROM) depuis "
        "partnership/data/territories.json.gz, puis crée les délégations régionales du CNFPT et les "
        "associations de maires manquantes. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(DEFAULT_FILE),
            help=f"Fichier territories.json.gz à importer (défaut : {DEFAULT_FILE}).",
        )

    def handle(self, *args, file, verbosity=1, **options):
        started = time.monotonic()
        data = load_territories(file)
        header = data["header"]
        lines = []
        with transaction.atomic():
            TerritoryImporter(data, write=lines.append).run()
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the planner serves the search from its indexes at once.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE partnership_collectivity")
        if verbosity >= 1:
            self.stdout.write(f"Source : {header.get('source', '?')} {header.get('version', '?')} ({file})")
            for line in lines:
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS(f"Import terminé en {time.monotonic() - started:.1f} s."))
