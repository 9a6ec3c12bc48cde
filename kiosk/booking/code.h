/*
 * code.h: the alphabet of booking codes, for the booking room that makes and reads them and
 * for the keyboard a person types one on. Digits and capitals without look-alikes (0/O, 1/I/L),
 * so a code read off a phone or a note is typed right. Header only, no dependencies.
 */
#ifndef KIOSK_BOOKING_CODE_H
#define KIOSK_BOOKING_CODE_H

#define BOOKING_CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define BOOKING_CODE_LEN 6

#endif
