import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.conf.base")
application = get_wsgi_application()
# What is loaded by now (Django, the apps, the URL patterns) lives as long as the process: the
# cyclic collector need not scan it on every full collection, which otherwise stalls requests.
# Under gunicorn --preload the forked workers also keep sharing those pages.
gc.freeze()
