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
