"""The storage of files that must not be public: meetings' documents and declarations' PDFs.

`documents_storage` is the `storage` of such file fields: `STORAGES["documents"]`,
which is the local disk like every other upload on one machine, and private objects
in S3-compatible storage, reached through short-lived signed addresses, on many
(settings.py, "Storage"). A callable, so that a migration records this function's
name rather than the storage one machine's settings chose.
"""

from django.core.files.storage import storages


def documents_storage():
    return storages["documents"]
