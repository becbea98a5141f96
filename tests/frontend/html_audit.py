"""Static checks on rendered HTML: what the Content Security Policy would block."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Script types a browser does not execute (data blocks such as json_script output).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


@dataclass
class CspFindings:
    inline_scripts: list[str] = field(default_factory=list)
    external_scripts: list[str] = field(default_factory=list)
    style_elements: int = 0
    style_attributes: list[str] = field(default_factory=list)
    event_handlers: list[str] = field(default_factory=list)
    javascript_urls: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [
            *(f"inline script without nonce: {s[:80]!r}" for s in self.inline_scripts),
            *(["<style> element"] * self.style_elements),
            *(f"style attribute on {tag}" for tag in self.style_attributes),
            *(f"inline event handler {attr}" for attr in self.event_handlers),
            *(f"javascript: URL on {tag}" for tag in self.javascript_urls),
        ]


class _CspAuditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings = CspFindings()
        self._in_script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.findings.style_attributes.append(tag)
        for name, value in attributes.items():
            if name.startswith("on"):
                self.findings.event_handlers.append(f"{tag}[{name}]")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.findings.javascript_urls.append(tag)
        if tag == "style":
            self.findings.style_elements += 1
        if tag == "script":
            self._in_script = attributes
            self._script_text = []

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._in_script is None:
            return
        attributes = self._in_script
        self._in_script = None
        if attributes.get("src"):
            self.findings.external_scripts.append(attributes["src"] or "")
            return
        if (attributes.get("type") or "").lower() in DATA_SCRIPT_TYPES:
            return
        if attributes.get("nonce"):
            return
        self.findings.inline_scripts.append("".join(self._script_text).strip())


def csp_audit(html: str) -> CspFindings:
    auditor = _CspAuditor()
    auditor.feed(html)
    auditor.close()
    return auditor.findings
