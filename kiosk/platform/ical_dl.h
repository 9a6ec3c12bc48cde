/*
 * ical_dl: libical, opened on first use (dlopen). Only booking and the event import use it, and
 * linked at start-up it cost every start some 4.8 M instructions of symbol binding (libical and
 * the two libraries pkg-config adds) and its pages. Files that use libical include this header
 * instead of <libical/ical.h>; the ical* names below go through one table, filled once. libical
 * is a dependency of the kiosk like SDL: when it cannot be opened the first call says so on
 * stderr and aborts, as the dynamic loader would have refused to start.
 */
#ifndef KIOSK_ICAL_DL_H
#define KIOSK_ICAL_DL_H

#include <libical/ical.h>

/* Every libical function the kiosk calls (add one here and below when using it). */
#define ICAL_DL_FUNCS(X) \
    X(icalcomponent_add_component) \
    X(icalcomponent_add_property) \
    X(icalcomponent_as_ical_string_r) \
    X(icalcomponent_free) \
    X(icalcomponent_get_dtstart) \
    X(icalcomponent_get_first_component) \
    X(icalcomponent_get_next_component) \
    X(icalcomponent_get_uid) \
    X(icalcomponent_isa) \
    X(icalcomponent_new) \
    X(icalcomponent_vanew) \
    X(icalerrno_return) \
    X(icalerror_clear_errno) \
    X(icalmemory_free_buffer) \
    X(icalparser_parse_string) \
    X(icalproperty_new_calscale) \
    X(icalproperty_new_description) \
    X(icalproperty_new_dtend) \
    X(icalproperty_new_dtstamp) \
    X(icalproperty_new_dtstart) \
    X(icalproperty_new_location) \
    X(icalproperty_new_prodid) \
    X(icalproperty_new_status) \
    X(icalproperty_new_summary) \
    X(icalproperty_new_uid) \
    X(icalproperty_new_version) \
    X(icalproperty_new_x) \
    X(icalproperty_set_x_name) \
    X(icalrecur_iterator_free) \
    X(icalrecur_iterator_new) \
    X(icalrecur_iterator_next) \
    X(icalrecur_iterator_set_start) \
    X(icalrecurrencetype_day_day_of_week) \
    X(icalrecurrencetype_day_position) \
    X(icalrecurrencetype_from_string) \
    X(icaltime_compare) \
    X(icaltime_day_of_week) \
    X(icaltime_days_in_month) \
    X(icaltime_from_string) \
    X(icaltime_is_null_time) \
    X(icaltime_null_time) \
    X(icaltimezone_convert_time) \
    X(icaltimezone_get_utc_timezone) \

struct ical_dl_table {
#define ICAL_DL_FIELD(name) __typeof__(name) *name;
    ICAL_DL_FUNCS(ICAL_DL_FIELD)
#undef ICAL_DL_FIELD
};

/* The table, libical loaded on the first call (thread-safe). */
const struct ical_dl_table *ical_dl(void);

#ifndef ICAL_DL_TABLE_ONLY
#define icalcomponent_add_component (ical_dl()->icalcomponent_add_component)
#define icalcomponent_add_property (ical_dl()->icalcomponent_add_property)
#define icalcomponent_as_ical_string_r (ical_dl()->icalcomponent_as_ical_string_r)
#define icalcomponent_free (ical_dl()->icalcomponent_free)
#define icalcomponent_get_dtstart (ical_dl()->icalcomponent_get_dtstart)
#define icalcomponent_get_first_component (ical_dl()->icalcomponent_get_first_component)
#define icalcomponent_get_next_component (ical_dl()->icalcomponent_get_next_component)
#define icalcomponent_get_uid (ical_dl()->icalcomponent_get_uid)
#define icalcomponent_isa (ical_dl()->icalcomponent_isa)
#define icalcomponent_new (ical_dl()->icalcomponent_new)
#define icalcomponent_vanew (ical_dl()->icalcomponent_vanew)
#define icalerrno_return (ical_dl()->icalerrno_return)
#define icalerror_clear_errno (ical_dl()->icalerror_clear_errno)
#define icalmemory_free_buffer (ical_dl()->icalmemory_free_buffer)
#define icalparser_parse_string (ical_dl()->icalparser_parse_string)
#define icalproperty_new_calscale (ical_dl()->icalproperty_new_calscale)
#define icalproperty_new_description (ical_dl()->icalproperty_new_description)
#define icalproperty_new_dtend (ical_dl()->icalproperty_new_dtend)
#define icalproperty_new_dtstamp (ical_dl()->icalproperty_new_dtstamp)
#define icalproperty_new_dtstart (ical_dl()->icalproperty_new_dtstart)
#define icalproperty_new_location (ical_dl()->icalproperty_new_location)
#define icalproperty_new_prodid (ical_dl()->icalproperty_new_prodid)
#define icalproperty_new_status (ical_dl()->icalproperty_new_status)
#define icalproperty_new_summary (ical_dl()->icalproperty_new_summary)
#define icalproperty_new_uid (ical_dl()->icalproperty_new_uid)
#define icalproperty_new_version (ical_dl()->icalproperty_new_version)
#define icalproperty_new_x (ical_dl()->icalproperty_new_x)
#define icalproperty_set_x_name (ical_dl()->icalproperty_set_x_name)
#define icalrecur_iterator_free (ical_dl()->icalrecur_iterator_free)
#define icalrecur_iterator_new (ical_dl()->icalrecur_iterator_new)
#define icalrecur_iterator_next (ical_dl()->icalrecur_iterator_next)
#define icalrecur_iterator_set_start (ical_dl()->icalrecur_iterator_set_start)
#define icalrecurrencetype_day_day_of_week (ical_dl()->icalrecurrencetype_day_day_of_week)
#define icalrecurrencetype_day_position (ical_dl()->icalrecurrencetype_day_position)
#define icalrecurrencetype_from_string (ical_dl()->icalrecurrencetype_from_string)
#define icaltime_compare (ical_dl()->icaltime_compare)
#define icaltime_day_of_week (ical_dl()->icaltime_day_of_week)
#define icaltime_days_in_month (ical_dl()->icaltime_days_in_month)
#define icaltime_from_string (ical_dl()->icaltime_from_string)
#define icaltime_is_null_time (ical_dl()->icaltime_is_null_time)
#define icaltime_null_time (ical_dl()->icaltime_null_time)
#define icaltimezone_convert_time (ical_dl()->icaltimezone_convert_time)
#define icaltimezone_get_utc_timezone (ical_dl()->icaltimezone_get_utc_timezone)
#endif

#endif
