#!/usr/bin/env python3
"""Write Integreat API v3 answers for a fictional region, as the tests import them.

usage: integreat_answers.py DIR [api]
Without "api": a saved-answers folder (DIR/regions.json, DIR/heidemoor/LANG/{locations,events,
pages}.json). With "api": the same answers where an nginx root serves them as the API's URLs
(DIR/api/v3/regions/index.json, DIR/api/v3/heidemoor/LANG/locations/index.json, ...).
German, English and Arabic (RTL); Amharic and easy German, which the kiosk has no language for;
a POI with opening hours, one with an unmapped category, one missing its Arabic translation;
weekly, monthly (COUNT) and one-off events; information pages in a hierarchy (chapters without
text, a chapter mapped apart from its parent, an unmapped tree, a slug a POI has too), one with
an Arabic (RTL) translation and no English one. Everything is invented.
"""
import json
import os
import sys


def hours(spec):
    days = []
    for d in spec:
        if d == "closed":
            days.append({"allDay": False, "closed": True, "appointmentOnly": False, "timeSlots": []})
        elif d == "appointment":
            days.append({"allDay": False, "closed": False, "appointmentOnly": True, "timeSlots": []})
        else:
            days.append({"allDay": False, "closed": False, "appointmentOnly": False,
                         "timeSlots": [{"start": a, "end": b} for a, b in d]})
    return days


LOC = {"id": 11, "name": "Beratungsstelle Kirchplatz", "address": "Kirchplatz 3", "town": "Heidemoor",
       "state": None, "postcode": "29601", "region": None, "country": "DE", "latitude": 52.9911, "longitude": 9.8412}
ORG = {"id": 7, "slug": "caritas-heidemoor", "name": "Caritasverband Heidemoor", "logo": "",
       "website": "https://caritas-heidemoor.example"}
PLACE = {"id": 12, "name": "Bürgerhaus", "address": "Marktstraße 1", "town": "Heidemoor", "state": None,
         "postcode": "29601", "region": None, "country": "DE", "latitude": None, "longitude": None}


def poi(i, lang, slug, title, excerpt, content, cat, langs, **kw):
    r = {"id": i, "url": "https://integreat.example/heidemoor/%s/locations/%s/" % (lang, slug),
         "path": "/heidemoor/%s/locations/%s/" % (lang, slug), "title": title, "modified_gmt": "",
         "last_updated": "2026-11-01T10:00:00Z", "meta_description": "", "excerpt": excerpt, "content": content,
         "appointment_url": None, "available_languages": langs, "icon": None, "thumbnail": None,
         "website": None, "email": None, "phone_number": None, "category": cat, "temporarily_closed": False,
         "opening_hours": None, "location": LOC, "hash": None, "organization": None, "barrier_free": False}
    r.update(kw)
    return r


def event(i, lang, slug, title, content, start, end, rrule, langs):
    return {"id": i, "url": "", "path": "/heidemoor/%s/events/%s/" % (lang, slug), "title": title,
            "modified_gmt": "", "last_updated": "2026-11-01T10:00:00Z", "excerpt": content, "content": content,
            "available_languages": langs, "thumbnail": None, "location": PLACE,
            "event": {"id": i, "start": start, "end": end, "all_day": False, "recurrence_id": None,
                      "timezone": "Europe/Berlin"},
            "hash": None, "recurrence_rule": rrule}


def page(i, lang, path, title, content, parent, langs, excerpt=None):
    return {"id": i, "url": "https://integreat.example/heidemoor/%s/%s/" % (lang, path),
            "path": "/heidemoor/%s/%s/" % (lang, path), "title": title, "modified_gmt": "",
            "last_updated": "2026-11-01T10:00:00Z", "excerpt": excerpt if excerpt is not None else content,
            "content": content, "parent": parent, "order": i, "available_languages": langs, "thumbnail": None,
            "organization": None, "hash": None}


def parent(i, lang, path):
    return {"id": i, "url": "https://integreat.example/heidemoor/%s/%s/" % (lang, path),
            "path": "/heidemoor/%s/%s/" % (lang, path)}


ROOT = {"id": 0, "url": None, "path": None}
WBS_DE = ("<h2>Was ist das?</h2><p>Mit dem Wohnberechtigungsschein (WBS) können Sie eine Sozialwohnung mieten.</p>"
          "<ul><li>Antrag beim Bürgeramt</li><li>Einkommensnachweis mitbringen</li></ul>"
          "<p dir=\"ltr\">Telefon: +49 5191 12-300</p>")
