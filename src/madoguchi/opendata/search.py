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
from django.db.models import Count, Q, QuerySet, Sum

from .models import Dataset, SearchGram

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


def dataset_grams(dataset: Dataset) -> dict[str, int]:
    """The weight of every gram of a dataset's searchable text."""
    weighted: dict[str, int] = defaultdict(int)
    fields: list[tuple[int, Iterable[str]]] = [
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
    for weight, texts in fields:
        for gram in grams(" ".join(t for t in texts if t)):
            weighted[gram] += weight
    return weighted


def index(dataset: Dataset) -> None:
    """Replace the dataset's grams (called after every write to it)."""
    SearchGram.objects.filter(dataset=dataset).delete()
    SearchGram.objects.bulk_create(
        SearchGram(dataset=dataset, gram=gram, weight=weight)
        for gram, weight in dataset_grams(dataset).items()
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


def _term_filter(term: str) -> Q | None:
    term_grams = _term_grams(term)
    if not term_grams:
        return None
    matching = SearchGram.objects.filter(_gram_condition(term_grams)).values("dataset_id")
    if len(term_grams) > 1:
        matching = (
            matching.annotate(hits=Count("gram"))
            .filter(hits__gte=math.ceil(len(term_grams) / 2))
            .values("dataset_id")
        )
    return Q(pk__in=matching)


def search(datasets: QuerySet[Dataset], q: str) -> tuple[QuerySet[Dataset], set[str]]:
    """Restrict ``datasets`` to those matching every term of ``q``; also return the grams to
    rank by (see ``ranked_ids``)."""
    all_grams: set[str] = set()
    for term in normalize(q).split():
        condition = _term_filter(term)
        if condition is None:
            continue
        datasets = datasets.filter(condition)
        all_grams |= _term_grams(term)
    return datasets, all_grams


def ranked_ids(datasets: QuerySet[Dataset], query_grams: set[str]) -> QuerySet:
    """(id, score) of ``datasets``, best first, scored by the weights of the query's grams."""
    return (
        SearchGram.objects.filter(_gram_condition(query_grams), dataset__in=datasets.values("pk"))
        .values("dataset_id")
        .annotate(score=Sum("weight"))
        .order_by("-score", "dataset_id")
    )
