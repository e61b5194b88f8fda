"""Who may see and do what: the one module that views, the menu, the API and the admin ask.

Scopes: national CNFPT staff see everything; delegation staff see their delegation's objects;
AMF staff read everything in the admin and change the agreement-level objects; signatories and HR
contacts see their own collectivité's objects; speakers see their own profile.

Two kinds of answers, one refusal rule:

- **gates** (``user -> bool``, listed under « Gates of the pages ») say whether a role may ever use
  a page. A view declares its gate once (``@gate(permissions.can_manage_events)``, from
  ``partnership.viewutils``) and the menu (``navigation_for``) shows its entry when the same gate
  passes. A role a gate refuses gets 403, with the French error page; a visitor logged out, the login page.
- **scopes** decide which objects a user reaches. Object reads go through the selectors, which build
  on the scope functions here, so that an object out of scope is simply not found (404), never
  "forbidden".
"""

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse

from .enums import Role

# Models AMF staff may change in the admin (app_label.model_name); every other model is read-only.
AMF_EDITABLE_MODELS = frozenset(
    {
        "agreements.frameworkagreement",
        "agreements.collaborationaxis",
        "agreements.amendment",
        "agreements.internship",
        "agreements.study",
        "agreements.indicator",
        "events.event",
        "events.timeslot",
        "events.eventregistration",
        "events.speaker",
        "partnership.mayorsassociation",
        "partnership.delegation",
        "trainings.trainingscheme",
        "agreements.theme",
    }
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, *roles: str) -> bool:
    return _active(user) and user.role in roles


def is_national_staff(user) -> bool:
    return _active(user) and (user.is_superuser or user.role == Role.NATIONAL_STAFF)


def is_delegation_staff(user) -> bool:
    return has_role(user, Role.DELEGATION_STAFF) and user.delegation_id is not None


def is_cnfpt_staff(user) -> bool:
    """National or delegation staff: the people who work in the delegation workspace."""
    return is_national_staff(user) or is_delegation_staff(user)


def is_amf_staff(user) -> bool:
    return has_role(user, Role.AMF_STAFF)


def is_collectivity_user(user) -> bool:
    return has_role(user, Role.SIGNATORY, Role.HR_CONTACT) and user.collectivity_id is not None


def is_signatory(user) -> bool:
    return has_role(user, Role.SIGNATORY) and user.collectivity_id is not None


def is_hr_contact(user) -> bool:
    return has_role(user, Role.HR_CONTACT) and user.collectivity_id is not None


def is_speaker(user) -> bool:
    return has_role(user, Role.SPEAKER)


def can_read_everything(user) -> bool:
    """National CNFPT staff and AMF staff read every delegation's data."""
    return is_national_staff(user) or is_amf_staff(user)


def delegation_scope(user):
    """The delegation ids ``user`` works for: ``None`` means all of them, an empty set none."""
    if can_read_everything(user):
        return None
    if is_delegation_staff(user):
        return {user.delegation_id}
    return set()


def can_manage_delegation(user, delegation_id: int) -> bool:
    """May ``user`` create and change objects of this delegation in the workspace?"""
    if is_national_staff(user):
        return True
    return is_delegation_staff(user) and user.delegation_id == delegation_id


def can_view_history(user) -> bool:
    """The action log of an object shown on its page: to CNFPT and AMF staff, not to partners or speakers."""
    return is_cnfpt_staff(user) or is_amf_staff(user)


# --- Django admin -------------------------------------------------------------------------------


def can_use_admin(user) -> bool:
    return _active(user) and (
        user.is_superuser or (user.is_staff and user.role in (Role.AMF_STAFF, Role.NATIONAL_STAFF))
    )


def admin_can_view(user, opts) -> bool:
    return can_use_admin(user)


def admin_can_change(user, opts) -> bool:
    if not can_use_admin(user):
        return False
    if user.is_superuser:
        return True
    return f"{opts.app_label}.{opts.model_name}" in AMF_EDITABLE_MODELS


# --- Gates of the pages --------------------------------------------------------------------------
# Each names who may ever use a family of pages; the views' ``@gate`` and the menu both call them.


def everyone(user) -> bool:
    """Public pages: the home page, events, statistics (their views declare no gate)."""
    return True


def is_logged_in(user) -> bool:
    """One's own pages: « À faire », account, exports, reminder preferences."""
    return _active(user)


def can_use_contracts(user) -> bool:
    """« Contrats », the contracts of the workspace: CNFPT staff (national and delegations) and AMF staff."""
    return is_cnfpt_staff(user) or is_amf_staff(user)


def can_read_contracts(user) -> bool:
    """A contract's page, its PDF and documents: the workspace, and signatories for their collectivité's."""
    return can_use_contracts(user) or is_signatory(user)


def can_manage_contracts(user) -> bool:
    """Draft, change, send for signature and countersign contracts: CNFPT staff, within their delegation."""
    return is_cnfpt_staff(user)


def can_use_trainings(user) -> bool:
    """« Formations »: sessions, calendar and registrations, each seen within the user's scope."""
    return is_cnfpt_staff(user) or is_collectivity_user(user) or is_speaker(user) or is_amf_staff(user)


def can_view_training_actions(user) -> bool:
    """The training actions (the offer behind the sessions): CNFPT and AMF staff."""
    return is_cnfpt_staff(user) or is_amf_staff(user)


def can_manage_trainings(user) -> bool:
    """Create actions, programme, change and cancel sessions: CNFPT staff, within their delegation."""
    return is_cnfpt_staff(user)


def can_record_attendance(user) -> bool:
    """Attendance sheets: CNFPT staff (their delegation's sessions) and trainers (the sessions they train)."""
    return is_cnfpt_staff(user) or is_speaker(user)


