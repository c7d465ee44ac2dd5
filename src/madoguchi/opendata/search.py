"""Japanese-aware search over each database's own full-text index: character bigrams.

Text is NFKC-normalised (full-width ASCII and half-width katakana folded), lower-cased,
hiragana folded to katakana, and cut into segments at spaces and punctuation. Each segment
gives its character bigrams and its last character alone, so every character is reachable.
A query term matches a dataset holding at least half of the term's grams: 避難所 (避難, 難所)
finds 指定緊急避難場所一覧 through 避難; a term of one character matches the grams it starts
or ends a segment with. Several terms must all match.

The grams are computed here and handed to the database as ready-made tokens, one document per
dataset (``SearchDocument``): SQLite keeps them in an FTS5 table (ranked by bm25 with the
columns weighted title 4, tags 3, organization and groups 2, description and resources 1),
PostgreSQL in a tsvector with a GIN index (weights A-D, ranked by ts_rank). "At least half of
the grams" is written as a boolean query: an OR of every choice of half the grams.

Facet counts of the whole public catalog are kept in ``FacetCount``, updated with each
dataset's index, so that browsing does not count every dataset's values on every call.
"""

import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import jaconv
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.expressions import RawSQL

from .models import Dataset, FacetCount, FacetValue, SearchDocument, State

SEGMENT = re.compile(r"[\w\u3005\u30fc]+")  # \w covers kana and kanji; 々 and ー join words

TITLE, TAG, ORGANIZATION, BODY = 4, 3, 2, 1
FIELDS = (TITLE, TAG, ORGANIZATION, BODY)  # the index's columns, in this order
# A term's grams are matched in pieces of at most this many (a longer word is cut into pieces of
# even size, each needing half its grams), so that every choice of half stays few (at most 70).
PIECE = 8
FACET_SEPARATOR, VALUE_SEPARATOR = "\x1e", "\x1f"


def normalize(text: str) -> str:
    return jaconv.hira2kata(unicodedata.normalize("NFKC", text).lower())


def grams(text: str) -> set[str]:
    found: set[str] = set()
    for segment in SEGMENT.findall(normalize(text).replace("_", " ")):
        found.update(segment[i : i + 2] for i in range(len(segment) - 1))
        found.add(segment[-1])
    return found


def field_grams(fields: Iterable[tuple[int, Iterable[str]]]) -> dict[int, set[str]]:
    """The grams of each field of (weight, texts) pairs."""
    found: dict[int, set[str]] = defaultdict(set)
    for weight, texts in fields:
        found[weight] |= grams(" ".join(t for t in texts if t))
    return found


