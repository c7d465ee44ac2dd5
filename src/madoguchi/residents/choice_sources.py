"""Choices that forms draw from the registry (once-only: the resident picks, never types)."""

from django.utils.translation import gettext as _

from madoguchi.forms.sources import ChoiceContext, register_choice_source

from .models import Person
from .selectors import household_members


@register_choice_source("registry.household_members")
def household_member_choices(context: ChoiceContext) -> list[tuple[str, str]]:
    person = context.person
    if not isinstance(person, Person):
        return []
    return [
        (
            str(member.id),
            _("%(name)s（%(relationship)s）")
            % {"name": member.full_name, "relationship": member.get_relationship_display()},
        )
        for member in household_members(person)
    ]
