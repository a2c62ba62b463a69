"""Uploaded images: verified by Pillow, re-encoded, stripped and resized.

Only what Pillow reads as PNG, JPEG or WebP is accepted, whatever the file is
called; SVG (which can carry script) and every other format is refused. The bytes
that reach the storage are never the uploaded bytes: the pixels are decoded and
encoded again, so metadata (EXIF with its GPS position, text chunks, ICC
profiles) and anything appended to the file (HTML after a PNG's IEND chunk, a
ZIP after a JPEG) are dropped rather than refused. The picture is then shrunk to
the largest size the templates show and stored as WebP, a modern format every
current browser shows (issue 6, page weight): losslessly for a PNG (the flat
colours and sharp edges of a coat of arms, transparency kept), at quality 88 for
a JPEG or WebP photo; a 320 px coat of arms is then a few kilobytes.

Limits, both overridable in settings:
- `PORTAL_MAX_IMAGE_BYTES` (default 5 MB) for the upload;
- `PORTAL_MAX_IMAGE_PIXELS` (default 40 megapixels), checked from the header
  before any decoding. Pillow only *warns* (`DecompressionBombWarning`) between
  its own `Image.MAX_IMAGE_PIXELS` and twice that; here the warning is an error
  too, so no image above either limit is ever decoded.

The same checks live on the model field (`CheckedImageField`), so every path that
stores an image (the admin, a management command, an import, `FieldFile.save()`)
refuses what the admin refuses. The field also keeps the stored picture's width and
height in two columns of the model, read from the picture just checked: a page
shows an image with its size without ever opening the file, and a file that is
missing or damaged in the storage cannot break a page (`displayable()`).

Ours, on Pillow: thumbnail packages (django-imagekit, easy-thumbnails) make copies of
files already stored, where this checks and re-encodes the upload before it is stored.
"""

import io
import logging
import mimetypes
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .filenames import safe_name

logger = logging.getLogger(__name__)

DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000

# What the templates show: a coat of arms fits within 320 x 320 pixels.
COAT_OF_ARMS_SIZE = (320, 320)


@dataclass(frozen=True)
class StoredFormat:
    pillow_name: str
    extension: str
    save_options: tuple


_WEBP_LOSSLESS = StoredFormat("WEBP", "webp", (("lossless", True), ("method", 6)))
_WEBP = StoredFormat("WEBP", "webp", (("quality", 88), ("method", 6)))
# The format Pillow reads -> the format stored. MPO is the JPEG variant of many phones.
FORMATS = {"PNG": _WEBP_LOSSLESS, "JPEG": _WEBP, "MPO": _WEBP, "WEBP": _WEBP}
PILLOW_PLUGINS = ["PNG", "JPEG", "WEBP"]

MESSAGES = {
    "not_an_image": _(
        "Upload a PNG, JPEG or WebP image. The content of this file is not one of these, "
        "whatever its name says (SVG images are not accepted)."
    ),
    "damaged": _(
        "This image is damaged or incomplete. Save it again as PNG, JPEG or WebP and "
        "upload it again."
    ),
    "too_many_bytes": _("The image is too large (%(size)s). The limit is %(limit)s."),
    "too_many_pixels": _(
        "The image has too many pixels (%(width)s by %(height)s). "
        "The limit is %(limit)s million pixels."
    ),
    "bomb": _("The image has too many pixels. The limit is %(limit)s million pixels."),
}


