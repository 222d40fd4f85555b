"""`ivigcalc catalog check` and `where`: a site pharmacist's check before a quarterly update."""

from pathlib import Path

import pytest
from helpers import run_cli


def test_valid_site_file_lists_its_changes(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[catalog]\nname = "St Elsewhere"\n\n[products.privigen]\n'
                    'vial_sizes_g = [10, 20]\n\n[codes.J1599]\nverify = true\n',
                    encoding="utf-8")
    code, out, err = run_cli(capsys, "catalog", "check", str(site))
    assert code == 0, err
    assert f"valid: {site}" in out
    assert "site catalog St Elsewhere" in out
    assert "changes products.privigen.vial_sizes_g: [5, 10, 20, 40] -> [10, 20]" in out
    assert "sets codes.J1599.verify = true" in out


def test_invalid_site_file_exits_1_naming_the_field(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[products.privigen]\nvial_sizes_g = [10, -5]\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "catalog", "check", str(site))
    assert code == 1
    assert out == ""
    assert "[products.privigen] field 'vial_sizes_g': item 2: must be more than zero" in err
    assert "bundled catalog" in err


def test_empty_site_file_changes_nothing(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("", encoding="utf-8")
    code, out, _ = run_cli(capsys, "catalog", "check", str(site))
    assert code == 0
    assert "changes nothing" in out


def test_where_reports_the_environment(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_cli(capsys, "catalog", "where")
    assert code == 0 and "IVIGCALC_CATALOG is not set" in out
    site = tmp_path / "site.toml"
    site.write_text("[products.privigen]\nnope = 1\n", encoding="utf-8")
    monkeypatch.setenv("IVIGCALC_CATALOG", str(site))
    code, out, _ = run_cli(capsys, "catalog", "where")
    assert code == 1 and "broken and ignored" in out and "'nope'" in out


def test_catalog_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "catalog")
    assert code == 2 and err.count("\n") == 1
