/*
 * config.c: reading the kiosk's INI settings file (see config.h).
 *
 * inih splits the file into sections and key = value pairs; everything else is checked here,
 * against one table of settings. The file is fed to inih line by line through our own reader so
 * that each error names the line it is on, and so that what inih would pass over quietly (an
 * overlong line cut in two, an indented line continuing a value, an empty unknown section) is
 * an error too. The first error wins; the kiosk does not start on a config with any.
 */
#include "config.h"

#include "i18n/i18n.h"
#include "platform/secret.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <ini.h>
#include <math.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void app_config_defaults(app_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->data_dir, sizeof c->data_dir, ".");
    snprintf(c->default_lang, sizeof c->default_lang, "de");
    snprintf(c->media_dir, sizeof c->media_dir, "/media");
    c->idle_timeout_s = 90;
    c->sounds = 1;
    c->sync_interval_s = 900;
    c->booking = 1;
    c->booking_retry_s = 60;
    c->disk_reserve_mib = 64;
}

const char *config_strerror(int err)
{
    switch (err) {
    case CONFIG_OK: return "ok";
    case CONFIG_ERR_READ: return "the settings file cannot be read";
    case CONFIG_ERR_SYNTAX: return "a line is neither [section] nor key = value";
    case CONFIG_ERR_SECTION: return "a section other than [kiosk], or a setting outside it";
    case CONFIG_ERR_KEY: return "an unknown setting";
    case CONFIG_ERR_TWICE: return "a setting given twice";
    case CONFIG_ERR_VALUE: return "a value of the wrong kind or out of range";
    case CONFIG_ERR_FILE: return "a file named by a setting is missing, unreadable or too open";
    }
    return "unknown error";
}

typedef enum kind {
    K_PATH,      /* a file or folder name */
    K_DB,        /* a database's file name: SQLite must be able to open it and the names beside it */
    K_TEXT,      /* free text for people (one line) */
    K_ID,        /* goes into URLs and reports: letters, digits, . _ - */
    K_URL,       /* http:// or https:// */
    K_SECRET_URL, /* the same, carrying credentials or personal data: https:// unless local */
    K_LANG,      /* one language the kiosk knows */
    K_LANGS,     /* a list of them */
    K_BOOL,
    K_INT,
    K_FLOAT,
    K_PIN_HASH,  /* Argon2id string */
    K_KEYS,      /* trusted public key files, loaded here */
    K_SECRET,    /* a file only its owner may read */
    K_RENDERER,  /* auto | software (enum config_renderer) */
} kind;

typedef struct setting {
    const char *name;
    kind kind;
    size_t off, size;   /* where in app_config; size of a char array */
    int nonempty;       /* an empty value is refused (there is no "unset" for it) */
    long long lo, hi, step;
} setting;

#define STR(n, k, f, ne) {n, k, offsetof(app_config, f), sizeof ((app_config *)0)->f, ne, 0, 0, 0}
#define NUM(n, k, f, lo, hi, step) {n, k, offsetof(app_config, f), 0, 1, lo, hi, step}

