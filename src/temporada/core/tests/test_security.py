"""Exports neutralise formulas, request size guards, production settings, static analysis, secrets."""

import csv
import io
import os
import re
import secrets
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from temporada.core.exports import export_response, safe_cell

ROOT = Path(settings.BASE_DIR)
HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "normal", "", None]


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+34 600", "'+34 600"), ("-x", "'-x"), ("@me", "'@me"),
    ("texto", "texto"), (12, 12), (-3.5, -3.5), (Decimal("2.50"), Decimal("2.50")), (None, ""),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def _rows():
    return [[text, -42, 3.25] for text in HOSTILE]


def test_csv_export_neutralises_formulas_and_keeps_numbers():
    response = export_response("csv", "prueba", ["texto", "entero", "decimal"], _rows())
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["texto", "entero", "decimal"]
    texts = [r[0] for r in rows[1:]]
    assert texts[:5] == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd"]
    assert texts[5:] == ["normal", "", ""]
    assert all(r[1] == "-42" and r[2] == "3.25" for r in rows[1:])
    assert response["Content-Disposition"] == 'attachment; filename="prueba.csv"'


def test_xlsx_export_neutralises_formulas_and_keeps_numbers():
    response = export_response("xlsx", "prueba", ["texto", "entero", "decimal"], _rows())
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    for (text, whole, fraction), original in zip(cells, HOSTILE, strict=True):
        assert whole == -42 and isinstance(whole, int)
        assert fraction == 3.25 and isinstance(fraction, float)
        if original and original[0] in "=+-@\t":
            assert text == "'" + original
    # nothing was stored as a formula
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type != "f"


def test_unknown_export_format_is_a_value_error():
    with pytest.raises(ValueError):
        export_response("exe", "x", ["a"], [])


# --- request size ---------------------------------------------------------------------------

def test_query_string_over_4096_characters_gets_414(client):
    response = client.get("/es/", {"q": "a" * 5000})
    assert response.status_code == 414
    assert client.get("/api/v1/core/countries?" + "x=1&" * 1100).status_code == 414


def test_query_string_just_under_the_limit_is_served(client, reference_countries):
    assert client.get("/es/", {"q": "a" * 4000}).status_code == 200


@pytest.mark.django_db
def test_nul_characters_get_400_not_a_database_error(client, reference_countries):
    # PostgreSQL text cannot hold NUL: without the guard these reached the database and answered 500
    response = client.get("/api/v1/programmes/compare", {"p": ["h-2a", "sa\x00wp"]})
    assert response.status_code == 400 and "nulos" in response.content.decode()
    assert client.get("/api/v1/occupations/isco/92%00").status_code == 400
    assert client.post("/api/v1/rights/verify", data='{"employer": "Acme\\u0000"}',
                       content_type="application/json").status_code == 400
    # pages deal with NUL themselves (the explorer drops it from the search); API requests without it pass
    assert client.get("/es/occupations/", {"q": "agri\x00"}).status_code == 200
    assert client.get("/api/v1/programmes/compare", {"p": ["h-2a", "sawp"]}).status_code != 400


def test_oversized_upload_gets_413_before_any_view(client, settings):
    settings.TEMPORADA_MAX_UPLOAD_BYTES = 1024
    response = client.post("/es/accounts/login/", data=b"x" * 2048, content_type="application/octet-stream")
    assert response.status_code == 413


def test_malformed_content_length_is_not_a_500(client):
    response = client.generic("POST", "/es/accounts/login/", b"", CONTENT_LENGTH="nonsense")
    assert response.status_code < 500


@pytest.mark.parametrize("query", ["%", "%zz", "a=%ff%fe", "&&&==", "q=\x00", "lang=" + "é" * 100])
def test_malformed_query_strings_never_500(client, reference_countries, query):
    for url in ("/es/", "/api/v1/core/countries", "/api/v1/core/subdivisions"):
        assert client.get(f"{url}?{query}").status_code < 500


# --- production settings, static analysis, secrets -----------------------------------------

def test_production_settings_pass_check_deploy(tmp_path):
    env = {**os.environ, "TEMPORADA_SECRET_KEY": secrets.token_urlsafe(64),
           "DJANGO_SETTINGS_MODULE": "temporada.settings_production", "TEMPORADA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser-test fixtures in this process only
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "temporada.settings_production"}
    env.pop("TEMPORADA_SECRET_KEY", None)
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "TEMPORADA_SECRET_KEY" in result.stderr


@pytest.mark.skipif(not shutil.which("bandit", path=str(Path(sys.executable).parent)), reason="bandit not installed")
def test_bandit_finds_nothing_in_core_and_accounts():
    bandit = str(Path(sys.executable).parent / "bandit")
    src = ROOT / "src" / "temporada"
    result = subprocess.run([bandit, "-q", "-ll", "-ii", "-r", str(src / "core"), str(src / "accounts"),
                             "-x", "*/tests/*"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"ghp_[0-9A-Za-z]{36}"),
    re.compile(r"""SECRET_KEY\s*=\s*["'][^"']{20,}["']"""),
]


def test_no_secrets_in_tracked_files():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    hits = []
    for name in listed.stdout.splitlines():
        path = ROOT / name
        if not path.is_file() or path.suffix not in {".py", ".toml", ".cfg", ".ini", ".env", ".yml", ".yaml", ".json", ".md", ".txt", ""}:
            continue
        if path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{name}: {p.pattern}" for p in SECRET_PATTERNS if p.search(text)]
    assert not hits, hits
