"""The production image, built without a Docker engine: its files, its install, its commands.

The ``Dockerfile``'s ``COPY`` lines are parsed and the files they name (minus what ``.dockerignore``
leaves out of the build context) are laid out in a temporary directory exactly as in the image's
``WORKDIR``. ``pip install .`` runs there into a fresh virtualenv, then, from that directory and with that
virtualenv's interpreter: the build's own ``collectstatic`` step (its environment parsed from the ``RUN``
line), ``check --deploy`` with production settings, ``migrate`` (SQLite in the temporary directory) and
the ``CMD``'s gunicorn command answering a page and a collected static file. A directory the Dockerfile
forgets, a package left out of ``pyproject.toml``, a data file outside the package or a template the
image lacks fails here instead of in the first deployment.

Kept fast on purpose (a few seconds of the suite): the fresh virtualenv has no pip and no dependencies
of its own; a ``.pth`` line makes the project virtualenv's ``site-packages`` visible *after* its own, as a
plain path, so the dependencies pyproject.toml names are importable without reinstalling them (kiwipiepy's
model alone is a large download), while the project virtualenv's editable install of this very project
is not (its finder is installed by a ``.pth`` file, and ``.pth`` files of a plain path entry are not
processed). ``pip install --no-deps .`` therefore builds and installs exactly this project, with pip's
isolated build (setuptools as ``[build-system]`` pins it, from pip's cache) as in the image; that the
runtime dependencies (gunicorn among them) are declared is checked on the installed metadata.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO / "Dockerfile"
HOST = "sangsaeng.example.kr"

pytestmark = pytest.mark.image


# ---------------------------------------------------------------------------------------------------------
# Reading the Dockerfile


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with ``\\`` continuations joined and comments dropped."""
    instructions = []
    logical = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not logical and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical += stripped
        keyword, _, arguments = logical.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        logical = ""
    assert not logical, "the Dockerfile ends inside a continued line"
    return instructions


def copy_operations(instructions: list[tuple[str, str]]) -> tuple[str, list[tuple[list[str], str]]]:
    """The WORKDIR and each COPY's (sources, destination), destination relative to the context root."""
    workdir = "/"
    operations = []
    for keyword, arguments in instructions:
        if keyword == "WORKDIR":
            workdir = arguments
        elif keyword in {"COPY", "ADD"}:
            assert keyword == "COPY", "ADD fetches and unpacks; the image copies plain files with COPY"
            parts = [part for part in shlex.split(arguments) if not part.startswith("--")]
            assert not arguments.startswith("["), "COPY in the JSON form is not parsed here"
            *sources, destination = parts
            operations.append((sources, destination))
    return workdir, operations


def dockerignore_patterns() -> list[str]:
    path = REPO / ".dockerignore"
    if not path.exists():
        return []
    patterns = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert not line.startswith("!"), "exceptions in .dockerignore are not modelled here"
            patterns.append(line.strip("/"))
    return patterns


def ignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rule: a path is out of the context when it, or a folder above it, matches a pattern;
    ``**`` matches any number of folders (fnmatch's ``*`` crosses ``/`` too, close enough for the
    patterns kept in .dockerignore)."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    for pattern in patterns:
        candidates = [pattern]
        if pattern.startswith("**/"):
            candidates.append(pattern[3:])
        for prefix in prefixes:
            if any(fnmatch.fnmatchcase(prefix, candidate) for candidate in candidates):
                return True
    return False


def lay_out_image(target: Path) -> tuple[Path, list[tuple[str, str]]]:
    """Copies what the Dockerfile's COPY lines copy into ``target`` + WORKDIR; returns that folder."""
    instructions = dockerfile_instructions(DOCKERFILE.read_text())
    workdir, operations = copy_operations(instructions)
    app = target / workdir.lstrip("/")
    app.mkdir(parents=True, exist_ok=True)
    patterns = dockerignore_patterns()
    for sources, destination in operations:
        destination_path = app / destination
        many = len(sources) > 1 or destination.endswith("/")
        for source in sources:
            assert not ignored(source, patterns), f"COPY {source}: .dockerignore leaves it out of the context"
            source_path = REPO / source
            assert source_path.exists(), f"COPY {source}: not in the repository"
            if source_path.is_dir():
                # a folder's contents go into the destination, minus what the context leaves out
                for path in sorted(source_path.rglob("*")):
                    relative = path.relative_to(REPO).as_posix()
                    if path.is_dir() or ignored(relative, patterns):
                        continue
                    copied = destination_path / path.relative_to(source_path)
                    copied.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, copied)
            else:
                copied = destination_path / source_path.name if many else destination_path
                copied.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source_path, copied)
    return app, instructions


