"""The checked catalog rows kept between starts (data/catalog_cache.py): the same catalog as
checking the TOML, read back only when everything it was made from is unchanged."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivigcalc.data import catalog, catalog_cache

RESOURCES = (*catalog.BUNDLED_FILES.values(), catalog.META_FILE)


@pytest.fixture(autouse=True)
def fresh_rows() -> Iterator[None]:
    """Each test starts from no rows built in this process (they are cached per folder)."""
    catalog._bundled_rows.cache_clear()
    yield
    catalog._bundled_rows.cache_clear()


def _never_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> object:
        raise AssertionError("the TOML was checked again")
    monkeypatch.setattr(catalog, "_checked_rows", fail)


def test_the_kept_rows_make_the_same_catalog_as_the_toml(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    checked = catalog.load().catalog
    catalog._bundled_rows.cache_clear()
    assert catalog.load(cache_folder=tmp_path).catalog == checked  # checks and writes
    assert (tmp_path / catalog_cache.FILE).is_file()
    catalog._bundled_rows.cache_clear()
    _never_checked(monkeypatch)
    kept = catalog.load(cache_folder=tmp_path).catalog
    assert kept == checked
    assert kept.products["gamunex-c"].vial_sizes_mg == checked.products["gamunex-c"].vial_sizes_mg
    assert kept.cms is not None and kept.cms.quarter == checked.cms.quarter  # still lazy


def test_a_site_catalog_still_merges_over_kept_rows(tmp_path: Path) -> None:
    catalog.load(cache_folder=tmp_path)
    catalog._bundled_rows.cache_clear()
    site = tmp_path / "site.toml"
    site.write_text('[catalog]\nname = "Clinic"\n[products.privigen]\nvial_sizes_g = [10]\n',
                    encoding="utf-8")
    loaded = catalog.load(site, cache_folder=tmp_path)
    assert loaded.catalog.products["privigen"].vial_sizes_mg == (10_000,)
    assert [(c.table, c.key, c.field) for c in loaded.changes] == [
        ("products", "privigen", "vial_sizes_g")]
    assert loaded.catalog.site_name == "Clinic"


def _kept(tmp_path: Path) -> bytes:
    catalog.load(cache_folder=tmp_path)
    catalog._bundled_rows.cache_clear()
    return (tmp_path / catalog_cache.FILE).read_bytes()


def test_rows_kept_for_other_files_or_code_are_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _kept(tmp_path)
    assert catalog_cache.read(tmp_path, RESOURCES) is not None
    # Another resource file (or another loader, Python or version: all in the key).
    monkeypatch.setattr(catalog_cache, "__version__", "0.0.0-other")
    assert catalog_cache.read(tmp_path, RESOURCES) is None
    assert catalog_cache.read(tmp_path, RESOURCES[1:]) is None


def test_a_damaged_file_is_refused_and_written_again(tmp_path: Path) -> None:
    data = _kept(tmp_path)
    path = tmp_path / catalog_cache.FILE
    for damaged in (data[:-10], data[:-1] + bytes([data[-1] ^ 1]), b"", b"not a cache"):
        path.write_bytes(damaged)
        assert catalog_cache.read(tmp_path, RESOURCES) is None
    catalog.load(cache_folder=tmp_path)  # refused, so checked again and rewritten
    assert path.read_bytes() == data


class _Called(Exception):
    pass


def _boom() -> None:
    raise _Called


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_boom, ())


def test_only_catalog_row_types_can_be_built_from_the_file(tmp_path: Path) -> None:
    """Even with a matching key and digest (someone wrote the file on purpose), nothing in
    it is called but the row types, Fraction and date."""
    rows, info = catalog._checked_rows()
    rows = {table: dict(values) for table, values in rows.items()}
    rows["codes"]["J1561"] = _Evil()  # type: ignore[assignment]
    catalog_cache.write(tmp_path, RESOURCES, (rows, info))
    assert catalog_cache.read(tmp_path, RESOURCES) is None  # refused, _boom never ran
    with pytest.raises(_Called):
        pickle.loads((tmp_path / catalog_cache.FILE).read_bytes()[len(catalog_cache._MAGIC)
                                                                 + 128:])


def test_rows_of_the_wrong_type_are_refused(tmp_path: Path) -> None:
    rows, info = catalog._checked_rows()
    swapped = {**rows, "codes": rows["payers"]}
    catalog_cache.write(tmp_path, RESOURCES, (swapped, info))
    assert catalog_cache.read(tmp_path, RESOURCES) is None


def test_a_folder_that_cannot_be_written_only_means_checking_again(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    loaded = catalog.load(cache_folder=blocked / "cache")
    assert "gamunex-c" in loaded.catalog.products
    assert list(tmp_path.iterdir()) == [blocked]  # no temporary file left behind
