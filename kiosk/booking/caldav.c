/*
 * caldav.c: MKCALENDAR, PUT (If-None-Match: *), DELETE and a calendar-query REPORT over libcurl
 * (caldav.h).
 *
 * The REPORT answer is a WebDAV multistatus document, read with libxml2 (namespaces honoured, no
 * network, no entities expanded): of each <response> only the href's last segment (the resource
 * name) and the calendar data are used; the iCalendar text is left to libical by the caller.
 */
#include "caldav.h"

#include "platform/curl_dl.h"
#include "platform/wallclock.h"
#include "platform/xml_dl.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A REPORT over one offer's slots is a few KiB per booking: far below this cap, which only keeps a
 * misbehaving server from filling the kiosk's memory. */
#define CALDAV_MAX_BODY (16u << 20)

typedef struct caldav_buf {
    char *p;
    size_t len, cap;
    int overflow;
} caldav_buf;

static int buf_add(caldav_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    caldav_buf *b = ud;
    size_t len = sz * n;
    if (b->len + len > CALDAV_MAX_BODY || buf_add(b, p, len) != 0) {
        b->overflow = 1;
        return 0; /* aborts the transfer */
    }
    return len;
}

/* Percent-encode one path segment (offer ids and resource names are plain, but never trusted). */
static int url_segment(caldav_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            if (buf_add(b, (const char *)&ch, 1) != 0) return -1;
        } else {
            char esc[4];
            snprintf(esc, sizeof esc, "%%%02X", ch);
            if (buf_add(b, esc, 3) != 0) return -1;
        }
    }
    return 0;
}

/* base_url + calendar + "/" [+ resource]; NULL when out of memory or a name is empty. */
static char *make_url(const caldav_config *c, const char *calendar, const char *resource)
{
    if (!c->base_url || !*c->base_url || !calendar || !*calendar || (resource && !*resource)) return NULL;
    caldav_buf b = {0};
    int bad = buf_add(&b, c->base_url, strlen(c->base_url)) != 0 ||
              (c->base_url[strlen(c->base_url) - 1] != '/' && buf_add(&b, "/", 1) != 0) ||
              url_segment(&b, calendar) != 0 || buf_add(&b, "/", 1) != 0 || (resource && url_segment(&b, resource) != 0);
    if (bad) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

typedef struct caldav_call {
    const char *method;
    const char *url;
    const char *content_type; /* with body */
    const char *body;         /* NULL: no request body */
    const char *extra_header; /* If-None-Match, Depth; may be NULL */
    caldav_buf *resp;         /* NULL: answer body discarded */
} caldav_call;

static size_t discard(char *p, size_t sz, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return sz * n;
}

/* curl_slist_append returns NULL on failure and leaves the list alone: keep the list either way. */
static int add_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *l = curl_slist_append(*list, line);
    if (!l) return -1;
    *list = l;
    return 0;
}

static void set_auth(CURL *h, const caldav_config *c)
{
    if (!c->user || !*c->user) return;
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
}

/*
 * One HTTP exchange. Returns the HTTP status (> 0), or CALDAV_UNREACHABLE with err when no answer
 * came (connect error, timeout), CALDAV_REFUSED when libcurl cannot even start.
 */
static long perform(const caldav_config *c, const caldav_call *k, char *err, size_t errlen)
{
    long timeout = c->timeout_s > 0 ? c->timeout_s : 10;
    CURL *h = curl_dl_easy(k->url, "kiosk-booking/1", timeout, timeout, err, errlen);
    if (!h) return CALDAV_UNREACHABLE;
    char ctype[128] = "";
    if (k->body) snprintf(ctype, sizeof ctype, "Content-Type: %s", k->content_type);
    struct curl_slist *hdrs = NULL;
    /* libcurl would ask "Expect: 100-continue" before larger bodies; small CalDAV servers stall on it */
    if (add_header(&hdrs, "Expect:") != 0 || (k->extra_header && add_header(&hdrs, k->extra_header) != 0) ||
        (k->body && add_header(&hdrs, ctype) != 0)) {
        curl_slist_free_all(hdrs);
        curl_easy_cleanup(h);
        snprintf(err, errlen, "out of memory");
        return CALDAV_REFUSED;
    }
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, k->method);
    if (k->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, k->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(k->body));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, k->resp ? on_body : discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, k->resp);
    set_auth(h, c);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    if (k->resp && k->resp->overflow) {
        snprintf(err, errlen, "%s %s: answer too large", k->method, k->url);
        return CALDAV_REFUSED;
    }
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s %s: %s", k->method, k->url, curl_easy_strerror(rc));
        return CALDAV_UNREACHABLE;
    }
    return code;
}

