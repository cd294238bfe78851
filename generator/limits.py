"""Limits on what a user or a pack supplies: regular files only, sizes checked before reading.

A profile or logo path may name a FIFO (reading blocks forever), ``/dev/zero`` (reading
never ends) or a 200 MB file; an image may declare 20000 x 20000 pixels. Each is refused
with a one-line error before it is read or embedded.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

from generator.errors import UserError

MAX_IMAGE_PIXELS = 25_000_000  # e.g. 5000 x 5000; a logo prints at 4 cm
MAX_IMAGE_SIDE = 10_000


def read_capped(path: Path, max_bytes: int, name: str, what: str) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else or anything over ``max_bytes``.

    The file is opened without blocking (a FIFO would otherwise wait for a writer) and its
    type and size are checked on the open handle, before any byte is read. ``name`` is how
    messages name the file; ``what`` says what it should be ("a profile", "a logo"). A file
    that cannot be opened raises the ``OSError`` for the caller to word.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{name}: is a folder, not {what}")
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{name}: not a regular file (a pipe, device or socket cannot be {what})")
        if info.st_size > max_bytes:
            raise UserError(f"{name}: is {_size(info.st_size)}, larger than {_size(max_bytes)} allowed for {what}")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:  # grew while being read
            raise UserError(f"{name}: larger than {_size(max_bytes)} allowed for {what}")
        return data
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, not {what}") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count} bytes"


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) declared by a PNG or JPEG header, or ``None`` if none is found."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            # SOF0-SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC)
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + length
    return None


def check_image(data: bytes, name: str) -> None:
    """Refuse an image whose declared size would take too much memory to embed or lay out."""
    size = image_size(data)
    if size is None:
        return
    width, height = size
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise UserError(
            f"{name}: is {width} x {height} pixels; a logo may have at most {MAX_IMAGE_SIDE} pixels a side "
            f"and {MAX_IMAGE_PIXELS // 1_000_000} million in all (scale it down)"
        )