WBS_AR = ("<div dir=\"rtl\"><h2>ما هذا؟</h2><p>بشهادة استحقاق السكن (WBS) يمكنكم استئجار شقة اجتماعية.</p>"
          "<ul><li>الطلب لدى مكتب المواطنين (Bürgeramt)</li><li>أحضروا إثبات الدخل</li></ul>"
          "<p dir=\"ltr\">+49 5191 12-300</p></div>")
PAGES_DE = [
    page(1, "de", "ankommen", "Ankommen in Heidemoor", "", ROOT, {"en": {"id": 11, "url": "", "path": ""}}),
    page(2, "de", "ankommen/erste-schritte", "Erste Schritte",
         "<p>Melden Sie sich in den ersten zwei Wochen beim Bürgeramt an.</p>", parent(1, "de", "ankommen"),
         {"en": {"id": 12, "url": "", "path": ""}, "ar": {"id": 22, "url": "", "path": ""}}),
    page(3, "de", "ankommen/wohnen", "Wohnen", "<p> </p>", parent(1, "de", "ankommen"), {}),
    page(4, "de", "ankommen/wohnen/wohnberechtigungsschein", "Wohnberechtigungsschein", WBS_DE,
         parent(3, "de", "ankommen/wohnen"), {"ar": {"id": 24, "url": "", "path": ""}},
         excerpt="Mit dem Wohnberechtigungsschein (WBS) können Sie eine Sozialwohnung mieten."),
    page(5, "de", "freizeit", "Freizeit", "<p>Was Sie in Heidemoor unternehmen können.</p>", None, {}),
    page(6, "de", "freizeit/sportvereine", "Sportvereine", "<p>Fußball, Schwimmen, Tanzen.</p>",
         parent(5, "de", "freizeit"), {}),
    page(7, "de", "ankommen/sprachcafe", "Sprachcafé im Rathaus", "<p>Jeden Montag im Rathaus.</p>",
         parent(1, "de", "ankommen"), {}),
]
PAGES_EN = [
    page(11, "en", "arriving", "Arriving in Heidemoor", "", ROOT, {"de": {"id": 1, "url": "", "path": ""}}),
    page(12, "en", "arriving/first-steps", "First steps",
         "<p>Register at the citizens' office within two weeks.</p>", parent(11, "en", "arriving"),
         {"de": {"id": 2, "url": "", "path": ""}}),
]
PAGES_AR = [
    page(22, "ar", "ankommen/erste-schritte", "الخطوات الأولى", "<p dir=\"rtl\">سجلوا أنفسكم لدى مكتب المواطنين خلال أسبوعين.</p>",
         ROOT, {"de": {"id": 2, "url": "", "path": ""}}),
    page(24, "ar", "ankommen/wohnen/wohnberechtigungsschein", "شهادة استحقاق السكن (WBS)", WBS_AR, ROOT,
         {"de": {"id": 4, "url": "", "path": ""}}, excerpt="بشهادة استحقاق السكن يمكنكم استئجار شقة اجتماعية."),
]

BERATUNG = {"id": 5, "name": "Beratung", "color": "#ff0000", "icon": "advice", "icon_url": ""}
SPRACHE = {"id": 6, "name": "Sprache", "color": "#00ff00", "icon": "language", "icon_url": ""}
SONST = {"id": 9, "name": "Sonstiges", "color": "#0000ff", "icon": "other", "icon_url": ""}
OPEN = hours([[("09:00", "12:00")], [("09:00", "12:00")], "closed", [("09:00", "12:00"), ("14:00", "18:00")],
              "appointment", "closed", "closed"])

de_html = ("<p>Wir beraten Sie zu <strong>Aufenthalt</strong>, Arbeit und Wohnen.</p>"
           "<script>alert('nicht zeigen')</script><style>p { color: red }</style>"
           "<ul><li>Termine nach Absprache</li><li>Dolmetscher auf Wunsch</li></ul>"
           "<p>Mehr auf der <a href=\"https://caritas-heidemoor.example/mbe\">Webseite</a>.</p>"
           "<p dir=\"ltr\">Telefon: +49 5191 70-100</p>")
