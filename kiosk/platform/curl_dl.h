/*
 * curl_dl: libcurl, opened on first use (dlopen). Linked at start-up it costs every kiosk about
 * 5 MiB, also the ones that never sync or book. Rooms that talk HTTP (sync, booking) include
 * this header instead of calling libcurl directly: the curl_easy_* names below go through one
 * table that is filled once and never changes afterwards.
 */
#ifndef KIOSK_CURL_DL_H
#define KIOSK_CURL_DL_H

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <stddef.h>

struct curl_dl_api {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    int ok;
};
extern struct curl_dl_api curl_dl;

/* Load libcurl once (thread-safe). Returns 1 when it is usable, 0 when it is missing. */
int curl_dl_ready(void);

/*
 * A handle for one request to url, set up as every caller here wants it: TLS peer and host name
 * always verified, no signals (requests run on worker threads), the connect and whole-request
 * timeouts in seconds (0: none), the user agent. NULL with err ("libcurl is not installed",
 * "libcurl failed to start"). The caller adds the rest and curl_easy_cleanup()s it.
 */
CURL *curl_dl_easy(const char *url, const char *agent, long connect_s, long total_s, char *err, size_t errlen);

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_init curl_dl.easy_init
#define curl_easy_setopt curl_dl.easy_setopt
#define curl_easy_perform curl_dl.easy_perform
#define curl_easy_getinfo curl_dl.easy_getinfo
#define curl_easy_cleanup curl_dl.easy_cleanup
#define curl_easy_strerror curl_dl.easy_strerror
#define curl_slist_append curl_dl.slist_append
#define curl_slist_free_all curl_dl.slist_free_all

#endif
