vcl 4.1;

# Newsroom's edge cache: Varnish in front of gunicorn, keeping anonymous public pages,
# feeds and anonymous API reads, and dropping them by surrogate key (vmod xkey, from
# Debian's varnish-modules) the moment the app purges them.
#
# What the app sends: every cacheable response carries `xkey: article-12 section-3 …`
# and `Cache-Control: public, max-age=0, s-maxage=N`; a response without `xkey` is never
# kept. A publish, correction or unpublish sends
#   PURGE / HTTP/1.1
#   xkey-purge: article-12 section-3 home feeds …
# (articles/site/purging.py, as a task; VARNISH_URL tells the app where Varnish is).
#
# Run: varnishd -a :6081 -f /etc/varnish/default.vcl -s malloc,256m
# tests/articles/site/test_edge_cache.py runs this file against the app, with the
# backend's port changed to the test server's.

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app's hosts. Add the app's network (e.g. the Compose network) here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in an xkey-purge header"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors' screens and previews are never shared, whatever their headers say.
    if (req.url ~ "^/(admin|preview|staff-preview)/") {
        return (pass);
    }
    # A partner's key (`Authorization: Api-Key …`) or a session: answers for one caller.
    if (req.http.Authorization || req.http.X-Api-Key) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Any other cookie (analytics, consent) changes nothing the app renders.
    unset req.http.Cookie;
    # Pages vary by Accept-Language (the site's own words follow the reader's language):
    # keep one copy per site language, not one per browser's header. The reader's first
    # language decides, and the app sees the same header it is cached under.
    if (req.http.Accept-Language ~ "^\s*(en|de|fr|es|ja)\b") {
        set req.http.Accept-Language = regsub(req.http.Accept-Language, "^\s*(en|de|fr|es|ja)\b.*$", "\1");
    } else {
        unset req.http.Accept-Language;
    }
    return (hash);
}

sub vcl_backend_response {
    # Only what the app tagged is kept (static files and media by their own headers):
    # a 404 for a draft or an untagged page must not outlive its publication.
    if (!beresp.http.xkey && bereq.url !~ "^/(static|media)/") {
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # A page whose Content-Security-Policy carries a nonce is one reader's: replayed to
    # others, the nonce would be shared by all (the app never tags such a page anyway).
    if (beresp.http.Content-Security-Policy ~ "'nonce-") {
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # A brief grace after expiry; purges remove objects outright, so a changed page is
    # never served stale.
    set beresp.grace = 10s;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys and the shared lifetime are for this cache only: browsers revalidate
    # (ETag), and no cache further out keeps a page this one cannot purge.
    unset resp.http.xkey;
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(resp.http.Cache-Control, ",\s*s-maxage=[0-9]+", "");
    }
}
