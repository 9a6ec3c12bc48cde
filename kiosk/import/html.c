/*
 * html.c: the HTML of CMS pages as the kiosk's plain text (import_priv.h). libxml2's HTML
 * parser reads the markup, however broken; this file only decides what a paragraph, a list
 * item or a link becomes. Scripts, styles and other non-text elements are dropped whole.
 */
#include "import_priv.h"
#include "platform/xml_dl.h"

#include <string.h>
#include <strings.h>

typedef struct out {
    char *buf;
    size_t len, cap;
    int space;  /* a space is due before the next word */
    int nl;     /* newlines due before the next word (0..2) */
    int oom;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->oom) return;
    if (o->len + n + 1 > o->cap) {
        size_t nc = (o->cap ? o->cap * 2 : 256) + n;
        char *b = realloc(o->buf, nc);
        if (!b) { o->oom = 1; return; }
        o->buf = b;
        o->cap = nc;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = 0;
}

/* Text with runs of white space as one space; breaks and spaces are placed lazily. */
static void text(out *o, const char *s)
{
    for (const char *p = s; *p;) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            o->space = 1;
            p++;
            continue;
        }
        if (!strncmp(p, "\xC2\xA0", 2)) { /* no-break space: keep it, it joins what it joins */
            put(o, p, 2);
            p += 2;
            continue;
        }
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r' && *e != '\f') e++;
        if (o->len) {
            if (o->nl) put(o, "\n\n", (size_t)o->nl);
            else if (o->space && !(o->len >= 4 && !memcmp(o->buf + o->len - 4, "• ", 4))) put(o, " ", 1);
        }
        o->nl = 0;
        o->space = 0;
        put(o, p, (size_t)(e - p));
        p = e;
    }
}

static void brk(out *o, int n)
{
    if (o->nl < n) o->nl = n;
}

static int is(const xmlNode *n, const char *name) { return n->name && !strcasecmp((const char *)n->name, name); }

static void walk(out *o, xmlNode *n, int depth)
{
    if (depth > 200) return; /* nesting no page needs: stop rather than recurse without end */
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) text(o, (const char *)n->content);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE) continue;
        static const char *const dropped[] = {"script", "style", "head", "noscript", "template", "iframe", "object",
                                              "svg", "button", "form", "select", "textarea"};
        int drop = 0;
        for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++) drop |= is(n, dropped[i]);
        if (drop) continue;
        static const char *const blocks[] = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
                                             "blockquote", "section", "article", "address", "pre", "dl"};
        int block = 0;
        for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) block |= is(n, blocks[i]);
        if (is(n, "br")) { brk(o, 1); continue; }
        if (block) brk(o, 2);
        if (is(n, "li") || is(n, "tr") || is(n, "dt")) brk(o, 1);
        if (is(n, "li")) { /* the bullet starts the item's line at once, so an empty item still shows */
            if (o->len) put(o, "\n\n", (size_t)(o->nl ? o->nl : 1));
            o->nl = 0;
            o->space = 0;
            put(o, "• ", 4);
        }
        if (is(n, "td") || is(n, "th")) o->space = 1;
        walk(o, n->children, depth + 1);
        if (is(n, "a")) {
            /* a link's target is shown when the text does not already say it */
            xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
            if (href) {
                const char *h = (const char *)href;
                const char *shown = !strncmp(h, "mailto:", 7) ? h + 7 : !strncmp(h, "tel:", 4) ? h + 4 : h;
                int web = !strncmp(h, "http://", 7) || !strncmp(h, "https://", 8);
                if ((web || shown != h) && (!o->buf || !strstr(o->buf, shown))) {
                    text(o, " (");
                    o->space = 0;
                    put(o, shown, strlen(shown));
                    put(o, ")", 1);
                }
                xmlFree(href);
            }
        }
        if (block || is(n, "li")) brk(o, is(n, "li") ? 1 : 2);
    }
}

char *imp_html_text(const char *html, size_t len)
{
    if (!html || !len) return strdup("");
    htmlDocPtr doc = htmlReadMemory(html, (int)(len > (size_t)IMP_MAX_FILE ? IMP_MAX_FILE : len), NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_NOIMPLIED);
    out o = {0};
    if (doc) walk(&o, xmlDocGetRootElement(doc) ? doc->children : NULL, 0);
    xmlFreeDoc(doc);
    if (o.oom) { free(o.buf); return NULL; }
    return o.buf ? o.buf : strdup("");
}
