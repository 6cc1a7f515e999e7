"""Decode the bytes of a text report without being told its encoding.

Order: byte-order mark → strict UTF-8 → strict GB18030 (a superset of GBK/GB2312, the
usual encoding of Chinese government text files) → charset-normalizer detection (Big5,
UTF-16 without BOM …).  GB18030 is tried before detection because detectors often
mistake short GBK text for another CJK encoding.  Big5 bytes are usually valid GB18030
too (as nonsense), so when both decode, charset-normalizer restricted to the two decides.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


class UndecodableText(ValueError):
    """Bytes that decode under no supported encoding."""


def _gb18030_or_big5(data: bytes, gb_text: str) -> tuple[str, str]:
    """Choose between GB18030 and Big5 when the bytes are valid in both.

    Almost any Big5 byte string is also valid GB18030 (as nonsense), so validity alone
    cannot tell them apart; charset-normalizer, restricted to these two, can.
    """
    try:
        big5_text = data.decode("big5")
    except UnicodeDecodeError:
        return gb_text, "gb18030"
    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    if best is not None and best.encoding == "big5":
        return big5_text, "big5"
    return gb_text, "gb18030"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of a text file.

    ``encoding`` is the codec name that was used (``utf-8``, ``utf-8-sig``, ``gb18030``,
    ``big5`` …).  Raises :class:`UndecodableText` when nothing fits.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None:
        return _gb18030_or_big5(data, gb_text)
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableText("not UTF-8, GB18030 or any encoding charset-normalizer recognizes")
    return str(best), best.encoding