def max_image_bytes():
    return getattr(settings, "PORTAL_MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES)


def max_image_pixels():
    return getattr(settings, "PORTAL_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def _error(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params)


def _open(file):
    """Open `file` with Pillow's PNG, JPEG and WebP readers only, bombs as errors."""
    file.seek(0)
    return Image.open(file, formats=PILLOW_PLUGINS)


def clean_image(file, fit):
    """Verify `file` and return it re-encoded, without metadata, within `fit`.

    Returns a `ContentFile` named after the upload with the right extension.
    Raises `ValidationError` with a translated message for anything else.
    """
    limit_megapixels = max_image_pixels() / 1_000_000
    if file.size is not None and file.size > max_image_bytes():
        raise _error(
            "too_many_bytes",
            size=filesizeformat(file.size),
            limit=filesizeformat(max_image_bytes()),
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(file) as image:
                image_format = image.format
                if image_format not in FORMATS:
                    raise _error("not_an_image")
                width, height = image.size
                if width * height > max_image_pixels():
                    raise _error(
                        "too_many_pixels", width=width, height=height, limit=limit_megapixels
                    )
                image.verify()
            # verify() leaves the image unusable: open it again to decode it.
            with _open(file) as image:
                image.load()
                picture = _normalise(image, image_format, fit)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _error("bomb", limit=limit_megapixels) from exc
        except UnidentifiedImageError as exc:
            raise _error("not_an_image") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _error("damaged") from exc
    return _encode(picture, FORMATS[image_format], getattr(file, "name", "") or "image")


def _normalise(image, image_format, fit):
    # Apply the EXIF orientation before the EXIF goes, so photos stay upright.
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha and image_format in {"PNG", "WEBP"} else "RGB"
    picture = image.convert(mode)
    picture.thumbnail(fit, Image.Resampling.LANCZOS)
    # A fresh image carries pixels only: no EXIF, ICC profile or text chunks.
    clean = Image.new(mode, picture.size)
    clean.paste(picture)
    return clean


class CleanImage(ContentFile):
    """A picture `clean_image` has checked and encoded, with its size."""

    def __init__(self, content, name, size):
        super().__init__(content, name=name)
        self.width, self.height = size


def _encode(picture, stored, original_name):
    buffer = io.BytesIO()
    picture.save(buffer, format=stored.pillow_name, **dict(stored.save_options))
    name = safe_name(original_name, stored.extension, "image")
    return CleanImage(buffer.getvalue(), name, picture.size)


def _help_text():
    return _("PNG, JPEG or WebP, at most %(limit)s.") % {"limit": filesizeformat(max_image_bytes())}


class ImageUploadField(forms.FileField):
    """A form field for a model `ImageField` that stores only clean images.

    A new upload is replaced in `cleaned_data` by its verified, re-encoded copy;
    an unchanged or cleared field passes through.
    """

    widget = forms.ClearableFileInput

    def __init__(self, *, fit, **kwargs):
        self.fit = fit
        kwargs.setdefault("help_text", lazy(_help_text, str)())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/png,image/jpeg,image/webp")

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return clean_image(value, self.fit)
        return value


class CheckedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        """`FieldFile.save()` stores its content at once: check it first."""
        content = self.field.checked(content, name)
        super().save(content.name, content, save=False)
        self.field.set_dimensions(self.instance, content)
        if save:
            self.instance.save()


class CheckedImageField(models.ImageField):
    """A model `ImageField` that stores only what `clean_image` accepts, re-encoded
    and fitted within `fit`, and keeps its size in `width_field` / `height_field`.

    Django's ImageField reads the size from the file, opening a stored file when the
    columns are empty; this one takes it only from the picture it has just checked,
    so loading or showing an object never opens a file.
    """

    attr_class = CheckedImageFieldFile

    def __init__(self, *args, fit=COAT_OF_ARMS_SIZE, **kwargs):
        self.fit = tuple(fit)
        super().__init__(*args, **kwargs)
        self.validators.append(self._validate_new_file)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["fit"] = self.fit
        return name, path, args, kwargs

    def checked(self, content, name=None):
        """`content` as stored: a `CleanImage` as it is, anything else checked and
        re-encoded (raises `ValidationError` with the admin's message)."""
        if isinstance(content, CleanImage):
            return content
        if name and not getattr(content, "name", None):
            content.name = name
        return clean_image(content, self.fit)

    def _validate_new_file(self, value):
        new = getattr(value, "_file", None) if not getattr(value, "_committed", True) else None
        if new is not None:
            self.checked(new)

    def set_dimensions(self, instance, picture):
        width, height = (picture.width, picture.height) if picture is not None else (None, None)
        if self.width_field:
            setattr(instance, self.width_field, width)
        if self.height_field:
            setattr(instance, self.height_field, height)

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        """Called by Django on loading an object and on assigning a file: the size
        of a new, checked picture; none for a cleared field; never from storage."""
        if not force or self.attname not in instance.__dict__:
            return
        file = getattr(instance, self.attname)
        if not file:
            self.set_dimensions(instance, None)
        elif isinstance(getattr(file, "_file", None), CleanImage) and not file._committed:
            self.set_dimensions(instance, file._file)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            picture = self.checked(file.file, file.name)
            file.file = picture
            file.name = picture.name
            self.set_dimensions(model_instance, picture)
        return super().pre_save(model_instance, add)


# Names of stored files already reported as not displayable, so each is logged once
# per process rather than on every page that would show it.
_reported = set()


def displayable(file, width, height):
    """Whether a page may show the stored image `file` with the recorded size: a
    file without a size (stored before sizes were kept and unreadable then, or
    damaged) is left out of the page, and logged once."""
    if not file:
        return False
    if width and height:
        return True
    if file.name not in _reported:
        _reported.add(file.name)
        logger.error("Stored image %s has no known size; pages show it no more.", file.name)
    return False


def stored_image_size(file):
    """The size of the stored image `file` read from its header, or None (logged)
    when the file is missing or not a picture this module accepts: for filling the
    size of images stored before it was kept (a data migration)."""
    try:
        with file.storage.open(file.name, "rb") as handle, _open(handle) as image:
            if image.format in FORMATS:
                return image.size
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        pass
    logger.error("Stored image %s cannot be read; pages will not show it.", file.name)
    return None


@dataclass(frozen=True)
class ShareImage:
    """The picture a page offers to social sites (Open Graph `og:image`): its
    address (absolute, or made absolute by the page), size, type and text alternative."""

    url: str
    width: int
    height: int
    content_type: str
    alt: str


def share_image_of(field, width, height, alt):
    """A stored image of the recorded size as a `ShareImage`, or None when a page
    may not show it (`displayable`): the file itself is never opened."""
    if not displayable(field, width, height):
        return None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    return ShareImage(field.url, width, height, content_type, alt)
