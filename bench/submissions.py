"""Benchmark: full online submissions under load, against pgbench on the same database.

    make bench-submissions

1. Recreates the PostgreSQL database (``BENCH_DATABASE_URL``, by default
   postgres://postgres@127.0.0.1:5432/madoguchi_bench_submissions), migrates it and loads
   Kyoto's catalog and one resident per virtual user.
2. Starts gunicorn (gthread, several workers) on loopback with production settings
   (MADOGUCHI_ENV=production, DEBUG off, persistent connections, rate limits counted in Redis
   as a deployment with several workers would: ``BENCH_CACHE_URL``, by default
   redis://127.0.0.1:6379/15, emptied first; without a Redis server, the database cache).
3. Virtual users (asyncio + aiohttp, bounded concurrency) submit the 転入届 in two ways, one
   after the other: (a) one request each through the JSON API (POST /api/v1/applications with
   every answer and an Idempotency-Key), the submission the issue measures; (b) the whole path
   as a browser posts it: start a draft, save its three steps, submit. Either way a submission
   validates every step against the form definition, writes the audit entries, opens the case
   in the ward's section and queues the notification. Prints submissions/s, per-request
   p50/p99 and errors.
4. Runs the references on the same database: pgbench with a single-row INSERT at concurrency
   32, and a minimal Django + django-ninja endpoint inserting that row (bench/minimal_endpoint.py)
   under the same gunicorn and load; prints the ratios.
5. Profiles one submission of each kind (cProfile and its SQL queries).

Options: --duration (measured seconds per way, default 20; with the 5 s warm-ups both ways
take 50 s, at most 60), --concurrency (virtual users, 32), --workers (gunicorn, 4),
--threads (per worker, 4).
"""

import argparse
import asyncio
import base64
import cProfile
import os
import pstats
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/madoguchi_bench_submissions"
)
MINIMAL_SECONDS = 10
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
PORT = int(os.environ.get("BENCH_PORT", "8134"))
HOST = f"127.0.0.1:{PORT}"
PROCEDURE = "tennyu"

# The server's environment: production settings with keys made for this run only.
SERVER_ENV = {
    "MADOGUCHI_ENV": "production",
    "DATABASE_URL": DATABASE_URL,
    "DATABASE_CONN_MAX_AGE": "600",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "MADOGUCHI_ENCRYPTION_KEYS": "bench:" + base64.b64encode(os.urandom(32)).decode(),
    "MADOGUCHI_LOOKUP_KEY": secrets.token_urlsafe(32),
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "MADOGUCHI_VAR_DIR": tempfile.mkdtemp(prefix="madoguchi-bench-submissions-"),
    # Counted as in production, but set high enough that the benchmark measures work, not 429s.
    "MADOGUCHI_RATE_SUBMISSION": "1000000/m",
    "MADOGUCHI_RATE_API": "1000000/m",
    "DJANGO_SETTINGS_MODULE": "madoguchi.conf.base",
}


def _redis_ready(url: str) -> bool:
    """Empty the benchmark's Redis database; False when no server answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError:
        return False
    return True


if _redis_ready(CACHE_URL):
    SERVER_ENV["MADOGUCHI_CACHE_URL"] = CACHE_URL
os.environ.update(SERVER_ENV)
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

import aiohttp  # noqa: E402
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from tests import factories  # noqa: E402

from madoguchi.demo import kyoto  # noqa: E402
from madoguchi.residents.models import Person  # noqa: E402

CSRF_SECRET = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret


def recreate_database() -> None:
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    connections.close_all()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def seed(users: int) -> list[tuple[str, list[str]]]:
    """Kyoto's catalog and one household per virtual user; returns each user's session key
    and household member ids."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production's manifest
    municipality = kyoto.load_organization()
    kyoto.load_catalog(municipality)
    rel = Person.Relationship
    sessions = []
    for number in range(users):
        ward = ["nakagyo", "kita", "sakyo", "shimogyo"][number % 4]
        family = factories.household(
            municipality,
            ward,
            [
                ("山田", "太郎", "ヤマダ", "タロウ", rel.HEAD, dt.date(1985, 4, 1), "male"),
                (
                    "山田",
                    "花子",
                    "ヤマダ",
                    "ハナコ",
                    rel.SPOUSE_WIFE,
                    dt.date(1987, 9, 15),
                    "female",
                ),
            ],
        )
        client = Client()
        client.force_login(factories.resident_user(family[0], assurance="low"))
        sessions.append(
            (client.cookies[settings.SESSION_COOKIE_NAME].value, [str(p.pk) for p in family])
        )
    return sessions


