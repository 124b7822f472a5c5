"""Uploads made in practice go to the workspace's own folder, never to the real media folder or bucket.

Every ``FileField`` without its own storage uses ``default_storage``, one lazy object for the whole
process. :func:`install_router` puts a router inside it that hands each call to the real storage, or —
while :mod:`simpul.practice.state` says a practice request runs in this thread — to a local folder of the
workspace. Installed on the first practice request (and again after anything, such as a settings
override in a test, rebuilt ``default_storage``), so outside practice nothing changes but one delegation.
"""

from __future__ import annotations

import threading

from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.functional import empty

from simpul.practice import state

_lock = threading.Lock()


class PracticeRouter(Storage):
    def __init__(self, real: Storage):
        self.real = real

    def target(self) -> Storage:
        workspace = state.current()
        if workspace is None:
            return self.real
        return FileSystemStorage(location=str(workspace.media), base_url="/latihan/berkas/")

    # Every public method of Storage, handed on (the base class would call the router's own helpers).
    def open(self, name, mode="rb"):
        return self.target().open(name, mode)

    def save(self, name, content, max_length=None):
        return self.target().save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.target().get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.target().get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.target().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.target().generate_filename(filename)

    def path(self, name):
        return self.target().path(name)

    def delete(self, name):
        return self.target().delete(name)

    def exists(self, name):
        return self.target().exists(name)

    def listdir(self, path):
        return self.target().listdir(path)

    def size(self, name):
        return self.target().size(name)

    def url(self, name):
        return self.target().url(name)

    def get_accessed_time(self, name):
        return self.target().get_accessed_time(name)

    def get_created_time(self, name):
        return self.target().get_created_time(name)

    def get_modified_time(self, name):
        return self.target().get_modified_time(name)

    def __getattr__(self, name):  # backend-specific extras (e.g. S3's bucket) of the real storage
        return getattr(self.real, name)


def install_router() -> None:
    with _lock:
        if default_storage._wrapped is empty:
            default_storage._setup()
        if not isinstance(default_storage._wrapped, PracticeRouter):
            default_storage._wrapped = PracticeRouter(default_storage._wrapped)
