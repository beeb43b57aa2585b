# Random MIME messages for the differential test against Dovecot (see dovecot-fuzz.sh). Deterministic per SEED.
import random, os
rnd = random.Random(int(os.environ.get("SEED", "1")))
def hdr_addr():
    c = rnd.choice([
        lambda: "a%d@example.com" % rnd.randint(1,9),
        lambda: '"Name %d" <n%d@example.org>' % (rnd.randint(1,9), rnd.randint(1,9)),
        lambda: "Plain Name <p@x.test>",
        lambda: "=?UTF-8?Q?J=C3=BCrgen?= <j@x.de>",
        lambda: "grp: a@b.c, d@e.f;",
        lambda: "undisclosed-recipients:;",
        lambda: "x@y (comment name)",
        lambda: "<@route.test:r@x.test>",
        lambda: '"quote \\" inside" <q@q.test>',
        lambda: "bare",
        lambda: "",
        lambda: "a@b.c, ,",
        lambda: "A <a@b>, B <b@c>",
        lambda: "\u00e9t\u00e9 <u@x.test>",
        lambda: "a@b.c\r\n\t, folded@x.test",
        lambda: "\"x\" y <z@w>",
        lambda: "<a@b> trailing",
        lambda: "a.b.@c",
        lambda: "[x]@y",
        lambda: "a@[1.2.3.4]",
    ])
    return c()
def ctype(kind):
    if kind == "multipart":
        sub = rnd.choice(["mixed", "alternative", "related", "digest", "Mixed"])
        b = rnd.choice(["b%d" % rnd.randint(0, 99999), "==_%d" % rnd.randint(0,999), "weird (b) %d" % rnd.randint(0,99)])
        return sub, b, 'multipart/%s; boundary="%s"%s' % (sub, b, rnd.choice(["", "; type=text/html", "; charset=us-ascii"]))
    return None, None, rnd.choice([
        "text/plain", "text/plain; charset=utf-8", "text/html; charset=iso-8859-1", "TEXT/PLAIN; Format=flowed",
        "application/octet-stream; name=\"f.bin\"", "image/png", "text/plain; name*0=\"a\"; name*1=\"b\"",
        "application/pdf; name*=UTF-8''%C3%A9.pdf", "text", "message/rfc822", "application/x-y; a=b; c=\"d e\"",
        "", "garbage", "text/plain;", "text/plain; charset=\"utf-8\" (comment)", "text/plain; name=\"\u00e9t\u00e9.txt\"", "multipart/mixed", "multipart/mixed; boundary=\"\"", "text/plain; a*=x; a=y", "text/plain; =x; b", "text/plain; name=\"a\\\\\"b\"", "text/plain; charset=us-ascii; charset=utf-8", "TEXT/plain", "text/plain; name*1=b; name*0=a", "text/plain; name*0*=utf-8''%41; name*1=B; name*2*=%43"])
def body_text():
    lines = rnd.randint(0, 4)
    return "\r\n".join("line %d %s" % (i, rnd.choice(["", "x" * rnd.randint(1, 30), "=C3=A9", "--notboundary"])) for i in range(lines))
def extra_headers():
    h = []
    if rnd.random() < 0.3: h.append("Content-Transfer-Encoding: " + rnd.choice(["7bit", "8bit", "base64", "quoted-printable", "BASE64", "x-uue", ""]))
    if rnd.random() < 0.2: h.append("Content-Disposition: " + rnd.choice(["inline", "attachment; filename=\"a b.txt\"", "attachment;\r\n filename*=utf-8''%E2%82%AC.txt", "Attachment; size=3; filename=x"]))
    if rnd.random() < 0.15: h.append("Content-ID: <id%d@x>" % rnd.randint(1,99))
    if rnd.random() < 0.1: h.append("Content-Description: desc %d" % rnd.randint(1,9))
    if rnd.random() < 0.1: h.append("Content-Language: " + rnd.choice(["en", "en, fr", "de (German)"]))
    if rnd.random() < 0.1: h.append("Content-Location: http://x/%d" % rnd.randint(1,9))
    if rnd.random() < 0.1: h.append("Content-MD5: abc==")
    return h
def entity(depth, top):
    h = []
    if top:
        for name in ["From", "To", "Cc", "Bcc", "Sender", "Reply-To"]:
            if rnd.random() < 0.6: h.append("%s: %s" % (name, hdr_addr()))
        if rnd.random() < 0.8: h.append("Subject: " + rnd.choice(["hello", "Re: x", "=?UTF-8?B?w6k=?=", "", "multi\r\n line", "q\"uote"]))
        if rnd.random() < 0.7: h.append("Date: " + rnd.choice(["Mon, 2 Mar 2026 10:11:12 +0100", "2 Mar 2026 10:11 GMT", "junk", ""]))
        if rnd.random() < 0.6: h.append("Message-ID: <m%d@x>" % rnd.randint(1,999))
        if rnd.random() < 0.3: h.append("In-Reply-To: <p%d@x>" % rnd.randint(1,999))
        h.append("MIME-Version: 1.0")
    kind = "multipart" if depth < 4 and rnd.random() < 0.45 else "leaf"
    sub, b, ct = ctype(kind)
    if ct or kind == "multipart":
        if rnd.random() < 0.95 or kind == "multipart":
            h.append("Content-Type: " + ct)
    h += extra_headers()
    head = "\r\n".join(h)
    if kind == "multipart":
        parts = [entity(depth + 1, False) for _ in range(rnd.randint(0, 3))]
        pre = rnd.choice(["", "preamble\r\n", "This is MIME.\r\n\r\n"])
        out = pre
        for p in parts:
            out += "--%s%s\r\n%s\r\n" % (b, rnd.choice(["", "", "  "]), p)
        if rnd.random() < 0.85:
            out += "--%s--%s" % (b, rnd.choice(["", "\r\n", "\r\nepilogue\r\n"]))
        return head + "\r\n\r\n" + out
    if ct.startswith("message/rfc822") and depth < 4:
        return head + "\r\n\r\n" + entity(depth + 1, True)
    if rnd.random() < 0.05:
        return head  # no blank line
    return head + "\r\n\r\n" + body_text()
n = int(os.environ.get("N", "300"))
for i in range(1, n + 1):
    m = entity(0, True)
    open("msgs/%04d.eml" % i, "wb").write(m.encode("utf-8"))
