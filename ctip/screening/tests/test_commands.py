"""`ctip screen` and `ctip screening-import`, through call_command and as an operator runs them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ctip.audit.models import AuditEvent
from ctip.screening.models import IndicatorCatalogue, Screening
from ctip.screening.tests.factories import INDICATED_ADULT


def screen(stdin: str, *args: str) -> dict:
    out = io.StringIO()
    call_command("screen", "--language", "en", *args, stdin=io.StringIO(stdin), stdout=out)
    return json.loads(out.getvalue())


def refused(stdin: str, *args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        screen(stdin, *args)
    return raised.value


# --- ctip screen, in process --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_screen_prints_one_json_object_and_stores_nothing(ilo):
    events = AuditEvent.objects.count()
    result = screen(json.dumps({"age": 25, "indicators": list(INDICATED_ADULT)}))
    assert list(result) == ["catalog", "version", "list", "dimensions", "outcome", "explanation"]
    assert result["dimensions"]["cd"] == {"strong": 2, "medium": 0, "weak": 0, "positive": True}
    assert result["outcome"] == "trafficking_indicated"
    assert (Screening.objects.count(), AuditEvent.objects.count()) == (0, events)
    ilo.refresh_from_db()
    assert ilo.frozen_at is None


@pytest.mark.django_db
def test_screen_presumes_a_child_when_the_age_is_unknown(ilo):
    result = screen(
        '{"age": null, "possible_minor": true, "act": true, "indicators": ["cl.ex.excessive_hours", "cl.ex.low_salary"]}'
    )
    assert (result["list"], result["outcome"]) == ("child_labour", "trafficking_indicated")


@pytest.mark.django_db
def test_screen_takes_a_catalogue_version(ilo):
    assert screen('{"age": 30, "indicators": []}', "--catalog", "ilo-2009:1")["version"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stdin", "args", "text"),
    [
        ('{"age": 25, "indicators": [', (), "Malformed JSON"),
        ("", (), "Malformed JSON"),
        ('{"age": 25} {"age": 3}', (), "Malformed JSON"),
        ('{"age": 25, "indicators": ["al.dr.nope"]}', (), '"al.dr.nope"'),
        ('{"age": 25, "indicators": ["cl.dr.wages"]}', (), '"cl.dr.wages" is on the child labour exploitation list'),
        ('{"age": 25, "indicators": ["al.dr.wages", "al.dr.wages"]}', (), '"al.dr.wages" is given more than once'),
        ('{"age": 2.5, "indicators": []}', (), "age must be a whole number or null, not 2.5"),
        ('{"age": -4, "indicators": []}', (), "not -4"),
        (
            '{"age": null, "possible_minor": "no", "indicators": []}',
            (),
            'possible_minor must be true or false, not "no"',
        ),
        ('{"age": 30, "act": 1, "indicators": []}', (), "act must be true or false, not 1"),
        ('{"age": 30, "indicators": [], "nmae": 1}', (), 'Unknown key "nmae"'),
        ('{"age": 30, "indicators": []}', ("--catalog", "kg-2024"), 'no catalogue "kg-2024"'),
        ('{"age": 30, "indicators": []}', ("--catalog", "ilo-2009:7"), 'no catalogue "ilo-2009" version 7'),
    ],
)
def test_screen_refuses_bad_input_with_exit_status_2_naming_the_value(ilo, stdin, args, text):
    error = refused(stdin, *args)
    assert error.returncode == 2
    assert text in str(error)


# --- ctip screen, as an operator runs it --------------------------------------------------------------------------


def ctip(*args: str, var, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CTIP_", "DATABASE_URL"))}
    env.update({"CTIP_VAR_DIR": str(var), "CTIP_LANGUAGE": "en"})
    return subprocess.run(
        [sys.executable, "-m", "ctip", *args], input=stdin, env=env, capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    result = ctip("migrate", "--no-input", var=var)
    assert result.returncode == 0, result.stderr
    return var


@pytest.mark.slow_subprocess
def test_ctip_screen_reads_stdin_and_writes_stdout(migrated):
    result = ctip("screen", var=migrated, stdin=json.dumps({"age": 30, "indicators": list(INDICATED_ADULT)}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout)["outcome"] == "trafficking_indicated"
    assert result.stderr == ""


@pytest.mark.slow_subprocess
@pytest.mark.parametrize(
    ("stdin", "text"),
    [
        ("not json", "Malformed JSON on standard input"),
        ('{"age": 30, "indicators": ["al.xx.unknown"]}', '"al.xx.unknown"'),
        ('{"age": 12, "indicators": ["al.dr.wages"]}', '"al.dr.wages" is on the adult labour exploitation list'),
        ('{"age": 30, "indicators": ["al.dr.wages", "al.dr.wages"]}', '"al.dr.wages" is given more than once'),
        ('{"age": "thirty", "indicators": []}', '"thirty"'),
    ],
)
def test_ctip_screen_exits_2_on_bad_input(migrated, stdin, text):
    result = ctip("screen", var=migrated, stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert text in result.stderr


@pytest.mark.slow_subprocess
def test_ctip_screening_import_reports_every_problem_and_exits_2(migrated, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,list,dimension,strength,label_en,label_ru,label_ky\n"
        "kg.a.one,adult_labour,dr,mighty,One,Один,Бир\n"
        "kg.c.one,child_labour,zz,strong,One,Один,\n",
        encoding="utf-8",
    )
    result = ctip("screening-import", str(bad), "--code", "kg-2024", var=migrated)
    assert result.returncode == 2
    assert "row 2, column strength" in result.stderr
    assert "row 3, column dimension" in result.stderr
    assert "row 3, column label_ky" in result.stderr
    assert "3 problem(s)" in result.stderr


# --- ctip screening-import, in process ----------------------------------------------------------------------------

GOOD = (
    "id,list,dimension,strength,label_en,label_ru,label_ky,verified\n"
    "kg.a.debt,adult_labour,cd,strong,Debt,Долг,Карыз,true\n"
    "kg.a.hours,adult_labour,ex,medium,Long hours,Долгие часы,Узак саат,false\n"
    "kg.c.hours,child_labour,ex,strong,Long hours,Долгие часы,Узак саат,true\n"
)


def import_file(path, *args: str, stderr: io.StringIO | None = None) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "screening_import", str(path), "--code", "kg-2024", *args, stdout=out, stderr=stderr or io.StringIO()
        )
    return out.getvalue()


@pytest.mark.django_db
def test_import_creates_then_changes_nothing_on_the_same_file(tmp_path):
    path = tmp_path / "kg.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert "kg-2024 version 1: created (3 indicators)" in import_file(path, "--title-en", "National criteria")
    pks = list(IndicatorCatalogue.objects.get(code="kg-2024").indicators.values_list("pk", flat=True))
    events = AuditEvent.objects.count()
    assert "unchanged" in import_file(path, "--title-en", "National criteria")
    assert list(IndicatorCatalogue.objects.get(code="kg-2024").indicators.values_list("pk", flat=True)) == pks
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_import_refuses_to_change_a_frozen_version_with_exit_status_1(tmp_path):
    path = tmp_path / "kg.csv"
    path.write_text(GOOD, encoding="utf-8")
    import_file(path)
    IndicatorCatalogue.objects.filter(code="kg-2024").update(frozen_at="2026-01-01T00:00:00Z")
    path.write_text(GOOD.replace("Debt,Долг", "Debts,Долги"), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        import_file(path, "--version", "1")
    assert raised.value.returncode == 1
    assert "is frozen" in str(raised.value)
    assert "--version 2" in str(raised.value)
    assert IndicatorCatalogue.objects.get(code="kg-2024").indicators.filter(label_en="Debt").exists()


@pytest.mark.django_db
def test_import_with_problems_exits_2_and_writes_nothing(tmp_path):
    path = tmp_path / "kg.csv"
    path.write_text(GOOD.replace("cd,strong", "cd,strongest"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        import_file(path, stderr=err)
    assert raised.value.returncode == 2
    assert f'{path}: row 2, column strength: "strongest" is not one of strong, medium, weak.' in err.getvalue()
    assert not IndicatorCatalogue.objects.filter(code="kg-2024").exists()


@pytest.mark.django_db
def test_import_refuses_a_bad_code(tmp_path):
    path = tmp_path / "kg.csv"
    path.write_text(GOOD, encoding="utf-8")
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("screening_import", str(path), "--code", "KG 2024", stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 2
    assert 'column code: "KG 2024" is not a catalogue code' in err.getvalue()


@pytest.mark.django_db
def test_import_refuses_a_missing_file(tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="no such file") as raised:
        import_file(tmp_path / "missing.csv")
    assert raised.value.returncode == 2
