"""Read the portal's HTML in tests with a real parser (lxml), never with regexes.

`parse` turns a response (or its text) into an lxml document; the helpers below
answer the questions the tests keep asking about a page. Each helper takes that
document, one of its elements, or anything `parse` takes. For anything else, the
document is plain lxml: `page.xpath("//footer//a/@href")`, `element.get("href")`,
`element.tag`, `page.iter("tr")`.

    page = parse(client.get(url))
    assert h1_texts(page) == ["Declaration of Mayors"]
    assert meta(page)["description"]
    assert meta(page, "property")["og:type"] == "website"
    assert "draft-banner" in classes(page)
    data = form_data(client.get(change_url), "city_form")
"""

import json

import lxml.html


def parse(source):
    """The lxml document (its <html> element) of a response, bytes or text."""
    if isinstance(source, lxml.html.HtmlElement):
        return source
    content = getattr(source, "content", source)
    if isinstance(content, bytes):
        content = content.decode()
    return lxml.html.document_fromstring(content)


def text(source):
    """The element's text, tags left out and whitespace collapsed to single spaces,
    as a reader sees it."""
    return " ".join(parse(source).text_content().split())


def ids(source):
    """Every `id` in document order, repeated ones as often as they occur."""
    return parse(source).xpath("descendant-or-self::*/@id")


def h1_texts(source):
    """The text of each <h1>, in order (a page should have exactly one)."""
    return [text(h1) for h1 in parse(source).iter("h1")]


def meta(source, key="name"):
    """The `content` of each <meta name>, by name; `key="property"` for Open Graph."""
    return {
        element.get(key): element.get("content")
        for element in parse(source).xpath(f"descendant-or-self::meta[@{key}]")
    }


def alternates(source):
    """hreflang -> href of each <link rel="alternate" hreflang>."""
    return {
        link.get("hreflang"): link.get("href")
        for link in parse(source).xpath("descendant-or-self::link[@rel = 'alternate'][@hreflang]")
    }


def with_class(source, name, tag="*"):
    """The `tag` elements (any by default) with `name` among their classes."""
    return parse(source).xpath(
        f"descendant-or-self::{tag}"
        "[contains(concat(' ', normalize-space(@class), ' '), concat(' ', $name, ' '))]",
        name=name,
    )


def classes(source):
    """Every class used in the element and its descendants."""
    return {
        name
        for value in parse(source).xpath("descendant-or-self::*/@class")
        for name in value.split()
    }


def json_ld(source):
    """The decoded JSON of each <script type="application/ld+json">, in order."""
    return [
        json.loads(script.text)
        for script in parse(source).xpath(
            "descendant-or-self::script[@type = 'application/ld+json']"
        )
    ]


def form_data(source, form_id):
    """The fields of the form with `form_id` as a browser would submit them, as a
    dict for the test client's POST: checked boxes only (a list per checkbox name),
    a single select with nothing selected sends its first option, buttons and
    files are left out."""
    [form] = parse(source).xpath("descendant-or-self::form[@id = $id]", id=form_id)
    fields = {}
    for element in form.iter("input", "select", "textarea"):
        name = element.get("name")
        if not name:
            continue
        if element.tag == "input":
            kind = element.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                continue
            if kind == "checkbox":
                if "checked" in element.attrib:
                    fields.setdefault(name, []).append(element.get("value", "on"))
            elif kind == "radio":
                if "checked" in element.attrib:
                    fields[name] = element.get("value", "on")
            else:
                fields[name] = element.get("value", "")
        elif element.tag == "select":
            options = [
                (option.get("value", ""), "selected" in option.attrib)
                for option in element.iter("option")
            ]
            selected = [value for value, is_selected in options if is_selected]
            if "multiple" in element.attrib:
                fields[name] = selected
            elif selected:
                fields[name] = selected[-1]
            else:
                fields[name] = options[0][0] if options else ""
        else:
            # Browsers drop the newline that follows <textarea>.
            fields[name] = (element.text or "").removeprefix("\n")
    return fields
