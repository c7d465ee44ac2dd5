"""Run the demo: the web server on 127.0.0.1:8000 and a background task worker, together."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from madoguchi.demo.accounts import DEMO_STAFF_PASSWORD

HOST, PORT = "127.0.0.1", 8000


def banner() -> str:
    base = f"http://{HOST}:{PORT}"
    return f"""
============================================================================
 Madoguchi demo (京都市 オンライン窓口) — all residents and data are fictitious
----------------------------------------------------------------------------
 Residents / 住民        {base}/            (English: {base}/en/)
   log in with 「デモ用ログイン」 and pick any demo resident
 Staff / 職員            {base}/staff/
   e.g. nakagyo-clerk, kita-clerk, … (a clerk of each ward's 市民窓口課)
   and nakagyo-approver, … (its 決裁者, who signs off what the clerk drafts)
   password: {DEMO_STAFF_PASSWORD}, then the one-time code the demo shows on the page
   Demo residents of a ward apply to that ward: use its clerk to decide.
 Admin / 管理            {base}/admin/        (admin / {DEMO_STAFF_PASSWORD})
 Counter / 書かない窓口   {base}/staff/counter/   (any clerk)
 Form builder / フォーム  {base}/staff/forms/     (admin, or a section's 管理者)
 Life events / ライフイベント {base}/life-events/  (転入, 出生: several procedures at once)
 Open data / オープンデータ {base}/opendata/  (CKAN API: {base}/api/3/action/package_search)
 Payments / 決済         Sandbox Pay, test card 4242 4242 4242 4242
 Verify / 証明書の検証   {base}/verify/
 E-mails are written to  {settings.EMAIL_FILE_PATH}
 Stop with Ctrl-C.
============================================================================
"""


def main() -> int:
    root = settings.BASE_DIR
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "madoguchi.conf.base"}
    python = sys.executable
    # The daily retention purge runs in the worker; queue its first run (once).
    call_command("purge_expired", schedule=True)
    worker = subprocess.Popen(  # noqa: S603 - a fixed command line
        [python, "manage.py", "db_worker", "--interval", "1"], cwd=root, env=env
    )
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            str(Path(python).parent / "gunicorn"),
            "madoguchi.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=root,
        env=env,
    )
    print(banner(), flush=True)
    try:
        while True:
            for process in (worker, server):
                if process.poll() is not None:
                    print(f"{process.args[1]} stopped with code {process.returncode}.")
                    return process.returncode or 1
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, worker):
            if process.poll() is None:
                process.terminate()
        for process in (server, worker):
            process.wait(timeout=10)


class Command(BaseCommand):
    help = "Serve the demo on 127.0.0.1:8000 with a background task worker."

    def handle(self, *args: object, **options: object) -> None:
        sys.exit(main())