ANSWERS = {
    "de": {
        "locations": [
            poi(101, "de", "migrationsberatung", "Migrationsberatung für Erwachsene",
                "<p>Beratung zu Aufenthalt, Arbeit und Wohnen für Menschen ab 27 Jahren.</p>", de_html, BERATUNG,
                {"en": {"id": 201, "url": "", "path": ""}, "ar": {"id": 301, "url": "", "path": ""}},
                opening_hours=OPEN, organization=ORG, phone_number="+49 5191 70-100",
                email="mbe@caritas-heidemoor.example", barrier_free=True),
            poi(102, "de", "kleiderkammer", "Kleiderkammer", "Kleidung für alle.", "<p>Kleidung.</p>", SONST, {}),
            poi(103, "de", "sprachcafe", "Sprachcafé", "Deutsch üben bei Kaffee und Kuchen.",
                "<p>Jeden Freitag.</p>", SPRACHE, {"en": {"id": 202, "url": "", "path": ""}},
                opening_hours=hours(["closed"] * 4 + [[("15:00", "17:00")]] + ["closed"] * 2)),
        ],
        "events": [
            event(501, "de", "begegnungsabend", "Begegnungsabend", "<p>Kochen und reden.</p>",
                  "2027-01-06T18:00:00+01:00", "2027-01-06T20:00:00+01:00", "FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231T000000Z",
                  {"en": {"id": 601, "url": "", "path": ""}, "ar": {"id": 701, "url": "", "path": ""}}),
            event(502, "de", "elterncafe", "Elterncafé", "<p>Für Eltern mit kleinen Kindern.</p>",
                  "2027-02-02T10:00:00+01:00", "2027-02-02T11:30:00+01:00", "FREQ=MONTHLY;BYDAY=1TU;COUNT=6", {}),
            event(503, "de", "infoabend-schule", "Infoabend Schule", "<p>Das Schulsystem erklärt.</p>",
                  "2027-03-10T17:00:00+01:00", "2027-03-10T19:00:00+01:00", None, {}),
            dict(event(None, "de", "begegnungsabend", "Begegnungsabend", "", "2027-01-13T18:00:00+01:00",
                       "2027-01-13T20:00:00+01:00", None, {}), id=None),
        ],
        "pages": PAGES_DE,
    },
    "en": {
        "locations": [
            poi(201, "en", "migration-counselling", "Migration counselling for adults",
                "Advice on residence, work and housing.", "<p>We advise you on <b>residence</b>.</p>", BERATUNG,
                {"de": {"id": 101, "url": "", "path": ""}}),
            poi(202, "en", "language-cafe", "Language café", "Practise German over coffee.", "<p>Every Friday.</p>",
                SPRACHE, {"de": {"id": 103, "url": "", "path": ""}}),
        ],
        "events": [event(601, "en", "meeting-evening", "Meeting evening", "<p>Cooking and talking.</p>",
                         "2027-01-06T18:00:00+01:00", "2027-01-06T20:00:00+01:00", None, {})],
        "pages": PAGES_EN,
    },
    "ar": {
        "locations": [
            poi(301, "ar", "istishara", "استشارة الهجرة للبالغين", "استشارة حول الإقامة والعمل والسكن.",
                "<p>نقدم لكم الاستشارة حول <b>الإقامة</b>.</p><p dir=\"ltr\">+49 5191 70-100</p>", BERATUNG,
                {"de": {"id": 101, "url": "", "path": ""}}),
        ],
        "events": [event(701, "ar", "amsiya", "أمسية تعارف", "<p>طبخ وحديث.</p>", "2027-01-06T18:00:00+01:00",
                         "2027-01-06T20:00:00+01:00", None, {})],
        "pages": PAGES_AR,
    },
}

REGIONS = [{"id": 1, "name": "Landkreis Heidemoor", "path": "/heidemoor/", "live": True, "prefix": "Landkreis",
            "name_without_prefix": "Heidemoor", "plz": 29601, "extras": False, "events": True, "pois": True,
            "push_notifications": False, "longitude": 9.84, "latitude": 52.99, "bounding_box": [], "aliases": None,
            "tunews": False, "external_news": False,
            "languages": [{"id": 1, "code": "de", "bcp47_tag": "de-DE", "native_name": "Deutsch", "dir": "ltr"},
                          {"id": 2, "code": "en", "bcp47_tag": "en-US", "native_name": "English", "dir": "ltr"},
                          {"id": 3, "code": "ar", "bcp47_tag": "ar-MA", "native_name": "العربية", "dir": "rtl"},
                          {"id": 4, "code": "am", "bcp47_tag": "am-ET", "native_name": "አማርኛ", "dir": "ltr"},
                          {"id": 5, "code": "de-si", "bcp47_tag": "de-DE-x-si", "native_name": "Einfache Sprache",
                           "dir": "ltr"}]}]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)


def main():
    out = sys.argv[1]
    api = len(sys.argv) > 2 and sys.argv[2] == "api"
    write(os.path.join(out, "api/v3/regions/index.json") if api else os.path.join(out, "regions.json"), REGIONS)
    for lang, answers in ANSWERS.items():
        for what, data in answers.items():
            if api:
                write(os.path.join(out, "api/v3/heidemoor", lang, what, "index.json"), data)
            else:
                write(os.path.join(out, "heidemoor", lang, what + ".json"), data)


if __name__ == "__main__":
    main()