static const setting settings[] = {
    STR("content", K_DB, content, 0),
    STR("data_dir", K_PATH, data_dir, 1),
    STR("default_language", K_LANG, default_lang, 1),
    STR("languages", K_LANGS, languages, 0),
    NUM("idle_timeout", K_INT, idle_timeout_s, 15, 3600, 1),
    /* fewer pixels per millimetre is not a screen; more made layout take seconds */
    NUM("px_per_mm", K_FLOAT, px_per_mm, 2, 25, 0),
    STR("staff_pin_hash", K_PIN_HASH, staff_pin_hash, 0),
    STR("media_dir", K_PATH, media_dir, 1),
    STR("trusted_keys", K_KEYS, trusted_keys, 0),
    STR("state", K_DB, state_path, 0),
    NUM("sounds", K_BOOL, sounds, 0, 1, 1),
    NUM("rotation", K_INT, rotation, 0, 270, 90),
    NUM("renderer", K_RENDERER, renderer, 0, 0, 0),
    STR("site_id", K_ID, site_id, 0),
    STR("kiosk_id", K_ID, kiosk_id, 0),
    STR("location", K_TEXT, location, 0),
    STR("store_url", K_URL, store_url, 0),
    STR("caldav_url", K_SECRET_URL, caldav_url, 0),
    NUM("sync_interval", K_INT, sync_interval_s, 10, 7 * 86400, 1),
    NUM("booking", K_BOOL, booking, 0, 1, 1),
    STR("caldav_user", K_TEXT, caldav_user, 0),
    STR("caldav_password_file", K_SECRET, caldav_password_file, 0),
    NUM("booking_retry", K_INT, booking_retry_s, 1, 86400, 1),
    NUM("disk_reserve_mib", K_INT, disk_reserve_mib, 1, 1 << 20, 1),
    STR("publication", K_ID, publication, 0),
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

/* A value as it may be quoted in a message: short, and only printable ASCII. */
static const char *shown(const char *v, char *buf, size_t len)
{
    size_t o = 0;
    for (; *v && o + 4 < len && o < 40; v++) buf[o++] = (*v >= 0x20 && *v < 0x7f) ? *v : '?';
    if (*v) buf[o++] = '.', buf[o++] = '.';
    buf[o] = 0;
    return buf;
}

static int bad(char *err, size_t errlen, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bad(char *err, size_t errlen, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return code;
}

/*
 * What is wrong with a value's characters, or NULL. Control characters (C0, DEL, C1) have no
 * place in a one-line setting; they are a mistake or an attack. The file is UTF-8: other bytes
 * would reach the staff screen, the health report's JSON and file names as they are. A bidi
 * embedding, override or isolate (U+202A..U+202E, U+2066..U+2069) would turn the text shown
 * around it; a line or paragraph separator (U+2028, U+2029) would break a one-line text in two.
 */
static const char *bad_chars(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p;) {
        unsigned c = *p;
        int n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
        if (n < 0) return "not UTF-8";
        c = n ? c & (0x3f >> n) : c;
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80) return "not UTF-8";
            c = c << 6 | (p[i] & 0x3f);
        }
        /* overlong forms, UTF-16 surrogates, past U+10FFFF */
        if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
            return "not UTF-8";
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return "control characters in the value";
        if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return "a bidi control character in the value";
        if (c == 0x2028 || c == 0x2029) return "a line or paragraph separator in a one-line value";
        p += n + 1;
    }
    return NULL;
}

/* Digits only, with at most one '.' when fraction: strtoll and strtod also take signs, spaces,
 * "nan", "inf", hex and trailing text, none of which is a setting. */
static int plain_decimal(const char *v, int fraction)
{
    size_t n = strlen(v), digits = strspn(v, "0123456789");
    if (!n || !digits) return 0;
    if (digits == n) return 1;
    return fraction && v[digits] == '.' && strspn(v + digits + 1, "0123456789") == n - digits - 1;
}

/*
 * A plain decimal in s->lo..s->hi (a multiple of s->step when that is over 1), whole for K_INT;
 * a K_FLOAT may also be 0 (guess). The ranges are small whole numbers, so the double holds every
 * value in range exactly and anything too long to convert is out of range, never wrapped.
 */
static int parse_number(const setting *s, const char *v, double *out, char *err, size_t errlen)
{
    char sh[64];
    int fraction = s->kind == K_FLOAT;
    if (!plain_decimal(v, fraction))
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: '%s' is not a %s number", s->name, shown(v, sh, sizeof sh),
                   fraction ? "decimal" : "whole");
    double d = strtod(v, NULL);
    if (!isfinite(d) || ((d < (double)s->lo || d > (double)s->hi) && !(fraction && d == 0)))
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: %s is out of range (%s%lld to %lld)", s->name,
                   shown(v, sh, sizeof sh), fraction ? "0 to guess, or " : "", s->lo, s->hi);
    if (s->step > 1 && (long long)d % s->step)
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: %s is not a multiple of %lld", s->name, v, s->step);
    *out = d;
    return CONFIG_OK;
}

