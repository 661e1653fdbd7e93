vcl 4.1;

# The edge cache of the compose stack (docker-compose.yml, service `edge`): the app's
# own VCL (deploy/varnish/default.vcl, mounted beside this file as newsroom.vcl) with
# the stack's backends: /media/ from the `media` nginx, everything else from `web`.
# Backends are chosen here, before the app VCL's vcl_recv runs; its own loopback
# backend stays unused. Host names are resolved when varnishd starts (after `web`).

import xkey;

backend web {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

backend media {
    .host = "media";
    .port = "8080";
    .connect_timeout = 2s;
}

# The stack's own network (compose's default address pools): web and worker purge from here.
acl compose_network {
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    # One id per request, from here to the app's logs (newsroom/middleware.py keeps it).
    if (req.http.X-Request-ID !~ "^[A-Za-z0-9._:-]{1,100}$") {
        set req.http.X-Request-ID = "edge-" + req.xid;
    }
    if (req.url ~ "^/media/") {
        set req.backend_hint = media;
    } else {
        set req.backend_hint = web;
    }
    # The app VCL lets loopback purge; in the stack the app is another container.
    if (req.method == "PURGE" && client.ip ~ compose_network) {
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in an xkey-purge header"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged + " objects"));
    }
}

sub vcl_deliver {
    # A cached page carries the id of the request that filled the cache: say this one's.
    set resp.http.X-Request-ID = req.http.X-Request-ID;
}

include "newsroom.vcl";
