/*
 * integreat_fetch.c: the Integreat API's answers for one region saved as a folder, the same
 * layout as saved answers (integreat_priv.h). libcurl fetches them; TLS is always verified,
 * against the system's certificates or a CA bundle the caller names.
 */
#include "integreat_priv.h"

#include "platform/curl_dl.h"
#include "platform/fmt.h"

#include <stdlib.h>
#include <string.h>

/* ---------- fetching ---------- */

typedef struct buf {
    char *data;
    size_t len;
    int too_big;
} buf;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    buf *b = ud;
    size_t add = size * n;
    if (b->len + add > IMP_MAX_FILE) { b->too_big = 1; return 0; }
    char *nd = realloc(b->data, b->len + add + 1);
    if (!nd) return 0;
    memcpy(nd + b->len, p, add);
    b->data = nd;
    b->len += add;
    b->data[b->len] = 0;
    return add;
}

/* GET url into file path. TLS is verified, peer and host name, whatever the caller wants:
 * a district with its own CA names it (g->cainfo) rather than switching checks off. */
static int fetch(ig *g, const char *url, const char *path)
{
    char why[CURL_ERROR_SIZE] = "";
    CURL *c = curl_dl_easy(url, "kiosk-pack import-integreat", 20, 300, why, sizeof why);
    if (!c) return imp_fail(g->err, g->errlen, IMP_ERR_IO, "%s: %s", url, why);
    buf b = {0};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    /* a redirect must not take an https instance's answers onto plain http, where anyone on the
     * way could rewrite what becomes signed content */
    int tls = !strncmp(url, "https://", 8);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, tls ? "https" : "http,https");
    if (g->cainfo) curl_easy_setopt(c, CURLOPT_CAINFO, g->cainfo);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    int r = IMP_OK;
    if (b.too_big) r = imp_fail(g->err, g->errlen, IMP_ERR_TOO_BIG, "%s: larger than %d MiB", url, IMP_MAX_FILE >> 20);
    else if (rc == CURLE_PEER_FAILED_VERIFICATION)
        r = imp_fail(g->err, g->errlen, IMP_ERR_IO,
                     "%s: the server's certificate is not trusted (%s); an instance with its own certificate "
                     "authority needs --ca-file CA.pem", url, why[0] ? why : curl_easy_strerror(rc));
    else if (rc == CURLE_UNSUPPORTED_PROTOCOL && tls)
        r = imp_fail(g->err, g->errlen, IMP_ERR_IO, "%s: redirected away from https: refused", url);
    else if (rc == CURLE_SSL_CACERT_BADFILE)
        r = imp_fail(g->err, g->errlen, IMP_ERR_IO, "%s: --ca-file %s: not a readable PEM file of certificates", url,
                     g->cainfo ? g->cainfo : "(system default)");
    else if (rc != CURLE_OK)
        r = imp_fail(g->err, g->errlen, IMP_ERR_IO, "%s: %s", url, why[0] ? why : curl_easy_strerror(rc));
    else if (status != 200) r = imp_fail(g->err, g->errlen, IMP_ERR_IO, "%s: HTTP status %ld", url, status);
    if (!r) {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(b.data ? b.data : "", 1, b.len, f) != b.len) r = imp_fail(g->err, g->errlen, IMP_ERR_IO, "%s: cannot write", path);
        if (f && fclose(f) != 0 && !r) r = imp_fail(g->err, g->errlen, IMP_ERR_IO, "%s: cannot write", path);
    }
    free(b.data);
    return r;
}

/* Save the API's answers for region under dir, in the layout of a saved-answers folder. */
int ig_download(ig *g, const char *base_url, const char *dir)
{
    char url[2048], path[PATH_MAX];
    size_t bl = strlen(base_url);
    const char *slash = bl && base_url[bl - 1] == '/' ? "" : "/";
    imp_rmtree(dir);
    mkdir(dir, 0755);
    int rc = fmt_fit(url, sizeof url, "%s%sapi/v3/regions/", base_url, slash)
                 ? imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED, "%.200s...: URL too long", base_url)
                 : imp_path(path, g->err, g->errlen, "%s/regions.json", dir);
    if (!rc) rc = fetch(g, url, path);
    json_t *regions = rc ? NULL : imp_load_json(path, &rc, g->err, g->errlen), *region = NULL, *v;
    size_t i;
    json_array_foreach(regions, i, v) {
        const char *p = jstr(v, "path");
        while (p && *p == '/') p++;
        if (p && !strncmp(p, g->region, strlen(g->region)) && (p[strlen(g->region)] == '/' || !p[strlen(g->region)])) region = v;
    }
    if (!rc && !region) rc = imp_fail(g->err, g->errlen, IMP_ERR_MISSING, "%s: no region \"%s\"", url, g->region);
    if (!rc) rc = imp_path(path, g->err, g->errlen, "%s/%s", dir, g->region);
    if (!rc) mkdir(path, 0755);
    json_array_foreach(json_object_get(region, "languages"), i, v) {
        const char *code = jstr(v, "code");
        if (rc || !code || strchr(code, '/') || code[0] == '.' || !ig_our_lang(v)) continue;
        if ((rc = imp_path(path, g->err, g->errlen, "%s/%s/%s", dir, g->region, code))) break;
        mkdir(path, 0755);
        static const char *const what[] = {"locations", "events", "pages"};
        static const char *const flag[] = {"pois", "events", NULL};
        for (int w = 0; w < 3 && !rc; w++) {
            if (flag[w] && json_is_false(json_object_get(region, flag[w]))) continue;
            if (fmt_fit(url, sizeof url, "%s%sapi/v3/%s/%s/%s/", base_url, slash, g->region, code, what[w]))
                rc = imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED, "%.200s...: URL too long", base_url);
            if (!rc) rc = imp_path(path, g->err, g->errlen, "%s/%s/%s/%s.json", dir, g->region, code, what[w]);
            if (!rc) rc = fetch(g, url, path);
        }
    }
    json_decref(regions);
    return rc;
}
