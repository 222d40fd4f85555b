"""The one file boundary: every file the program reads or writes passes here.

Reading: only regular files (a FIFO or /dev/zero must never block or fill memory), opened
non-blocking and checked on the open descriptor, under a size cap, read in chunks so a file
that grows while being read is still refused. A zip's members are checked before any is
unpacked (how many, declared size, compression ratio, encryption, method) and unpacked in
chunks against the same caps, since a zip's own header may lie.

Writing: one writer. The new file is written to a temporary file in the target's folder
(named `.ivigcalc-HOST-PID-RANDOM.part`, a name only this program uses), flushed to disk,
given the mode the umask allows, and renamed over the target only when complete; a failure
at any point removes it, and the leftovers of a writer that was killed are swept at the next
write to that folder. Never over an input (the IVIGCALC_CATALOG file included), never over
an existing file without `force`, never through a symlink (the link itself is replaced).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import stat
import struct
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO

from ivigcalc.errors import InputError

CATALOG_ENV_VAR = "IVIGCALC_CATALOG"  # the site catalog in use: an input of every command
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CHUNK = 1 << 20


class UnreadableFile(Exception):
    """A file refused at the boundary; the message says why (the caller adds which file)."""


# --- reading ------------------------------------------------------------------------------


@contextmanager
def opened(path: str | os.PathLike[str], cap: int) -> Iterator[BinaryIO]:
    """A regular file of at most `cap` bytes, open for reading; UnreadableFile otherwise.

    Non-blocking open, so a FIFO blocks neither the open nor a read; the type and size are
    checked on the open descriptor (no race with a rename).
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError as error:
        raise UnreadableFile(f"cannot be read ({error.strerror})") from None
    except ValueError:  # a NUL byte in the path
        raise UnreadableFile("is not a usable file name") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a regular file (a folder, device or pipe); give "
                                 "the path of a file")
        if info.st_size > cap:
            raise UnreadableFile(f"is {info.st_size:,} bytes, over the {cap:,}-byte limit")
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_limited(handle: IO[bytes], cap: int, what: str = "") -> bytes:
    """At most `cap` bytes from an open stream, read in chunks; more is refused."""
    chunks, total = [], 0
    while total <= cap:
        chunk = handle.read(min(CHUNK, cap + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > cap:
        raise UnreadableFile(f"{what}grew past the {cap:,}-byte limit while being read")
    return b"".join(chunks)


def read_bytes(path: str | os.PathLike[str], cap: int) -> bytes:
    """The bytes of a regular file of at most `cap` bytes; UnreadableFile otherwise."""
    try:
        with opened(path, cap) as handle:
            return read_limited(handle, cap)
    except OSError as error:
        raise UnreadableFile(f"cannot be read ({error.strerror})") from None


def decode(data: bytes, *, allow_bom: bool) -> str:
    """UTF-8 text, or UnreadableFile naming the encoding it looks like and where it fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("is UTF-16 text (Notepad's 'Unicode'), not UTF-8; save it as "
                             "UTF-8")
    if b"\x00" in data:
        raise UnreadableFile("holds NUL bytes (UTF-16 without a byte-order mark, or not a "
                             "text file); save it as UTF-8 text")
    if data.startswith(b"\xef\xbb\xbf"):
        if not allow_bom:
            raise UnreadableFile("starts with a byte-order mark (saved as 'UTF-8 with BOM'),"
                                 " which TOML does not allow; save it as UTF-8 without BOM")
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        guess = " (Latin-1 or Windows-1252?)" if 0x80 <= byte <= 0xFF else ""
        raise UnreadableFile(f"is not UTF-8: byte 0x{byte:02X} at line {line}, column "
                             f"{column}{guess}; save it as UTF-8") from None


def _damaged_zip() -> tuple[type[Exception], ...]:
    """What zipfile raises on a damaged archive or member header (tests/test_fuzz_cms.py
    found the ones beyond BadZipFile)."""
    import zipfile

    return (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OverflowError,
            struct.error, NotImplementedError, RuntimeError)


class ZipLimits:
    """What one zip may hold. The defaults pass every CMS quarter zipped as CMS zips them
    (deflate; the largest CSV, a 2.8 MB crosswalk, packs 23:1) with room to spare."""

    def __init__(self, *, member_bytes: int, total_bytes: int, members: int = 64,
                 ratio: int = 200) -> None:
        self.member_bytes = member_bytes
        self.total_bytes = total_bytes
        self.members = members
        self.ratio = ratio


def zip_members(path: str | os.PathLike[str], cap: int, limits: ZipLimits,
                wanted: Callable[[str], bool]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each member `wanted(name)` accepts, every one checked first.

    UnreadableFile for a zip that is not regular, over `cap`, not a zip, or that holds a
    member too many, too large (as declared or as it unpacks), packed too tightly (a zip
    bomb), encrypted, or packed by a method other than stored or deflate.
    """
    import zipfile  # only the CMS importer reads zips

    try:
        with opened(path, cap) as handle:
            try:
                archive = zipfile.ZipFile(handle)
            except _damaged_zip() as error:
                raise UnreadableFile(f"is not a readable zip file ({error})") from None
            with archive:
                chosen = _checked(archive.infolist(), limits, wanted)
                total = 0
                for info in chosen:
                    data = _unpacked(archive, info, limits.member_bytes)
                    total += len(data)
                    if total > limits.total_bytes:
                        raise UnreadableFile(f"unpacks to more than {limits.total_bytes:,} "
                                             "bytes in all")
                    yield info.filename, data
    except OSError as error:
        raise UnreadableFile(f"cannot be read ({error.strerror or error})") from None


def _checked(infos: list[Any], limits: ZipLimits,
             wanted: Callable[[str], bool]) -> list[Any]:
    import zipfile

    if len(infos) > limits.members:
        raise UnreadableFile(f"holds {len(infos):,} members; a zip of CMS files holds at "
                             f"most {limits.members}")
    chosen = [info for info in infos if not info.is_dir() and wanted(info.filename)]
    declared = 0
    for info in chosen:
        name = info.filename
        if info.flag_bits & 0x1:
            raise UnreadableFile(f"member {name} is encrypted; give the zip as CMS publishes "
                                 "it, or the CSV itself")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableFile(f"member {name} is packed with method "
                                 f"{info.compress_type}; only stored and deflate (what CMS "
                                 "uses) are read: unzip it and give the CSV")
        if info.file_size > limits.member_bytes:
            raise UnreadableFile(f"member {name} is {info.file_size:,} bytes unpacked, over "
                                 f"the {limits.member_bytes:,}-byte limit")
        if info.file_size > limits.ratio * max(info.compress_size, 1):
            raise UnreadableFile(f"member {name} unpacks {info.file_size:,} bytes from "
                                 f"{info.compress_size:,} (more than {limits.ratio}:1): a zip "
                                 "bomb, not a CMS file")
        declared += info.file_size
    if declared > limits.total_bytes:
        raise UnreadableFile(f"unpacks to {declared:,} bytes in all, over the "
                             f"{limits.total_bytes:,}-byte limit")
    return chosen


def _unpacked(archive: Any, info: Any, cap: int) -> bytes:
    """The member's bytes, unpacked in chunks: a header that understates the size is
    caught when the bytes pass what it declared (or the cap)."""
    import zlib

    limit = min(cap, info.file_size)
    damaged: tuple[type[Exception], ...] = (*_damaged_zip(), zlib.error)
    try:
        with archive.open(info) as member:
            return read_limited(member, limit, f"member {info.filename} ")
    except damaged as error:
        raise UnreadableFile(f"member {info.filename} cannot be unpacked ({error})") from None


# --- writing ------------------------------------------------------------------------------

_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_TEMP = re.compile(r"\.ivigcalc-([0-9a-f]{8})-([0-9]+)-[0-9a-f]{16}\.part")
STALE_SECONDS = 3600  # another machine's leftover on a shared drive: swept after an hour


def protected(inputs: Iterable[str | os.PathLike[str] | None], *,
              updating: bool = False) -> list[str]:
    """The files a write must never replace: the command's inputs and the site catalog
    named by IVIGCALC_CATALOG (whichever way the command was given its catalog), unless
    `updating`: import-cms adding a CMS quarter to a site catalog in place, its one purpose
    (data/cms/site_file.py keeps the previous version as .bak)."""
    found = [os.fspath(given) for given in inputs if given]
    from_env = os.environ.get(CATALOG_ENV_VAR, "").strip()
    return [*found, from_env] if from_env and not updating else found


def _same_file(target: Path, other: str) -> bool:
    try:
        if target.exists() and os.path.samefile(target, other):
            return True
    except (OSError, ValueError):
        pass
    return os.path.abspath(target) == os.path.abspath(other)


def check_target(path: str | os.PathLike[str], *, force: bool,
                 inputs: Iterable[str | os.PathLike[str] | None] = (),
                 field: str = "output", updating: bool = False) -> Path:
    """The target as a Path, or InputError saying why it must not be written."""
    target = Path(path)
    for given in protected(inputs, updating=updating):
        if _same_file(target, given):
            raise InputError(field, f"{target} is an input of this command ({given}); write "
                             "to another file")
    try:
        info = target.lstat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise InputError(field, f"cannot use {target} ({error.strerror})") from None
    if info is not None:
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            raise InputError(field, f"{target} is not a regular file (a folder, device or "
                             "pipe); give the path of a file")
        if not force:
            raise InputError(field, f"{target} already exists; add --force to replace it")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(field, f"the folder of {target} does not exist")
    return target


def _umask_mode() -> int:
    """0o666 less the process's umask (what open() would have given a new file)."""
    try:  # Linux >= 4.7 reports it without changing it (no race with other threads)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill would end it: judge by age alone there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def sweep(folder: Path) -> list[Path]:
    """Remove what a killed writer left in `folder`: this program's temporary files whose
    writer (on this machine) is gone, or that are over an hour old. Returns them."""
    swept: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return swept
    now = time.time()
    for name in names:
        found = _TEMP.fullmatch(name)
        if found is None:
            continue
        path = folder / name
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            ours_gone = found.group(1) == _HOST and int(found.group(2)) != os.getpid() \
                and not _alive(int(found.group(2)))
            if ours_gone or now - info.st_mtime > STALE_SECONDS:
                path.unlink()
                swept.append(path)
        except OSError:
            continue
    return swept


def _new_temp(folder: Path, field: str) -> Path:
    for _ in range(10):
        temp = folder / f".ivigcalc-{_HOST}-{os.getpid()}-{secrets.token_hex(8)}.part"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _NOFOLLOW,
                         0o600)
        except FileExistsError:
            continue
        except OSError as error:
            raise InputError(field, f"cannot write in {folder} ({error.strerror})") from None
        os.close(fd)
        return temp
    raise InputError(field, f"cannot make a temporary file in {folder}")


def _commit(temp: Path, target: Path) -> None:
    """Flush the finished temporary file to disk, give it its mode, rename it over the
    target (a symlink there is replaced, not followed), and flush the folder."""
    fd = os.open(temp, os.O_RDWR | _BINARY | _NOFOLLOW)
    try:
        os.fsync(fd)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _umask_mode())
    finally:
        os.close(fd)
    os.replace(temp, target)
    if sys.platform != "win32":
        with suppress(OSError):
            folder = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)