def start_server(
    workers: int, threads: int, app: str = "madoguchi.wsgi:application", probe: str = ""
) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [
        gunicorn,
        app,
        f"--bind={HOST}",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        "--log-level=warning",
        # Load the application once in the master: workers are ready as soon as they fork.
        "--preload",
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")]),
        "BENCH_DATABASE_URL": DATABASE_URL,
    }
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                urllib.request.Request(
                    f"http://{HOST}{probe or f'/procedures/{PROCEDURE}/'}",
                    headers={"X-Forwarded-Proto": "https"},
                ),
                timeout=5,
            ) as response:
                if response.status == 200:
                    return server
        except urllib.error.HTTPError as refused:
            if probe and refused.code == 405:  # a POST-only endpoint: up
                return server
            time.sleep(0.5)
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.submissions = 0
        self.recording = False


def step_posts(members: list[str]) -> list[tuple[str, dict]]:
    """What the browser posts on each step of the 転入届 form, in order."""
    return [
        (
            "move",
            {"moved_in_on": "令和7年4月1日", "previous_address": "大阪府大阪市北区中之島1-3-20"},
        ),
        ("movers", {"movers": members}),
        ("contact", {"phone": "075-222-3111"}),
    ]


def api_answers(members: list[str]) -> dict:
    """Every answer of the 転入届 as an API client sends it (the same as the browser's)."""
    answers: dict = {}
    for _step, data in step_posts(members):
        answers.update(data)
    return answers


class VirtualUser:
    def __init__(
        self, http: aiohttp.ClientSession, session_key: str, members: list[str], stats: Stats
    ) -> None:
        self.http = http
        self.members = members
        self.stats = stats
        self.headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
            # As behind the TLS-terminating proxy production runs behind.
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/",
        }

    async def _send(
        self, kind: str, path: str, expected: int, **request
    ) -> aiohttp.ClientResponse | None:
        started = time.perf_counter()
        recording = self.stats.recording  # only requests sent after the warm-up count
        try:
            async with self.http.post(
                f"http://{HOST}{path}", allow_redirects=False, **request
            ) as response:
                await response.read()
        except aiohttp.ClientError as error:
            self.stats.errors[f"{kind}: {type(error).__name__}"] += 1
            return None
        if recording:
            self.stats.latency[kind].append(time.perf_counter() - started)
        if response.status != expected:
            self.stats.errors[f"{kind}: HTTP {response.status}"] += 1
            return None
        return response

    async def post_form(self, kind: str, path: str, data: dict) -> str | None:
        fields = [("csrfmiddlewaretoken", CSRF_SECRET)]
        for key, value in data.items():
            fields += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
        response = await self._send(kind, path, 302, data=fields, headers=self.headers)
        return response.headers.get("Location") if response else None

    async def browser_journey(self, until: float) -> None:
        while time.monotonic() < until:
            location = await self.post_form("start draft", f"/procedures/{PROCEDURE}/apply/", {})
            if location is None:
                continue
            draft = location.split("/")[3]
            for step, data in step_posts(self.members):
                path = f"/applications/draft/{draft}/{step}/"
                location = await self.post_form("save step", path, data)
                if location is None:
                    break
            else:
                path = f"/applications/draft/{draft}/check/"
                location = await self.post_form("submit", path, {})
                if location and "/submitted/" in location and self.stats.recording:
                    self.stats.submissions += 1

    async def api_submissions(self, until: float) -> None:
        body = {"procedure_code": PROCEDURE, "answers": api_answers(self.members)}
        while time.monotonic() < until:
            headers = {
                **self.headers,
                "X-CSRFToken": CSRF_SECRET,
                "Idempotency-Key": secrets.token_hex(16),
            }
            recording = self.stats.recording
            response = await self._send(
                "API submit", "/api/v1/applications", 201, json=body, headers=headers
            )
            if response is not None and recording:
                self.stats.submissions += 1


async def drive(sessions: list, way: str, warmup: float, duration: float) -> tuple[Stats, float]:
    stats = Stats()
    connector = aiohttp.TCPConnector(limit=len(sessions))
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        end = time.monotonic() + warmup + duration
        users = [
            asyncio.create_task(getattr(VirtualUser(http, key, members, stats), way)(end))
            for key, members in sessions
        ]
        await asyncio.sleep(warmup)
        stats.recording = True
        started = time.monotonic()
        await asyncio.gather(*users)
        elapsed = time.monotonic() - started
    return stats, elapsed


