"""Embeds in article bodies: which providers we show, and how a pasted URL becomes one.

The stored body carries only a marker, ``<figure data-embed="URL"></figure>`` (and
``<figure data-image="ID"></figure>`` for a picture from the image library); the page,
the feeds and the API draw everything else when they show the body
(``articles.site.body``). The marker's URL is the provider's *canonical* URL, which
``parse`` gives back unchanged, so a body stored once reads the same everywhere.

Nothing here calls a provider: video, charts and maps are sandboxed iframes whose
address is built from the URL; posts (Bluesky, Mastodon) are link cards with what the
URL itself says (the provider and the author's handle). ``FRAME_ORIGINS`` is the
Content-Security-Policy's ``frame-src``: exactly the hosts the iframes load from.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

IFRAME = "iframe"
CARD = "card"

YOUTUBE = "https://www.youtube-nocookie.com"
VIMEO = "https://player.vimeo.com"
DATAWRAPPER = "https://datawrapper.dwcdn.net"
OPENSTREETMAP = "https://www.openstreetmap.org"
FRAME_ORIGINS = (YOUTUBE, VIMEO, DATAWRAPPER, OPENSTREETMAP)

# What an embedded page may do: run its player, reach its own cookies-free origin, open a
# link in a new tab. Never top navigation, forms or downloads.
SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
PROVIDERS = "YouTube, Vimeo, Datawrapper, OpenStreetMap, Bluesky, Mastodon"
MAX_URL_LENGTH = 500

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_HOST = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_BSKY_HANDLE = re.compile(r"did:plc:[a-z2-7]{24}|" + _HOST.pattern)
_BSKY_POST = re.compile(r"[a-z2-7]{13}")
_MASTODON_USER = re.compile(r"[A-Za-z0-9_]{1,30}")
_COORD = re.compile(r"-?\d{1,3}(?:\.\d{1,8})?")
# The markers in a stored (sanitised) body: nh3 writes attributes double-quoted.
_MARKER = re.compile(r'<figure data-(image|embed)="([^"]*)">')


class UnknownEmbed(ValueError):
    """A URL no provider on the allow-list recognises (the message says so to editors)."""


@dataclass(frozen=True)
class Embed:
    provider: str
    kind: str  # IFRAME or CARD
    url: str  # the canonical URL: what the body stores
    link: str  # where the provider shows it, for readers and feeds
    src: str = ""  # the iframe's address
    author: str = ""  # a post's author handle
    title: str = ""
    ratio: str = "16 / 9"

    @property
    def is_iframe(self) -> bool:
        return self.kind == IFRAME


def parse(url: str) -> Embed | None:
    """The embed ``url`` (as pasted by an editor, or canonical) stands for, or None."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH or any(char.isspace() or char in "\"'<>" for char in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username or parts.password or parts.port:
        return None
    host = parts.hostname or ""
    for reader in (_youtube, _vimeo, _datawrapper, _openstreetmap, _bluesky, _mastodon):
        if embed := reader(host, parts.path, parse_qs(parts.query)):
            return embed
    return None


def check(url: str) -> Embed:
    """``parse``, or ``UnknownEmbed`` with the message editors and API clients see."""
    if (embed := parse(url)) is None:
        raise UnknownEmbed(
            f"This provider is not on the allow-list: {url[:100]}. "
            f"Embeds may come from {PROVIDERS}."
        )
    return embed


def markers(html: str) -> tuple[list[int], list[str]]:
    """The image ids and embed URLs a stored body's markers name, in body order."""
    images, embeds = [], []
    for kind, value in _MARKER.findall(html or ""):
        if kind == "image" and value.isdigit() and len(value) < 19:
            images.append(int(value))
        elif kind == "embed":
            embeds.append(value.replace("&amp;", "&"))
    return images, embeds


def _bare(host: str) -> str:
    return host.removeprefix("www.").removeprefix("m.")