static int parse_bool(const setting *s, const char *v, int *out, char *err, size_t errlen)
{
    static const char *const yes[] = {"on", "yes", "true"}, *const no[] = {"off", "no", "false"};
    for (int i = 0; i < 3; i++) {
        if (!strcasecmp(v, yes[i])) { *out = 1; return CONFIG_OK; }
        if (!strcasecmp(v, no[i])) { *out = 0; return CONFIG_OK; }
    }
    char sh[64];
    return bad(err, errlen, CONFIG_ERR_VALUE, "%s: '%s' is not on/off, yes/no or true/false", s->name,
               shown(v, sh, sizeof sh));
}

static int check_pin_hash(const setting *s, const char *v, char *err, size_t errlen)
{
    if (sodium_init() < 0) return bad(err, errlen, CONFIG_ERR_VALUE, "%s: libsodium does not start", s->name);
    /* -1: not a well-formed Argon2id string (0 or 1 only say whether its costs are these).
     * The hash itself is not quoted: it is what a guesser would want. */
    if (strncmp(v, "$argon2id$", 10) != 0 ||
        crypto_pwhash_argon2id_str_needs_rehash(v, crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                                crypto_pwhash_argon2id_MEMLIMIT_MIN) == -1)
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: not an Argon2id hash (make one with kiosk-pack pin-hash)",
                   s->name);
    /* libsodium has read the parameters; a cheap hash of a short PIN falls to an offline loop in
     * seconds, so less than the documented cost is refused, not only a malformed string */
    const char *par = strstr(v, "$m=");
    unsigned long long m = 0, t = 0;
    int used = 0;
    unsigned long long lanes = 0;
    if (!par || sscanf(par, "$m=%llu,t=%llu,p=%llu%n", &m, &t, &lanes, &used) != 3 || !used)
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: not an Argon2id hash (make one with kiosk-pack pin-hash)",
                   s->name);
    if (m * 1024 < CONFIG_PIN_MEMLIMIT || t < CONFIG_PIN_OPSLIMIT)
        return bad(err, errlen, CONFIG_ERR_VALUE,
                   "%s: Argon2id at %llu MiB and %llu pass%s is below the minimum of %u MiB and %u passes (too "
                   "cheap to guess offline); make a new one with kiosk-pack pin-hash (6 to 16 digits)",
                   s->name, m >> 10, t, t == 1 ? "" : "es", CONFIG_PIN_MEMLIMIT >> 20, CONFIG_PIN_OPSLIMIT);
    /* a cost the board cannot pay fails every check, the right PIN counted as wrong: staff locked out */
    if (m > CONFIG_PIN_MEMLIMIT_MAX >> 10 || t > CONFIG_PIN_OPSLIMIT_MAX || lanes != 1)
        return bad(err, errlen, CONFIG_ERR_VALUE,
                   "%s: Argon2id at %llu MiB, %llu passes and %llu lanes is more than a kiosk checks (at most %u MiB, "
                   "%u passes, 1 lane); make a new one with kiosk-pack pin-hash",
                   s->name, m >> 10, t, lanes, CONFIG_PIN_MEMLIMIT_MAX >> 20, CONFIG_PIN_OPSLIMIT_MAX);
    return CONFIG_OK;
}

/* A comma-separated list of languages the kiosk knows (spaces around each allowed), each once. */
static int check_langs(const setting *s, const char *v, char *err, size_t errlen)
{
    char copy[256], sh[64];
    snprintf(copy, sizeof copy, "%s", v);
    const char *seen[64];
    int n = 0;
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next) *next++ = 0;
        tok += strspn(tok, " ");
        for (size_t l = strlen(tok); l && tok[l - 1] == ' '; l--) tok[l - 1] = 0;
        if (!*tok)
            return bad(err, errlen, CONFIG_ERR_VALUE, "%s: an empty entry (two commas, or one at an end)", s->name);
        if (!i18n_lang_find(tok))
            return bad(err, errlen, CONFIG_ERR_VALUE, "%s: unknown language '%s'", s->name, shown(tok, sh, sizeof sh));
        for (int i = 0; i < n; i++)
            if (!strcmp(seen[i], tok))
                return bad(err, errlen, CONFIG_ERR_VALUE, "%s: '%s' is listed twice", s->name, tok);
        if (n < 64) seen[n++] = tok;
    }
    return CONFIG_OK;
}

