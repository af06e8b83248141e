"""Messages from template files, in the recipient's language.

Each kind has ``notifications/<kind>/<language>/subject.txt`` and ``body.txt``: plain text, rendered
without HTML escaping (a company called "A&B" stays "A&B"). The e-mail's HTML part wraps the same text in
one layout (``notifications/email.html``, escaped as HTML), and the e-mail's plain part adds the footer
``notifications/footer/<language>.txt``. The inbox shows the subject and body.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def text_engine() -> Engine:
    # plain text must not be HTML-escaped; the project's engine escapes everything it renders
    return Engine(dirs=[str(TEMPLATES)], autoescape=False)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    email_text: str
    email_html: str


def absolute(path: str) -> str:
    """A link that works from a mail client: the site's public base address and the path."""
    return f"{settings.SITE_BASE_URL}{path}"


def render_message(kind: str, language: str, context: dict[str, Any]) -> Rendered:
    engine = text_engine()
    with translation.override(language):
        full = {
            **context,
            "language": language,
            "preferences_url": absolute(reverse("web:notification-preferences")),
        }
        # a subject is one line, however the template wraps it
        subject = " ".join(
            engine.render_to_string(f"notifications/{kind}/{language}/subject.txt", full).split()
        )
        body = engine.render_to_string(f"notifications/{kind}/{language}/body.txt", full).strip()
        footer = engine.render_to_string(f"notifications/footer/{language}.txt", full).strip()
        html = render_to_string(
            "notifications/email.html", {**full, "subject": subject, "body": body, "footer": footer}
        )
    return Rendered(
        subject=subject[:300], body=body, email_text=f"{body}\n\n-- \n{footer}\n", email_html=html
    )
