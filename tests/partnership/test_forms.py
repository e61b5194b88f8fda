import pytest
from django.core.exceptions import ValidationError

from partnership.forms import IdMultipleChoiceField
from partnership.models import User


@pytest.mark.django_db
def test_id_multiple_choice_refuses_ids_beyond_64_bits_as_invalid_choices(delegation_staff):
    field = IdMultipleChoiceField(queryset=User.objects.all())
    with pytest.raises(ValidationError) as error:
        field.clean([str(2**63), str(delegation_staff.pk)])
    assert error.value.code == "invalid_choice"
    assert list(field.clean([str(delegation_staff.pk)])) == [delegation_staff]
