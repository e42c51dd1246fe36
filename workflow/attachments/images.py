"""A file that starts as a PNG or a JPEG: decoded in full by Pillow (in a limited child, see
``inspect``), with a pixel limit.

The limit is checked on the declared size before a pixel is decoded, and Pillow's own
decompression-bomb check is set to it and made an error, so a small file that would unpack to
gigabytes of pixels is refused without being unpacked.
"""

from __future__ import annotations

import io
import struct
import warnings

from django.utils.translation import gettext as _

from workflow.attachments.types import FileRefused

# 50 megapixels: a phone's or a scanner's largest pages; about 150 MB decoded.
MAX_PIXELS = 50_000_000
_FORMATS = {"png": "PNG", "jpeg": "JPEG"}


def _bomb(width: int, height: int) -> FileRefused:
    limit = MAX_PIXELS // 1_000_000
    if not (width and height):
        message = _(
            "The image has too many pixels: at most %(limit)d million are accepted (an image "
            "that unpacks to far more than its file size is refused)."
        ) % {"limit": limit}
    else:
        message = _(
            "The image is %(width)d × %(height)d pixels; at most %(limit)d million pixels are "
            "accepted (an image that unpacks to far more than its file size is refused)."
        ) % {"width": width, "height": height, "limit": limit}
    return FileRefused(message, code="image_bomb")


def check_image(content: bytes, kind: str) -> dict[str, int]:
    """``{"width", "height"}`` of an image safe to keep; :class:`FileRefused` otherwise."""
    from PIL import Image, UnidentifiedImageError

    # The child's own copy of Pillow: the web process's setting is untouched.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    width = height = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[_FORMATS[kind]]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _bomb(width, height)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(width, height) from None
    except FileRefused:
        raise
    # Pillow decodes a hostile file: any of its failures means the image is damaged.
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise FileRefused(
            _("The image is damaged: it could not be read. Save it again and upload the copy."),
            code="damaged",
        ) from None
    return {"width": width, "height": height}
