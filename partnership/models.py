"""The directory: territories, CNFPT delegations, associations of mayors, and user accounts."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import CollectivityKind, EpciType, HistoryAction, ImportStatus, Role, SignatoryFunction, Zone
from .text import epci_designation, name_with_of, normalize_search, place_with_of


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    zone = models.CharField("zone", max_length=10, choices=Zone.choices)

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name="région")
    zone = models.CharField("zone", max_length=10, choices=Zone.choices)
    liaison_type = models.PositiveSmallIntegerField("type de nom (TNCC)", default=0)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def name_with_of(self) -> str:
        return name_with_of(self.name, self.liaison_type)


# « Le CNFPT regroupe la totalité des collectivités territoriales (à l'exception du département et de la ville
# de Paris) »: the Ville de Paris, commune and département in one since 2019, has its own training body.
PARIS_INSEE_CODE = "75056"
NOT_COVERED_BY_CNFPT = Q(kind=CollectivityKind.COMMUNE, code=PARIS_INSEE_CODE)


class CollectivityQuerySet(models.QuerySet):
    def covered_by_cnfpt(self):
        """Every collectivité but Paris. An EPCI with Paris among its members (Métropole du Grand Paris) stays."""
        return self.exclude(NOT_COVERED_BY_CNFPT)

    def not_covered_by_cnfpt(self):
        return self.filter(NOT_COVERED_BY_CNFPT)

    def search(self, query: str):
        """Communes and EPCIs whose name, INSEE code or SIREN matches ``query``."""
        query = (query or "").strip()
        if query.isdigit() or (len(query) >= 2 and query[:2].upper() in ("2A", "2B") and query[2:].isdigit()):
            return self.filter(Q(code__startswith=query.upper()) | Q(siren__startswith=query))
        folded = normalize_search(query)
        if not folded:
            return self.none()
        return self.filter(search_name__contains=folded)


class Collectivity(models.Model):
    """A commune or an EPCI: the local authorities the contracts are made with.

    One table for both, so that contracts, accounts and registrations point at "a collectivité"
    with a single foreign key; ``Commune`` and ``EPCI`` are proxies over it.
    """

    kind = models.CharField("nature", max_length=10, choices=CollectivityKind.choices)
    code = models.CharField("code", max_length=9, help_text="Code INSEE (commune) ou SIREN (EPCI).")
    siren = models.CharField("SIREN", max_length=9, blank=True)
    name = models.CharField("nom", max_length=200)
    search_name = models.CharField(
        max_length=200, editable=False, db_index=True, verbose_name="nom normalisé pour la recherche"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="collectivities", verbose_name="département"
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    postal_codes = models.JSONField("codes postaux", default=list, blank=True)
    epci_type = models.CharField("type d'EPCI", max_length=10, choices=EpciType.choices, blank=True)
    members = models.ManyToManyField(
        "self", symmetrical=False, related_name="epcis", blank=True, verbose_name="communes membres"
    )

    objects = CollectivityQuerySet.as_manager()

    class Meta:
        verbose_name = "collectivité"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="collectivity_unique_kind_code"),
            models.CheckConstraint(
                condition=Q(kind=CollectivityKind.COMMUNE, epci_type="")
                | Q(kind=CollectivityKind.EPCI) & ~Q(epci_type=""),
                name="collectivity_epci_type_only_for_epci",
            ),
        ]
        indexes = [models.Index(fields=["siren"], name="collectivity_siren_idx")]

    def __str__(self):
        if self.kind == CollectivityKind.COMMUNE:
            return f"{self.name} ({self.department_id and self.department.code})"
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize_search(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_commune(self) -> bool:
        return self.kind == CollectivityKind.COMMUNE

    @property
    def is_covered_by_cnfpt(self) -> bool:
        """The Python side of ``NOT_COVERED_BY_CNFPT``, for an instance already in hand."""
        return not (self.kind == CollectivityKind.COMMUNE and self.code == PARIS_INSEE_CODE)

    @property
    def signatory_function(self) -> str:
        return SignatoryFunction.MAYOR if self.is_commune else SignatoryFunction.PRESIDENT

    @property
    def designation(self) -> str:
        """How a sentence names it after « au nom de »: « la commune d'Arles », « la communauté de communes
        du Pays de Fayence »."""
        if self.is_commune:
            return f"la commune {place_with_of(self.name)}"
        return epci_designation(self.name)


class CommuneManager(models.Manager.from_queryset(CollectivityQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=CollectivityKind.COMMUNE)


class EpciManager(models.Manager.from_queryset(CollectivityQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=CollectivityKind.EPCI)


class Commune(Collectivity):
    objects = CommuneManager()

    class Meta:
        proxy = True
        verbose_name = "commune"


class EPCI(Collectivity):
    objects = EpciManager()

    class Meta:
        proxy = True
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"


class Delegation(models.Model):
    """A CNFPT regional delegation (18 since 2021) and the départements it covers."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=150, unique=True)
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="delegation", verbose_name="région")
    seat = models.CharField("siège", max_length=100, blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    departments = models.ManyToManyField(
        Department, related_name="delegations", verbose_name="départements couverts", blank=True
    )

    class Meta:
        verbose_name = "délégation régionale"
        verbose_name_plural = "délégations régionales"
        ordering = ["name"]

    def __str__(self):
        return self.name


class MayorsAssociation(models.Model):
    """The AMF (no département) or one of its departmental associations of mayors."""

    name = models.CharField("nom", max_length=200, unique=True)
    department = models.OneToOneField(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mayors_association",
        verbose_name="département",
    )
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("site web", blank=True)

    class Meta:
        verbose_name = "association de maires"
        verbose_name_plural = "associations de maires"
        ordering = ["department__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(department__isnull=True), name="mayors_association_one_national"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_national(self) -> bool:
        return self.department_id is None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.NATIONAL_STAFF)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account, logged in by e-mail, with one role and the scope that goes with it."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="délégation",
    )
    collectivity = models.ForeignKey(
        Collectivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="collectivité",
    )
    function = models.CharField(
        "fonction", max_length=100, blank=True, help_text="Par exemple : maire, président, DRH."
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.DELEGATION_STAFF, delegation__isnull=False)
                | ~Q(role=Role.DELEGATION_STAFF) & Q(delegation__isnull=True),
                name="user_delegation_only_for_delegation_staff",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[Role.SIGNATORY, Role.HR_CONTACT], collectivity__isnull=False)
                | ~Q(role__in=[Role.SIGNATORY, Role.HR_CONTACT]) & Q(collectivity__isnull=True),
                name="user_collectivity_only_for_collectivity_roles",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class OutboxTask(models.Model):
    """A Celery task that could not reach the broker: kept here and sent again when it is back.

    Written only when publishing fails (Redis down), so that the user's write stands and the work
    it triggers is not lost (``partnership.dispatch``).
    """

    task_name = models.CharField("tâche", max_length=200)
    args = models.JSONField("arguments", default=list)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    attempts = models.PositiveIntegerField("tentatives d'envoi", default=0)
    last_error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "tâche en attente du courtier"
        verbose_name_plural = "tâches en attente du courtier"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"


