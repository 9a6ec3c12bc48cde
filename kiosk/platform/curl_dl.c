/*
 * curl_dl.c: the libcurl table (curl_dl.h), filled by dl_load (dl.h).
 */
#include "curl_dl.h"

#include "dl.h"

#include <pthread.h>
#include <stdio.h>

struct curl_dl_api curl_dl;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    static const char *const names[] = {
        "curl_global_init",  "curl_easy_init",     "curl_easy_setopt",
        "curl_easy_perform", "curl_easy_getinfo",  "curl_easy_cleanup",
        "curl_easy_strerror", "curl_slist_append", "curl_slist_free_all",
    };
    static void **const slots[] = {
        (void **)&curl_dl.global_init,   (void **)&curl_dl.easy_init,    (void **)&curl_dl.easy_setopt,
        (void **)&curl_dl.easy_perform,  (void **)&curl_dl.easy_getinfo, (void **)&curl_dl.easy_cleanup,
        (void **)&curl_dl.easy_strerror, (void **)&curl_dl.slist_append, (void **)&curl_dl.slist_free_all,
    };
    _Static_assert(sizeof names / sizeof names[0] == sizeof slots / sizeof slots[0], "one slot per name");
    curl_dl.ok = dl_load("libcurl.so.4", names, slots, sizeof names / sizeof names[0]) &&
                 curl_dl.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

int curl_dl_ready(void)
{
    pthread_once(&once, load);
    return curl_dl.ok;
}

CURL *curl_dl_easy(const char *url, const char *agent, long connect_s, long total_s, char *err, size_t errlen)
{
    if (!curl_dl_ready()) {
        snprintf(err, errlen, "libcurl is not installed");
        return NULL;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "libcurl failed to start");
        return NULL;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (connect_s > 0) curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, connect_s);
    if (total_s > 0) curl_easy_setopt(h, CURLOPT_TIMEOUT, total_s);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, agent);
    return h;
}
