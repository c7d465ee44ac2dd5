"""What a resource page shows of tabular data: the first rows (from the datastore when the
resource is loaded there, else from the file), and its points when it has 緯度 and 経度,
drawn as a static map (SVG, no JavaScript) over optional tiles."""

import csv
import io
import math
from dataclasses import dataclass, field

from django.conf import settings

from madoguchi.opendata import datastore
from madoguchi.opendata.models import Resource
from madoguchi.opendata.standards import UndecodableFile, decode

PREVIEW_ROWS = 50
TABULAR = {"CSV", "TSV"}
LATITUDE = ("緯度", "latitude", "lat")
LONGITUDE = ("経度", "longitude", "lon", "lng")
NAME = ("名称", "イベント名", "name")
MAP_WIDTH, MAP_HEIGHT, TILE = 640, 400, 256


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    total: int | None  # None: not counted (read from the file)
    source: str  # "datastore" | "file"


@dataclass
class Point:
    label: str
    latitude: float
    longitude: float
    x: float = 0.0
    y: float = 0.0


@dataclass
class Map:
    points: list[Point]
    tiles: list[dict] = field(default_factory=list)
    width: int = MAP_WIDTH
    height: int = MAP_HEIGHT
    attribution: str = ""


def is_tabular(resource: Resource) -> bool:
    return resource.datastore_active or (
        resource.format.upper() in TABULAR and bool(resource.upload)
    )


def table(resource: Resource) -> Table | None:
    if resource.datastore_active:
        columns = [f.name for f in resource.fields.all()]
        rows = [[_text(value) for value in row] for row in datastore.rows(resource, PREVIEW_ROWS)]
        return Table(columns, rows, resource.datastore_rows, "datastore")
    if resource.format.upper() not in TABULAR or not resource.upload:
        return None
    with resource.upload.open("rb") as stored:
        # Enough bytes for the preview rows of any sensible file; the last line may be cut.
        head = stored.read(512 * 1024)
    try:
        text, _encoding = decode(head)
    except UndecodableFile:
        return None
    delimiter = "\t" if resource.format.upper() == "TSV" else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = next(reader, [])
    rows = [row for _, row in zip(range(PREVIEW_ROWS), reader, strict=False)]
    return Table(columns, rows, None, "file")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _column(columns: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [c.strip().lower() for c in columns]
    return next((lowered.index(n) for n in names if n in lowered), None)


def points(data: Table) -> list[Point]:
    lat, lon = _column(data.columns, LATITUDE), _column(data.columns, LONGITUDE)
    if lat is None or lon is None:
        return []
    name = _column(data.columns, NAME)
    found = []
    for row in data.rows:
        try:
            latitude, longitude = float(row[lat]), float(row[lon])
        except (ValueError, IndexError):
            continue
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            label = row[name] if name is not None and name < len(row) else ""
            found.append(Point(label, latitude, longitude))
    return found


def _world(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at ``zoom`` (the projection of the tile servers)."""
    scale = TILE * 2**zoom
    x = (longitude + 180) / 360 * scale
    sin = math.sin(math.radians(latitude))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


def static_map(found: list[Point]) -> Map | None:
    if not found:
        return None
    zoom = 18
    while zoom > 2:
        xs, ys = zip(*(_world(p.latitude, p.longitude, zoom) for p in found), strict=True)
        if max(xs) - min(xs) <= MAP_WIDTH - 60 and max(ys) - min(ys) <= MAP_HEIGHT - 60:
            break
        zoom -= 1
    xs, ys = zip(*(_world(p.latitude, p.longitude, zoom) for p in found), strict=True)
    left = (max(xs) + min(xs)) / 2 - MAP_WIDTH / 2
    top = (max(ys) + min(ys)) / 2 - MAP_HEIGHT / 2
    for point, x, y in zip(found, xs, ys, strict=True):
        point.x, point.y = round(x - left, 1), round(y - top, 1)
    result = Map(found)
    template = settings.MADOGUCHI_OPENDATA_MAP_TILES
    if template:
        result.attribution = settings.MADOGUCHI_OPENDATA_MAP_ATTRIBUTION
        for tx in range(int(left // TILE), int((left + MAP_WIDTH) // TILE) + 1):
            for ty in range(int(top // TILE), int((top + MAP_HEIGHT) // TILE) + 1):
                url = template.format(z=zoom, x=tx % 2**zoom, y=ty)
                result.tiles.append({"url": url, "x": tx * TILE - left, "y": ty * TILE - top})
    return result


def tile_origin() -> str:
    """The scheme and host of the tile server, for the page's Content-Security-Policy."""
    template = settings.MADOGUCHI_OPENDATA_MAP_TILES
    if not template:
        return ""
    scheme, _, rest = template.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"
