/*
 * import_read.h: the small helpers both readers of foreign records share (hsds_priv.h,
 * integreat_priv.h). Not for hsds_export.c, which has a jstr of its own for the other way.
 */
#ifndef KIOSK_IMPORT_READ_H
#define KIOSK_IMPORT_READ_H

#include "import_priv.h"

#include <sys/stat.h>

/* o[k] when it is a non-empty string, else NULL. */
static inline const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) && json_string_value(v)[0] ? json_string_value(v) : NULL;
}

static inline int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

#endif
