/*
 * config: the kiosk's settings file (INI, section [kiosk]) read into an app_config. This room
 * only parses and checks settings; it opens nothing they name.
 */
#ifndef KIOSK_APP_CONFIG_H
#define KIOSK_APP_CONFIG_H

#include "pack/format.h"

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
    pack_trust trust;            /* the keys in those files, loaded by app_config_load/_set */
    char state_path[1024];       /* the kiosk's own database; default: beside the content */
    int sounds;                  /* a short click confirms taps (default on) */
    int rotation;                /* panel mounted turned clockwise by 0, 90, 180 or 270 degrees */
    int renderer;                /* enum config_renderer */
    char site_id[64], kiosk_id[64], location[256];   /* for the health report and staff */
    char store_url[512], caldav_url[512];             /* used by the sync and booking rooms */
    int sync_interval_s;         /* between polls of the central store (default 900) */
    int booking;                 /* bookable offers can be booked here (default on) */
    char caldav_user[128];       /* HTTP basic credentials for caldav_url */
    char caldav_password_file[1024]; /* a file holding the password (kept out of the INI) */
    int booking_retry_s;         /* between deliveries of queued bookings (default 60) */
    int disk_reserve_mib;        /* kept free by content downloads for the state database (default 64) */
    char publication[64];        /* pack id of the publication shown; empty = the installed content's */
} app_config;

/* How frames reach the panel: SDL's accelerated renderer when the board has one (kmsdrm, GL),
 * or the software renderer, which costs CPU but none of a GL driver's memory (512 MB boards). */
enum config_renderer { CONFIG_RENDERER_AUTO = 0, CONFIG_RENDERER_SOFTWARE };

/* Why a settings file was refused (config_strerror gives the sentence). */
enum config_err {
    CONFIG_OK = 0,
    CONFIG_ERR_READ,      /* the file cannot be read */
    CONFIG_ERR_SYNTAX,    /* a line is neither [section] nor key = value, or is too long */
    CONFIG_ERR_SECTION,   /* a section other than [kiosk], or a setting outside it */
    CONFIG_ERR_KEY,       /* an unknown setting */
    CONFIG_ERR_TWICE,     /* a setting given twice */
    CONFIG_ERR_VALUE,     /* a value of the wrong kind or out of range */
    CONFIG_ERR_FILE,      /* a named file is missing, unreadable, or a secret others may read */
};

const char *config_strerror(int err);

/* The Argon2id cost kiosk-pack pin-hash uses and the least the kiosk accepts for staff_pin_hash:
 * with 6 digits an offline search of every PIN takes days here (README, "PIN strength"). */
#define CONFIG_PIN_MEMLIMIT (128u << 20) /* bytes */
#define CONFIG_PIN_OPSLIMIT 3u           /* passes */
#define CONFIG_PIN_MEMLIMIT_MAX (512u << 20) /* bytes: more than half a 1 GB board cannot verify */
#define CONFIG_PIN_OPSLIMIT_MAX 16u
/* How many digits a staff PIN has: the pad takes as many as kiosk-pack pin-hash hashes. */
#define CONFIG_PIN_MIN_DIGITS 6
#define CONFIG_PIN_MAX_DIGITS 16
/* The largest settings file read: the example is about 3 KiB. */
#define CONFIG_MAX_BYTES (64 * 1024)

/* Defaults: data dir ".", de, 90 s, media under /media. */
void app_config_defaults(app_config *c);

/*
 * Read an INI file into c. Every line is checked: the only section is [kiosk]; every key must be
 * known and given once; booleans are on/off/yes/no/true/false, numbers are whole decimal
 * numbers in their range, px_per_mm is 0 or a plain decimal in range, staff_pin_hash an
 * Argon2id string of at least CONFIG_PIN_MEMLIMIT and CONFIG_PIN_OPSLIMIT, trusted_keys files that load, caldav_password_file a file only its owner may
 * read. Returns CONFIG_OK, or the first error with "FILE:LINE: what" in err (c is then partly
 * filled and must not be used).
 */
int app_config_load(app_config *c, const char *path, char *err, size_t errlen);

/* Check and set one setting by its INI key (for command-line overrides). Returns CONFIG_OK, or
 * an error with "key: what" in err (c unchanged). */
int app_config_set(app_config *c, const char *key, const char *value, char *err, size_t errlen);

#endif
