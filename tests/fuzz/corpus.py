"""Malformed requests that every URL of the site must answer without a 5xx or a logged traceback.

tests/fuzz/test_fuzz.py sends each case to every URL pattern (tests/fuzz/urls.py
fills in the path parameters), one test per section of SECTIONS below.

To add a case, append a Case to the section it belongs to. Give it a unique
`name` (failures are reported as "<name>: <who> <method> <path>: <what>"), the
method, and whatever it needs: a raw `body` (bytes) with its `content_type`,
`headers` (sent as they are: "Cookie" and "Host" replace the defaults), a raw
`query` string, a `path_suffix` appended to each URL, `enforce_csrf=True` to
meet Django's CSRF check as a browser does (CSRF_COOKIE gives it a cookie to
compare), `secure=True` for HTTPS. A request that once found a bug belongs
here, named after what it found. `pytest tests/fuzz -k <section>` runs one section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# A well-formed CSRF cookie (32 characters) that no form or header will match.
CSRF_COOKIE = "csrftoken=" + "a" * 32


@dataclass(frozen=True)
class Case:
    name: str
    method: str = "GET"
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    query: str = ""
    path_suffix: str = ""
    enforce_csrf: bool = False
    secure: bool = False


def _multipart(boundary: str, *parts: bytes, end: bool = True) -> bytes:
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return body + (b"--" + boundary.encode() + b"--\r\n" if end else b"")


FIELD = b'Content-Disposition: form-data; name="question"\r\n\r\n1'
FILE = (
    b'Content-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\nContent-Type: text/plain\r\n\r\nroot'
)

# Form bodies in a charset Django refuses (it takes only UTF-8), with a CSRF cookie as a browser sends them:
# the CSRF check reads the body first.
CHARSETS = [
    Case(
        "charset-utf-16",
        "POST",
        "question=1&choice=2".encode("utf-16"),
        f"{FORM}; charset=utf-16",
        {"Cookie": CSRF_COOKIE},
        enforce_csrf=True,
    ),
    Case(
        "charset-latin-1",
        "POST",
        b"claimant=caf\xe9",
        f"{FORM}; charset=latin-1",
        {"Cookie": CSRF_COOKIE},
        enforce_csrf=True,
    ),
    Case("charset-utf8-alias", "POST", b"a=1", f"{FORM}; charset=UTF8", {"Cookie": CSRF_COOKIE}, enforce_csrf=True),
    Case(
        "charset-unknown",
        "POST",
        b"a=1",
        f"{FORM}; charset=x-no-such-charset",
        {"Cookie": CSRF_COOKIE},
        enforce_csrf=True,
    ),
    Case("charset-empty", "POST", b"a=1", f"{FORM}; charset=", {"Cookie": CSRF_COOKIE}, enforce_csrf=True),
    Case("charset-broken-quote", "POST", b"a=1", f'{FORM}; charset="utf-8', {"Cookie": CSRF_COOKIE}, enforce_csrf=True),
    Case(
        "charset-twice",
        "POST",
        b"a=1",
        f"{FORM}; charset=utf-8; charset=utf-16",
        {"Cookie": CSRF_COOKIE},
        enforce_csrf=True,
    ),
    # The same bodies where no CSRF check stands in front of the view.
    Case("charset-utf-16-to-view", "POST", "question=1&choice=2".encode("utf-16"), f"{FORM}; charset=utf-16"),
    Case("charset-latin-1-to-view", "POST", b"question=1&choice=\xe9", f"{FORM}; charset=iso-8859-1"),
    Case("charset-utf-16-multipart", "POST", _multipart("xx", FIELD), f"{MULTIPART}; boundary=xx; charset=utf-16"),
]
# Bodies that are not what they say, or too much of it (a 1 MB field, over DATA_UPLOAD_MAX_MEMORY_SIZE).
BODIES = [
    Case("invalid-percent-encoding", "POST", b"question=%zz&choice=%E9%&%%%=&a=%G1%", FORM),
    Case("invalid-utf-8", "POST", b"question=\xff\xfe&choice=\xc3\x28&\xed\xa0\x80=1", FORM),
    Case("nul-bytes", "POST", b"question=%00&choice=\x00&q=%00", FORM),
    Case("huge-ids", "POST", b"question=" + b"9" * 5000 + b"&choice=" + b"9" * 30, FORM),
    Case("negative-ids", "POST", b"question=-1&choice=-2", FORM),
    Case("one-megabyte-field", "POST", b"statement=" + b"x" * 1_000_000, FORM),
    Case("over-upload-limit", "POST", b"a=" + b"x" * 3_000_000, FORM),
    Case("too-many-fields", "POST", "&".join(f"f{i}=v" for i in range(2_000)).encode(), FORM),
    Case("multipart-without-boundary", "POST", _multipart("xx", FIELD), MULTIPART),
    Case("multipart-empty-boundary", "POST", _multipart("xx", FIELD), f"{MULTIPART}; boundary="),
    Case("multipart-overlong-boundary", "POST", _multipart("b" * 1000, FIELD), f"{MULTIPART}; boundary={'b' * 1000}"),
    Case("multipart-garbage", "POST", b"no boundary lines at all\r\n\r\n", f"{MULTIPART}; boundary=xx"),
    Case("multipart-truncated", "POST", _multipart("xx", FIELD, end=False)[:-3], f"{MULTIPART}; boundary=xx"),
    Case("multipart-file-upload", "POST", _multipart("xx", FIELD, FILE), f"{MULTIPART}; boundary=xx"),
    Case("json-body-on-form-endpoint", "POST", b'{"question": 1, "choice": 2}', "application/json"),
    Case("json-broken", "POST", b'{"question":', "application/json"),
    Case("text-plain-body", "POST", b"question=1&choice=2", "text/plain"),
    Case("content-type-junk", "POST", b"a=1", "a/b; =; ;=x; charset"),
    Case("content-type-double-semicolon", "POST", b"a=1", f"{FORM};;charset"),
    Case("content-length-junk", "POST", b"a=1", FORM, {"Content-Length": "abc"}),
    Case("content-length-negative", "POST", b"a=1", FORM, {"Content-Length": "-1"}),
]
METHODS = [
    Case("get"),
    Case("head", "HEAD"),
    Case("options", "OPTIONS"),
    Case("trace", "TRACE", headers={"Cookie": CSRF_COOKIE}),
    Case("propfind", "PROPFIND", b'<?xml version="1.0"?><propfind xmlns="DAV:"><allprop/></propfind>', "text/xml"),
    Case("lowercase-get", "get"),
    Case("put-form", "PUT", b"question=1", FORM),
    Case("delete", "DELETE"),
    Case("patch-json", "PATCH", b"{}", "application/json"),
    Case("connect", "CONNECT"),
    Case("overlong-method", "X" * 200),
]
HEADERS = [
    Case("huge-cookie", headers={"Cookie": "a=" + "b" * 100_000}),
    Case("many-cookies", headers={"Cookie": "; ".join(f"c{i}=v" for i in range(2_000))}),
    Case("malformed-cookie", headers={"Cookie": '=;;; sessionid="\\"; csrftoken=\x7f; a=b=c; $Version=1; ="'}),
    Case(
        "junk-session-and-csrf-cookies",
        "POST",
        b"a=1",
        FORM,
        {"Cookie": "sessionid=" + "z" * 32 + "; csrftoken=short"},
        enforce_csrf=True,
    ),
    Case("host-with-port", headers={"Host": "testserver:8000"}),
    Case("host-not-allowed", headers={"Host": "evil.example.com"}),
    Case("host-junk", headers={"Host": "test server:abc[]"}),
    Case("host-overlong", headers={"Host": "a" * 300}),
    Case(
        "forwarded-junk",
        headers={
            "X-Forwarded-For": "junk, , 999.999.1.1, ::ffff:, " + "1" * 1000,
            "X-Forwarded-Proto": "https, http",
            "X-Forwarded-Host": "evil.example.com",
        },
    ),
    Case("forwarded-junk-post", "POST", b"question=1&choice=1", FORM, {"X-Forwarded-For": "\x7f, , "}),
    Case("htmx-request", headers={"HX-Request": "true"}),
    Case("htmx-boosted", headers={"HX-Request": "true", "HX-Boosted": "true"}),
    Case("htmx-history-restore", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}),
    Case(
        "htmx-junk", headers={"HX-Request": "yes please", "HX-Current-URL": "javascript:alert(1)", "HX-Target": '"><'}
    ),
    Case("htmx-post-junk", "POST", b"question=x&choice=", FORM, {"HX-Request": "true", "HX-Trigger": "\x00"}),
    Case("if-none-match-junk", headers={"If-None-Match": '"", W/, "unterminated, ' + "x" * 5000}),
    Case("if-none-match-star", headers={"If-None-Match": "*"}),
    Case("if-modified-since-junk", headers={"If-Modified-Since": "Mon, 99 Foo 9999 99:99:99 GMT"}),
    Case("if-match-junk-post", "POST", b"a=1", FORM, {"If-Match": '"nope"', "If-Unmodified-Since": "yesterday"}),
    Case("range", headers={"Range": "bytes=0-0,-1,junk"}),
    Case("range-many", headers={"Range": "bytes=" + ",".join(f"{i}-{i}" for i in range(2_000))}),
    Case(
        "accept-junk",
        headers={
            "Accept": "\x01*/*;q=junk",
            "Accept-Language": "zz-ZZ;q=2, *;q=-1, " + "x" * 1000,
            "Accept-Encoding": "gzip;q=NaN, br;q=-1",
        },
    ),
    Case("huge-user-agent", headers={"User-Agent": "x" * 100_000}),
    Case("authorization-junk", headers={"Authorization": "Basic !!!not-base64!!!"}),
    Case("origin-junk", "POST", b"a=1", FORM, {"Cookie": CSRF_COOKIE, "Origin": "null"}, enforce_csrf=True),
    Case(
        "referer-junk-https",
        "POST",
        b"a=1",
        FORM,
        {"Cookie": CSRF_COOKIE, "Referer": "::junk::"},
        enforce_csrf=True,
        secure=True,
    ),
    Case(
        "csrf-header-junk", "POST", b"a=1", FORM, {"Cookie": CSRF_COOKIE, "X-CSRFToken": "\x00" * 64}, enforce_csrf=True
    ),
]
QUERIES = [
    Case("two-thousand-query-parameters", query="&".join(f"p{i}=v" for i in range(2_000))),
    Case("query-invalid-percent-encoding", query="q=%zz&verdict=%FF&page=%00&article=%E9&%=%"),
    Case("query-known-parameters-junk", query="q=" + "x" * 10_000 + "&verdict=nope&article=-1&page=1e99&more=1"),
    Case("query-page-junk", query="page=-1&more=%00"),
    Case("query-nul", query="q=%00&verdict=%00&article=%00"),
    Case("query-repeated-keys", query="verdict=true&verdict=false&q=a&q=b&page=1&page=2"),
    Case(
        "query-admin-junk",
        query="o=999.-1&p=-1&q=%00&e=1&_changelist_filters=%ZZ&all=&status__exact=nope&id__gt=x"
        "&_popup=1&_to_field=password&next=//evil.example.com",
    ),
    # The admin's add forms take initial values from the query string; an autocomplete looks the ids up.
    Case("query-initial-ids-junk", query="article=99999999999999999999&claim=-1&quiz=%E9&author=1.5"),
]
PATHS = [
    Case("ten-thousand-character-segment", path_suffix="a" * 10_000 + "/"),
    Case("path-invalid-percent-encoding", path_suffix="%zz/%FF%FE/..%2F..%2F/"),
    Case("path-nul", path_suffix="%00/"),
]

SECTIONS = {
    "charsets": CHARSETS,
    "bodies": BODIES,
    "methods": METHODS,
    "headers": HEADERS,
    "queries": QUERIES,
    "paths": PATHS,
}
CORPUS = [case for cases in SECTIONS.values() for case in cases]


def _named(*names: str) -> list[Case]:
    by_name = {case.name: case for case in CORPUS}
    return [by_name[name] for name in names]


# Every case goes to every URL anonymously. Signed in as an editor, pages read more of the request (the admin's
# forms and lists, previews) but cost ten times as much to render: these cases, which reach that code, go too
# (HEAD, OPTIONS and TRACE as an editor: tests/test_http_methods.py).
EDITOR_CASES = _named(
    "get",
    "charset-utf-16-to-view",
    "invalid-utf-8",
    "multipart-file-upload",
    "query-invalid-percent-encoding",
    "query-admin-junk",
    "query-initial-ids-junk",
)
# And these go to every URL pattern filled in with junk values (tests/fuzz/urls.py), anonymously and signed in.
JUNK_PATH_CASES = _named("get", "charset-utf-16", "invalid-utf-8", "htmx-request")