/* Whether the languages list (checked) holds code. */
static int langs_hold(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; *p; p++) {
        p += strspn(p, " ");
        if (!strncmp(p, code, n) && (p[n] == 0 || p[n] == ',' || p[n] == ' ')) return 1;
        p += strcspn(p, ",");
        if (!*p) break;
    }
    return 0;
}

/*
 * An address for libcurl: http:// or https://, a host, an optional port 1..65535, no spaces and
 * none of the characters URLs never hold raw (a backslash is read as '/' by some parsers, so the
 * host would not be the one checked here). When secret (it carries credentials or personal
 * data: CalDAV, or a user name in the address) it must be https:// unless it stays on this
 * machine (localhost, 127.0.0.1, [::1]): plain http would give them to anyone on the way.
 */
static int check_url(const setting *s, const char *v, int secret, char *err, size_t errlen)
{
    int tls = !strncmp(v, "https://", 8);
    if (!tls && strncmp(v, "http://", 7))
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: not an http:// or https:// address", s->name);
    if (strpbrk(v, " "))
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: a space in the address (write it as %%20)", s->name);
    if (strpbrk(v, "\"<>\\^`{|}"))
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: a character addresses may not hold raw (\" < > \\ ^ ` { | })",
                   s->name);
    const char *a = v + (tls ? 8 : 7), *end = a + strcspn(a, "/?#");
    const char *at = memchr(a, '@', (size_t)(end - a)), *host = a;
    if (at) {
        if (memchr(at + 1, '@', (size_t)(end - at - 1)))
            return bad(err, errlen, CONFIG_ERR_VALUE, "%s: more than one '@' before the host", s->name);
        host = at + 1;
        secret = 1;
    }
    const char *hend;
    if (*host == '[') {
        hend = memchr(host, ']', (size_t)(end - host));
        if (!hend) return bad(err, errlen, CONFIG_ERR_VALUE, "%s: an IPv6 host without its closing ']'", s->name);
        hend++;
    } else {
        hend = host + strcspn(host, ":/?#");
        if (hend > end) hend = end;
    }
    size_t hl = (size_t)(hend - host);
    if (!hl) return bad(err, errlen, CONFIG_ERR_VALUE, "%s: no host in the address", s->name);
    if (hend < end) {
        const char *port = hend + 1;
        size_t pl = (size_t)(end - port);
        if (*hend != ':' || !pl || pl > 5 || strspn(port, "0123456789") < pl || atoi(port) < 1 || atoi(port) > 65535)
            return bad(err, errlen, CONFIG_ERR_VALUE, "%s: the port must be a number from 1 to 65535", s->name);
    }
    int local = (hl == 9 && !strncasecmp(host, "localhost", 9)) || (hl == 9 && !strncmp(host, "127.0.0.1", 9)) ||
                (hl == 5 && !strncmp(host, "[::1]", 5));
    if (secret && !tls && !local)
        return bad(err, errlen, CONFIG_ERR_VALUE,
                   "%s: https:// is required: %s would travel in plain text to another machine (http:// only to "
                   "localhost, 127.0.0.1 or [::1])",
                   s->name, at ? "the credentials in the address" : "passwords and bookings");
    return CONFIG_OK;
}