def can_register_agents(user) -> bool:
    """Register agents, cancel their registrations, download their certificates: CNFPT staff for any
    collectivité, an HR contact for their own."""
    return is_cnfpt_staff(user) or is_hr_contact(user)


def can_manage_events(user) -> bool:
    """May ``user`` use the event workspace (national staff: every event; delegation staff: theirs)?"""
    return is_cnfpt_staff(user)


def can_view_speakers(user) -> bool:
    """The speakers directory is open to CNFPT staff (national and delegations) and AMF staff."""
    return is_cnfpt_staff(user) or is_amf_staff(user)


def can_manage_speakers(user) -> bool:
    """Export and erase speakers' personal data (RGPD requests)."""
    return is_national_staff(user) or is_amf_staff(user)


def can_view_axis5(user) -> bool:
    return is_cnfpt_staff(user) or is_amf_staff(user)


def can_change_axis5(user) -> bool:
    """INET internships and AMF studies: AMF and national staff change them, delegations read them."""
    return is_national_staff(user) or is_amf_staff(user)


def can_manage_accounts(user) -> bool:
    """The accounts page: CNFPT staff invite and deactivate the people they work with."""
    return is_cnfpt_staff(user)


# --- Navigation ---------------------------------------------------------------------------------


class MenuEntry(NamedTuple):
    url_name: str
    label: str
    gate: Callable  # the gate of the page the entry opens: the entry shows exactly when it passes


MENU = [
    MenuEntry("home", "Accueil", everyone),
    MenuEntry("todo", "À faire", is_logged_in),
    MenuEntry("agreements:contract_list", "Contrats", can_use_contracts),
    MenuEntry("agreements:my_contracts", "Mes contrats", is_signatory),
    MenuEntry("trainings:session_list", "Formations", can_use_trainings),
    MenuEntry("events:event_list", "Événements", everyone),
    MenuEntry("events:speaker_list", "Intervenants", can_view_speakers),
    MenuEntry("events:my_profile", "Mon profil d'intervenant", is_speaker),
    MenuEntry("axis5:internship_list", "Stages et études", can_view_axis5),
    MenuEntry("stats:dashboard", "Statistiques", everyone),
    MenuEntry("account_list", "Comptes", can_manage_accounts),
    MenuEntry("admin:index", "Administration", can_use_admin),
]


def navigation_for(user) -> list[tuple[str, str]]:
    """(url, label) of the main menu entries ``user`` may follow, in display order."""
    return [(reverse(entry.url_name), entry.label) for entry in MENU if entry.gate(user)]


def can_import_files(user) -> bool:
    """Whoever may send a file to an import (agents to register, attendance): « Mes imports » follows them."""
    return can_register_agents(user) or can_record_attendance(user)


# The personal pages of the utility bar, beside the account: (URL name, label, gate).
PERSONAL_LINKS = [
    ("notifications:preferences", "Mes rappels", is_logged_in),
    ("stats:export_list", "Mes exports", is_logged_in),
    ("import_list", "Mes imports", can_import_files),
]


def personal_links_for(user) -> list[tuple[str, str]]:
    """(url, label) of the personal pages ``user`` has, in display order."""
    return [(reverse(url_name), label) for url_name, label, gate in PERSONAL_LINKS if gate(user)]


# --- Object-level checks: what a user may do with one object they can see ---------------------


def can_manage_event(user, event) -> bool:
    if is_national_staff(user):
        return True
    return is_delegation_staff(user) and event.delegation_id == user.delegation_id


def can_change_event(user, event) -> bool:
    """What the event services accept: the event's managers, and AMF staff, who co-organise every
    event from the admin (the workspace stays the CNFPT's, see ``can_manage_event``)."""
    return can_manage_event(user, event) or is_amf_staff(user)


def can_take_attendance(user, *, delegation_id: int, trainer_user_ids) -> bool:
    """The session's delegation staff, national staff, or a speaker who trains the session."""
    return can_manage_delegation(user, delegation_id) or (is_speaker(user) and user.pk in set(trainer_user_ids))


def can_invite_for(user, collectivity) -> bool:
    """National staff invite for any collectivité; delegation staff, for those of their départements."""
    if is_national_staff(user):
        return True
    return is_delegation_staff(user) and user.delegation.departments.filter(pk=collectivity.department_id).exists()


def can_manage_account(user, account) -> bool:
    """May ``user`` deactivate, reactivate or invite again ``account``? (The same scope as the accounts page.)"""
    if account.pk == getattr(user, "pk", None) or account.is_superuser:
        return False
    if is_national_staff(user):
        return True
    return (
        is_delegation_staff(user)
        and account.role in (Role.HR_CONTACT, Role.SIGNATORY)
        and account.collectivity_id is not None
        and can_invite_for(user, account.collectivity)
    )


def can_decide_access_request(user, access_request) -> bool:
    """National staff decide every request for access; delegation staff, those of the collectivités they cover."""
    if is_national_staff(user):
        return True
    return (
        is_delegation_staff(user)
        and access_request.collectivity_id is not None
        and can_invite_for(user, access_request.collectivity)
    )


def requires_proconnect(user) -> bool:
    """Staff (CNFPT, AMF) log in with ProConnect only when ``PROCONNECT_REQUIRED_FOR_STAFF`` is on.

    Superusers keep their password: the way in when ProConnect itself is down.
    """
    return (
        settings.PROCONNECT_REQUIRED_FOR_STAFF
        and not user.is_superuser
        and user.role in (Role.NATIONAL_STAFF, Role.DELEGATION_STAFF, Role.AMF_STAFF)
    )
