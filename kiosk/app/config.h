/*
 * config: the kiosk's settings file (INI, section [kiosk]) read into an app_config. This room
 * only parses and checks settings; it opens nothing they name.
 */
#ifndef KIOSK_APP_CONFIG_H
#define KIOSK_APP_CONFIG_H

#include <stddef.h>

typedef struct app_config {
    char content[1024];          /* content database */
    char data_dir[1024];         /* holds translations/, fonts/, kiosk/ui/icons/ */
    char default_lang[12];       /* language of the attract screen and of "touch anywhere" */
    char languages[256];         /* comma-separated languages offered; empty = the pack's */
    int idle_timeout_s;          /* back to the start after this long without a touch */
    float px_per_mm;             /* 0 = guess from the screen size */
    char staff_pin_hash[256];    /* Argon2id string (kiosk-pack pin-hash); empty = no staff mode */
    char media_dir[1024];        /* where USB sticks appear; packs (*.kpack) are looked for below */
    char trusted_keys[1024];     /* comma-separated .pub files */
    char state_path[1024];       /* the kiosk's own database; default: beside the content */
    int sounds;                  /* a short click confirms taps (default on) */
    int rotation;                /* panel mounted turned clockwise by 0, 90, 180 or 270 degrees */
    char site_id[64], kiosk_id[64], location[256];   /* for the health report and staff */
    char store_url[512], caldav_url[512];             /* used by the sync and booking rooms */
    int sync_interval_s;         /* between polls of the central store (default 900) */
    int booking;                 /* bookable offers can be booked here (default on) */
    char caldav_user[128];       /* HTTP basic credentials for caldav_url */
    char caldav_password_file[1024]; /* a file holding the password (kept out of the INI) */
    int booking_retry_s;         /* between deliveries of queued bookings (default 60) */
} app_config;

/* Defaults: data dir ".", de, 90 s, media under /media. */
void app_config_defaults(app_config *c);

/*
 * Read an INI file into c ([kiosk] content, data_dir, default_language, languages,
 * idle_timeout, px_per_mm). Returns 0, or -1 with the file and line in err.
 */
int app_config_load(app_config *c, const char *path, char *err, size_t errlen);

#endif
