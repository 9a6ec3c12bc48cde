/* libFuzzer target: the pack header reader and the manifest parser must refuse anything
 * malformed with an error code, never crash, hang or leak. */
#include "pack/format.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    pack_manifest m;
    pack_manifest_parse((const char *)data, size, &m, err, sizeof err);
    /* the same bytes as a whole pack file, with a key that signs nothing they contain */
    static pack_trust t = {.nkeys = 1};
    FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
    if (f) {
        pack_read_manifest_stream(f, &t, &m, err, sizeof err);
        fclose(f);
    }
    return 0;
}
