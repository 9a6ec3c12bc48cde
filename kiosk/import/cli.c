/*
 * cli.c: this room's kiosk-pack subcommands (import.h), kept here so the tool's own file only
 * dispatches to them.
 */
#include "import.h"

#include <string.h>

const char *imp_usage(void)
{
    return "       kiosk-pack export-hsds PACK.db OUT_DIR     HSDS 3.0: OUT_DIR/json, OUT_DIR/tabular (CSV + datapackage.json)\n"
           "       kiosk-pack import-hsds SRC_DIR OUT_DIR     HSDS 3.0 JSON or tabular -> JSON sources\n"
           "       kiosk-pack import-sheet SHEET.csv BASE_DIR OUT_DIR   a sheet of offers -> JSON sources\n"
           "       kiosk-pack import-integreat [--ca-file CA.pem] SRC REGION OUT_DIR [BASE_DIR]\n"
           "                                              Integreat (saved answers or URL; CA.pem: the CA to trust)\n"
           "       kiosk-pack po-export SRC_DIR LANG OUT.po   the texts for translators (gettext PO)\n"
           "       kiosk-pack po-import SRC_DIR LANG IN.po    translations back into the sources\n";
}

static int done(int rc, const char *err, FILE *msgs)
{
    if (rc != 0) fprintf(msgs, "kiosk-pack: %s\n", err);
    return rc != 0;
}

int imp_command(int argc, char **argv, FILE *msgs)
{
    char err[1200] = "";
    const char *cmd = argv[1];
    if (!strcmp(cmd, "export-hsds")) {
        if (argc != 4) return 2;
        return done(imp_export_hsds(argv[2], argv[3], err, sizeof err), err, msgs);
    }
    if (!strcmp(cmd, "import-hsds")) {
        if (argc != 4) return 2;
        return done(imp_import_hsds(argv[2], argv[3], msgs, err, sizeof err), err, msgs);
    }
    if (!strcmp(cmd, "import-sheet")) {
        if (argc != 5) return 2;
        return done(imp_import_sheet(argv[2], argv[3], argv[4], msgs, err, sizeof err), err, msgs);
    }
    if (!strcmp(cmd, "import-integreat")) {
        const char *ca = NULL;
        if (argc > 3 && !strcmp(argv[2], "--ca-file")) {
            ca = argv[3];
            argv += 2;
            argc -= 2;
        }
        if (argc != 5 && argc != 6) return 2;
        return done(imp_import_integreat(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL, ca, msgs, err,
                                         sizeof err),
                    err, msgs);
    }
    if (!strcmp(cmd, "po-export")) {
        if (argc != 5) return 2;
        return done(imp_po_export(argv[2], argv[3], argv[4], err, sizeof err), err, msgs);
    }
    if (!strcmp(cmd, "po-import")) {
        if (argc != 5) return 2;
        return done(imp_po_import(argv[2], argv[3], argv[4], msgs, err, sizeof err), err, msgs);
    }
    return -1;
}
