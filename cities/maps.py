"""The map of signatories: Poland's outline and the cities on it, as inline SVG data.

The outline is Natural Earth's (public domain, `cities/data/`), projected here
in Python with an equirectangular projection whose longitudes are scaled by the
cosine of Poland's middle latitude, so the country keeps its familiar shape with
no map library, tiles or script. The SVG itself is written by
`templates/includes/signatory_map.html` (the `signatory_map` tag in
`declarations/templatetags/maps.py`).

Each city with coordinates becomes a marker whose shape and colour tell its status
for one declaration: signed (circle), listed but did not sign (square), or not
listed (small diamond); the legend repeats shape and words, so colour is never the
only cue. Labels are placed greedily to the right, left, above or below the marker,
whichever first overlaps no label placed before.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OUTLINE_FILE = Path(__file__).resolve().parent / "data" / "poland-naturalearth-110m.geojson"

WIDTH = 600  # SVG user units; the height follows from the outline's proportions.
PADDING = 24
LABEL_FONT_SIZE = 14
LABEL_CHAR_WIDTH = 0.58 * LABEL_FONT_SIZE  # a fair average for the system sans-serif
LABEL_GAP = 8

SIGNED = "signed"
NOT_SIGNED = "not-signed"
NOT_LISTED = "not-listed"
STATUSES = (SIGNED, NOT_SIGNED, NOT_LISTED)


@lru_cache(maxsize=1)
def _outline_rings():
    """The outline's rings as lists of (longitude, latitude)."""
    data = json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    rings = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            rings.extend([[(lon, lat) for lon, lat in ring] for ring in polygon])
    return rings


@dataclass(frozen=True)
class Projection:
    """lon/lat -> SVG x/y for the outline's bounding box."""

    west: float
    north: float
    cos_lat: float
    scale: float
    width: int
    height: int

    @classmethod
    @lru_cache(maxsize=1)
    def for_outline(cls):
        points = [point for ring in _outline_rings() for point in ring]
        west = min(lon for lon, _lat in points)
        east = max(lon for lon, _lat in points)
        south = min(lat for _lon, lat in points)
        north = max(lat for _lon, lat in points)
        cos_lat = math.cos(math.radians((north + south) / 2))
        scale = (WIDTH - 2 * PADDING) / ((east - west) * cos_lat)
        height = round((north - south) * scale + 2 * PADDING)
        return cls(west, north, cos_lat, scale, WIDTH, height)

    def project(self, longitude, latitude):
        x = PADDING + (float(longitude) - self.west) * self.cos_lat * self.scale
        y = PADDING + (self.north - float(latitude)) * self.scale
        return round(x, 1), round(y, 1)


@lru_cache(maxsize=1)
def outline_path():
    """The SVG path data of Poland's outline."""
    projection = Projection.for_outline()
    parts = []
    for ring in _outline_rings():
        points = [projection.project(lon, lat) for lon, lat in ring]
        parts.append("M" + " L".join(f"{x:g} {y:g}" for x, y in points) + " Z")
    return " ".join(parts)


@dataclass
class Marker:
    city: object
    name: str
    name_language: str
    status: str
    x: float
    y: float
    label_x: float = 0
    label_y: float = 0
    label_anchor: str = "start"
    status_label: str = ""

    @property
    def marker_points(self):
        """Points of the square (not signed) or diamond (not listed) marker."""
        x, y = self.x, self.y
        if self.status == NOT_SIGNED:
            r = 6
            return (
                f"{x - r:g},{y - r:g} {x + r:g},{y - r:g} {x + r:g},{y + r:g} {x - r:g},{y + r:g}"
            )
        r = 5.5
        return f"{x:g},{y - r:g} {x + r:g},{y:g} {x:g},{y + r:g} {x - r:g},{y:g}"


def _label_box(marker, anchor, dx, dy):
    width = len(marker.name) * LABEL_CHAR_WIDTH
    x = marker.x + dx
    y = marker.y + dy
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (left, y - LABEL_FONT_SIZE * 0.8, left + width, y + LABEL_FONT_SIZE * 0.25), x, y


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(markers, width=WIDTH, height=None):
    """Give each marker a label position that overlaps no earlier label or marker."""
    height = height or Projection.for_outline().height
    taken = [(m.x - 7, m.y - 7, m.x + 7, m.y + 7) for m in markers]
    offset = LABEL_GAP + 2
    candidates = [
        ("start", offset, LABEL_FONT_SIZE * 0.35),
        ("end", -offset, LABEL_FONT_SIZE * 0.35),
        ("middle", 0, -offset),
        ("middle", 0, offset + LABEL_FONT_SIZE * 0.7),
    ]
    for marker in markers:
        options = []
        for anchor, dx, dy in candidates:
            box, x, y = _label_box(marker, anchor, dx, dy)
            inside = box[0] >= 2 and box[2] <= width - 2 and box[1] >= 2 and box[3] <= height - 2
            clashes = sum(1 for other in taken if _overlaps(box, other))
            options.append((not inside, clashes, box, anchor, x, y))
            if inside and not clashes:
                break
        _outside, _clashes, box, anchor, x, y = min(options, key=lambda o: (o[0], o[1]))
        marker.label_anchor, marker.label_x, marker.label_y = anchor, round(x, 1), round(y, 1)
        taken.append(box)
    return markers
