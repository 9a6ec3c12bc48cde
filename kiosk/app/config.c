/*
 * config.c: reading the kiosk's INI settings file (see config.h).
 */
#include "config.h"

#include "i18n/i18n.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
}

static int conf_handler(void *user, const char *section, const char *name, const char *value)
{
    app_config *c = user;
    if (strcmp(section, "kiosk") != 0) return 1;
    if (!strcmp(name, "content")) snprintf(c->content, sizeof c->content, "%s", value);
    else if (!strcmp(name, "data_dir")) snprintf(c->data_dir, sizeof c->data_dir, "%s", value);
    else if (!strcmp(name, "default_language")) {
        if (!i18n_lang_find(value)) return 0;
        snprintf(c->default_lang, sizeof c->default_lang, "%s", value);
    } else if (!strcmp(name, "languages")) snprintf(c->languages, sizeof c->languages, "%s", value);
    else if (!strcmp(name, "idle_timeout")) {
        c->idle_timeout_s = atoi(value);
        if (c->idle_timeout_s < 15 || c->idle_timeout_s > 3600) return 0;
    } else if (!strcmp(name, "px_per_mm")) c->px_per_mm = strtof(value, NULL);
    else if (!strcmp(name, "staff_pin_hash")) snprintf(c->staff_pin_hash, sizeof c->staff_pin_hash, "%s", value);
    else if (!strcmp(name, "media_dir")) snprintf(c->media_dir, sizeof c->media_dir, "%s", value);
    else if (!strcmp(name, "trusted_keys")) snprintf(c->trusted_keys, sizeof c->trusted_keys, "%s", value);
    else if (!strcmp(name, "state")) snprintf(c->state_path, sizeof c->state_path, "%s", value);
    else if (!strcmp(name, "sounds")) c->sounds = !strcmp(value, "on") || !strcmp(value, "1") || !strcmp(value, "yes");
    else if (!strcmp(name, "rotation")) {
        c->rotation = atoi(value);
        if (c->rotation % 90 || c->rotation < 0 || c->rotation > 270) return 0;
    } else if (!strcmp(name, "site_id")) snprintf(c->site_id, sizeof c->site_id, "%s", value);
    else if (!strcmp(name, "kiosk_id")) snprintf(c->kiosk_id, sizeof c->kiosk_id, "%s", value);
    else if (!strcmp(name, "location")) snprintf(c->location, sizeof c->location, "%s", value);
    else if (!strcmp(name, "store_url")) snprintf(c->store_url, sizeof c->store_url, "%s", value);
    else if (!strcmp(name, "caldav_url")) snprintf(c->caldav_url, sizeof c->caldav_url, "%s", value);
    else if (!strcmp(name, "sync_interval")) {
        c->sync_interval_s = atoi(value);
        if (c->sync_interval_s < 10) return 0;
    } else if (!strcmp(name, "booking")) c->booking = !strcmp(value, "on") || !strcmp(value, "1") || !strcmp(value, "yes");
    else if (!strcmp(name, "caldav_user")) snprintf(c->caldav_user, sizeof c->caldav_user, "%s", value);
    else if (!strcmp(name, "caldav_password_file"))
        snprintf(c->caldav_password_file, sizeof c->caldav_password_file, "%s", value);
    else if (!strcmp(name, "booking_retry")) {
        c->booking_retry_s = atoi(value);
        if (c->booking_retry_s < 1 || c->booking_retry_s > 86400) return 0;
    }
    else return 0; /* a misspelt setting must not pass unnoticed */
    return 1;
}

int app_config_load(app_config *c, const char *path, char *err, size_t errlen)
{
    int rc = ini_parse(path, conf_handler, c);
    if (rc < 0) { snprintf(err, errlen, "%s: cannot read", path); return -1; }
    if (rc > 0) { snprintf(err, errlen, "%s:%d: invalid setting", path, rc); return -1; }
    return 0;
}