def _youtube(host: str, path: str, query: dict) -> Embed | None:
    host = _bare(host)
    if host in ("youtube.com", "youtube-nocookie.com"):
        segments = path.strip("/").split("/")
        if path == "/watch":
            video = query.get("v", [""])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
            video = segments[1]
        else:
            return None
    elif host == "youtu.be":
        video = path.strip("/")
    else:
        return None
    if not _YOUTUBE_ID.fullmatch(video):
        return None
    return Embed(
        "YouTube",
        IFRAME,
        url=f"{YOUTUBE}/embed/{video}",
        link=f"https://www.youtube.com/watch?v={video}",
        src=f"{YOUTUBE}/embed/{video}",
        title="YouTube video",
    )


def _vimeo(host: str, path: str, query: dict) -> Embed | None:
    host = _bare(host)
    if host == "vimeo.com":
        match = re.fullmatch(r"/(\d{1,12})/?", path)
    elif host == "player.vimeo.com":
        match = re.fullmatch(r"/video/(\d{1,12})/?", path)
    else:
        return None
    if not match:
        return None
    video = match[1]
    return Embed(
        "Vimeo",
        IFRAME,
        url=f"{VIMEO}/video/{video}",
        link=f"https://vimeo.com/{video}",
        src=f"{VIMEO}/video/{video}?dnt=1",
        title="Vimeo video",
    )


def _datawrapper(host: str, path: str, query: dict) -> Embed | None:
    host = _bare(host)
    if host == "datawrapper.dwcdn.net":
        match = re.fullmatch(r"/([A-Za-z0-9]{5})/(?:(\d{1,4})/)?", path)
    elif host == "datawrapper.de":
        match = re.fullmatch(r"/_/([A-Za-z0-9]{5})/()", path)
    else:
        return None
    if not match:
        return None
    chart, version = match[1], match[2]
    url = f"{DATAWRAPPER}/{chart}/" + (f"{version}/" if version else "")
    return Embed("Datawrapper", IFRAME, url=url, link=url, src=url, title="Datawrapper chart")


def _openstreetmap(host: str, path: str, query: dict) -> Embed | None:
    if _bare(host) != "openstreetmap.org" or path != "/export/embed.html":
        return None
    bbox = query.get("bbox", [""])[0].split(",")
    if len(bbox) != 4 or not all(_COORD.fullmatch(value) for value in bbox):
        return None
    west, south, east, north = (float(value) for value in bbox)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    params = {"bbox": ",".join(bbox), "layer": "mapnik"}
    marker = query.get("marker", [""])[0].split(",")
    if len(marker) == 2 and all(_COORD.fullmatch(value) for value in marker):
        params["marker"] = ",".join(marker)
    url = f"{OPENSTREETMAP}/export/embed.html?{urlencode(params, safe=',')}"
    link = f"{OPENSTREETMAP}/?bbox={params['bbox']}"
    return Embed("OpenStreetMap", IFRAME, url=url, link=link, src=url, title="Map")


def _bluesky(host: str, path: str, query: dict) -> Embed | None:
    match = re.fullmatch(r"/profile/([^/]+)/post/([^/]+)", path)
    if _bare(host) != "bsky.app" or not match:
        return None
    handle, post = match[1].lower(), match[2]
    if not (_BSKY_HANDLE.fullmatch(handle) and _BSKY_POST.fullmatch(post)):
        return None
    url = f"https://bsky.app/profile/{handle}/post/{post}"
    author = handle if handle.startswith("did:") else f"@{handle}"
    return Embed("Bluesky", CARD, url=url, link=url, author=author, title="Post on Bluesky")


def _mastodon(host: str, path: str, query: dict) -> Embed | None:
    match = re.fullmatch(r"/@([^/]+)/(\d{1,20})", path)
    if not (match and _HOST.fullmatch(host) and _MASTODON_USER.fullmatch(match[1])):
        return None
    url = f"https://{host}/@{match[1]}/{match[2]}"
    return Embed(
        "Mastodon", CARD, url=url, link=url, author=f"@{match[1]}@{host}", title="Post on Mastodon"
    )