class ActionLogEntry(models.Model):
    """One write on an object that has a page: who, what, when, and the values before and after.

    Append-only, written by ``partnership.history.record`` inside the transaction of the service that
    made the change, so a refused or rolled-back write leaves no entry. ``changes`` holds
    ``[label, before, after]`` triples in the order of the form, the values as people read them
    (choice labels, names of related objects, French dates): the entry reads the same whatever later
    becomes of the code or of the objects it names. The object is named by content type and id, and
    the entry outlives it.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="type d'objet"
    )
    object_id = models.PositiveBigIntegerField("identifiant de l'objet")
    content_object = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="auteur"
    )
    # Kept as written: the entry still says who acted once the account is renamed or deleted.
    actor_label = models.CharField("auteur", max_length=300)
    action = models.CharField("action", max_length=30, choices=HistoryAction.choices)
    subject = models.CharField(
        "concerne",
        max_length=300,
        blank=True,
        help_text="La partie de l'objet concernée\u00a0: un créneau, une inscription…",
    )
    # The subject names a participant: the retention job anonymises it with the participant.
    subject_is_person = models.BooleanField("nomme une personne", default=False, editable=False)
    changes = models.JSONField("avant → après", default=list, blank=True)
    created_at = models.DateTimeField("date", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "entrée du journal des actions"
        verbose_name_plural = "journal des actions"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="action_log_object_idx"),
        ]

    def __str__(self):
        subject = f" – {self.subject}" if self.subject else ""
        return f"{self.get_action_display()}{subject} ({self.actor_label})"

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """(label, before, after) as shown: a list joined with commas, nothing as « — »."""
        return [(label, _shown(before), _shown(after)) for label, before, after in self.changes]


def _shown(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _import_kind_choices() -> list[tuple[str, str]]:
    # Lazily: the apps fill the registry when they are ready, after this module is imported.
    from .imports import kind_choices  # noqa: PLC0415 — the registry module imports these models

    return kind_choices()


class ImportRequest(models.Model):
    """A CSV file too long for a web request, imported by a Celery worker (« Mes imports »).

    All or nothing: the worker writes every line or none, and the status moves in the same
    transaction as the lines (``partnership.imports.import_run``). The uploaded file is deleted as
    soon as the import ends; the error report and the file name, after ``IMPORT_RETENTION_DAYS``
    (``expired_at``), the row staying as history.
    """

    requested_by = models.ForeignKey(
        "User", on_delete=models.CASCADE, related_name="import_requests", verbose_name="demandé par"
    )
    kind = models.CharField("import", max_length=60, choices=_import_kind_choices)
    parameters = models.JSONField("paramètres", default=dict, blank=True)
    target_label = models.CharField("destination", max_length=300)
    target_url = models.CharField("adresse de la destination", max_length=300, blank=True)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING, db_index=True
    )
    line_count = models.PositiveIntegerField("lignes du fichier")
    file = models.FileField("fichier importé", upload_to="imports/fichiers/%Y/%m/", blank=True)
    report = models.FileField("rapport d'erreurs", upload_to="imports/rapports/%Y/%m/", blank=True)
    summary = models.CharField("résultat", max_length=300, blank=True)
    error = models.TextField("erreur", blank=True)
    errors = models.JSONField("erreurs par ligne (les premières)", default=list, blank=True)
    error_count = models.PositiveIntegerField("lignes en erreur", default=0)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expired_at = models.DateTimeField("fichiers supprimés le", null=True, blank=True)

    class Meta:
        verbose_name = "import de fichier"
        verbose_name_plural = "imports de fichiers"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.RUNNING) | Q(started_at__isnull=False),
                name="import_running_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED])
                | Q(finished_at__isnull=False),
                name="import_finished_has_date",
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="import_requester_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.target_label} ({self.get_status_display()})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.RUNNING)


# The ProConnect identities and the requests for access live in their own module (``partnership.proconnect``).
from .proconnect.models import AccessRequest, ProConnectIdentity  # noqa: E402, F401