def dataset_fields(dataset: Dataset) -> list[tuple[int, list[str]]]:
    return [
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


def dataset_facets(dataset: Dataset) -> set[tuple[str, str]]:
    values = {("organization", dataset.owner_org.name)}
    values |= {("groups", g.name) for g in dataset.groups.all()}
    values |= {("tags", t.name) for t in dataset.tags.all()}
    values |= {("res_format", r.format) for r in dataset.resources.all() if r.format}
    if dataset.license_id:
        values.add(("license_id", dataset.license_id))
    return {(facet, value[:300]) for facet, value in values}


def facets_text(values: Iterable[tuple[str, str]]) -> str:
    return FACET_SEPARATOR.join(f"{facet}{VALUE_SEPARATOR}{value}" for facet, value in values)


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(fields: dict[int, set[str]]) -> str:
    """The PostgreSQL tsvector literal: every gram with a position and its field's weight."""
    letters = {TITLE: "A", TAG: "B", ORGANIZATION: "C", BODY: "D"}
    positions: dict[str, list[str]] = defaultdict(list)
    for weight in FIELDS:
        for gram in sorted(fields.get(weight, ())):
            positions[gram].append(f"{min(len(positions) + 1, 16383)}{letters[weight]}")
    return " ".join(f"{_lexeme(gram)}:{','.join(p)}" for gram, p in positions.items())


def write_document(
    document_id: int, fields: dict[int, set[str]], cursor: Any, *, replace: bool = True
) -> None:
    """Put a document's grams into the database's full-text index."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "UPDATE opendata_searchdocument SET vector = %s::tsvector WHERE id = %s",
            [tsvector(fields), document_id],
        )
        return
    if replace:
        cursor.execute("DELETE FROM opendata_searchfts WHERE rowid = %s", [document_id])
    cursor.execute(
        "INSERT INTO opendata_searchfts (rowid, title, tags, org, body) "
        "VALUES (%s, %s, %s, %s, %s)",
        [document_id, *(" ".join(sorted(fields.get(w, ()))) for w in FIELDS)],
    )


def _public(dataset: Dataset) -> bool:
    return dataset.state == State.ACTIVE and not dataset.private


def _count(changes: dict[tuple[str, str], int]) -> None:
    # In key order, so that two writers never wait on each other's rows crosswise.
    for (facet, value), change in sorted(changes.items()):
        if change == 0:
            continue
        updated = FacetCount.objects.filter(facet=facet, value=value).update(
            count=F("count") + change
        )
        if not updated:
            FacetCount.objects.create(facet=facet, value=value, count=change)
    FacetCount.objects.filter(count__lte=0).delete()


def index(dataset: Dataset) -> None:
    """Replace the dataset's document (its grams and stored package dict), facet values and its
    share of the public facet counts (called after every write to it)."""
    from .selectors import stored_package

    facets = dataset_facets(dataset)
    public = _public(dataset)
    old = SearchDocument.objects.filter(dataset=dataset).first()
    changes: dict[tuple[str, str], int] = defaultdict(int)
    if old is not None and old.public:
        for value in FacetValue.objects.filter(dataset=dataset).values_list("facet", "value"):
            changes[value] -= 1
    if public:
        for value in facets:
            changes[value] += 1
    _count(changes)
    FacetValue.objects.filter(dataset=dataset).delete()
    FacetValue.objects.bulk_create(
        FacetValue(dataset=dataset, facet=facet, value=value) for facet, value in facets
    )
    document, _created = SearchDocument.objects.update_or_create(
        dataset=dataset,
        defaults={
            "public": public,
            "facets": facets_text(sorted(facets)),
            "package": stored_package(dataset),
        },
    )
    with connection.cursor() as cursor:
        write_document(document.pk, field_grams(dataset_fields(dataset)), cursor)


def unindex(dataset: Dataset) -> None:
    """Take a dataset out of the index (before it is deleted for good)."""
    document = SearchDocument.objects.filter(dataset=dataset).first()
    if document is None:
        return
    if document.public:
        values = FacetValue.objects.filter(dataset=dataset).values_list("facet", "value")
        _count(dict.fromkeys(values, -1))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM opendata_searchfts WHERE rowid = %s", [document.pk])
    document.delete()


def recount() -> None:
    """The public facet counts from the facet values, all at once (after a bulk load)."""
    FacetCount.objects.all().delete()
    counts = (
        FacetValue.objects.filter(dataset__state=State.ACTIVE, dataset__private=False)
        .values("facet", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    FacetCount.objects.bulk_create(
        FacetCount(facet=c["facet"], value=c["value"], count=c["n"]) for c in counts
    )


def clear() -> None:
    """Empty the whole index (before rebuilding it)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM opendata_searchfts")
    SearchDocument.objects.all().delete()
    FacetValue.objects.all().delete()
    FacetCount.objects.all().delete()


def rebuild() -> int:
    """Index every dataset anew; returns how many."""
    from . import selectors

    clear()
    count = 0
    for dataset in selectors.with_relations(Dataset.objects.order_by("pk")).iterator(500):
        index(dataset)
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Queries


def _term_grams(term: str) -> list[str]:
    """The term's grams in the order they occur."""
    found = list(dict.fromkeys(g for g in _ordered_grams(term)))
    if len(found) > 1:
        # A segment's last character is only there to make one-character terms findable.
        found = [g for g in found if len(g) == 2]
    return found


def _ordered_grams(text: str) -> list[str]:
    found: list[str] = []
    for segment in SEGMENT.findall(normalize(text).replace("_", " ")):
        found += [segment[i : i + 2] for i in range(len(segment) - 1)]
        found.append(segment[-1])
    return found


def _token(gram: str, postgresql: bool) -> str:
    """One gram of the query; a single character also matches the grams it starts."""
    if postgresql:
        return _lexeme(gram) + (":*" if len(gram) == 1 else "")
    return '"' + gram.replace('"', '""') + '"' + ("*" if len(gram) == 1 else "")


def _half(term: list[str], postgresql: bool) -> str:
    """At least half of the term's grams (of each piece of a long term), as a boolean query."""
    both, either = (" & ", " | ") if postgresql else (" AND ", " OR ")
    count = math.ceil(len(term) / PIECE)
    size = math.ceil(len(term) / count)  # pieces of even size, in the word's order
    pieces = []
    for start in range(0, len(term), size):
        piece = term[start : start + size]
        needed = math.ceil(len(piece) / 2)
        choices = [
            "(" + both.join(_token(g, postgresql) for g in chosen) + ")"
            for chosen in itertools.combinations(piece, needed)
        ]
        pieces.append("(" + either.join(choices) + ")")
    return both.join(pieces)


def query(q: str) -> tuple[str, str] | None:
    """(the match query, the ranking query) in the database's syntax; None when ``q`` has no
    searchable terms."""
    postgresql = connection.vendor == "postgresql"
    terms = [t for t in (_term_grams(term) for term in normalize(q).split()) if t]
    if not terms:
        return None
    match = (" & " if postgresql else " AND ").join(_half(t, postgresql) for t in terms)
    every = sorted(set().union(*terms))
    rank = " | ".join(_token(g, postgresql) for g in every)
    return match, rank


def _where(conditions: Q) -> tuple[str, list[Any]]:
    """The dataset conditions as SQL over ``opendata_dataset``."""
    sql_query = Dataset.objects.filter(conditions).query
    compiler = sql_query.get_compiler(connection=connection)
    sql, params = compiler.compile(sql_query.where)
    return sql or "1 = 1", list(params)


def facet_conditions(filters: Iterable[tuple[str, str, bool]]) -> tuple[str, list[str]]:
    """fq's facet terms (facet, value, negated) as conditions on the document's own facet
    values, so that a search reads no other table for them."""
    find = "strpos" if connection.vendor == "postgresql" else "instr"
    sql, params = "", []
    for facet, value, negated in filters:
        sql += f" AND {find}(%s || s.facets || %s, %s) {'=' if negated else '>'} 0"
        wanted = f"{FACET_SEPARATOR}{facet}{VALUE_SEPARATOR}{value[:300]}{FACET_SEPARATOR}"
        params += [FACET_SEPARATOR, FACET_SEPARATOR, wanted]
    return sql, params


def matching(q: str, filters: Iterable[tuple[str, str, bool]] = ()) -> RawSQL:
    """The ids of the datasets matching ``q`` (which has searchable terms) and the facet
    filters, as a subquery."""
    found = query(q) or ("", "")
    facets, params = facet_conditions(filters)  # SQL of constants; the values are parameters
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611
            "SELECT s.dataset_id FROM opendata_searchdocument s "  # noqa: S608
            f"WHERE s.vector @@ %s::tsquery{facets}",
            [found[0], *params],
        )
    return RawSQL(  # noqa: S611
        "SELECT s.dataset_id FROM opendata_searchfts JOIN opendata_searchdocument s "  # noqa: S608
        f"ON s.id = opendata_searchfts.rowid WHERE opendata_searchfts MATCH %s{facets}",
        [found[0], *params],
    )


