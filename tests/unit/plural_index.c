/* Helper for tests/po_check.py: prints "n index" for n = 0..1000 as the kiosk chooses plural forms. */
#include "i18n/i18n.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) return 2;
    char err[512];
    i18n_catalog *c = NULL;
    if (i18n_catalog_load(&c, argv[2], argv[1], err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (long n = 0; n <= 1000; n++) printf("%ld %d\n", n, i18n_plural_index(c, n));
    i18n_catalog_free(c);
    return 0;
}
