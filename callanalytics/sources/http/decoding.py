"""``Content-Encoding`` gzip and deflate, decoded by the package rather than by urllib3."""

from __future__ import annotations

import zlib

__all__ = ["ACCEPT_ENCODING", "ContentDecoder", "UnsupportedEncoding"]

#: We decode bodies ourselves (see ``ContentDecoder``), so we ask only for what we decode.
ACCEPT_ENCODING = "gzip, deflate"


class UnsupportedEncoding(Exception):
    """A ``Content-Encoding`` the client did not ask for; the message is the header."""


class ContentDecoder:
    """``Content-Encoding`` gzip or deflate, decoded here rather than inside urllib3: the
    transfer rate is measured on the bytes that arrive, a decoder never sits on the socket
    waiting for output, and a compressed stream that stops before its end marker is an error
    (urllib3 returns the part it decoded as if it were the whole body).

    Example:
        >>> import gzip
        >>> decoder = ContentDecoder("gzip")
        >>> decoder.feed(gzip.compress(b"a,b") + gzip.compress(b"c")) + decoder.finish()
        b'a,bc'
    """

    def __init__(self, encoding: str) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise UnsupportedEncoding(encoding)
        self.coding = codings[0] if codings else None
        # gzip: a gzip (or zlib) header, detected; deflate: a zlib header, or none at all
        self._zlib = zlib.decompressobj(47 if self.coding != "deflate" else 15)
        self._seen = b""  # the first bytes of a deflate body, to retry them as raw deflate
        self._members = 1
        self._member_out = 0  # bytes the current gzip member has produced
        self._ignore_rest = False

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of the next piece of the body (``zlib.error`` if corrupt)."""
        if self.coding is None:
            return data
        out = b""
        while data and not self._ignore_rest:
            if self._zlib.eof:
                if self.coding == "deflate":
                    break  # bytes after the end of a deflate stream carry nothing
                self._zlib, self._members, self._member_out = zlib.decompressobj(31), 2, 0
            try:
                part = self._decompress(data)
            except zlib.error:
                if self._members > 1 and not self._member_out:
                    self._ignore_rest = True  # not another member: trailing bytes, as gzip does
                    break
                raise
            out += part
            self._member_out += len(part)
            data = self._zlib.unused_data if self._zlib.eof else b""
        return out

    def _decompress(self, data: bytes) -> bytes:
        if self.coding != "deflate" or self._seen is None:
            return self._zlib.decompress(data)
        self._seen += data
        try:
            part = self._zlib.decompress(data)
        except zlib.error:
            if len(self._seen) > len(data) + 64:
                raise
            self._zlib, seen, self._seen = zlib.decompressobj(-15), self._seen, None
            return self._zlib.decompress(seen)
        if len(self._seen) > 64:
            self._seen = None
        return part

    def finish(self) -> bytes:
        """The rest of the body once the stream ended (``zlib.error`` if it was cut)."""
        if self.coding is None or self._ignore_rest:
            return b""
        out = self._zlib.flush()
        if not self._zlib.eof and not (self._members > 1 and not self._member_out):
            raise zlib.error("the compressed body stops before its end marker")
        return out
