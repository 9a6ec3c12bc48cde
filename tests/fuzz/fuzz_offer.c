/* libFuzzer target: an offer source file (JSON) through the pack builder, beside a valid
 * minimal pack; every input must build or be refused with a message, never crash or leak.
 * The file is offers/x.json, so the corpus offers carry the id "x" (an id must match its file). */
#include "pack/pack.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const char *text, size_t len)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f) return;
    fwrite(text, 1, len, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/kiosk-fuzz-%d", (int)getpid());
        char p[128];
        mkdir(dir, 0700);
        snprintf(p, sizeof p, "%s/organizations", dir);
        mkdir(p, 0700);
        snprintf(p, sizeof p, "%s/offers", dir);
        mkdir(p, 0700);
        const char *pack = "{\"id\":\"f\",\"version\":1,\"languages\":[\"de\",\"ar\"]}";
        const char *cats = "[{\"id\":\"health\",\"order\":1,\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"G\"}}}]";
        const char *org = "{\"id\":\"o\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"O\"}},"
                          "\"locations\":[{\"id\":\"o/main\",\"i18n\":{}}]}";
        put("pack.json", pack, strlen(pack));
        put("categories.json", cats, strlen(cats));
        put("organizations/o.json", org, strlen(org));
    }
    put("offers/x.json", (const char *)data, size);
    char out[128], err[1024];
    snprintf(out, sizeof out, "%s/out.db", dir);
    pack_build(dir, out, err, sizeof err);
    return 0;
}
