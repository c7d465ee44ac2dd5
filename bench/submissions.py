"""Benchmark: full online submissions under load, against pgbench on the same database.

    make bench-submissions

1. Recreates the PostgreSQL database (``BENCH_DATABASE_URL``, by default
   postgres://postgres@127.0.0.1:5432/madoguchi_bench_submissions), migrates it and loads
   Kyoto's catalog and one resident per virtual user.
2. Starts gunicorn (gthread, several workers) on loopback with production settings
   (MADOGUCHI_ENV=production, DEBUG off, persistent connections, rate limits counted).
3. Virtual users (asyncio + aiohttp, bounded concurrency) each repeat the whole 転入届 path as a
   browser posts it: start a draft, save its three steps, submit. A submit validates every step
   against the form definition, writes the audit entries, opens the case in the ward's section
   and queues the notification. Prints submissions/s, per-request p50/p99 and errors.
4. Runs pgbench with a single-row INSERT at concurrency 32 on the same database and prints the
   ratio. 5. Profiles one submit request (cProfile and its SQL queries).

Options: --duration (measured seconds, default 30; with the 5 s warm-up at most 60),
--concurrency (virtual users, 32), --workers (gunicorn, 4), --threads (per worker, 4).
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
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/madoguchi_bench_submissions"
)
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
    "DJANGO_SETTINGS_MODULE": "madoguchi.conf.base",
}
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
from madoguchi.submissions.models import Submission  # noqa: E402

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


def start_server(workers: int, threads: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [
        gunicorn,
        "madoguchi.wsgi:application",
        f"--bind={HOST}",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        "--log-level=warning",
        # Load the application once in the master: workers are ready as soon as they fork.
        "--preload",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src")])}
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                urllib.request.Request(
                    f"http://{HOST}/procedures/{PROCEDURE}/",
                    headers={"X-Forwarded-Proto": "https"},
                ),
                timeout=5,
            ) as response:
                if response.status == 200:
                    return server
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


async def virtual_user(
    http: aiohttp.ClientSession, session_key: str, members: list[str], stats: Stats, until: float
) -> None:
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    )
    headers = {
        "Cookie": cookies,
        # As behind the TLS-terminating proxy production runs behind.
        "X-Forwarded-Proto": "https",
        "Origin": f"https://{HOST}",
        "Referer": f"https://{HOST}/",
    }
    base = f"http://{HOST}"

    async def post(kind: str, path: str, data: dict) -> str | None:
        fields = [("csrfmiddlewaretoken", CSRF_SECRET)]
        for key, value in data.items():
            fields += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
        started = time.perf_counter()
        recording = stats.recording  # only requests sent after the warm-up count
        try:
            async with http.post(
                base + path, data=fields, headers=headers, allow_redirects=False
            ) as response:
                await response.read()
                location = response.headers.get("Location")
                status = response.status
        except aiohttp.ClientError as error:
            stats.errors[f"{kind}: {type(error).__name__}"] += 1
            return None
        if recording:
            stats.latency[kind].append(time.perf_counter() - started)
        if status != 302 or not location:
            stats.errors[f"{kind}: HTTP {status}"] += 1
            return None
        return location

    while time.monotonic() < until:
        location = await post("start draft", f"/procedures/{PROCEDURE}/apply/", {})
        if location is None:
            continue
        draft = location.split("/")[3]
        for step, data in step_posts(members):
            location = await post("save step", f"/applications/draft/{draft}/{step}/", data)
            if location is None:
                break
        else:
            location = await post("submit", f"/applications/draft/{draft}/check/", {})
            if location and "/submitted/" in location and stats.recording:
                stats.submissions += 1


async def drive(sessions: list, warmup: float, duration: float) -> tuple[Stats, float]:
    stats = Stats()
    connector = aiohttp.TCPConnector(limit=len(sessions))
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        end = time.monotonic() + warmup + duration
        users = [
            asyncio.create_task(virtual_user(http, key, members, stats, end))
            for key, members in sessions
        ]
        await asyncio.sleep(warmup)
        stats.recording = True
        started = time.monotonic()
        await asyncio.gather(*users)
        elapsed = time.monotonic() - started
    return stats, elapsed


def pgbench(clients: int, seconds: int) -> float:
    """Single-row INSERTs (a JSON payload, a timestamp, a serial key) at ``clients``."""
    binary = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None
    )
    if binary is None:
        raise RuntimeError("pgbench not found (apt-get install postgresql-contrib)")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, "
            "payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
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


def profile_one_submit(members: list[str]) -> None:
    """One submit in this process, as a worker runs it: cProfile and the SQL it sends."""
    person = Person.objects.get(pk=members[0])
    client = Client()
    client.force_login(factories.resident_user(person.household.members.last(), assurance="low"))
    draft = client.post(f"/procedures/{PROCEDURE}/apply/", secure=True)["Location"]
    draft_id = draft.split("/")[3]
    for step, data in step_posts(members):
        client.post(f"/applications/draft/{draft_id}/{step}/", data, secure=True)
    queries: list[tuple[str, float]] = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, time.perf_counter() - started))

    profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(record):
        profiler.enable()
        response = client.post(f"/applications/draft/{draft_id}/check/", secure=True)
        profiler.disable()
    total = time.perf_counter() - started
    if response.status_code != 302 or not Submission.objects.get(uuid=draft_id).reference:
        raise RuntimeError(f"The profiled submit failed: {response.status_code}")
    sql_time = sum(seconds for _sql, seconds in queries)
    print(f"5. One submit request, profiled in-process: {total * 1000:.1f} ms wall")
    print(f"   {len(queries)} SQL queries, {sql_time * 1000:.1f} ms in the database driver")
    kinds = Counter(_query_kind(sql) for sql, _seconds in queries)
    print("   queries by table: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(12)))
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if args.duration + args.warmup > 60:
        parser.error("--duration plus --warmup must be 60 s at most")

    print(f"Setting up {DATABASE_URL.rsplit('/', 1)[-1]} ({args.concurrency} residents) …")
    recreate_database()
    sessions = seed(args.concurrency)
    connections.close_all()
    server = start_server(args.workers, args.threads)
    try:
        stats, elapsed = asyncio.run(drive(sessions, args.warmup, args.duration))
    finally:
        stop_server(server)
    load = os.getloadavg()[0]
    requests = sum(len(v) for v in stats.latency.values())
    rate = stats.submissions / elapsed
    every = [latency for values in stats.latency.values() for latency in values]
    print(
        f"1. Server: gunicorn gthread {args.workers} workers × {args.threads} threads, "
        f"production settings, PostgreSQL; {args.concurrency} virtual users on loopback, "
        f"{elapsed:.0f} s measured after {args.warmup:.0f} s warm-up; load average "
        f"{load:.1f} on {os.cpu_count()} CPUs (other work on the machine lowers every number)"
    )
    print(f"   full submissions (start, 3 steps, submit): {rate:8.1f} /s")
    print(f"   HTTP requests:                             {requests / elapsed:8.1f} /s")
    for kind, values in stats.latency.items():
        print(
            f"   {kind:12s} p50 {percentile(values, 0.5) * 1000:6.1f} ms   "
            f"p99 {percentile(values, 0.99) * 1000:6.1f} ms   ({len(values)} requests)"
        )
    if every:
        print(
            f"   every request p50 {statistics.median(every) * 1000:6.1f} ms   "
            f"p99 {percentile(every, 0.99) * 1000:6.1f} ms"
        )
    errors = sum(stats.errors.values())
    print(f"   errors: {errors}" + (f"  {dict(stats.errors)}" if errors else ""))

    tps = pgbench(32, 10)
    print("2. pgbench, single-row INSERT, concurrency 32, 10 s (reference)")
    print(f"   {tps:8.1f} inserts/s")
    print(
        f"3. Ratio: submissions/s {rate / tps * 100:.1f} % of pgbench "
        f"(target ≥ 10 %); HTTP requests/s {requests / elapsed / tps * 100:.1f} %"
    )
    submit = stats.latency.get("submit", [])
    p99 = percentile(submit, 0.99) * 1000 if submit else float("nan")
    print(
        f"4. Targets: ratio {'met' if rate / tps >= 0.10 else 'NOT met'}, "
        f"submit p99 {p99:.0f} ms {'met' if p99 < 150 else 'NOT met'} (< 150 ms), "
        f"errors {'met' if errors == 0 else 'NOT met'} (0)"
    )
    profile_one_submit(sessions[0][1])


if __name__ == "__main__":
    main()
