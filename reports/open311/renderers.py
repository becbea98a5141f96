"""Open311 GeoReport v2 output: XML (mandatory in the spec) and JSON, chosen by the URL's
format suffix only (`requests.xml`, `requests.json`), never by the Accept header.

XML is built with xml.etree, so text is escaped by the library; characters that XML 1.0
cannot carry at all (most C0 control characters) are dropped. The element names follow the
spec: `<service_requests><request>…`, `<services><service>…`, `<errors><error>…`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.http import Http404
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

# Characters not allowed in XML 1.0 documents.
_XML_INVALID = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# The element name of one item in a list, by the list's element name.
LIST_ITEMS = {
    "service_requests": "request",
    "services": "service",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _XML_INVALID.sub("", str(value))


def build_element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if value is None:
        return element
    if isinstance(value, Mapping):
        for key, child in value.items():
            element.append(build_element(str(key), child))
    elif isinstance(value, list | tuple):
        item_tag = LIST_ITEMS.get(tag, "item")
        for child in value:
            element.append(build_element(item_tag, child))
    else:
        element.text = _text(value)
    return element


class Open311XMLRenderer(BaseRenderer):
    """Renders a list (root element from the view's `xml_root`, e.g. services) or a mapping
    (root `xml_root`, e.g. service_definition, discovery). Error responses render as
    `<errors><error><code/><description/></error></errors>`."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        view = context.get("view")
        if response is not None and response.status_code >= 400:
            root = "errors"
        else:
            root = getattr(view, "xml_root", "response")
        element = build_element(root, data)
        return ET.tostring(element, encoding="utf-8", xml_declaration=True)


class Open311JSONRenderer(JSONRenderer):
    media_type = "application/json"
    format = "json"
    charset = "utf-8"


class Open311ContentNegotiation(BaseContentNegotiation):
    """The format suffix decides; the Accept header is ignored (clients ask for
    `requests.xml` and must get XML whatever their HTTP library sends)."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        wanted = format_suffix or "xml"
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        raise Http404
