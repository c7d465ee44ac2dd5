"""Japanese-aware search that runs the same on SQLite and PostgreSQL: character bigrams.

Text is NFKC-normalised (full-width ASCII and half-width katakana folded), lower-cased,
hiragana folded to katakana, and cut into segments at spaces and punctuation. Each segment
gives its character bigrams and its last character alone, so every character is reachable.
A query term matches a dataset holding at least half of the term's grams: 避難所 (避難, 難所)
finds 指定緊急避難場所一覧 through 避難; a term of one character matches the grams it starts
or ends a segment with. Several terms must all match. The score is the sum of the matched
grams' weights (title 4, tags 3, organization and groups 2, description and resources 1).
"""

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import jaconv
from django.db.models import Case, Q, QuerySet, Sum, Value, When

from .models import Dataset, FacetValue, SearchGram

SEGMENT = re.compile(r"[\w\u3005\u30fc]+")  # \w covers kana and kanji; 々 and ー join words

TITLE, TAG, ORGANIZATION, BODY = 4, 3, 2, 1


def normalize(text: str) -> str:
    return jaconv.hira2kata(unicodedata.normalize("NFKC", text).lower())


def grams(text: str) -> set[str]:
    found: set[str] = set()
    for segment in SEGMENT.findall(normalize(text).replace("_", " ")):
        found.update(segment[i : i + 2] for i in range(len(segment) - 1))
        found.add(segment[-1])
    return found


def weighted_grams(fields: Iterable[tuple[int, Iterable[str]]]) -> dict[str, int]:
    """The weight of every gram of (weight, texts) pairs: the sum of the weights of the fields
    it occurs in."""
    weighted: dict[str, int] = defaultdict(int)
    for weight, texts in fields:
        for gram in grams(" ".join(t for t in texts if t)):
            weighted[gram] += weight
    return weighted


def dataset_grams(dataset: Dataset) -> dict[str, int]:
    return weighted_grams(
        [
            (TITLE, [dataset.title, dataset.title_en, dataset.name]),
            (TAG, [tag.name for tag in dataset.tags.all()]),
            (
                ORGANIZATION,
                [dataset.owner_org.title_ja, dataset.owner_org.title_en]
                + [g.title_ja for g in dataset.groups.all()],
            ),
            (
                BODY,
                [dataset.notes, dataset.notes_en]
                + [f"{r.name} {r.description} {r.format}" for r in dataset.resources.all()],
            ),
        ]
    )


def dataset_facets(dataset: Dataset) -> set[tuple[str, str]]:
    values = {("organization", dataset.owner_org.name)}
    values |= {("groups", g.name) for g in dataset.groups.all()}
    values |= {("tags", t.name) for t in dataset.tags.all()}
    values |= {("res_format", r.format) for r in dataset.resources.all() if r.format}
    if dataset.license_id:
        values.add(("license_id", dataset.license_id))
    return values


def index(dataset: Dataset) -> None:
    """Replace the dataset's grams and facet values (called after every write to it)."""
    SearchGram.objects.filter(dataset=dataset).delete()
    SearchGram.objects.bulk_create(
        SearchGram(dataset=dataset, gram=gram, weight=weight)
        for gram, weight in dataset_grams(dataset).items()
    )
    FacetValue.objects.filter(dataset=dataset).delete()
    FacetValue.objects.bulk_create(
        FacetValue(dataset=dataset, facet=facet, value=value[:300])
        for facet, value in dataset_facets(dataset)
    )


def _term_grams(term: str) -> set[str]:
    found = grams(term)
    if len(found) > 1:
        # A segment's last character is only there to make one-character terms findable.
        found = {g for g in found if len(g) == 2}
    return found


def _gram_condition(query_grams: set[str]) -> Q:
    """The index rows of these grams; a single character also matches the grams it starts."""
    condition = Q(gram__in=query_grams)
    for gram in query_grams:
        if len(gram) == 1:
            condition |= Q(gram__gte=gram, gram__lt=gram + "\U0010ffff")
    return condition


def _on_dataset(condition: Q) -> Q:
    """The same condition, written from the index rows' side (dataset__…)."""
    prefixed = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            prefixed.children.append(_on_dataset(child))
        else:
            key, value = child
            prefixed.children.append((f"dataset__{key}", value))
    return prefixed


def matches(conditions: Q, q: str) -> QuerySet | None:
    """(dataset_id, score) of the datasets meeting ``conditions`` and matching every term of
    ``q``, in one pass over the index: per term, the number of its grams a dataset holds must
    reach half the term's grams. None when ``q`` has no searchable terms.

    The conditions are joined to the index rows rather than given as a list of datasets, so
    that the database starts from the grams' index (a few thousand rows), not every dataset.
    """
    terms = [t for t in (_term_grams(term) for term in normalize(q).split()) if t]
    if not terms:
        return None
    every = set().union(*terms)
    hits = {
        f"hits{i}": Sum(Case(When(_gram_condition(term), then=Value(1)), default=Value(0)))
        for i, term in enumerate(terms)
    }
    needed = {f"hits{i}__gte": math.ceil(len(term) / 2) for i, term in enumerate(terms)}
    return (
        SearchGram.objects.filter(_gram_condition(every), _on_dataset(conditions))
        .values("dataset_id")
        .annotate(score=Sum("weight"), **hits)
        .filter(**needed)
    )
