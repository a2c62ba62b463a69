"""Read an admin page's form the way a browser would submit it, for POST tests."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self._select = None
        self._select_multiple = False
        self._first_option = None
        self._textarea = None
        self._textarea_text = ""

    def _add(self, name, value, multiple=False):
        if multiple:
            self.fields.setdefault(name, []).append(value)
        else:
            self.fields[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"), multiple=kind == "checkbox")
                return
            self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
            self._select_multiple = "multiple" in attrs
            if self._select_multiple:
                self.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._add(self._select, value, self._select_multiple)
        elif tag == "textarea" and name:
            self._textarea = name
            self._textarea_text = ""

    def handle_data(self, data):
        if self._textarea:
            self._textarea_text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            # A single select with nothing selected submits its first option.
            if not self._select_multiple and self._select not in self.fields:
                self.fields[self._select] = self._first_option or ""
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that follows <textarea>.
            text = self._textarea_text
            self.fields[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None


def form_data(response, form_id=None):
    """The fields of the page's form (the first form with `form_id`) as a POST dict."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    return reader.fields
