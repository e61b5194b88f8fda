"""Permission-aware reads of contracts."""

from django.db.models import Count, Prefetch, Q, QuerySet

from partnership import permissions
from partnership.enums import Role
from partnership.text import normalize_search

from .enums import ContractStatus
from .models import ContractParty, FrameworkAgreement, PartnershipContract, Theme

# The délégué(e) régional(e) of a delegation: its agent whose function starts with « Délégué », whom the
# contract form proposes as countersignatory (``services.default_delegate``).
DELEGATE_FUNCTION_PREFIX = "délégué"


def is_regional_delegate(user) -> bool:
    return permissions.is_delegation_staff(user) and (user.function or "").lower().startswith(DELEGATE_FUNCTION_PREFIX)


def contracts_visible_to(user) -> QuerySet[PartnershipContract]:
    """Every contract ``user`` may read; anything else must look like it does not exist."""
    contracts = PartnershipContract.objects.all()
    if permissions.can_read_everything(user):
        return contracts
    if permissions.is_delegation_staff(user):
        return contracts.filter(delegation_id=user.delegation_id)
    if permissions.is_signatory(user):
        # A signatory sees their collectivité's contracts once the delegation has sent them.
        return contracts.filter(parties__collectivity_id=user.collectivity_id).exclude(status=ContractStatus.DRAFT)
    return contracts.none()


def contract_status_counts(user) -> list[dict]:
    """The statuses of the contracts ``user`` may read, each with its label and count, in the statuses' order;
    statuses without a contract are left out. One query."""
    counts = dict(contracts_visible_to(user).order_by().values_list("status").annotate(n=Count("id")))
    return [
        {"status": status, "label": label, "count": counts[status]}
        for status, label in ContractStatus.choices
        if counts.get(status)
    ]


def themes_offered(contract: PartnershipContract | None = None) -> QuerySet[Theme]:
    """The themes a programme line may take: the active ones and, for ``contract``, those its lines already
    have (a theme retired since keeps its existing lines: offered again, else they would come back blank)."""
    if contract is None:
        return Theme.objects.filter(is_active=True)
    return Theme.objects.filter(Q(is_active=True) | Q(pk__in=contract.programme_lines.values("theme_id"))).order_by(
        "family", "position", "label"
    )


def framework_agreement_current() -> FrameworkAgreement | None:
    """The framework agreement signed last, with its axes (the home and « À propos » pages show it)."""
    return FrameworkAgreement.objects.prefetch_related("axes").order_by("-signed_on").first()


def contracts_manageable_by(user) -> QuerySet[PartnershipContract]:
    """Contracts ``user`` may change in the delegation workspace."""
    contracts = PartnershipContract.objects.all()
    if permissions.is_national_staff(user):
        return contracts
    if permissions.is_delegation_staff(user):
        return contracts.filter(delegation_id=user.delegation_id)
    return contracts.none()


def contract_previews_visible_to(user) -> QuerySet[PartnershipContract]:
    """Contracts whose live preview (the PDF of a draft) ``user`` may read: their delegation's; CNFPT national
    and AMF staff, every one. A signatory never reads a draft."""
    contracts = PartnershipContract.objects.all()
    if permissions.can_read_everything(user):
        return contracts
    if permissions.is_delegation_staff(user):
        return contracts.filter(delegation_id=user.delegation_id)
    return contracts.none()


def parties_prefetch() -> Prefetch:
    """Parties in signing order, with their collectivité and its département, for lists and pages."""
    return Prefetch(
        "parties", queryset=ContractParty.objects.select_related("collectivity__department").order_by("position", "pk")
    )


def contract_list(user, *, search: str = "", status: str = "", department: str = "", theme: str = "", year: str = ""):
    """The filtered contract list of the workspace, ready to render in a constant number of queries."""
    contracts = contracts_visible_to(user)
    if search:
        folded = normalize_search(search)
        matching = Q(reference__icontains=search.strip()) | Q(title__icontains=search.strip())
        if folded:
            matching |= Q(parties__collectivity__search_name__contains=folded)
        contracts = contracts.filter(matching)
    if status:
        contracts = contracts.filter(status=status)
    if department:
        contracts = contracts.filter(parties__collectivity__department__code=department)
    if theme:
        contracts = contracts.filter(programme_lines__theme_id=theme)
    if year and year.isdigit():
        contracts = contracts.filter(start_date__year__lte=int(year), end_date__year__gte=int(year))
    if search or department or theme:
        # Joins through parties or lines may repeat a contract.
        contracts = contracts.distinct()
    return contracts.select_related("delegation").prefetch_related(parties_prefetch())


def contract_detail_queryset(user) -> QuerySet[PartnershipContract]:
    return (
        contracts_visible_to(user)
        .select_related("delegation__region", "delegate", "created_by")
        .prefetch_related(
            parties_prefetch(),
            "advisers",
            "programme_lines__theme",
            "transitions__actor",
            "documents",
            "amendments",
        )
    )


def delegation_recipients(contract) -> list[str]:
    """The people of the delegation who follow this contract."""
    emails = {u.email for u in contract.advisers.all()}
    for user in (contract.created_by, contract.delegate):
        if user is not None and user.role == Role.DELEGATION_STAFF:
            emails.add(user.email)
    if contract.delegation.email:
        emails.add(contract.delegation.email)
    return sorted(emails)


# --- « À faire » (the blocks are declared in ``agreements/todo.py``) ----------------------------------


def drafts_to_complete(user) -> QuerySet[PartnershipContract]:
    """Draft contracts ``user`` may change, with what ``services.readiness_problems`` reads joined in."""
    return (
        contracts_manageable_by(user)
        .filter(status=ContractStatus.DRAFT)
        .prefetch_related(parties_prefetch(), "programme_lines")
        .order_by("-updated_at", "-pk")
    )


def signed_contracts(user) -> QuerySet[PartnershipContract]:
    """Contracts ``user`` may read that every party has signed, most recent first."""
    return (
        contracts_visible_to(user)
        .filter(signed_at__isnull=False)
        .select_related("delegation")
        .prefetch_related(parties_prefetch())
        .order_by("-signed_at", "-pk")
    )
