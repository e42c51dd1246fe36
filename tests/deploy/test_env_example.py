"""``.env.example`` loads in a POSIX shell exactly as the README says (``set -a; . file``), and
names exactly the variables the settings read: none missing, none unknown. Every value in it is
one the settings accept."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from tests.deploy.production import BASE_DIR, manage

ENV_EXAMPLE = BASE_DIR / ".env.example"
SETTINGS = BASE_DIR / "config" / "settings.py"
# For the test suite and the benchmarks only; .env.example says so and leaves it out.
NOT_FOR_SERVERS = {"IDHINI_TESTING"}
_DUMP = f'exec {sys.executable} -c "import json, os; print(json.dumps(dict(os.environ)))"'


def shell_environment(source: bool) -> dict[str, str]:
    script = f'set -e; set -a; . "$1"; set +a; {_DUMP}' if source else _DUMP
    result = subprocess.run(
        ["/bin/sh", "-c", script, "sh", str(ENV_EXAMPLE)],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    return json.loads(result.stdout)


def sourced() -> dict[str, str]:
    shell_own = shell_environment(source=False)
    return {k: v for k, v in shell_environment(source=True).items() if k not in shell_own}


def names_the_settings_read() -> set[str]:
    tree = ast.parse(SETTINGS.read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("env_")
        ):
            assert isinstance(node.args[0], ast.Constant), ast.unparse(node)
            names.add(node.args[0].value)
    return names


def test_settings_read_the_environment_only_through_config_env():
    source = SETTINGS.read_text()
    assert "os.environ" not in source and "getenv" not in source
    assert len(names_the_settings_read()) > 40


def test_it_loads_in_a_posix_shell_with_every_value_intact():
    variables = sourced()
    assert variables["DEFAULT_FROM_EMAIL"] == "Idhini <idhini@ega.go.tz>"
    assert variables["IDHINI_AUTH_RATE"] == "30/min"
    assert variables["EMAIL_HOST_PASSWORD"] == ""
    # The last line loaded too (a syntax error midway used to leave the rest unset).
    assert variables["IDHINI_LOG_LEVEL"] == "INFO"


def test_it_names_exactly_the_variables_the_settings_read():
    in_file = set(sourced())
    read = names_the_settings_read() - NOT_FOR_SERVERS
    assert sorted(read - in_file) == [], "missing from .env.example"
    assert sorted(in_file - read) == [], "in .env.example but read by nothing"


def test_every_value_in_it_is_accepted_by_the_settings(tmp_path):
    env = {
        **sourced(),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(BASE_DIR),
        # Paths of a real server: here, somewhere that may be written.
        "IDHINI_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = manage(env, "check")
    assert result.returncode == 0, result.stdout + result.stderr
