"""The shared questions of a bundle: the union of its procedures' form steps, each question key
asked once (the first procedure that asks it defines it), its answer given to every procedure
that asks it."""

from typing import Any

from madoguchi.forms.schema import FormSchema


def shared_definition(definitions: list[dict[str, Any]]) -> dict[str, Any]:
    """One form definition for all ``definitions`` (in the bundle's order). A step whose
    questions were all asked before is left out; a step key used twice gets a suffix."""
    steps: list[dict[str, Any]] = []
    asked: set[str] = set()
    step_keys: set[str] = set()
    for definition in definitions:
        for raw in definition.get("steps", []):
            questions = [q for q in raw.get("questions", []) if q.get("key") not in asked]
            if not questions:
                continue
            asked.update(q["key"] for q in questions)
            key, number = raw["key"], 2
            while key in step_keys:
                key, number = f"{raw['key']}-{number}", number + 1
            step_keys.add(key)
            steps.append({**raw, "key": key, "questions": questions})
    return {"steps": steps}


def question_keys(schema: FormSchema) -> list[str]:
    return [question.key for step in schema.steps for question in step.questions]


def answers_for(schema: FormSchema, answers: dict[str, Any]) -> dict[str, Any]:
    """The shared answers one procedure's form asks for."""
    return {key: answers[key] for key in question_keys(schema) if key in answers}
