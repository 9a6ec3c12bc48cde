/*
 * storage.c: free space and writability of the file system under a file (storage.h).
 */
#include "platform/storage.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

const char *storage_state_name(storage_state s)
{
    switch (s) {
    case STORAGE_OK: return "ok";
    case STORAGE_FULL: return "full";
    case STORAGE_READONLY: return "read-only";
    case STORAGE_UNKNOWN: break;
    }
    return "unknown";
}

storage_state storage_probe_dir(const char *dir, uint64_t reserve, storage_info *out)
{
    storage_info info = {STORAGE_UNKNOWN, 0, 0};
    struct statvfs vfs;
    struct stat sb;
    if (dir && dir[0] && statvfs(dir, &vfs) == 0 && stat(dir, &sb) == 0) {
        info.free_bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
        info.device = (uint64_t)sb.st_dev;
        if (vfs.f_flag & ST_RDONLY) info.state = STORAGE_READONLY;
        else if (info.free_bytes < (reserve ? reserve : STORAGE_MIN_FREE)) info.state = STORAGE_FULL;
        else info.state = STORAGE_OK;
    }
    if (out) *out = info;
    return info.state;
}

storage_state storage_probe(const char *file_path, uint64_t reserve, storage_info *out)
{
    const char *slash = file_path ? strrchr(file_path, '/') : NULL;
    size_t n = slash ? (size_t)(slash - file_path) : 0;
    char dir[4096];
    if (!slash) memcpy(dir, ".", 2);
    else if (n == 0) memcpy(dir, "/", 2);
    else if (n < sizeof dir) {
        memcpy(dir, file_path, n);
        dir[n] = 0;
    } else {
        dir[0] = 0; /* longer than any path the kernel takes: unknown */
    }
    return storage_probe_dir(dir, reserve, out);
}