/* Map an HTTP status to a caldav_result; err explains everything but success. */
static int classify(long status, const caldav_call *k, char *err, size_t errlen)
{
    if (status < 0) return (int)status; /* perform() already wrote err */
    if (status >= 200 && status < 300) return CALDAV_OK;
    if (status == 412) {
        snprintf(err, errlen, "%s %s: exists already (HTTP 412)", k->method, k->url);
        return CALDAV_TAKEN;
    }
    if (status == 404) {
        snprintf(err, errlen, "%s %s: not found (HTTP 404)", k->method, k->url);
        return CALDAV_NOTFOUND;
    }
    /* server trouble or overload: the same request may well work later */
    if (status >= 500 || status == 408 || status == 429) {
        snprintf(err, errlen, "%s %s: server error (HTTP %ld)", k->method, k->url, status);
        return CALDAV_UNREACHABLE;
    }
    if (status == 401 || status == 403)
        snprintf(err, errlen, "%s %s: the CalDAV server refused the login (HTTP %ld: wrong user or password, or no "
                 "access)", k->method, k->url, status);
    else
        snprintf(err, errlen, "%s %s: refused by the CalDAV server (HTTP %ld)", k->method, k->url, status);
    return CALDAV_REFUSED;
}

static int oom(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory (or empty calendar/resource name)");
    return CALDAV_REFUSED;
}

/* Minimal XML text escaping for the display name put into the MKCALENDAR body. */
static int xml_escape(caldav_buf *b, const char *s)
{
    for (; *s; s++) {
        const char *rep = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;" : *s == '"' ? "&quot;" : NULL;
        if (rep ? buf_add(b, rep, strlen(rep)) != 0 : buf_add(b, s, 1) != 0) return -1;
    }
    return 0;
}

int caldav_ensure_calendar(const caldav_config *c, const char *calendar, const char *display_name, char *err,
                           size_t errlen)
{
    char *url = make_url(c, calendar, NULL);
    if (!url) return oom(err, errlen);
    caldav_buf body = {0};
    static const char head[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                               "<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop>"
                               "<D:displayname>";
    static const char tail[] = "</D:displayname><C:supported-calendar-component-set><C:comp name=\"VEVENT\"/>"
                               "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>\n";
    if (buf_add(&body, head, strlen(head)) != 0 || xml_escape(&body, display_name ? display_name : calendar) != 0 ||
        buf_add(&body, tail, strlen(tail)) != 0) {
        free(body.p);
        free(url);
        return oom(err, errlen);
    }
    caldav_call k = {.method = "MKCALENDAR", .url = url, .content_type = "application/xml; charset=utf-8",
                     .body = body.p};
    long status = perform(c, &k, err, errlen);
    /* 405 (method not allowed on an existing resource) and 409 (resource must be null) both mean
     * the calendar is there already */
    int rc = status == 405 || status == 409 ? CALDAV_OK : classify(status, &k, err, errlen);
    free(body.p);
    free(url);
    return rc;
}

int caldav_put_new(const caldav_config *c, const char *calendar, const char *resource, const char *ics, char *err,
                   size_t errlen)
{
    char *url = make_url(c, calendar, resource);
    if (!url) return oom(err, errlen);
    caldav_call k = {.method = "PUT", .url = url, .content_type = "text/calendar; charset=utf-8", .body = ics,
                     .extra_header = "If-None-Match: *"};
    int rc = classify(perform(c, &k, err, errlen), &k, err, errlen);
    free(url);
    return rc;
}

int caldav_delete(const caldav_config *c, const char *calendar, const char *resource, char *err, size_t errlen)
{
    char *url = make_url(c, calendar, resource);
    if (!url) return oom(err, errlen);
    caldav_call k = {.method = "DELETE", .url = url};
    int rc = classify(perform(c, &k, err, errlen), &k, err, errlen);
    free(url);
    return rc;
}

/* ---- the multistatus answer (libxml2) ---- */

#define NS_DAV "DAV:"
#define NS_CALDAV "urn:ietf:params:xml:ns:caldav"

static int is(const xmlNode *n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, ns) &&
           !strcmp((const char *)n->name, name);
}