static int load_keys(app_config *c, const setting *s, const char *v, char *err, size_t errlen)
{
    char copy[1024], kerr[512];
    snprintf(copy, sizeof copy, "%s", v);
    pack_trust t = {0};
    /* as in languages: an empty entry (",", "a,,b", a trailing comma) is a slip, never "no key" */
    for (char *k = copy, *next; k; k = next) {
        next = strchr(k, ',');
        if (next) *next++ = 0;
        while (*k == ' ') k++;
        for (size_t l = strlen(k); l && k[l - 1] == ' '; l--) k[l - 1] = 0;
        if (!*k) return bad(err, errlen, CONFIG_ERR_VALUE, "%s: an empty entry (two commas, or one at an end)", s->name);
        if (t.nkeys == PACK_MAX_KEYS)
            return bad(err, errlen, CONFIG_ERR_VALUE, "%s: more than %d keys", s->name, PACK_MAX_KEYS);
        if (pack_trust_add_file(&t, k, kerr, sizeof kerr) != 0)
            return bad(err, errlen, CONFIG_ERR_FILE, "%s: %s", s->name, kerr);
        for (int i = 0; i + 1 < t.nkeys; i++)
            if (!memcmp(t.keys[i], t.keys[t.nkeys - 1], sizeof t.keys[i]))
                return bad(err, errlen, CONFIG_ERR_VALUE, "%s: the key in %s is listed twice", s->name, k);
    }
    c->trust = t;
    return CONFIG_OK;
}

static int check_id(const setting *s, const char *v, char *err, size_t errlen)
{
    char sh[64];
    if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(v) || v[0] == '.')
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: '%s' may hold only letters, digits, '.', '_' and '-'",
                   s->name, shown(v, sh, sizeof sh));
    return CONFIG_OK;
}

/* Check one value and store it. */
static int set(app_config *c, const setting *s, const char *v, char *err, size_t errlen)
{
    char *field = (char *)c + s->off;
    const char *why = bad_chars(v);
    if (why) return bad(err, errlen, CONFIG_ERR_VALUE, "%s: %s", s->name, why);
    switch (s->kind) {
    case K_BOOL: return parse_bool(s, v, (int *)field, err, errlen);
    case K_RENDERER: {
        char sh[64];
        if (!strcmp(v, "auto")) *(int *)field = CONFIG_RENDERER_AUTO;
        else if (!strcmp(v, "software")) *(int *)field = CONFIG_RENDERER_SOFTWARE;
        else return bad(err, errlen, CONFIG_ERR_VALUE, "%s: '%s' is not auto or software", s->name, shown(v, sh, sizeof sh));
        return CONFIG_OK;
    }
    case K_INT:
    case K_FLOAT: {
        double d = 0;
        int rc = parse_number(s, v, &d, err, errlen);
        if (rc == CONFIG_OK && s->kind == K_INT) *(int *)field = (int)d;
        else if (rc == CONFIG_OK) *(float *)field = (float)d;
        return rc;
    }
    default: break;
    }
    if (strlen(v) >= s->size)
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s: longer than %zu bytes", s->name, s->size - 1);
    if (!*v && s->nonempty) return bad(err, errlen, CONFIG_ERR_VALUE, "%s: may not be empty", s->name);
    int rc = CONFIG_OK;
    if (*v) {
        switch (s->kind) {
        case K_ID: rc = check_id(s, v, err, errlen); break;
        case K_URL: rc = check_url(s, v, 0, err, errlen); break;
        case K_SECRET_URL: rc = check_url(s, v, 1, err, errlen); break;
        case K_LANG:
            if (!i18n_lang_find(v)) rc = bad(err, errlen, CONFIG_ERR_VALUE, "%s: unknown language", s->name);
            break;
        case K_LANGS: rc = check_langs(s, v, err, errlen); break;
        case K_PIN_HASH: rc = check_pin_hash(s, v, err, errlen); break;
        case K_DB: {
            /* the installer stages CONTENT.new.XXXXXX and keeps CONTENT.prev beside the content */
            int max;
            size_t n = store_path_too_long(v, strlen(".new.XXXXXX"), &max);
            if (n)
                rc = bad(err, errlen, CONFIG_ERR_VALUE, "%s: too long for SQLite (%zu bytes with the names beside it, at most %d)",
                         s->name, n, max - 1);
            break;
        }
        case K_KEYS: rc = load_keys(c, s, v, err, errlen); break;
        case K_SECRET: {
            char serr[1200];
            if (secret_check(v, serr, sizeof serr) != SECRET_OK)
                rc = bad(err, errlen, CONFIG_ERR_FILE, "%s: %s", s->name, serr);
            break;
        }
        default: break;
        }
    } else if (s->kind == K_KEYS) {
        memset(&c->trust, 0, sizeof c->trust);
    }
    if (rc == CONFIG_OK) memcpy(field, v, strlen(v) + 1);
    return rc;
}

