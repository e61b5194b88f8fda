"""Failures are visible: staff list the reminders in the admin and send failed ones again."""

from django.urls import reverse
from django.utils import timezone

from notifications.enums import ReminderStatus
from notifications.keys import address_key
from notifications.models import ReminderLog
from tests.querycount import assert_constant_queries


def _failed(event, email):
    return ReminderLog.objects.create(
        kind="event_upcoming",
        object_id=event.pk,
        due_on=timezone.localdate(),
        recipient=email,
        recipient_key=address_key(email),
        status=ReminderStatus.FAILED,
        attempts=11,
        last_error="ConnectionRefusedError : [Errno 111] Connection refused",
    )


def test_staff_see_failed_reminders_and_resend_them_once(
    django_app,
    amf_staff,
    event_in_a_week,
    smtp,
    django_capture_on_commit_callbacks,
):
    failed = _failed(event_in_a_week, "lea@mairie.example.fr")
    page = django_app.get("/admin/notifications/reminderlog/?status__exact=failed", user=amf_staff)
    assert "lea@mairie.example.fr" in page.text
    assert "Connection refused" in page.text
    form = page.forms["changelist-form"]
    form["action"] = "resend"
    form.get("_selected_action", index=0).checked = True
    with django_capture_on_commit_callbacks(execute=True):
        page = form.submit().follow()
    assert "1 rappel remis en file d&#x27;envoi." in page.text
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (ReminderStatus.SENT, 1)
    assert [m["To"] for m in smtp.parsed()] == ["lea@mairie.example.fr"]


def test_resending_a_sent_reminder_changes_nothing(
    django_app,
    amf_staff,
    event_in_a_week,
    smtp,
    django_capture_on_commit_callbacks,
):
    log = _failed(event_in_a_week, "lea@mairie.example.fr")
    ReminderLog.objects.filter(pk=log.pk).update(status=ReminderStatus.SENT, sent_at=log.created_at)
    form = django_app.get("/admin/notifications/reminderlog/", user=amf_staff).forms["changelist-form"]
    form["action"] = "resend"
    form.get("_selected_action", index=0).checked = True
    with django_capture_on_commit_callbacks(execute=True):
        page = form.submit().follow()
    assert "Seuls les rappels en échec peuvent être renvoyés ; les autres sont inchangés." in page.text
    assert smtp.messages == []


def test_the_log_is_read_only_and_closed_to_delegation_staff(django_app, amf_staff, delegation_staff, event_in_a_week):
    log = _failed(event_in_a_week, "lea@mairie.example.fr")
    page = django_app.get(f"/admin/notifications/reminderlog/{log.pk}/change/", user=amf_staff)
    assert "lea@mairie.example.fr" in page.text
    assert 'name="_save"' not in page.text
    assert django_app.get("/admin/notifications/reminderlog/add/", user=amf_staff, status=403).status_code == 403
    response = django_app.get("/admin/notifications/reminderlog/", user=delegation_staff, status=403)
    assert "Accès refusé" in response.text


def test_the_log_list_costs_the_same_queries_with_one_row_or_many(client, amf_staff, event_in_a_week):
    client.force_login(amf_staff)
    _failed(event_in_a_week, "agent0@mairie.example.fr")
    shown = assert_constant_queries(
        client,
        reverse("admin:notifications_reminderlog_changelist"),
        lambda: [_failed(event_in_a_week, f"agent{n}@mairie.example.fr") for n in range(1, 30)],
        rows="#result_list tbody tr",
    )
    assert shown == (1, 30)
