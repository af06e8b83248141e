"""Settings for benchmark runs: the application's settings plus django-elasticsearch-dsl.

Used only by ``bench/`` scripts (``DJANGO_SETTINGS_MODULE=bench.settings``), so the comparison library is
installed in the bench environment alone (``pip install -r bench/requirements.txt``). Its signal processor
is switched off: the bench writes rows in bulk and indexes them explicitly.
"""

import os

os.environ.setdefault("ELASTICSEARCH_INDEX_PREFIX", "bench")

from config.settings import *  # noqa: F403
from config.settings import ELASTICSEARCH_URL, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_elasticsearch_dsl", "bench"]

ELASTICSEARCH_DSL = {"default": {"hosts": ELASTICSEARCH_URL, "request_timeout": 60}}
ELASTICSEARCH_DSL_AUTOSYNC = False
ELASTICSEARCH_DSL_SIGNAL_PROCESSOR = "django_elasticsearch_dsl.signals.BaseSignalProcessor"