static const setting *find(const char *name)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (!strcmp(settings[i].name, name)) return &settings[i];
    return NULL;
}

int app_config_set(app_config *c, const char *key, const char *value, char *err, size_t errlen)
{
    const setting *s = find(key);
    if (!s) return bad(err, errlen, CONFIG_ERR_KEY, "unknown setting '%s'", key);
    return set(c, s, value, err, errlen);
}

typedef struct parse {
    app_config *c;
    FILE *f;
    char *buf;
    size_t cap;
    int line;                /* the line the reader last handed to inih */
    int err, err_line;       /* the first error found */
    char detail[1024];
    int seen[NSETTINGS];     /* the line each setting was given on */
    int kiosk_line;          /* the line of the [kiosk] header, 0 before it */
} parse;

static void note(parse *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(parse *p, int code, const char *fmt, ...)
{
    if (p->err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof p->detail, fmt, ap);
    va_end(ap);
    p->err = code;
    p->err_line = p->line;
}

/* Hands inih one whole line per call, or an empty one in place of a line that is an error
 * already (so inih's own line count stays ours). */
static char *reader(char *str, int num, void *stream)
{
    parse *p = stream;
    ssize_t n = getline(&p->buf, &p->cap, p->f);
    if (n < 0) return NULL;
    p->line++;
    char *l = p->buf;
    int nul = (size_t)n != strlen(l);
    if (p->line == 1 && !strncmp(l, "\xef\xbb\xbf", 3)) l += 3;   /* inih skips a UTF-8 BOM too */
    size_t lead = strspn(l, " \t");
    const char *cr = strchr(l, '\r');
    size_t len = (size_t)n - (n > 0 && p->buf[n - 1] == '\n') - (n > 1 && p->buf[n - 2] == '\r' && p->buf[n - 1] == '\n');
    if (nul) {
        note(p, CONFIG_ERR_SYNTAX, "a NUL byte in the line");
        l = "\n";
    } else if (len > (size_t)num - 3) {
        note(p, CONFIG_ERR_SYNTAX, "the line is longer than %d characters", num - 3);
        l = "\n";
    } else if (cr && cr[1] != '\n' && cr[1]) {
        /* inih would take the rest of the file for this one line */
        note(p, CONFIG_ERR_SYNTAX, "a carriage return inside the line (lines must end in LF or CRLF, not CR alone)");
        l = "\n";
    } else if (strpbrk(l, "\v\f") || strstr(l, "\xef\xbb\xbf")) {
        /* inih strips these as it strips spaces, so a header or value would read as another */
        note(p, CONFIG_ERR_SYNTAX, "a form feed, vertical tab or byte order mark inside the line");
        l = "\n";
    } else if (!strchr("[;#\r\n", l[lead]) && strcspn(l, ":") < strcspn(l, "=")) {
        note(p, CONFIG_ERR_SYNTAX, "expected key = value (':' does not separate a key from its value here)");
        l = "\n";
    } else if (lead && !strchr(" \t\r\n;#", l[lead]) ) {
        /* inih would read this as more of the previous value */
        note(p, CONFIG_ERR_SYNTAX, "an indented line; each setting takes one line, starting at its left edge");
        l = "\n";
    } else if (l[0] == '[') {
        char *close = strchr(l, ']');
        size_t after = close ? strspn(close + 1, " \t") : 0;
        if (!close) note(p, CONFIG_ERR_SYNTAX, "a section header without its closing ']'");
        else if (!strchr("\r\n;#", close[1 + after]))
            note(p, CONFIG_ERR_SYNTAX, "text after the header (only a comment may follow it)");
        else if (close - l - 1 != 5 || strncmp(l + 1, "kiosk", 5)) {
            char sh[64];
            *close = 0;
            note(p, CONFIG_ERR_SECTION, "unknown section [%s] (the settings go under [kiosk])", shown(l + 1, sh, sizeof sh));
            *close = ']';
        } else if (!p->kiosk_line) {
            p->kiosk_line = p->line;
        }
    }
    snprintf(str, (size_t)num, "%s", l);
    return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parse *p = user;
    if (!name || !value) return 1;   /* a section start: the reader checked its name */
    /* an unknown section was reported on its own header line; this catches the rest */
    if (strcmp(section, "kiosk") != 0) {
        note(p, CONFIG_ERR_SECTION, "a setting outside [kiosk] (a missing or misspelt header?)");
        return 1;
    }
    const setting *s = find(name);
    char sh[64];
    if (!s) {
        note(p, CONFIG_ERR_KEY, "unknown setting '%s'", shown(name, sh, sizeof sh));
        return 1;
    }
    int *seen = &p->seen[s - settings];
    if (*seen) {
        note(p, CONFIG_ERR_TWICE, "%s is already set on line %d", s->name, *seen);
        return 1;
    }
    *seen = p->line;
    char err[1024];
    int rc = set(p->c, s, value, err, sizeof err);
    if (rc != CONFIG_OK) note(p, rc, "%s", err);
    return 1;
}

int app_config_load(app_config *c, const char *path, char *err, size_t errlen)
{
    parse p = {.c = c};
    /* not blocking: a FIFO would hold the kiosk at its start for good; only a regular file of
     * a sensible size is read, so a huge or endless file (/dev/zero) cannot eat the memory */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return bad(err, errlen, CONFIG_ERR_READ, "%s: cannot read: %s", path, strerror(errno));
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!regular || st.st_size > CONFIG_MAX_BYTES) {
        close(fd);
        if (!regular) return bad(err, errlen, CONFIG_ERR_READ, "%s: not a regular file", path);
        return bad(err, errlen, CONFIG_ERR_READ, "%s: larger than %d KiB: not a settings file", path, CONFIG_MAX_BYTES / 1024);
    }
    p.f = fdopen(fd, "r");
    if (!p.f) {
        close(fd);
        return bad(err, errlen, CONFIG_ERR_READ, "%s: cannot read: %s", path, strerror(errno));
    }
    int rc = ini_parse_stream(reader, &p, handler, &p);
    int read_err = ferror(p.f);
    fclose(p.f);
    free(p.buf);
    if (read_err) return bad(err, errlen, CONFIG_ERR_READ, "%s: cannot read", path);
    /* inih's own complaint (no '=' on a line) stands when it comes before ours */
    if (rc > 0 && (!p.err || rc < p.err_line)) {
        p.err = CONFIG_ERR_SYNTAX;
        p.err_line = rc;
        snprintf(p.detail, sizeof p.detail, "expected [kiosk] or key = value");
    } else if (rc < 0 && !p.err) {
        return bad(err, errlen, CONFIG_ERR_READ, "%s: out of memory", path);
    }
    if (p.err) return bad(err, errlen, p.err, "%s:%d: %s", path, p.err_line, p.detail);
    /* a file cut short or emptied would otherwise start a kiosk without its keys and PIN */
    if (!p.kiosk_line)
        return bad(err, errlen, CONFIG_ERR_SECTION, "%s:%d: no [kiosk] section: the settings go under a [kiosk] header",
                   path, p.line > 0 ? p.line : 1);
    /* the language the kiosk starts in must be one of its buttons; named on the later line */
    if (c->languages[0] && !langs_hold(c->languages, c->default_lang)) {
        int dl = p.seen[find("default_language") - settings], ll = p.seen[find("languages") - settings];
        char other[64] = " (de unless default_language is set)";
        if (dl) snprintf(other, sizeof other, " (%s on line %d)", dl > ll ? "languages" : "default_language",
                         dl > ll ? ll : dl);
        return bad(err, errlen, CONFIG_ERR_VALUE, "%s:%d: default_language %s is not in languages%s", path,
                   dl > ll ? dl : ll, c->default_lang, other);
    }
    return CONFIG_OK;
}