@contextmanager
def replacing(path: str | os.PathLike[str], *, force: bool,
              inputs: Iterable[str | os.PathLike[str] | None] = (),
              field: str = "output", updating: bool = False) -> Iterator[Path]:
    """A temporary path to write the new file to (by any means, Qt's printer included);
    when the block ends it becomes `path`. On any failure it is removed and `path` is as
    it was. InputError before anything is written if `path` must not be written."""
    target = check_target(path, force=force, inputs=inputs, field=field, updating=updating)
    sweep(target.parent)
    temp = _new_temp(target.parent, field)
    try:
        yield temp
        _commit(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


@contextmanager
def writing(path: str | os.PathLike[str], *, force: bool,
            inputs: Iterable[str | os.PathLike[str] | None] = (),
            field: str = "output") -> Iterator[IO[str]]:
    """A UTF-8 text stream (newlines as written) that becomes `path` when complete."""
    with replacing(path, force=force, inputs=inputs, field=field) as temp, \
            open(temp, "w", encoding="utf-8", newline="") as handle:
        yield handle


def write_bytes(path: str | os.PathLike[str], data: bytes, *, force: bool,
                inputs: Iterable[str | os.PathLike[str] | None] = (),
                field: str = "output") -> None:
    """`data` as the whole of `path`, or nothing at all."""
    with replacing(path, force=force, inputs=inputs, field=field) as temp, \
            open(temp, "wb") as handle:
        handle.write(data)
