import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threefold.settings")
application = get_wsgi_application()
# Import every view, and all they import, while the worker starts and before it takes requests.
# Left to the first request, it took each new worker 7 s of CPU, and on a busy machine the first
# people after a restart waited more than a minute (bench/load.py's sign-in timeouts).
import_module(settings.ROOT_URLCONF)
# What is loaded by now lives as long as the worker. Frozen, it is left out of the garbage
# collector's full passes, which otherwise walk its ~280,000 objects: 170 ms, landing on about
# one request in a hundred, on a slow 2-core machine (docs/scale.md).
gc.collect()
gc.freeze()
