from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import workflow
from .models import Workflow


class WorkflowForm(forms.ModelForm):
    class Meta:
        model = Workflow
        fields = ["code", "name_ja", "name_en", "transitions"]

    def clean_transitions(self) -> dict:
        transitions = self.cleaned_data["transitions"]
        if not isinstance(transitions, dict):
            raise ValidationError('{"received": ["in_review", …], …}')
        try:
            workflow.validate_definition(transitions)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        return transitions


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    """Administrators define workflows; a procedure names one in its 「ワークフロー」 field."""

    form = WorkflowForm
    list_display = ["code", "name_ja"]
