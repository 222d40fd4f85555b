"""`import-cms --output SITE.toml` adds quarters to a site catalog and keeps everything else.

The quarters are CMS's real files (tests/fixtures/cms) and a synthetic 2026-Q2 made from
CMS's 2026-Q1 files (cms_slices.synthetic_quarter, marked synthetic in its file names).
"""

import datetime as dt
import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cms_slices import synthetic_quarter
from helpers import run_cli

from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data import catalog

FIXTURES = Path(__file__).parent / "fixtures" / "cms"
SITE_HEAD = """#:schema ./site-catalog.schema.json
# St Elsewhere's pharmacy: our payers and stock.

[catalog]
name = "St Elsewhere"

[payers.bcbs-mi]
name = "BCBS Michigan"
jw = true
kx = false
dosing_policy = "bmi-30"
source = "Provider manual, IVIG policy, 2026"
checked = 2026-10-01

[products.privigen]
vial_sizes_g = [10, 20]
"""


def files(quarter: str) -> list[str]:
    return sorted(str(p) for p in (FIXTURES / quarter).glob("*.csv"))


def run_import(capsys: pytest.CaptureFixture[str], site: Path, *paths: str,
               extra: tuple[str, ...] = ()) -> tuple[int, str, str]:
    return run_cli(capsys, "catalog", "import-cms", *paths, "--output", str(site),
                   "--checked", "2026-12-01", *extra)


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_site_file_holds_the_quarter_and_loads(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, umask: None) -> None:
    site = tmp_path / "site.toml"
    code, out, err = run_import(capsys, site, *files("2025-Q3"))
    assert code == 0, err
    assert "2025-Q3: added to the site catalog" in out
    assert not (tmp_path / "site.toml.bak").exists()
    assert stat.S_IMODE(site.stat().st_mode) == 0o644  # readable by others, as any file
    raw = tomllib.loads(site.read_text("utf-8"))
    assert list(raw["quarters"]) == ["2025-Q3"] and "cms" not in raw
    loaded = catalog.load(site).catalog
    assert loaded.cms_history is not None and "2025-Q3" in loaded.cms_history


