"""Legacy office files (``.doc``, ``.wps``, ``.xls``) converted by LibreOffice headless.

Each conversion runs in its own temporary folder with its own LibreOffice profile
(``-env:UserInstallation``), so conversions in parallel worker processes never share a
profile lock, and under a timeout, so a file that hangs the converter is given up on.
When LibreOffice is missing or fails on a Word file, ``antiword``/``catdoc`` give the
plain text as a last resort (table cells then come out as lines of text).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from jixiao.readers.errors import UnreadableReport

CONVERT_TIMEOUT_S = 120


def soffice_binary() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(
    data: bytes, name: str, suffix: str, target: str, timeout: float = CONVERT_TIMEOUT_S
) -> bytes:
    """The bytes of ``data`` (a file named ``name`` of type ``suffix``) converted to ``target``
    (``docx`` or ``xlsx``).  Raises :class:`UnreadableReport` naming the file on failure."""
    binary = soffice_binary()
    if binary is None:
        raise UnreadableReport(
            f"{name}: reading {suffix} files needs LibreOffice (Debian package "
            "libreoffice-writer-nogui / libreoffice-calc-nogui; `make sysdeps` installs it)",
            name,
        )
    with tempfile.TemporaryDirectory(prefix="jixiao-office-") as tmp:
        folder = Path(tmp)
        source = folder / f"input{suffix}"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)  # soffice is a wrapper: end the whole process group
            process.communicate()
            raise UnreadableReport(
                f"{name}: LibreOffice did not convert the {suffix} file within {timeout:.0f} s", name
            ) from exc
        out = folder / "out" / f"input.{target}"
        if not out.is_file() or out.stat().st_size == 0:
            detail = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise UnreadableReport(f"{name}: LibreOffice could not convert the {suffix} file ({detail[0]})", name)
        return out.read_bytes()


def plain_text_fallback(data: bytes, name: str) -> str | None:
    """The text of a Word 97-2003 file by ``antiword`` (then ``catdoc``), or None."""
    for tool, args in (("antiword", ["-w", "0", "-m", "UTF-8.txt"]), ("catdoc", ["-d", "utf-8", "-w"])):
        binary = shutil.which(tool)
        if binary is None:
            continue
        with tempfile.NamedTemporaryFile(suffix=".doc") as fh:
            fh.write(data)
            fh.flush()
            try:
                done = subprocess.run([binary, *args, fh.name], capture_output=True, timeout=60, check=False)
            except subprocess.TimeoutExpired:
                continue
        text = done.stdout.decode("utf-8", "replace").strip()
        if done.returncode == 0 and text:
            return text
    return None
