/*
 * qr_dl: libqrencode, opened on first use (dlopen). Only a booking's confirmation draws a QR code,
 * and linked at start-up the library cost every start its symbol binding and pages. draw.c
 * includes this header instead of <qrencode.h>; the two names below go through one table, filled
 * once. Like SDL it is a dependency of the kiosk: when it cannot be opened the first call says
 * so on stderr and aborts, as the dynamic loader would have refused to start.
 */
#ifndef KIOSK_QR_DL_H
#define KIOSK_QR_DL_H

#include <qrencode.h>

/* Every libqrencode function the kiosk calls (add one here and below when using it). */
#define QR_DL_FUNCS(X) \
    X(QRcode_encodeString8bit) \
    X(QRcode_free)

struct qr_dl_table {
#define QR_DL_FIELD(name) __typeof__(name) *name;
    QR_DL_FUNCS(QR_DL_FIELD)
#undef QR_DL_FIELD
};

/* The table, libqrencode loaded on the first call (thread-safe). */
const struct qr_dl_table *qr_dl(void);

#ifndef QR_DL_TABLE_ONLY
#define QRcode_encodeString8bit (qr_dl()->QRcode_encodeString8bit)
#define QRcode_free (qr_dl()->QRcode_free)
#endif

#endif
