/*
 * curl_dl.c: the libcurl table (curl_dl.h).
 */
#include "curl_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

struct curl_dl_api curl_dl;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
#define SYM(field, name) *(void **)&curl_dl.field = dlsym(h, name)
    SYM(global_init, "curl_global_init");
    SYM(easy_init, "curl_easy_init");
    SYM(easy_setopt, "curl_easy_setopt");
    SYM(easy_perform, "curl_easy_perform");
    SYM(easy_getinfo, "curl_easy_getinfo");
    SYM(easy_cleanup, "curl_easy_cleanup");
    SYM(easy_strerror, "curl_easy_strerror");
    SYM(slist_append, "curl_slist_append");
    SYM(slist_free_all, "curl_slist_free_all");
#undef SYM
    curl_dl.ok = curl_dl.global_init && curl_dl.easy_init && curl_dl.easy_setopt && curl_dl.easy_perform &&
                 curl_dl.easy_getinfo && curl_dl.easy_cleanup && curl_dl.easy_strerror && curl_dl.slist_append &&
                 curl_dl.slist_free_all && curl_dl.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
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
