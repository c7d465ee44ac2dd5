"""Template helpers for the steps of an application form."""

from django import template
from django.forms import Form
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def field_of(name: str, form: Form) -> BoundField:
    """The bound field ``name`` of ``form`` (a step's fields are named by the engine)."""
    return form[name]
