/*
 * publish.c: the central store's static layout and its signed index (publish.h). Tool-only:
 * it signs, so the firmware must not link it (index.c reads what this writes).
 */
#include "publish.h"
#include "sign.h"
#include "platform/fmt.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct version_db {
    const char *path;
    int64_t version;
    int schema; /* meta schema_version */
} version_db;

static int by_version(const void *a, const void *b)
{
    int64_t x = ((const version_db *)a)->version, y = ((const version_db *)b)->version;
    return x < y ? -1 : x > y;
}

static int file_entry(json_t *arr_or_null, json_t **out, const char *dir, const char *rel, int64_t from, int64_t to,
                      char *err, size_t errlen)
{
    char path[PATH_MAX], hex[65];
    int64_t size = 0;
    if (fmt_path(path, sizeof path, err, errlen, "%s/%s", dir, rel)) return -1;
    if (pack_file_sha256_hex(path, &size, hex) != 0) {
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    json_t *e = json_pack("{s:I, s:I, s:s, s:I, s:s}", "from", (json_int_t)from, "to", (json_int_t)to, "file", rel,
                          "size", (json_int_t)size, "sha256", hex);
    if (!e) return -1;
    if (arr_or_null) json_array_append_new(arr_or_null, e);
    else *out = e;
    return 0;
}

int pack_publish(const char *out_dir, const char *secret_path, int expire_days, const char *const dbs[], int ndbs,
                 char *err, size_t errlen)
{
    if (ndbs < 1) { snprintf(err, errlen, "nothing to publish"); return -1; }
    version_db *v = calloc((size_t)ndbs, sizeof *v);
    char id[64] = "", first_id[64] = "";
    if (!v) { snprintf(err, errlen, "out of memory"); return -1; }
    for (int i = 0; i < ndbs; i++) {
        char ver[32];
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        v[i].path = dbs[i];
        if (pack_content_version(dbs[i], ver, sizeof ver) != 0) {
            snprintf(err, errlen, "%s: not a content database", dbs[i]);
            free(v);
            return -1;
        }
        v[i].version = atoll(ver);
        if (sqlite3_open_v2(dbs[i], &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT (SELECT value FROM meta WHERE key='pack_id'),"
                               " (SELECT value FROM meta WHERE key='schema_version')", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
            v[i].schema = sqlite3_column_int(st, 1);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        if (i == 0) snprintf(first_id, sizeof first_id, "%s", id);
        if (strcmp(id, first_id) != 0) {
            snprintf(err, errlen, "%s: another pack (%s, not %s)", dbs[i], id, first_id);
            free(v);
            return -1;
        }
    }
    qsort(v, (size_t)ndbs, sizeof *v, by_version);
    /* rel: an id of at most 63 bytes and two numbers */
    char packs[PATH_MAX], rel[300], path[PATH_MAX];
    if (fmt_path(packs, sizeof packs, err, errlen, "%s/packs", out_dir)) {
        free(v);
        return -1;
    }
    mkdir(out_dir, 0755);
    mkdir(packs, 0755);
    const version_db *latest = &v[ndbs - 1];
    json_t *deltas = json_array(), *full = NULL;
    int rc = 0;
    snprintf(rel, sizeof rel, "packs/%s-%lld.kpack", id, (long long)latest->version);
    rc = fmt_path(path, sizeof path, err, errlen, "%s/%s", out_dir, rel);
    if (!rc) rc = pack_sign(latest->path, secret_path, expire_days, path, err, errlen);
    if (!rc) rc = file_entry(NULL, &full, out_dir, rel, 0, latest->version, err, errlen);
    for (int i = 0; !rc && i + 1 < ndbs; i++) {
        /* no delta across schema versions (it would not apply): kiosks on the older fetch the full pack */
        if (v[i].version == v[i + 1].version || v[i].schema != v[i + 1].schema) continue;
        snprintf(rel, sizeof rel, "packs/%s-%lld-%lld.kpack", id, (long long)v[i].version, (long long)v[i + 1].version);
        rc = fmt_path(path, sizeof path, err, errlen, "%s/%s", out_dir, rel);
        if (!rc) rc = pack_sign_delta(v[i].path, v[i + 1].path, secret_path, expire_days, path, err, errlen);
        if (!rc) rc = file_entry(deltas, NULL, out_dir, rel, v[i].version, v[i + 1].version, err, errlen);
    }
    if (!rc) {
        json_t *ix = json_pack("{s:s, s:I, s:o, s:o}", "pack_id", id, "latest", (json_int_t)latest->version, "full",
                               full, "deltas", deltas);
        full = deltas = NULL;
        char tmp[PATH_MAX], out[PATH_MAX];
        rc = fmt_path(tmp, sizeof tmp, err, errlen, "%s/index.json.tmp", out_dir) ||
                     fmt_path(out, sizeof out, err, errlen, "%s/index.kpack", out_dir)
                 ? -1
                 : 0;
        if (!rc && !(ix && json_dump_file(ix, tmp, JSON_INDENT(2) | JSON_SORT_KEYS) == 0)) {
            rc = -1;
            snprintf(err, errlen, "%s: cannot write", tmp);
        }
        json_decref(ix);
        /* the index is written last: a server never lists a file it does not have yet */
        if (!rc) rc = pack_sign_payload(tmp, "index", id, latest->version, secret_path, expire_days, out, err, errlen);
        unlink(tmp);
    }
    json_decref(full);
    json_decref(deltas);
    free(v);
    return rc;
}