def build_collectstatic_env(instructions: list[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    """The environment and arguments the Dockerfile's build step gives ``manage.py collectstatic``."""
    for keyword, arguments in instructions:
        if keyword != "RUN":
            continue
        for step in re.split(r"&&|;", arguments):
            words = shlex.split(step)
            if "collectstatic" not in words:
                continue
            env = {}
            while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
                name, _, value = words.pop(0).partition("=")
                env[name] = value
            assert words[:2] == ["python", "manage.py"], step
            return env, words[2:]
    raise AssertionError("the Dockerfile's build does not run collectstatic")


def gunicorn_command(instructions: list[tuple[str, str]]) -> list[str]:
    commands = [json.loads(arguments) for keyword, arguments in instructions if keyword == "CMD"]
    assert commands, "the Dockerfile has no CMD"
    command = commands[-1]
    assert command[0] == "gunicorn", command
    return command


# ---------------------------------------------------------------------------------------------------------
# A fresh virtualenv


def fresh_virtualenv(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # a plain path line: appended after the fresh site-packages, its own .pth files (the editable install
    # of the checkout) not processed
    Path(purelib, "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def clean_env(**overrides: str) -> dict[str, str]:
    """The environment of the image's processes: nothing of the test run's own Django set-up."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SEARCH_", "ELASTICSEARCH_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(overrides)
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 300) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{shlex.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, language: str = "ko") -> tuple[int, bytes]:
    # what the load balancer in front of the image sends: the public host, HTTPS already terminated
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Language": language}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# ---------------------------------------------------------------------------------------------------------
# The tests


def test_dockerfile_copies_are_parsed_as_docker_reads_them():
    instructions = dockerfile_instructions(
        "FROM x\nWORKDIR /app\n# a comment\nCOPY a b ./\nCOPY --chown=app src ./dst\n"
        'RUN one \\\n    && A=1 python manage.py collectstatic --noinput\nCMD ["gunicorn", "x"]\n'
    )
    assert copy_operations(instructions) == ("/app", [(["a", "b"], "./"), (["src"], "./dst")])
    assert build_collectstatic_env(instructions) == ({"A": "1"}, ["collectstatic", "--noinput"])
    assert gunicorn_command(instructions) == ["gunicorn", "x"]
    patterns = ["**/__pycache__", ".venv", "*.sqlite3"]
    assert ignored("web/views/__pycache__/x.pyc", patterns)
    assert ignored("__pycache__/x.pyc", patterns)
    assert ignored(".venv/bin/python", patterns)
    assert ignored("db.sqlite3", patterns)
    assert not ignored("web/views/pages.py", patterns)


def test_every_application_package_is_in_the_image():
    """Each top-level package of the checkout the settings install, and the files at BASE_DIR the settings
    read (templates, locale), is copied: a new app needs a COPY line and a pyproject entry."""
    from django.conf import settings

    _workdir, operations = copy_operations(dockerfile_instructions(DOCKERFILE.read_text()))
    copied = {Path(source).parts[0] for sources, _ in operations for source in sources}
    local_apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (REPO / app.split(".")[0]).is_dir()}
    needed = local_apps | {"config", "core", "templates", "locale", "manage.py", "pyproject.toml"}
    assert needed <= copied, f"not copied by the Dockerfile: {sorted(needed - copied)}"


def test_the_image_installs_checks_collects_static_and_serves(tmp_path):
    app, instructions = lay_out_image(tmp_path / "image")
    python = fresh_virtualenv(tmp_path / "venv")
    env = clean_env()
    # every file of the layout's packages (code, migrations, templates, static files, data, fonts), listed
    # before the install, which leaves a build/ folder beside them
    package_folders = sorted(
        {init.parent for init in app.rglob("__init__.py")}, key=lambda folder: len(folder.parts)
    )
    top_packages = [f for f in package_folders if not any(p in f.parents for p in package_folders)]
    layout_files = {
        path.relative_to(app).as_posix()
        for folder in top_packages
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }

    # the image's `pip install .`, dependencies already present (see the module docstring)
    run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", "."], cwd=app, env=env, timeout=600)
    requires = run(
        [str(python), "-c", "import importlib.metadata as m; print('\\n'.join(m.requires('sangsaeng')))"],
        cwd=tmp_path,
        env=env,
    )
    declared = {re.split(r"[<>=!~\[ ;]", line, maxsplit=1)[0].lower() for line in requires.split()}
    assert {"gunicorn", "whitenoise", "django", "psycopg"} <= declared, requires
    # the installed distribution holds every file of those packages: it works from any folder, not only
    # from the copied tree that comes first on sys.path in the image's WORKDIR
    installed = run(
        [
            str(python),
            "-c",
            "import importlib.metadata as m; print('\\n'.join(map(str, m.files('sangsaeng'))))",
        ],
        cwd=tmp_path,
        env=env,
    ).splitlines()
    missing = layout_files - set(installed)
    assert not missing, (
        f"not installed by `pip install .` (pyproject.toml's packages or package-data): {sorted(missing)}"
    )

    # the build step, as the Dockerfile runs it
    build_env, collectstatic = build_collectstatic_env(instructions)
    run([str(python), "manage.py", *collectstatic], cwd=app, env={**env, **build_env})
    manifest = app / "var" / "static" / "staticfiles.json"
    assert manifest.exists(), "collectstatic left no WhiteNoise manifest"

    production = clean_env(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{tmp_path / 'image.sqlite3'}",
        LOG_LEVEL="WARNING",
    )
    run([str(python), "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=app, env=production)
    run([str(python), "manage.py", "migrate", "--noinput"], cwd=app, env=production)

    port = free_port()
    command = gunicorn_command(instructions)
    bind = command.index("--bind")
    command[bind + 1] = f"127.0.0.1:{port}"
    # one worker is enough to answer; the image's worker count only multiplies start-up time here
    workers = command.index("--workers")
    command[workers + 1] = "1"
    server = subprocess.Popen(
        [str(python), "-m", *command],
        cwd=app,
        env=production,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = fetch(f"http://127.0.0.1:{port}/accounts/login/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)
        assert status == 200, body.decode()[:2000]
        page = body.decode()
        assert 'name="login"' in page  # allauth's sign-in form (e-mail or username)
        # the page links the hashed static files WhiteNoise serves from the collected manifest
        stylesheet = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, page[:2000]
        status, css = fetch(f"http://127.0.0.1:{port}{stylesheet.group(1)}")
        assert status == 200
        assert css.strip()
        # the English catalogue compiled into the image's locale folder
        status, english = fetch(f"http://127.0.0.1:{port}/accounts/login/", language="en")
        assert status == 200
        assert "Sign in with your procurement officer" in english.decode()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()
