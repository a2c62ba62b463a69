"""A request id on every response and every log line, and log records kept to one line.

`RequestIDMiddleware` (first in `MIDDLEWARE`) takes the `X-Request-ID` a trusted
proxy sent, when it looks like an id, or makes a new one; it stores it on the
request and in a context variable, and returns it in the `X-Request-ID` response
header, where gunicorn's access log picks it up (see gunicorn.conf.py).

`RequestIDFilter` puts the id on every log record as `request_id` ("-" outside a
request), and `OneLineFormatter` writes a record, traceback included, as a single
line, so that one error is one line in the log and can be found by its id.

Ours, not django-guid: that package keeps only UUIDs from the proxy (a tracer's id
such as `edge-4f1c2a9b-77` would be replaced), logs a line for every request, and
never clears its context variable, so lines logged between requests would carry the
last request's id.
"""

import contextvars
import datetime
import logging
import re
import uuid

HEADER = "X-Request-ID"
# What we accept from a proxy: enough for a UUID or a trace id, nothing that
# could break a log line or a header.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

current_request_id = contextvars.ContextVar("request_id", default="-")


class RequestIDMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if ACCEPTED_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIDFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a response's status after the middleware has finished,
            # with the request attached: its id is on it.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


class OneLineFormatter(logging.Formatter):
    """Line breaks in the message or the traceback are written as a literal `\\n`,
    and the time is ISO 8601 with its UTC offset: a worker's clock is Django's
    TIME_ZONE while gunicorn's master logs in the machine's zone, and the lines of
    both must read unambiguously side by side."""

    def formatTime(self, record, datefmt=None):
        moment = datetime.datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")

    def format(self, record):
        return super().format(record).replace("\r", "").replace("\n", "\\n")
