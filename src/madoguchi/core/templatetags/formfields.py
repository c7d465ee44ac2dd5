"""Form fields as the GOV.UK and Digital Agency patterns draw them: a label with 必須/任意,
hint and error linked by aria-describedby, and groups of choices inside a fieldset."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def is_choice_group(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def anchor_id(field: BoundField) -> str:
    """The element the error summary links to: the input, or a group's first choice."""
    if is_choice_group(field):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def widget(field: BoundField) -> SafeString:
    attrs = {"class": "input"}
    if isinstance(field.field.widget, forms.Textarea):
        attrs["class"] = "textarea"
    if isinstance(field.field.widget, forms.Select):
        attrs["class"] = "select"
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["class"] += " input--error"
    if describing := described_by(field):
        attrs["aria-describedby"] = describing
    return field.as_widget(attrs=attrs)
