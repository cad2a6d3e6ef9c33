"""Schemathesis hooks for `cargo xtask test` (loaded through SCHEMATHESIS_HOOKS).

Stalwart's spam-filter training takes a raw `message/rfc822` body, which schemathesis has no
serializer for; a string (or binary) value is sent as its bytes, as `application/octet-stream` is.
"""

import schemathesis


@schemathesis.serializer("message/rfc822")
def rfc822(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    return str(value).encode()
