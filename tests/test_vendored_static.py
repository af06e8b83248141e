"""The charting library is vendored by the build from the npm registry (scripts/vendor-static.sh), pinned by
package-lock.json; the pages load it from our static files. This checks the vendored file is the pinned one."""

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import missing_service

ROOT = Path(__file__).resolve().parent.parent


def test_package_json_pins_one_exact_version():
    declared = json.loads((ROOT / "package.json").read_text())["dependencies"]["chart.js"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/chart.js"][
        "version"
    ]
    assert declared == locked, "package.json pins an exact version, the one package-lock.json holds"


def test_the_vendored_file_is_the_pinned_version():
    if shutil.which("node") is None:
        missing_service("node is not installed (scripts/vendor-static.sh installs it as root)")
    result = subprocess.run(
        [str(ROOT / "scripts" / "vendor-static.sh"), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/chart.js"][
        "version"
    ]
    head = (ROOT / "web" / "static" / "vendor" / "chart.umd.min.js").read_text(encoding="utf-8")[:300]
    assert f"Chart.js v{locked}" in head


def test_pages_never_load_a_script_from_elsewhere():
    templates = (ROOT / "web" / "templates" / "web" / "program").glob("*.html")
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, template.name