def test_updating_keeps_the_site_entries_comments_at_the_top_and_a_backup(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    old = os.umask(0o002)
    try:
        assert run_import(capsys, site, *files("2026-Q1"))[0] == 0
        site.write_text(SITE_HEAD + "\n" + site.read_text("utf-8").split("\n\n", 1)[1],
                        encoding="utf-8")
        before = site.read_bytes()
        code, out, err = run_import(capsys, site, *files("2025-Q3"))
    finally:
        os.umask(old)
    assert code == 0, err
    assert ("2025-Q3: added to the site catalog's history (its newest is 2026-Q1); dates in "
            "2025-Q3 are priced by it") in out
    assert (tmp_path / "site.toml.bak").read_bytes() == before
    assert stat.S_IMODE(site.stat().st_mode) == 0o664
    text = site.read_text("utf-8")
    assert text.startswith("#:schema ./site-catalog.schema.json\n# St Elsewhere's pharmacy")
    raw = tomllib.loads(text)
    assert list(raw["quarters"]) == ["2025-Q3", "2026-Q1"]
    assert raw["catalog"]["name"] == "St Elsewhere"
    assert raw["payers"]["bcbs-mi"]["dosing_policy"] == "bmi-30"
    assert raw["products"]["privigen"]["vial_sizes_g"] == [10, 20]  # the site's stock stands
    loaded = catalog.load(site).catalog
    assert "bcbs-mi" in loaded.payers


def test_the_same_quarter_again_is_replaced_and_said(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    first = synthetic_quarter(tmp_path / "a", limits={"J1459": ("50.281", "51.500")})
    second = synthetic_quarter(tmp_path / "b", limits={"J1459": ("50.281", "52.000")})
    assert run_import(capsys, site, *map(str, first))[0] == 0
    code, out, err = run_import(capsys, site, *map(str, second))
    assert code == 0, err
    assert "2026-Q2: replaces the site catalog's 2026-Q2" in out
    assert "J1459: payment limit 51.500 -> 52.000 USD per unit" in out
    loaded = catalog.load(site).catalog
    assert loaded.cms_history is not None
    assert loaded.cms_history["2026-Q2"].payments["J1459"].limit == "52.000"


def test_several_quarters_in_one_call(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    code, _, err = run_import(capsys, site, *files("2025-Q1"), *files("2025-Q2"))
    assert code == 0, err
    raw = tomllib.loads(site.read_text("utf-8"))
    assert list(raw["quarters"]) == ["2025-Q1", "2025-Q2"]
    # 2025-Q2 has no Addendum B: it keeps 2025-Q1's, given in the same call.
    assert raw["quarters"]["2025-Q2"]["cms"]["status_from"] == "2025-Q1"


def test_a_site_file_with_the_old_single_cms_table_loads_and_is_rewritten(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    assert run_import(capsys, site, *files("2025-Q3"))[0] == 0
    raw = tomllib.loads(site.read_text("utf-8"))
    tables = raw["quarters"]["2025-Q3"]
    from ivigcalc.data.cms.site_file import text

    old_form = text({"catalog": raw["catalog"], "cms": tables["cms"]}) + _top_level(tables)
    assert "[cms]\nquarter = \"2025-Q3\"" in old_form and "[quarters" not in old_form
    site.write_text(old_form, encoding="utf-8")
    loaded = catalog.load(site).catalog
    assert loaded.cms_history is not None
    assert loaded.cms_history["2025-Q3"].payments["J1561"].limit == "48.030"
    code, _, err = run_import(capsys, site, *files("2026-Q1"))
    assert code == 0, err
    raw = tomllib.loads(site.read_text("utf-8"))
    assert list(raw["quarters"]) == ["2025-Q3", "2026-Q1"] and "cms" not in raw


def _top_level(tables: dict) -> str:
    """The NDC, payment and OPPS tables at the top level, as import-cms wrote them before."""
    from ivigcalc.data.cms.write import inline_table

    return "".join(inline_table(name, tables[name]) for name in ("ndcs", "payments", "opps"))


def test_another_existing_file_is_refused_without_force(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    other = tmp_path / "notes.toml"
    other.write_text("these are my notes, not a catalog\n", encoding="utf-8")
    code, _, err = run_import(capsys, other, *files("2025-Q3"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "notes.toml exists and is not a site catalog" in err and "--force" in err
    assert other.read_text("utf-8") == "these are my notes, not a catalog\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.toml"]
    code, _, err = run_import(capsys, other, *files("2025-Q3"), extra=("--force",))
    assert code == 0, err
    assert (tmp_path / "notes.toml.bak").read_text("utf-8") == \
        "these are my notes, not a catalog\n"
    assert "2025-Q3" in tomllib.loads(other.read_text("utf-8"))["quarters"]


def test_the_site_catalog_in_use_is_updated_without_force(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    assert run_import(capsys, site, *files("2025-Q3"))[0] == 0
    code, _, err = run_cli(capsys, "catalog", "import-cms", *files("2026-Q1"), "--output",
                           str(site), "--catalog", str(site), "--checked", "2026-12-01")
    assert code == 0, err
    assert list(tomllib.loads(site.read_text("utf-8"))["quarters"]) == ["2025-Q3", "2026-Q1"]


def test_a_refused_import_writes_nothing(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    assert run_import(capsys, site, *files("2025-Q3"))[0] == 0
    before = site.read_bytes()
    crosswalk = next(p for p in files("2025-Q4") if "Crosswalk" in p)
    code, _, err = run_import(capsys, site, crosswalk)  # no pricing file
    assert code == 2 and "the ASP pricing file of the quarter is missing" in err
    assert site.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.toml"]
    code, _, err = run_import(capsys, Path(crosswalk).with_suffix(".toml"), crosswalk)
    assert code == 2


def test_the_output_cannot_be_a_file_read(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    toml = tmp_path / "cms.toml"
    toml.write_bytes(Path(files("2025-Q3")[0]).read_bytes())
    code, _, err = run_import(capsys, toml, str(toml), *files("2025-Q3")[1:])
    assert code == 2 and "cms.toml is an input of this command" in err


def test_site_quarters_join_the_bundled_ones_older_dates_keep_theirs(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The issue's "Done when": a quarter the bundled data lacks prices its dates; 2025-05-12
    keeps CMS's 2025-Q2 limit."""
    site = tmp_path / "site.toml"
    synthetic = synthetic_quarter(tmp_path / "q", limits={"J1459": ("50.281", "51.500")})
    assert run_import(capsys, site, *map(str, synthetic))[0] == 0
    loaded = catalog.load(site).catalog

    def limit(day: dt.date) -> str | None:
        result = calculate(CalcRequest(weight="70 kg", dose="1 g/kg", product="privigen",
                                       date_of_service=day), loaded)
        return result.days[0].claim_lines[0].payment_limit_usd

    assert limit(dt.date(2026, 5, 4)) == "51.500"
    assert limit(dt.date(2026, 2, 2)) == "50.281"
    assert limit(dt.date(2025, 5, 12)) == "49.179"


def test_a_written_site_file_validates_against_the_site_schema(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json

    import fastjsonschema
    from test_catalog_schema import as_json

    from ivigcalc.data import toml_exact

    schema = json.loads((Path(__file__).resolve().parent.parent / "resources" /
                         "site-catalog.schema.json").read_text("utf-8"))
    validate = fastjsonschema.compile(schema)
    site = tmp_path / "site.toml"
    assert run_import(capsys, site, *files("2025-Q1"), *files("2025-Q2"))[0] == 0
    data = toml_exact.parse(site.read_text("utf-8"), "site.toml")
    validate(as_json(data))
    data["quarters"]["2025-Q2"]["ndcs"]["13533-0800-71"]["billunits"] = 0
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        validate(as_json(data))


def test_the_catalog_in_use_from_the_environment_is_updated_in_place(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """IVIGCALC_CATALOG is never written by other commands; adding a quarter to it is
    import-cms's purpose (the previous version kept as .bak)."""
    site = tmp_path / "site.toml"
    assert run_import(capsys, site, *files("2025-Q3"))[0] == 0
    monkeypatch.setenv("IVIGCALC_CATALOG", str(site))
    code, _, err = run_import(capsys, site, *files("2026-Q1"))
    assert code == 0, err
    assert (tmp_path / "site.toml.bak").exists()
    assert list(tomllib.loads(site.read_text("utf-8"))["quarters"]) == ["2025-Q3", "2026-Q1"]


def test_nine_quarters_fit_the_site_catalog_cap(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    from ivigcalc.data import untrusted

    site = tmp_path / "site.toml"
    every = [f for quarter in sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
             for f in files(quarter)]
    code, _, err = run_import(capsys, site, *every)
    assert code == 0, err
    assert len(tomllib.loads(site.read_text("utf-8"))["quarters"]) == 9
    assert site.stat().st_size < untrusted.MAX_CATALOG_BYTES // 3
