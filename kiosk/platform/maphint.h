/*
 * maphint: read-only file mappings the kiosk only dips into, told so (madvise MADV_RANDOM).
 * libicudata is a 30 MiB table of contents and resource bundles of which the first frame reads
 * about a hundred scattered pages. On a cold page cache (the first start after boot) a fault
 * in it read around the page and, the reads running on, the whole file (30 MiB read, 1.6 MiB of
 * it mapped by fault-around at the first frame); told it is read at random, each fault reads
 * what it needs (here 58 reads, 0.7 MiB mapped, and later starts find only those pages
 * cached). It does not stop Linux's fault-around (up to 64 KiB of pages already cached are
 * mapped with each fault): where the whole file is cached anyway, as on a machine where other
 * programs read ICU's data, it changes nothing.
 */
#ifndef KIOSK_MAPHINT_H
#define KIOSK_MAPHINT_H

/* Advise random access on every mapping of the process whose file name contains name (a
 * library already loaded: "libicudata.so"). Returns how many mappings were advised, -1 when
 * /proc/self/maps cannot be read. Call before the mappings are first touched. */
int maphint_random(const char *name);

#endif