def create_insert_table() -> None:
    """The single-row insert both references write: pgbench and the minimal endpoint."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, "
            "payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )


async def minimal_inserts(concurrency: int, warmup: float, duration: float) -> Stats:
    """Drive bench/minimal_endpoint.py (one row per request) as the submissions are driven."""
    stats = Stats()

    async def user(http: aiohttp.ClientSession, until: float) -> None:
        while time.monotonic() < until:
            started, recording = time.perf_counter(), stats.recording
            try:
                async with http.post(
                    f"http://{HOST}/insert", json={"phone": "075-222-3111"}
                ) as response:
                    await response.read()
                    status = response.status
            except aiohttp.ClientError as error:
                stats.errors[type(error).__name__] += 1
                continue
            if status != 201:
                stats.errors[f"HTTP {status}"] += 1
            elif recording:
                stats.latency["insert"].append(time.perf_counter() - started)
                stats.submissions += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        end = time.monotonic() + warmup + duration
        users = [asyncio.create_task(user(http, end)) for _ in range(concurrency)]
        await asyncio.sleep(warmup)
        stats.recording = True
        await asyncio.gather(*users)
    return stats


def pgbench(clients: int, seconds: int) -> float:
    """Single-row INSERTs (a JSON payload, a timestamp, a serial key) at ``clients``."""
    binary = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None
    )
    if binary is None:
        raise RuntimeError("pgbench not found (apt-get install postgresql-contrib)")
    script = Path(SERVER_ENV["MADOGUCHI_VAR_DIR"]) / "insert.sql"
    script.write_text(
        'INSERT INTO bench_insert (payload) VALUES (\'{"phone": "075-222-3111"}\');\n'
    )
    parts = urlsplit(DATABASE_URL)
    output = subprocess.run(
        [
            str(binary),
            "--no-vacuum",
            f"--client={clients}",
            f"--jobs={min(clients, os.cpu_count() or 2)}",
            f"--time={seconds}",
            f"--file={script}",
            f"--host={parts.hostname}",
            f"--port={parts.port or 5432}",
            f"--username={parts.username or 'postgres'}",
            parts.path.lstrip("/"),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PGPASSWORD": parts.password or ""},
    ).stdout
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)
    if not match:
        raise RuntimeError(output)
    return float(match.group(1))


def profile_submissions(members: list[str]) -> None:
    """One submission of each kind in this process, as a worker runs it: cProfile and SQL."""
    person = Person.objects.get(pk=members[0])
    client = Client()
    client.force_login(factories.resident_user(person.household.members.last(), assurance="low"))

    def browser_submit() -> Callable[[], Any]:
        draft = client.post(f"/procedures/{PROCEDURE}/apply/", secure=True)["Location"]
        draft_id = draft.split("/")[3]
        for step, data in step_posts(members):
            client.post(f"/applications/draft/{draft_id}/{step}/", data, secure=True)
        return lambda: client.post(f"/applications/draft/{draft_id}/check/", secure=True)

    def api_submit() -> Callable[[], Any]:
        body = {"procedure_code": PROCEDURE, "answers": api_answers(members)}
        return lambda: client.post(
            "/api/v1/applications", body, content_type="application/json", secure=True
        )

    _profile("5. The submit request of the browser journey", browser_submit, 302)
    _profile("6. One API submission", api_submit, 201)


def _profile(title: str, prepare: Callable[[], Callable[[], Any]], expected: int) -> None:
    queries: list[tuple[str, float]] = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, time.perf_counter() - started))

    prepare()()  # warm: the first request of a process loads templates and translations
    request = prepare()
    profiler = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(record):
        profiler.enable()
        response = request()
        profiler.disable()
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != expected:
        raise RuntimeError(f"The profiled request failed: {response.status_code}")
    _print_profile(title, total, cpu, queries, profiler)


def _print_profile(
    title: str, total: float, cpu: float, queries: list, profiler: cProfile.Profile
) -> None:
    sql_time = sum(seconds for _sql, seconds in queries)
    print(f"{title}, profiled in-process: {total * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU")
    print(f"   {len(queries)} SQL queries, {sql_time * 1000:.1f} ms in the database driver")
    kinds = Counter(_query_kind(sql) for sql, _seconds in queries)
    print("   queries by table: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(12)))
    stats = pstats.Stats(profiler)
    print("   cumulative time by function (madoguchi code and the biggest library calls):")
    rows = []
    for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in stats.stats.items():
        if "madoguchi" in filename or name in {"execute", "render", "render_to_string"}:
            short = filename.split("/src/")[-1].split("site-packages/")[-1]
            rows.append((cumulative, calls, f"{short}:{line}({name})"))
    for cumulative, calls, where in sorted(rows, reverse=True)[:14]:
        print(f"   {cumulative * 1000:7.1f} ms  {calls:4d}×  {where}")


def _query_kind(sql: str) -> str:
    match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
    verb = sql.split(None, 1)[0].upper()
    return f"{verb} {match.group(1)}" if match else verb


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(title: str, stats: Stats, elapsed: float) -> tuple[float, float, int]:
    """Print one way's numbers; returns submissions/s, submit p99 (ms) and errors."""
    requests = sum(len(v) for v in stats.latency.values())
    rate = stats.submissions / elapsed
    print(f"   {title}")
    print(f"     submissions:   {rate:8.1f} /s   HTTP requests: {requests / elapsed:8.1f} /s")
    for kind, values in stats.latency.items():
        print(
            f"     {kind:12s} p50 {percentile(values, 0.5) * 1000:6.1f} ms   "
            f"p99 {percentile(values, 0.99) * 1000:6.1f} ms   ({len(values)} requests)"
        )
    every = [latency for values in stats.latency.values() for latency in values]
    if every:
        print(
            f"     every request p50 {statistics.median(every) * 1000:6.1f} ms   "
            f"p99 {percentile(every, 0.99) * 1000:6.1f} ms"
        )
    errors = sum(stats.errors.values())
    print(f"     errors: {errors}" + (f"  {dict(stats.errors)}" if errors else ""))
    submits = stats.latency.get("API submit") or stats.latency.get("submit") or []
    p99 = percentile(submits, 0.99) * 1000 if submits else float("nan")
    return rate, p99, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if 2 * (args.duration + args.warmup) > 60:
        parser.error("both ways' --duration plus --warmup must be 60 s at most")

    print(f"Setting up {DATABASE_URL.rsplit('/', 1)[-1]} ({args.concurrency} residents) …")
    recreate_database()
    sessions = seed(args.concurrency)
    connections.close_all()
    server = start_server(args.workers, args.threads)
    try:
        api = drive(sessions, "api_submissions", args.warmup, args.duration)
        api_stats, api_elapsed = asyncio.run(api)
        browser = drive(sessions, "browser_journey", args.warmup, args.duration)
        browser_stats, browser_elapsed = asyncio.run(browser)
    finally:
        stop_server(server)
    create_insert_table()
    connections.close_all()
    minimal = start_server(
        args.workers, args.threads, app="minimal_endpoint:application", probe="/insert"
    )
    try:
        minimal_stats = asyncio.run(minimal_inserts(args.concurrency, 2, MINIMAL_SECONDS))
    finally:
        stop_server(minimal)
    cache = "Redis" if "MADOGUCHI_CACHE_URL" in SERVER_ENV else "the database (no Redis server)"
    print(
        f"1. Server: gunicorn gthread {args.workers} workers × {args.threads} threads, "
        f"production settings, PostgreSQL, rate limits and sessions cached in {cache}; "
        f"{args.concurrency} virtual users on loopback, {args.duration:.0f} s measured per way "
        f"after {args.warmup:.0f} s warm-up; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs (other work on the machine lowers every number)"
    )
    rate, p99, errors = report(
        "(a) one request per submission, POST /api/v1/applications", api_stats, api_elapsed
    )
    browser_rate, browser_p99, browser_errors = report(
        "(b) the browser journey: start, 3 steps, submit (5 requests)",
        browser_stats,
        browser_elapsed,
    )

    tps = pgbench(32, 10)
    print("2. References on the same database and machine, in the same run")
    print(f"   pgbench, single-row INSERT, concurrency 32, 10 s: {tps:8.1f} inserts/s")
    inserts = minimal_stats.latency["insert"]
    minimal_rate = minimal_stats.submissions / MINIMAL_SECONDS
    print(
        f"   minimal Django + django-ninja insert endpoint (bench/minimal_endpoint.py), same "
        f"gunicorn, {args.concurrency} users, {MINIMAL_SECONDS} s: {minimal_rate:8.1f} "
        f"requests/s = {minimal_rate / tps * 100:.1f} % of pgbench, p99 "
        f"{percentile(inserts, 0.99) * 1000 if inserts else float('nan'):.1f} ms, errors "
        f"{sum(minimal_stats.errors.values())}"
    )
    print(
        f"3. Ratio to pgbench: (a) {rate / tps * 100:.2f} % (target ≥ 10 %), "
        f"(b) {browser_rate / tps * 100:.2f} % of full journeys; (a) is "
        f"{rate / minimal_rate * 100 if minimal_rate else float('nan'):.1f} % of the minimal "
        "endpoint's rate"
    )
    print(
        f"4. Targets for (a): ratio {'met' if rate / tps >= 0.10 else 'NOT met'}, "
        f"submit p99 {p99:.0f} ms {'met' if p99 < 150 else 'NOT met'} (< 150 ms), "
        f"errors {'met' if errors == 0 else 'NOT met'} (0); "
        f"(b): submit p99 {browser_p99:.0f} ms, errors {browser_errors}"
    )
    profile_submissions(sessions[0][1])


if __name__ == "__main__":
    main()
