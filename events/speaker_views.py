"""Pages of the speakers network: the directory, a speaker's page and RGPD requests, a speaker's own profile."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from partnership import permissions
from partnership.history import history_for
from partnership.viewutils import gate, paginate, run_service

from . import selectors
from . import speakers as speaker_services
from .forms import SpeakerProfileForm, SpeakerSearchForm
from .models import SPEAKER_CONSENT_VERSION, Speaker


@require_GET
@gate(permissions.can_view_speakers)
def speaker_list(request):
    form = SpeakerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    speakers = selectors.speaker_directory(
        user=request.user,
        query=filters.get("q", ""),
        theme=filters.get("theme", ""),
        region_id=filters["region"].pk if filters.get("region") else None,
    )
    page = paginate(request, speakers, 30)
    return render(request, "events/speaker_list.html", {"form": form, "page": page, "speakers": page.object_list})


@require_GET
@gate(permissions.can_view_speakers)
def speaker_detail(request, pk: int):
    speaker = get_object_or_404(
        selectors.speakers_visible_to(request.user).prefetch_related("expertises", "regions"), pk=pk
    )
    return render(
        request,
        "events/speaker_detail.html",
        {
            "speaker": speaker,
            "interventions": selectors.speaker_interventions(speaker),
            "can_manage": permissions.can_manage_speakers(request.user),
            "history": history_for(speaker, user=request.user),
        },
    )


def _personal_data_response(speaker: Speaker) -> HttpResponse:
    payload = json.dumps(selectors.speaker_personal_data(speaker), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-intervenant-{speaker.pk}.json"'
    return response


@require_GET
@gate(permissions.can_manage_speakers)
def speaker_export(request, pk: int):
    return _personal_data_response(get_object_or_404(selectors.speakers_visible_to(request.user), pk=pk))


@require_POST
@gate(permissions.can_manage_speakers)
def speaker_erase(request, pk: int):
    speaker = get_object_or_404(selectors.speakers_visible_to(request.user), pk=pk)
    if run_service(request, speaker_services.speaker_erase, speaker=speaker, actor=request.user).ok:
        messages.success(request, "Les données personnelles de l'intervenant ont été effacées.")
    return redirect("events:speaker_detail", pk=speaker.pk)


@gate(permissions.is_speaker)
def my_profile(request):
    """Mon profil d'intervenant: the speaker keeps their own profile up to date."""
    speaker = Speaker.objects.filter(user=request.user).prefetch_related("expertises").first()
    form = SpeakerProfileForm(
        request.POST or None,
        instance=speaker,
        initial=None
        if speaker
        else {"first_name": request.user.first_name, "last_name": request.user.last_name, "email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request,
            speaker_services.speaker_profile_save,
            form,
            user=request.user,
            fields=form.profile_fields(),
            themes=form.cleaned_data["themes"],
            regions=form.cleaned_data["regions"],
            consent=form.cleaned_data["consent"],
        )
        if call.ok:
            messages.success(request, "Votre profil d'intervenant est à jour.")
            return redirect("events:my_profile")
    return render(
        request,
        "events/my_profile.html",
        {
            "form": form,
            "speaker": speaker,
            "interventions": selectors.speaker_interventions(speaker) if speaker else [],
            "consent_version": SPEAKER_CONSENT_VERSION,
            "consent_current": bool(speaker and speaker.consent_text_version == SPEAKER_CONSENT_VERSION),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@require_GET
@gate(permissions.is_speaker)
def my_profile_export(request):
    speaker = get_object_or_404(Speaker, user=request.user)
    return _personal_data_response(speaker)
