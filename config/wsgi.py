import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _warm_korean_analyser() -> None:
    from search.analysis import get_kiwi

    get_kiwi()


# Loading Kiwi's model takes seconds; do it while the worker starts, not inside the first search.
threading.Thread(target=_warm_korean_analyser, name="kiwi-warm-up", daemon=True).start()