/* The first element named ns:name below n, depth first. */
static xmlNode *find(xmlNode *n, const char *ns, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (is(c, ns, name)) return c;
        xmlNode *d = find(c, ns, name);
        if (d) return d;
    }
    return NULL;
}

/* The last path segment of an href, percent-decoded, into out. */
static void href_resource(const char *href, char *out, size_t outlen)
{
    size_t n = strlen(href);
    while (n > 0 && href[n - 1] == '/') n--;
    size_t start = n;
    while (start > 0 && href[start - 1] != '/') start--;
    char *plain = xmlURIUnescapeString(href + start, (int)(n - start), NULL);
    snprintf(out, outlen, "%s", plain ? plain : "");
    xmlFree(plain);
}

/* Each <response> with an href and calendar data goes to fn; returns 0, or -1 when unreadable. */
static int multistatus_walk(const char *s, size_t len, void (*fn)(void *ud, const char *resource, const char *ics), void *ud)
{
    if (len > INT_MAX) return -1;
    /* no network, no entity expansion, no DTD: the answer is data, never instructions */
    xmlDoc *doc = xmlReadMemory(s, (int)len, NULL, "utf-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !is(root, NS_DAV, "multistatus")) {
        xmlFreeDoc(doc);
        return -1;
    }
    for (xmlNode *r = root->children; r; r = r->next) {
        if (!is(r, NS_DAV, "response")) continue;
        xmlNode *href = find(r, NS_DAV, "href"), *data = find(r, NS_CALDAV, "calendar-data");
        xmlChar *h = href ? xmlNodeGetContent(href) : NULL, *d = data ? xmlNodeGetContent(data) : NULL;
        if (h && *h && d && *d) {
            char res[256];
            href_resource((const char *)h, res, sizeof res);
            fn(ud, res, (const char *)d);
        }
        xmlFree(h);
        xmlFree(d);
    }
    xmlFreeDoc(doc);
    return 0;
}


int caldav_list(const caldav_config *c, const char *calendar, int64_t from, int64_t to,
                void (*fn)(void *ud, const char *resource, const char *ics), void *ud, char *err, size_t errlen)
{
    char *url = make_url(c, calendar, NULL);
    if (!url) return oom(err, errlen);
    char a[17], b[17], body[700];
    wallclock_stamp(from, a, sizeof a);
    wallclock_stamp(to, b, sizeof b);
    snprintf(body, sizeof body,
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
             "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
             "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
             "<C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">"
             "<C:time-range start=\"%s\" end=\"%s\"/></C:comp-filter></C:comp-filter></C:filter>"
             "</C:calendar-query>\n",
             a, b);
    caldav_buf resp = {0};
    caldav_call k = {.method = "REPORT", .url = url, .content_type = "application/xml; charset=utf-8", .body = body,
                     .extra_header = "Depth: 1", .resp = &resp};
    long status = perform(c, &k, err, errlen);
    int rc = classify(status, &k, err, errlen);
    if (rc == CALDAV_OK && status != 207) {
        snprintf(err, errlen, "REPORT %s: expected a multistatus, got HTTP %ld", url, status);
        rc = CALDAV_REFUSED;
    }
    if (rc == CALDAV_OK && multistatus_walk(resp.p ? resp.p : "", resp.len, fn, ud) != 0) {
        snprintf(err, errlen, "REPORT %s: unreadable multistatus answer", url);
        rc = CALDAV_REFUSED;
    }
    free(resp.p);
    free(url);
    return rc;
}
