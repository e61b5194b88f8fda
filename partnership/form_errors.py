"""The summary of a long form's errors, shown above it, each error a link to its field.

A refusal halfway down a long form (the contract: its parties, its programme) is missed by whoever
looks at the top of the page after submitting. The summary lists every error of the form and of its
formsets, in the order of the page, each named after its field (« Collectivité 2 — Collectivité : … »)
and linking to that field's input; errors that belong to no field are listed first, without a link.
"""

from dataclasses import dataclass

from django.forms import BaseFormSet, Form


@dataclass(frozen=True)
class FormError:
    text: str
    field_id: str = ""  # the id of the input to go to; empty for an error of the whole form


def _form_errors(form: Form, prefix: str = "") -> list[FormError]:
    found = [FormError(f"{prefix}{message}") for message in form.non_field_errors()]
    for name, field in form.fields.items():
        if name not in form.errors or name == "__all__":
            continue
        bound = form[name]
        label = field.label or name
        target = bound.id_for_label or bound.auto_id or ""
        found += [FormError(f"{prefix}{label} : {message}", target) for message in form.errors[name]]
    return found


def form_errors_summary(*parts: Form | tuple[BaseFormSet, str]) -> list[FormError]:
    """Every error of ``parts``, in order: a form, or ``(formset, "Collectivité {number}")`` whose forms
    are named by their position (deleted forms left out)."""
    found: list[FormError] = []
    for part in parts:
        if isinstance(part, tuple):
            formset, name = part
            if not formset.is_bound:
                continue
            found += [FormError(message) for message in formset.non_form_errors()]
            for number, form in enumerate(formset.forms, start=1):
                if formset.can_delete and formset._should_delete_form(form):
                    continue  # ticked « Supprimer »: its errors do not count (Django's own rule)
                found += _form_errors(form, prefix=f"{name.format(number=number)} — ")
        elif part.is_bound:
            found += _form_errors(part)
    return found
