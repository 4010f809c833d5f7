"""CSV files as people make them in Excel and open them again: receiving, decoding, reading and writing.

- Receiving (:func:`read_upload`): the file as the request body (``text/csv``) or as the one file of a
  ``multipart/form-data`` form (a browser upload); anything else is 415.
- Decoding (:func:`decode`): a byte-order mark wins, then a charset the request declares, then UTF-8, then
  Windows-1252 (what Excel saves as "CSV" in Western European locales).
- Reading (:func:`read_records`): the delimiter is sniffed from the header line (Excel writes ``;`` where the decimal
  separator is a comma: Swedish, German, Finnish …); an over-long value is a 422 naming its row and column.
- Writing (:func:`write`): UTF-8 with a byte-order mark, which Excel needs to show "Åsa Öberg" rather than mojibake,
  and every cell a spreadsheet would run as a formula is neutralised (OWASP CSV injection). Every CSV the system
  writes goes through :func:`write`.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from operational.kit.errors import HubError, InvalidValue

MAX_BYTES = 2_000_000
# the csv module's own limit per value; checked here so it is a 422 with the row and column, not a 500
MAX_FIELD_CHARS = csv.field_size_limit()
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
CSV_MEDIA_TYPES = frozenset(
    {"text/csv", "text/plain", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel"}
)
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SAVE_AS_UTF8 = 'The file is not in a text encoding we can read; in Excel, save it as "CSV UTF-8" and send it again.'


class UnsupportedMediaType(HubError):
    status_code = 415
    code = "unsupported_media_type"


@dataclass(frozen=True)
class Upload:
    content: bytes
    charset: str | None  # as declared by the sender, if at all


# --- receiving ------------------------------------------------------------------------------------------------------
def _media_type_and_charset(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    media_type, *parameters = [part.strip() for part in content_type.split(";")]
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media_type.lower(), charset


def _too_large() -> HubError:
    return HubError(f"The file is larger than {MAX_BYTES // 1_000_000} MB; split it into smaller files.")


async def _body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


async def read_upload(request: Request) -> Upload:
    """The CSV file of an upload, whether sent as the body or as the one file of a form."""
    media_type, charset = _media_type_and_charset(request.headers.get("content-type"))
    if media_type in CSV_MEDIA_TYPES:
        return Upload(await _body(request, MAX_BYTES), charset)
    if media_type == "multipart/form-data":
        raw = await _body(request, MAX_BYTES + 64 * 1024)  # the form's own headers and boundaries

        async def stream():
            yield raw

        try:
            form = await MultiPartParser(request.headers, stream(), max_files=1, max_fields=20).parse()
        except MultiPartException as exc:
            raise HubError(f"The form could not be read ({exc.message}); attach one CSV file.") from exc
        files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        if not files:
            raise HubError("The form has no file; attach the CSV file.", field="file")
        content = await files[0].read()
        if len(content) > MAX_BYTES:
            raise _too_large()
        return Upload(content, _media_type_and_charset(files[0].content_type)[1])
    raise UnsupportedMediaType(
        "Send the file as text/csv (the file as the request body) or as a multipart/form-data upload."
    )


# --- decoding -------------------------------------------------------------------------------------------------------
def decode(content: bytes, declared_charset: str | None = None) -> str:
    """The text of ``content``: by its byte-order mark, else the declared charset, else UTF-8, else Windows-1252."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return _decode_as(content, encoding)
    if declared_charset:
        try:
            codecs.lookup(declared_charset)
        except LookupError as exc:
            raise HubError(f"Unknown charset '{declared_charset}'; send the file as UTF-8.") from exc
        return _decode_as(content, declared_charset)
    for encoding in ("utf-8", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise HubError(SAVE_AS_UTF8)


def _decode_as(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise HubError(f"The file is not valid {encoding.upper()}. {SAVE_AS_UTF8}") from exc


# --- reading --------------------------------------------------------------------------------------------------------
def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab, as the header line uses it (a one-column header: ``,``)."""
    header = text.split("\n", 1)[0].rstrip("\r")
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def restore(value: str) -> str:
    """A value as it was before :func:`write` neutralised it, so an exported file imports unchanged."""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS else value


@dataclass(frozen=True)
class Record:
    line: int  # the line the record starts on, the header being line 1
    values: list[str]


def read_records(text: str, delimiter: str) -> tuple[list[str], Iterator[Record]]:
    """The header and an iterator over the records after it. Raises 422 for a value over the csv module's limit, a
    NUL character or a record the csv module cannot read, naming the line (and the column when it can)."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidValue(f"Line {line} contains a NUL character; remove it.", field=None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise _unreadable(text, 1, delimiter, [], exc) from exc

    def records() -> Iterator[Record]:
        last_line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _unreadable(text, last_line + 1, delimiter, header, exc) from exc
            yield Record(last_line + 1, values)
            last_line = reader.line_num

    return header, records()


def _unreadable(text: str, line: int, delimiter: str, header: Sequence[str], exc: csv.Error) -> HubError:
    column = _column_over_limit(text, line, delimiter)
    if column is None:
        return InvalidValue(f"Line {line} cannot be read as CSV ({exc}).")
    name = header[column].strip() if column < len(header) else f"column {column + 1}"
    return InvalidValue(
        f"Line {line}, column '{name}': the value is longer than {MAX_FIELD_CHARS // 1024} KiB.", field=name
    )


def _column_over_limit(text: str, line: int, delimiter: str) -> int | None:
    """The column (0-based) of the record starting at ``line`` whose value is over the limit, if any."""
    offset = 0
    for number, physical in enumerate(io.StringIO(text, newline=""), start=1):
        if number == line:
            break
        offset += len(physical)
    column, length, quoted, index = 0, 0, False, offset
    while index < len(text):
        char = text[index]
        if quoted:
            if char == '"' and text[index + 1 : index + 2] == '"':
                length, index = length + 1, index + 1
            elif char == '"':
                quoted = False
            else:
                length += 1
        elif char == '"':
            quoted = True
        elif char == delimiter:
            column, length = column + 1, 0
        elif char in "\r\n":
            return None
        else:
            length += 1
        if length > MAX_FIELD_CHARS:
            return column
        index += 1
    return None


# --- writing --------------------------------------------------------------------------------------------------------
def neutralise(value: object) -> str:
    """The cell as text; one a spreadsheet would run as a formula gets a leading ``'`` (shown, never run)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def write(header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ",") -> bytes:
    """A CSV file Excel opens as it should: UTF-8 with a byte-order mark, CRLF line ends, no live formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")
