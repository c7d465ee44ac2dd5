from django.db.models import QuerySet

from .models import Person


def household_members(person: Person) -> QuerySet[Person]:
    """The people registered in ``person``'s household, the head first."""
    return (
        Person.objects.filter(household_id=person.household_id)
        .select_related("household", "household__ward")
        .order_by("id")
    )


def persons_in_household(person: Person, ids: list[int]) -> list[Person]:
    """The persons among ``ids`` who share ``person``'s household, in household order.

    Used whenever an answer names household members: an id outside the household is dropped,
    so that no form can reach another family's record.
    """
    return list(household_members(person).filter(id__in=ids))
