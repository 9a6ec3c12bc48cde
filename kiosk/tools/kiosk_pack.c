/*
 * kiosk-pack: the content team's tool. Builds content databases from the JSON sources in
 * content/ and synthetic ones for benchmarks. Exit 0 on success, 1 with a message on stderr.
 */
#include "pack/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr,
            "usage: kiosk-pack build SRC_DIR OUT.db          build a content database from JSON sources\n"
            "       kiosk-pack synth OUT.db OFFERS LANGS [PICTOGRAM_DIR]\n"
            "                                              synthetic content for benchmarks\n");
    return 2;
}

int main(int argc, char **argv)
{
    char err[1024] = "";
    if (argc == 4 && strcmp(argv[1], "build") == 0) {
        if (pack_build(argv[2], argv[3], err, sizeof err) != 0) {
            fprintf(stderr, "kiosk-pack: %s\n", err);
            return 1;
        }
        return 0;
    }
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "synth") == 0) {
        int n = atoi(argv[3]), l = atoi(argv[4]);
        if (n <= 0 || l <= 0) return usage();
        if (pack_synth(argv[2], n, l, 42, argc == 6 ? argv[5] : NULL, err, sizeof err) != 0) {
            fprintf(stderr, "kiosk-pack: %s\n", err);
            return 1;
        }
        return 0;
    }
    return usage();
}