def matches(
    conditions: Q | None,
    q: str,
    *,
    filters: Iterable[tuple[str, str, bool]] = (),
    with_facets: bool = False,
) -> list[tuple[Any, float, str]]:
    """(dataset id, score, facet values) of the datasets meeting ``conditions`` (None: the
    public ones, read from the documents alone) and the facet ``filters``, and matching every
    term of ``q``, best first. Empty when ``q`` has no searchable terms."""
    found = query(q)
    if found is None:
        return []
    match, rank = found
    where, params = _where(conditions) if conditions is not None else ("s.public", [])
    facets_sql, facets_params = facet_conditions(filters)
    where, params = f"{where}{facets_sql}", [*params, *facets_params]
    # SQLite: CROSS JOIN keeps the full-text match first (else it may try every dataset).
    dataset = (
        f"{'' if connection.vendor == 'postgresql' else 'CROSS '}JOIN opendata_dataset "
        "ON opendata_dataset.id = s.dataset_id"
        if conditions is not None
        else ""
    )
    facets = "s.facets" if with_facets else "''"
    if connection.vendor == "postgresql":
        sql = (
            # Ids as text: thousands of uuid objects per call would only feed the collector.
            f"SELECT s.dataset_id::text, ts_rank('{{0.25, 0.5, 0.75, 1}}', s.vector, %s::tsquery), "  # noqa: S608
            f"{facets} FROM opendata_searchdocument s {dataset} "
            f"WHERE s.vector @@ %s::tsquery AND ({where})"
        )
        arguments = [rank, match, *params]
    else:
        weights = ", ".join(str(float(w)) for w in FIELDS)
        sql = (
            f"SELECT s.dataset_id, -bm25(opendata_searchfts, {weights}), {facets} "  # noqa: S608
            "FROM opendata_searchfts CROSS JOIN opendata_searchdocument s "
            f"ON s.id = opendata_searchfts.rowid {dataset} "
            f"WHERE opendata_searchfts MATCH %s AND ({where})"
        )
        arguments = [match, *params]
    # Ties by the uuid, not its text: text sorts by the database's collation, which cost
    # PostgreSQL half of this query for a broad word.
    sql += " ORDER BY 2 DESC, s.dataset_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            outer = connection.in_atomic_block
            with transaction.atomic():
                # The planner prices reading each document's tsvector low and would scan all
                # of them for a common word; the GIN index reads only the matches. The setting
                # lasts to the end of this transaction, or is put back inside an outer one.
                cursor.execute(
                    "SELECT current_setting('enable_seqscan'), "
                    "set_config('enable_seqscan', 'off', true)"
                )
                previous = cursor.fetchone()[0]
                cursor.execute(sql, arguments)
                rows = cursor.fetchall()
                if outer:
                    cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
        else:
            cursor.execute(sql, arguments)
            rows = cursor.fetchall()
    return rows
