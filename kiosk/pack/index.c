/*
 * index.c: reading and following a publication's signed index (publish.h). Firmware: the sync
 * thread uses it; publishing (publish.c) is the tool's.
 */
#include "publish.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int entry_parse(json_t *j, pack_index_entry *e)
{
    const char *file = NULL, *sha = NULL;
    json_int_t from = 0, to = 0, size = 0;
    if (json_unpack(j, "{s:I, s:I, s:s, s:I, s:s}", "from", &from, "to", &to, "file", &file, "size", &size, "sha256",
                    &sha) != 0 ||
        strlen(sha) != 64 || strstr(file, "..") || file[0] == '/')
        return -1;
    e->from = from;
    e->to = to;
    e->size = size;
    snprintf(e->file, sizeof e->file, "%s", file);
    snprintf(e->sha256, sizeof e->sha256, "%s", sha);
    return 0;
}

int pack_index_read(const char *path, const pack_trust *t, pack_index *ix, char *err, size_t errlen)
{
    memset(ix, 0, sizeof *ix);
    char *payload = NULL;
    int rc = pack_read_small(path, t, "index", &ix->m, &payload, 1 << 20, err, errlen);
    if (rc != PACK_OK) return rc;
    json_error_t je;
    json_t *j = json_loads(payload, 0, &je), *deltas = NULL, *full = NULL;
    free(payload);
    json_int_t latest = 0;
    if (!j || json_unpack(j, "{s:I, s:o, s:o}", "latest", &latest, "full", &full, "deltas", &deltas) != 0 ||
        !json_is_array(deltas) || entry_parse(full, &ix->full) != 0 || latest != ix->m.content_version) {
        json_decref(j);
        snprintf(err, errlen, "%s", pack_strerror(PACK_ERR_DAMAGED));
        return PACK_ERR_DAMAGED;
    }
    size_t n = json_array_size(deltas);
    ix->deltas = calloc(n ? n : 1, sizeof *ix->deltas);
    for (size_t i = 0; ix->deltas && i < n; i++)
        if (entry_parse(json_array_get(deltas, i), &ix->deltas[ix->ndeltas]) == 0) ix->ndeltas++;
    json_decref(j);
    return PACK_OK;
}

void pack_index_free(pack_index *ix)
{
    free(ix->deltas);
    ix->deltas = NULL;
    ix->ndeltas = 0;
}

int pack_index_plan(const pack_index *ix, int64_t installed, const pack_index_entry **steps, int max)
{
    int64_t latest = ix->m.content_version;
    if (installed >= latest) return 0;
    int n = 0;
    int64_t at = installed;
    while (at < latest && n < max) {
        const pack_index_entry *next = NULL;
        for (int i = 0; i < ix->ndeltas && !next; i++)
            if (ix->deltas[i].from == at && ix->deltas[i].to > at) next = &ix->deltas[i];
        if (!next) break;
        steps[n++] = next;
        at = next->to;
    }
    if (at == latest && n > 0) return n;
    steps[0] = &ix->full; /* a gap in the chain (or nothing installed): the full pack */
    return max > 0 ? 1 : 0;
}
