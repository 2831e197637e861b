"""Uploads refused as soon as they pass the size limit, before anything is stored.

Django's own handlers keep the whole file (in memory or a temporary file) and the service checks
its size afterwards. This handler runs first and cuts the upload off at the chunk that crosses the
limit: nothing beyond it is kept, and the request is marked so the form can say why the file is
missing. It does not refuse on the declared length alone: the fields before the file (the CSRF
token, the form's version) must still be read, or the person would get a CSRF failure instead
of a message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

REFUSED = "putright_upload_too_large"


def upload_too_large(request: Any) -> bool:
    """Whether this request's upload was cut off for passing the limit."""
    return bool(getattr(request, REFUSED, False))


class LimitedUploadHandler(FileUploadHandler):
    def _refuse(self) -> None:
        setattr(self.request, REFUSED, True)
        # The rest of the body is read and dropped (connection kept), so the person gets the
        # form back with a message rather than a reset connection.
        raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.PUTRIGHT_DOCUMENT_MAX_BYTES:
            self._refuse()
        return raw_data  # the next handler keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
