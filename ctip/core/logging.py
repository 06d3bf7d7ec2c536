import logging

from ctip.core import request_context


class RequestIdFilter(logging.Filter):
    """Add the current request id to every log record, so one request's lines can be found together."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", ""):
            return True  # another handler's filter got here first
        # django.request logs after the middleware has finished, so prefer the id carried on the request itself.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", "") or request_context.current().request_id
        return True
