/*
 * booking_outbox.c: delivering queued requests (booking_flush_outbox). A request made while
 * the server could not be reached waits in the file as a QUEUED row, oldest first, until it is
 * held, lost to another booking, or cancelled.
 */
#include "booking/booking_priv.h"

#include "platform/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The oldest queued row after id. Returns 0, 1 none left, -1 on error. */
static int outbox_next(booking *b, int64_t after, booking_row *w)
{
    sqlite3_stmt *st =
        bk_db_prepare(b, "SELECT " ROW_COLS " FROM booking WHERE state=?1 AND backend=?2 AND id>?3 ORDER BY id LIMIT 1",
                   NULL, 0);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, BOOKING_QUEUED);
    sqlite3_bind_int(st, 2, BACKEND_CALDAV);
    sqlite3_bind_int64(st, 3, after);
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? (bk_row_read(st, w) == 0 ? 0 : -1) : rc == SQLITE_DONE ? 1 : -1;
    sqlite3_finalize(st);
    return out;
}

/* Record a delivered request as held; a failure here is logged (the server has it, flush may retry). */
static void outbox_confirm(booking *b, const booking_row *w, int seat)
{
    char err[256];
    int rc = bk_db_exec(b, "BEGIN IMMEDIATE", err, sizeof err);
    if (rc == 0) {
        bk_forget_stale_seat(b, w->info.offer_id, w->info.start, w->place, seat);
        rc = bk_row_set_state(b, w->id, BOOKING_CONFIRMED, seat, err, sizeof err);
        rc = rc == 0 ? bk_db_exec(b, "COMMIT", err, sizeof err) : rc;
        if (rc != 0) sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (rc != 0) log_msg("booking", "delivered request not recorded: %s", err);
}

/*
 * Deliver one queued request. Returns 0 when it is settled (confirmed, taken) or left for later
 * because the server refused it, -1 when the server is unreachable (stop the flush).
 */
static int outbox_deliver(booking *b, const booking_row *w)
{
    booking_request r = bk_row_request(w);
    char err[512];
    char *ics = bk_event_text(&r, w->info.code, b->kiosk_id);
    if (!ics) return 0;
    int rc = CALDAV_TAKEN, held = -1;
    for (int seat = 0; seat < w->capacity && rc == CALDAV_TAKEN; seat++) {
        char res[64];
        bk_resource_name(w->info.start, w->place, seat, res);
        rc = caldav_put_new(&b->dav, w->info.offer_id, res, ics, err, sizeof err);
        if (rc == CALDAV_OK) held = seat;
    }
    bk_free_secret(ics);
    if (held >= 0) {
        outbox_confirm(b, w, held);
        return 0;
    }
    if (rc == CALDAV_UNREACHABLE) return -1;
    /* every seat taken, or refused (409: same UID already there): maybe an earlier attempt landed */
    char put_err[512];
    snprintf(put_err, sizeof put_err, "%s", err);
    int found = -1;
    if (bk_server_seat_of(b, w, &found, err, sizeof err) == CALDAV_UNREACHABLE) return -1;
    if (found >= 0) {
        outbox_confirm(b, w, found);
    } else if (rc == CALDAV_TAKEN) {
        /* the person learns it when they look the code up */
        if (bk_row_set_state(b, w->id, BOOKING_TAKEN, -1, err, sizeof err) != 0)
            log_msg("booking", "queued request lost its slot, not recorded: %s", err);
        else
            log_msg("booking", "a queued request lost its slot to another booking");
    } else {
        log_msg("booking", "queued request refused by the server, kept: %s", put_err);
    }
    return 0;
}

static int outbox_count(booking *b)
{
    sqlite3_stmt *st = bk_db_prepare(b, "SELECT count(*) FROM booking WHERE state=?1", NULL, 0);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, BOOKING_QUEUED);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

int booking_flush_outbox(booking *b, int *queued, char *err, size_t errlen)
{
    if (queued) *queued = 0;
    if (!b) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle");
    int64_t last = 0;
    int reachable = 1;
    while (b->remote && reachable) {
        booking_row w;
        int rc = outbox_next(b, last, &w);
        if (rc != 0) break;
        last = w.id;
        reachable = outbox_deliver(b, &w) == 0;
        bk_row_free(&w);
    }
    bk_purge_personal(b);
    if (!reachable) return bk_fail(err, errlen, BOOKING_ERR_UNREACHABLE, "requests stay queued");
    int n = outbox_count(b);
    if (n < 0) return bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
    if (queued) *queued = n;
    return BOOKING_OK;
}
