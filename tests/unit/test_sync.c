/*
 * Sync against a real nginx on loopback, started here: delta chain, missing delta -> full pack,
 * 404, 500, a stalling server, a cut download resumed, corrupted bytes, a replayed old index,
 * an expired index, the server gone and back, and the health report PUT over WebDAV; and a
 * hostile store: a trickle just above the stall limit, sync_stop during it, a Range answered
 * with the whole file, redirects (another host, file://), a gzip bomb, an index listing a pack
 * twice (counted: tried, refused, accepted, got through).
 * Each failure leaves the installed content as it was. Usage: test_sync BUILD_DIR
 */
#include "check.h"
#include "pack/publish.h"
#include "pack/sign.h"
#include "store/local.h"
#include "sync/sync.h"

#include <jansson.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[512], root[600];
static int port;
static const char *build; /* the build folder given: its kiosk and kiosk-pack */
static sync_config cfg;


static int nginx_start(void)
{
    char conf[700];
    snprintf(conf, sizeof conf, "%s/nginx.conf", dir);
    FILE *f = fopen(conf, "w");
    if (!f) return -1;
    fprintf(f,
            "user root;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/nginx-error.log;\n"
            "events { worker_connections 64; }\n"
            "http {\n access_log %s/nginx-access.log;\n client_body_temp_path %s/tmp-body;\n"
            " proxy_temp_path %s/tmp-proxy;\n fastcgi_temp_path %s/tmp-fcgi;\n uwsgi_temp_path %s/tmp-uwsgi;\n"
            " scgi_temp_path %s/tmp-scgi;\n default_type application/octet-stream;\n"
            " server {\n  listen 127.0.0.1:%d;\n  root %s;\n"
            "  location /err/ { return 500; }\n"
            "  location /slow/ { alias %s/a/; limit_rate 50; }\n"
            /* just above the stall limit (100 B/s): a 3 MB pack would take two hours */
            "  location /trickle/packs/ { alias %s/b/packs/; limit_rate 400; }\n"
            "  location /trickle/ { alias %s/b/; }\n"
            "  location /moved/ { return 301 https://127.0.0.1:%d/b/index.kpack; }\n"
            "  location /tofile/ { return 302 file:///etc/passwd; }\n"
            "  location /gz/ { add_header Content-Encoding gzip; }\n"
            "  location ~ ^/[a-z0-9]+/health/ { dav_methods PUT; create_full_put_path on; dav_access user:rw all:r; }\n"
            " }\n}\n",
            dir, dir, dir, dir, dir, dir, dir, dir, port, root, root, root, root, port);
    fclose(f);
    return check_sh("nginx -c %s -p %s 2>/dev/null", conf, dir);
}

static void nginx_stop(void)
{
    char pidf[700];
    snprintf(pidf, sizeof pidf, "%s/nginx.pid", dir);
    FILE *f = fopen(pidf, "r");
    int pid = 0;
    if (f && fscanf(f, "%d", &pid) != 1) pid = 0;
    if (f) fclose(f);
    if (pid > 0) kill(pid, SIGQUIT);
    for (int i = 0; i < 50 && access(pidf, F_OK) == 0; i++) usleep(100000);
}

static int64_t installed(void)
{
    char v[32];
    return pack_content_version(cfg.content_path, v, sizeof v) == 0 ? atoll(v) : 0;
}

static void use(const char *pub)
{
    snprintf(cfg.url, sizeof cfg.url, "http://127.0.0.1:%d/%s/", port, pub);
    check_sh("rm -rf %s", cfg.work_dir);
}

static void reset_to(int version)
{
    check_sh("cp %s/v%d.db %s", dir, version, cfg.content_path);
    check_sh("rm -rf %s %s %s-wal %s-shm", cfg.work_dir, cfg.state_path, cfg.state_path, cfg.state_path);
}

TEST(setup)
{
    /* versions 1, 2, 3 of the demo district; 3 renames an offer */
    CHECK(check_sh("rm -rf %s && mkdir -p %s/root/health && cp -r content/demo %s/src && ln -s \"$PWD/content/pictograms\" "
             "%s/src/pictograms && cp %s/content/demo.db %s/v1.db && "
             "sed -i 's/\"version\": 1/\"version\": 2/' %s/src/pack.json && %s/kiosk-pack build %s/src %s/v2.db && "
             "sed -i 's/\"version\": 2/\"version\": 3/' %s/src/pack.json && "
             "sed -i 's/Sprachcafé/Sprach-Café/' %s/src/offers/stadtbibliothek-sprachcafe.json && "
             "%s/kiosk-pack build %s/src %s/v3.db",
             dir, dir, dir, dir, build, dir, dir, build, dir, dir, dir, dir, build, dir, dir) == 0,
          "three versions built");
    CHECK(check_sh("%s/kiosk-pack publish %s/a content/keys/demo.secret 30 %s/v1.db %s/v2.db %s/v3.db && "
             "%s/kiosk-pack publish %s/b content/keys/demo.secret 30 %s/v3.db && "
             "%s/kiosk-pack publish %s/old content/keys/demo.secret 30 %s/v1.db",
             build, root, dir, dir, dir, build, root, dir, build, root, dir) == 0,
          "published: a (1, 2, 3 with deltas), b (3 only), old (1 only)");
    CHECK(nginx_start() == 0, "nginx started on 127.0.0.1:%d", port);
    usleep(300000);
}

TEST(delta_chain)
{
    reset_to(1);
    use("a");
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == 0 && installed() == 3 && st.content_changed, "1 -> 3: %s", st.last_error);
    struct stat full;
    char p[800];
    snprintf(p, sizeof p, "%s/a/packs/demo-heidemoor-3.kpack", root);
    stat(p, &full);
    CHECK(st.bytes_last > 0 && st.bytes_last * 10 < full.st_size, "by deltas: %lld bytes, full pack %lld",
          (long long)st.bytes_last, (long long)full.st_size);
    /* nothing new: the index is not even downloaded again (ETag) */
    sync_status again = {0};
    CHECK(sync_once(&cfg, &again) == 0 && again.bytes_last == 0 && !again.content_changed, "up to date, 304");
}

TEST(missing_delta_falls_back)
{
    reset_to(1);
    use("a");
    check_sh("mkdir -p %s/a-hidden && mv %s/a/packs/demo-heidemoor-1-2.kpack %s/a-hidden/", dir, root, dir);
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == 0 && installed() == 3, "404 on a delta, then the full pack: %s", st.last_error);
    check_sh("mv %s/a-hidden/demo-heidemoor-1-2.kpack %s/a/packs/", dir, root);
}

/* A staging file a power cut left never blocks updates; a running installation (the lock) does. */
TEST(staging_leftover_and_lock)
{
    reset_to(1);
    use("a");
    check_sh("echo junk > %s.new && echo junk > %s.new.Q1w2E3", cfg.content_path, cfg.content_path);
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == 0 && installed() == 3, "updated over leftovers: %s", st.last_error);
    CHECK(check_sh("! ls %s.new* 2>/dev/null | grep -q .", cfg.content_path) == 0, "leftovers removed");
    reset_to(1);
    use("a");
    char lock[1100];
    snprintf(lock, sizeof lock, "%s.lock", cfg.content_path);
    int fd = open(lock, O_RDONLY | O_CREAT, 0644);
    CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0, "another installer holds the lock");
    sync_status busy = {0};
    CHECK(sync_once(&cfg, &busy) == -1 && strstr(busy.last_error, "another installation") && busy.reason == SYNC_BUSY &&
              !strcmp(sync_status_reason(&busy), sync_strerror(SYNC_BUSY)) && installed() == 1,
          "waits for it: %s", busy.last_error);
    if (fd >= 0) close(fd);
    sync_status after = {0};
    CHECK(sync_once(&cfg, &after) == 0 && installed() == 3, "then updates: %s", after.last_error);
}

TEST(server_errors)
{
    reset_to(1);
    sync_status st = {0};
    use("nothing");
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "404") && installed() == 1, "404: %s", st.last_error);
    use("err");
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "500") && installed() == 1 && st.errors == 2,
          "500: %s", st.last_error);
    /* a stalling server is cut after the timeout */
    use("slow");
    time_t t0 = time(NULL);
    CHECK(sync_once(&cfg, &st) == -1 && installed() == 1, "stall: %s", st.last_error);
    CHECK(time(NULL) - t0 < 30, "gave up on the stall");
}

TEST(corrupt_and_resume)
{
    char p[800];
    snprintf(p, sizeof p, "%s/b/packs/demo-heidemoor-3.kpack", root);
    /* corrupted bytes on the server: refused, nothing installed, the bad download not kept */
    check_sh("cp %s %s/good.kpack && printf 'X' | dd of=%s bs=1 seek=5000 conv=notrunc 2>/dev/null", p, dir, p);
    reset_to(1);
    use("b");
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "damaged") && installed() == 1, "corrupt: %s",
          st.last_error);
    check_sh("cp %s/good.kpack %s", dir, p);
    /* a download cut in the middle: the next attempt asks only for the rest */
    struct stat full;
    stat(p, &full);
    check_sh("mkdir -p %s && head -c %lld %s > %s/packs%%2Fdemo-heidemoor-3.kpack.part", cfg.work_dir, (long long)full.st_size / 2, p,
       cfg.work_dir);
    CHECK(sync_once(&cfg, &st) == 0 && installed() == 3, "resumed: %s", st.last_error);
    CHECK(st.bytes_last < full.st_size * 3 / 4, "only the rest was fetched: %lld of %lld bytes", (long long)st.bytes_last,
          (long long)full.st_size);
}

TEST(replay_and_expiry)
{
    reset_to(3);
    use("old");
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "rollback") && installed() == 3, "old index replayed: %s",
          st.last_error);
    /* a kiosk that has seen a manifest from 400 days ahead treats a 30-day publication as expired */
    reset_to(1);
    use("a");
    local *l = NULL;
    char err[256];
    if (local_open(&l, cfg.state_path, err, sizeof err) == 0) {
        local_set_int(l, "newest_manifest_time", (int64_t)time(NULL) + 400 * 86400);
        local_close(l);
    }
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "expired") && installed() == 1, "expired: %s",
          st.last_error);
}

/* No partial download is left in the work folder. */
static int no_parts(void)
{
    return check_sh("! ls %s/*.part 2>/dev/null | grep -q .", cfg.work_dir) == 0;
}

/* Bytes kept from a cut download of another file once listed under the same name (the publisher
 * replaced it): the mismatch is downloaded whole in the same round, not reported as damaged. */
TEST(resume_of_a_replaced_file)
{
    char p[800];
    snprintf(p, sizeof p, "%s/b/packs/demo-heidemoor-3.kpack", root);
    struct stat full;
    stat(p, &full);
    reset_to(1);
    use("b");
    check_sh("mkdir -p %s && head -c %lld /dev/urandom > %s/packs%%2Fdemo-heidemoor-3.kpack.part", cfg.work_dir,
             (long long)full.st_size / 2, cfg.work_dir);
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == 0 && installed() == 3, "installed in one round: %s", st.last_error);
    CHECK(no_parts(), "no download left behind");
}

/* A 300 MB index (sparse on the server): cut off at SYNC_INDEX_MAX, nothing kept. */
TEST(index_too_big)
{
    reset_to(1);
    check_sh("mkdir -p %s/huge && truncate -s 300M %s/huge/index.kpack", root, root);
    use("huge");
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "index") && strstr(st.last_error, "2 MiB") &&
              installed() == 1,
          "refused: %s", st.last_error);
    CHECK(st.bytes_last <= SYNC_INDEX_MAX + (1 << 16), "stopped at the cap: %lld bytes", (long long)st.bytes_last);
    CHECK(no_parts() && check_sh("! ls %s/index.kpack* 2>/dev/null | grep -q .", cfg.work_dir) == 0,
          "nothing of it left on disk");
    check_sh("rm -rf %s/huge", root);
}

/* The server sends more than the index lists for a pack: cut off at the listed size. */
TEST(pack_larger_than_listed)
{
    reset_to(1);
    char p[800];
    snprintf(p, sizeof p, "%s/long/packs/demo-heidemoor-3.kpack", root);
    check_sh("rm -rf %s/long && cp -r %s/b %s/long", root, root, root);
    struct stat sb;
    int64_t listed = stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
    check_sh("head -c 8000000 /dev/zero >> %s", p);
    use("long");
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "demo-heidemoor-3.kpack") &&
              strstr(st.last_error, "more than") && installed() == 1,
          "refused: %s", st.last_error);
    CHECK(st.bytes_last <= listed + (1 << 16), "stopped at the listed %lld bytes: %lld", (long long)listed,
          (long long)st.bytes_last);
    CHECK(no_parts(), "nothing of it left on disk");
    /* a leftover partial download longer than listed is not resumed from either */
    use("b");
    check_sh("mkdir -p %s && head -c %lld /dev/zero > %s/packs%%2Fdemo-heidemoor-3.kpack.part", cfg.work_dir,
             (long long)listed + 10, cfg.work_dir);
    sync_status ok = {0};
    CHECK(sync_once(&cfg, &ok) == 0 && installed() == 3, "the right size then installs: %s", ok.last_error);
    check_sh("rm -rf %s/long", root);
}

/* A pack is fetched only when the disk keeps the reserve free afterwards. */
TEST(disk_reserve)
{
    reset_to(1);
    use("b");
    cfg.reserve_bytes = (int64_t)1 << 50; /* a petabyte: more than any test disk has free */
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "demo-heidemoor-3.kpack") &&
              strstr(st.last_error, "free disk space") && strstr(st.last_error, "reserve") && installed() == 1,
          "refused before downloading: %s", st.last_error);
    CHECK(st.bytes_last < (1 << 16) && no_parts(), "only the index was fetched (%lld bytes), no part file",
          (long long)st.bytes_last);
    cfg.reserve_bytes = 0; /* the default, 64 MiB */
    sync_status ok = {0};
    CHECK(sync_once(&cfg, &ok) == 0 && installed() == 3, "with the default reserve it installs: %s", ok.last_error);
}

/* The configured publication decides, not the installed content's id. */
TEST(publication_pinned)
{
    reset_to(1);
    use("a");
    snprintf(cfg.publication, sizeof cfg.publication, "demo-other");
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "another publication") && installed() == 1,
          "pinned to another publication: %s", st.last_error);
    /* a test pack is installed; the kiosk is pinned to production (the index's id) */
    reset_to(1);
    check_sh("sqlite3 %s \"UPDATE meta SET value='demo-test' WHERE key='pack_id'\"", cfg.content_path);
    cfg.publication[0] = 0;
    sync_status other = {0};
    CHECK(sync_once(&cfg, &other) == -1 && strstr(other.last_error, "another publication") && installed() == 1,
          "unpinned, the installed id decides: %s", other.last_error);
    snprintf(cfg.publication, sizeof cfg.publication, "demo-heidemoor");
    sync_status back = {0};
    CHECK(sync_once(&cfg, &back) == 0 && installed() == 3, "pinned to production, it comes back: %s",
          back.last_error);
    cfg.publication[0] = 0;
}

/* The sync thread bounds the clock floor like the CLI: with a synchronised clock, an index
 * dated ten years ahead is refused and moves nothing; a floor already ahead comes back. */
TEST(clock_floor_bound)
{
    char flag[700], payload[700], fut[700], err[512];
    snprintf(flag, sizeof flag, "%s/synchronized", dir);
    snprintf(payload, sizeof payload, "%s/index-payload.json", dir);
    snprintf(fut, sizeof fut, "%s/future/index.kpack", root);
    check_sh("touch %s && mkdir -p %s/future && ln -sfn ../a/packs %s/future/packs", flag, root, root);
    /* the index of publication a, signed again as if made ten years from now */
    char ipath[700], *body = NULL;
    snprintf(ipath, sizeof ipath, "%s/a/index.kpack", root);
    pack_manifest m;
    int rc = pack_read_small(ipath, &cfg.trust, "index", &m, &body, 1 << 20, err, sizeof err);
    FILE *f = rc == PACK_OK ? fopen(payload, "w") : NULL;
    if (f) {
        fputs(body, f);
        fclose(f);
    }
    free(body);
    int64_t now = (int64_t)time(NULL), ahead = now + 10 * 365 * 86400LL;
    CHECK(f && pack_sign_payload_at(payload, "index", m.pack_id, m.content_version, ahead, "content/keys/demo.secret",
                                    30, fut, err, sizeof err) == 0,
          "an index dated ten years ahead: %s", err);
    reset_to(1);
    use("future");
    cfg.clock_synced_path = flag;
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && strstr(st.last_error, "ahead") && installed() == 1, "refused: %s",
          st.last_error);
    local *l = NULL;
    int64_t floor = -1;
    if (local_open(&l, cfg.state_path, err, sizeof err) == 0) {
        floor = local_get_int(l, "newest_manifest_time", 0);
        local_close(l);
    }
    CHECK(floor < now + 86400, "the floor did not move (%lld s ahead)", (long long)(floor - now));
    /* a floor 400 days ahead (left by such an index before the bound): back to the clock */
    reset_to(1);
    use("a");
    if (local_open(&l, cfg.state_path, err, sizeof err) == 0) {
        local_set_int(l, "newest_manifest_time", now + 400 * 86400LL);
        local_close(l);
    }
    sync_status back = {0};
    CHECK(sync_once(&cfg, &back) == 0 && installed() == 3, "a floor ahead comes back to the clock: %s",
          back.last_error);
    cfg.clock_synced_path = "/nonexistent/synchronized";
    check_sh("rm -rf %s/future", root);
}

/* What the hostile-store cases below found: each is tried, then refused with a message, taken
 * correctly, or it got through (nothing may). */
static int store_tried, store_refused, store_accepted, store_through;

static void store_case(const char *what, int outcome, const char *msg)
{
    store_tried++;
    if (outcome > 0) store_refused++;
    else if (outcome == 0) store_accepted++;
    else store_through++;
    printf("store case %s: %s: %s\n", what, outcome > 0 ? "refused" : outcome == 0 ? "accepted" : "GOT THROUGH", msg);
}

/* A server trickling just above the stall limit is cut at transfer_max_s; the part is kept and
 * the next attempt resumes it from an honest server. */
TEST(trickle_cut)
{
    reset_to(1);
    use("trickle");
    cfg.transfer_max_s = 4;
    time_t t0 = time(NULL);
    sync_status st = {0};
    int rc = sync_once(&cfg, &st);
    int took = (int)(time(NULL) - t0);
    CHECK(rc == -1 && strstr(st.last_error, "still running after 4 s") && strstr(st.last_error, "next time") &&
              installed() == 1 && took < 30,
          "a trickled pack cut after 4 s (%d s): %s", took, st.last_error);
    store_case("pack trickled at 400 B/s", rc == -1 && took < 30 ? 1 : -1, st.last_error);
    struct stat part;
    char p[1200];
    snprintf(p, sizeof p, "%s/packs%%2Fdemo-heidemoor-3.kpack.part", cfg.work_dir);
    CHECK(stat(p, &part) == 0 && part.st_size > 0, "what came is kept (%lld bytes)", (long long)part.st_size);
    cfg.transfer_max_s = 0;
    /* the same work folder, the honest server */
    snprintf(cfg.url, sizeof cfg.url, "http://127.0.0.1:%d/b/", port);
    sync_status ok = {0};
    CHECK(sync_once(&cfg, &ok) == 0 && installed() == 3, "then resumed and installed: %s", ok.last_error);
}

/* sync_stop cuts a transfer in progress instead of waiting for the trickle to end (the kiosk's
 * SIGTERM). Run in a child, which the test kills when it hangs. */
TEST(stop_during_trickle)
{
    reset_to(1);
    use("trickle");
    pid_t child = fork();
    if (child == 0) {
        cfg.transfer_max_s = 600;
        cfg.interval_s = 3600;
        sync_ctx *s = sync_start(&cfg);
        char p[1200];
        snprintf(p, sizeof p, "%s/packs%%2Fdemo-heidemoor-3.kpack.part", cfg.work_dir);
        for (int i = 0; i < 200 && access(p, F_OK) != 0; i++) usleep(50000);
        usleep(500000); /* well inside the download */
        sync_stop(s);
        _exit(access(p, F_OK) == 0 ? 0 : 2);
    }
    int status = -1, done = 0;
    for (int i = 0; i < 300 && !done; i++) {
        usleep(50000);
        done = waitpid(child, &status, WNOHANG) == child;
    }
    if (!done) {
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
    }
    CHECK(done && WIFEXITED(status) && WEXITSTATUS(status) == 0, "sync_stop returned within 15 s, the part kept (%s)",
          done ? "exited" : "hung: killed");
    store_case("sync_stop during a trickled pack", done ? 1 : -1, done ? "cut" : "sync_stop hung");
    CHECK(installed() == 1, "nothing installed");
}

/* A server (or proxy) answering every Range with the whole file (206, bytes 0-N/N): libcurl
 * refuses the range, and the partial file must not be resumed from for ever. */
TEST(range_answered_whole)
{
    int rport = 19300 + (int)(getpid() % 200); /* clear of the other tests' servers */
    char pidf[700];
    snprintf(pidf, sizeof pidf, "%s/range.pid", dir);
    unlink(pidf);
    check_sh("python3 tests/servers/range_whole.py %d %s > %s 2>/dev/null &", rport, root, pidf);
    int pid = check_pid_from(pidf);
    CHECK(pid > 0, "the range server started on %d", rport);
    if (pid <= 0) return;
    usleep(200000);
    reset_to(1);
    snprintf(cfg.url, sizeof cfg.url, "http://127.0.0.1:%d/b/", rport);
    char p[800];
    snprintf(p, sizeof p, "%s/b/packs/demo-heidemoor-3.kpack", root);
    struct stat full;
    stat(p, &full);
    check_sh("mkdir -p %s && head -c %lld %s > %s/packs%%2Fdemo-heidemoor-3.kpack.part", cfg.work_dir, (long long)full.st_size / 2,
             p, cfg.work_dir);
    sync_status st = {0};
    int rc = sync_once(&cfg, &st);
    CHECK(rc == 0 && installed() == 3, "the partial file dropped, the pack fetched whole: %s", st.last_error);
    store_case("Range answered with the whole file (206)", rc == 0 ? 0 : -1, rc == 0 ? "fetched afresh" : st.last_error);
    kill(pid, SIGTERM);
}

/* Redirects are not followed (to another host, to file://); the message says where it pointed. */
TEST(redirects_not_followed)
{
    reset_to(1);
    const char *pubs[] = {"moved", "tofile"};
    const char *to[] = {"https://127.0.0.1", "file:///etc/passwd"};
    for (int i = 0; i < 2; i++) {
        use(pubs[i]);
        sync_status st = {0};
        int rc = sync_once(&cfg, &st);
        CHECK(rc == -1 && strstr(st.last_error, "redirect") && strstr(st.last_error, to[i]) && installed() == 1,
              "%s: not followed, named: %s", pubs[i], st.last_error);
        CHECK(check_sh("! ls %s/index.kpack* 2>/dev/null | grep -q .", cfg.work_dir) == 0, "%s: nothing kept", pubs[i]);
        store_case(pubs[i], rc == -1 && installed() == 1 ? 1 : -1, st.last_error);
    }
}

/* An index served with Content-Encoding: gzip, a bomb of 300 MB of zeros: the kiosk asks for no
 * encoding and decodes none, so the bytes are counted as they travel and refused as no index. */
TEST(gzip_bomb)
{
    reset_to(1);
    check_sh("mkdir -p %s/gz && head -c 300M /dev/zero | gzip -1 > %s/gz/index.kpack", root, root);
    struct stat gz;
    char p[700];
    snprintf(p, sizeof p, "%s/gz/index.kpack", root);
    stat(p, &gz);
    use("gz");
    sync_status st = {0};
    int rc = sync_once(&cfg, &st);
    CHECK(rc == -1 && installed() == 1 && st.bytes_last <= (int64_t)gz.st_size, "refused (%lld of %lld bytes): %s",
          (long long)st.bytes_last, (long long)gz.st_size, st.last_error);
    CHECK(check_sh("! find %s -size +2M | grep -q .", cfg.work_dir) == 0, "nothing large written");
    store_case("gzip bomb as the index", rc == -1 && st.bytes_last <= (int64_t)gz.st_size ? 1 : -1, st.last_error);
    check_sh("rm -rf %s/gz", root);
}

/* The index of publication a signed again with its payload changed by a jq-like edit in C. */
static int resign_index(const char *pub, void (*edit)(json_t *), char *err, size_t errlen)
{
    char ipath[700], payload[700], out[700];
    snprintf(ipath, sizeof ipath, "%s/a/index.kpack", root);
    snprintf(payload, sizeof payload, "%s/%s-payload.json", dir, pub);
    snprintf(out, sizeof out, "%s/%s/index.kpack", root, pub);
    check_sh("mkdir -p %s/%s && ln -sfn ../a/packs %s/%s/packs", root, pub, root, pub);
    pack_manifest m;
    char *body = NULL;
    if (pack_read_small(ipath, &cfg.trust, "index", &m, &body, 1 << 20, err, errlen) != PACK_OK) return -1;
    json_t *j = json_loads(body, 0, NULL);
    free(body);
    if (!j) return -1;
    edit(j);
    int rc = json_dump_file(j, payload, 0);
    json_decref(j);
    return rc == 0 ? pack_sign_payload_at(payload, "index", m.pack_id, m.content_version, (int64_t)time(NULL),
                                          "content/keys/demo.secret", 30, out, err, errlen)
                   : -1;
}

static void twice(json_t *j)
{
    json_t *d = json_object_get(j, "deltas");
    size_t n = json_array_size(d);
    for (size_t i = 0; i < n; i++) json_array_append(d, json_array_get(d, i));
}

/* every delta points at the first delta's file: the same pack listed for two steps */
static void same_file(json_t *j)
{
    json_t *d = json_object_get(j, "deltas");
    json_t *first = json_array_get(d, 0);
    for (size_t i = 1; i < json_array_size(d); i++) {
        json_t *e = json_array_get(d, i);
        json_object_set(e, "file", json_object_get(first, "file"));
        json_object_set(e, "size", json_object_get(first, "size"));
        json_object_set(e, "sha256", json_object_get(first, "sha256"));
    }
}

/* An index listing each pack twice, or one pack for two steps: the kiosk still ends on the latest. */
TEST(index_lists_a_pack_twice)
{
    char err[512];
    const char *pubs[] = {"twice", "samefile"};
    void (*edits[])(json_t *) = {twice, same_file};
    for (int i = 0; i < 2; i++) {
        CHECK(resign_index(pubs[i], edits[i], err, sizeof err) == 0, "%s: index signed: %s", pubs[i], err);
        reset_to(1);
        use(pubs[i]);
        sync_status st = {0};
        int rc = sync_once(&cfg, &st);
        CHECK(rc == 0 && installed() == 3, "%s: version 3 installed: %s", pubs[i], st.last_error);
        store_case(pubs[i], rc == 0 && installed() == 3 ? 0 : -1, rc == 0 ? "version 3" : st.last_error);
        check_sh("rm -rf %s/%s", root, pubs[i]);
    }
}

TEST(store_matrix_counts)
{
    printf("hostile store: %d tried, %d refused with a message, %d accepted correctly, %d got through\n", store_tried,
           store_refused, store_accepted, store_through);
    CHECK(store_through == 0, "nothing got through (%d)", store_through);
}

TEST(server_gone_and_back)
{
    reset_to(1);
    use("a");
    nginx_stop();
    sync_status st = {0};
    CHECK(sync_once(&cfg, &st) == -1 && installed() == 1 && st.errors == 1, "server gone: %s", st.last_error);
    CHECK(sync_once(&cfg, &st) == -1 && st.errors == 2, "still gone");
    CHECK(nginx_start() == 0, "server back");
    usleep(300000);
    CHECK(sync_once(&cfg, &st) == 0 && installed() == 3 && st.errors == 0, "updated once back: %s", st.last_error);
}

TEST(health_report)
{
    reset_to(1);
    use("a");
    snprintf(cfg.site_id, sizeof cfg.site_id, "landkreis");
    snprintf(cfg.kiosk_id, sizeof cfg.kiosk_id, "rathaus-1");
    snprintf(cfg.app_version, sizeof cfg.app_version, "test");
    cfg.interval_s = 3600;
    sync_ctx *s = sync_start(&cfg);
    char p[800];
    snprintf(p, sizeof p, "%s/a/health/landkreis-rathaus-1.json", root);
    int seen = 0;
    for (int i = 0; i < 100 && !seen; i++) {
        usleep(100000);
        seen = access(p, F_OK) == 0;
    }
    sync_status st;
    sync_status_get(s, &st, 1);
    sync_stop(s);
    CHECK(seen, "report PUT to %s", p);
    json_error_t je;
    json_t *j = json_load_file(p, 0, &je);
    CHECK(j && json_integer_value(json_object_get(j, "content_version")) == 3 &&
              !strcmp(json_string_value(json_object_get(j, "kiosk_id")), "rathaus-1") &&
              json_object_get(j, "free_disk_mib") && json_object_get(j, "uptime_s") && json_object_get(j, "errors") &&
              !strcmp(json_string_value(json_object_get(j, "storage")), "ok"),
          "report has version, ids, disk, storage state, uptime, errors");
    CHECK(j && json_object_size(j) == 10, "and nothing else (no personal data)");
    json_decref(j);
    CHECK(st.content_changed && st.installed_version == 3, "the thread installed version 3");
}

TEST(kiosk_switches_content)
{
    /* kiosk.ini pins another publication: the kiosk's sync thread refuses the store's */
    reset_to(1);
    char conf[700], script[700];
    snprintf(conf, sizeof conf, "%s/kiosk.ini", dir);
    snprintf(script, sizeof script, "%s/pinned.txt", dir);
    FILE *f = fopen(script, "w");
    if (f) {
        fputs("settle-sync\ntap lang:de\ntap cat:language\nexpect text Sprachcafé\n", f);
        fclose(f);
    }
    f = fopen(conf, "w");
    if (f) {
        fprintf(f, "[kiosk]\ncontent = %s\nstate = %s\nstore_url = http://127.0.0.1:%d/a\n"
                   "trusted_keys = content/keys/demo.pub\npublication = demo-other\n",
                cfg.content_path, cfg.state_path, port);
        fclose(f);
    }
    check_sh("rm -rf %s.sync", cfg.content_path);
    int pinned = check_sh("SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy %s/kiosk --config %s --size 1280x800 --script %s "
                          "--shots %s > %s/kiosk-pinned.log 2>&1",
                          build, conf, script, dir, dir);
    if (pinned != 0) check_sh("cat %s/kiosk-pinned.log", dir);
    CHECK(pinned == 0 && installed() == 1 && check_sh("grep -q 'another publication' %s/kiosk-pinned.log", dir) == 0,
          "publication from kiosk.ini: the store's pack refused (version %lld)", (long long)installed());
    /* the kiosk itself: its sync thread installs version 3, the language screen switches to it */
    reset_to(1);
    f = fopen(conf, "w");
    fprintf(f, "[kiosk]\ncontent = %s\nstate = %s\nstore_url = http://127.0.0.1:%d/a\ntrusted_keys = content/keys/demo.pub\n",
            cfg.content_path, cfg.state_path, port);
    fclose(f);
    check_sh("rm -rf %s.sync", cfg.content_path);
    int rc = check_sh("SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy %s/kiosk --config %s --size 1280x800 --script "
                "tests/e2e/sync.txt --shots %s > %s/kiosk.log 2>&1",
                build, conf, dir, dir);
    if (rc != 0) check_sh("cat %s/kiosk.log", dir);
    CHECK(rc == 0 && installed() == 3, "the renamed offer shows after the update (version %lld)", (long long)installed());
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    snprintf(dir, sizeof dir, "%s/%s/synctest", getcwd((char[512]){0}, 512), build);
    snprintf(root, sizeof root, "%s/root", dir);
    port = 18700 + (int)(getpid() % 200);
    snprintf(cfg.content_path, sizeof cfg.content_path, "%s/content.db", dir);
    snprintf(cfg.state_path, sizeof cfg.state_path, "%s/local.db", dir);
    snprintf(cfg.work_dir, sizeof cfg.work_dir, "%s/work", dir);
    cfg.timeout_s = 2;
    /* without a file saying so the clock counts as not synchronised, whatever this machine's is */
    cfg.clock_synced_path = "/nonexistent/synchronized";
    char err[256];
    if (pack_trust_add_file(&cfg.trust, "content/keys/demo.pub", err, sizeof err) != 0) {
        printf("FAIL trust: %s\n", err);
        return 1;
    }
    RUN(setup);
    RUN(delta_chain);
    RUN(missing_delta_falls_back);
    RUN(staging_leftover_and_lock);
    RUN(server_errors);
    RUN(corrupt_and_resume);
    RUN(resume_of_a_replaced_file);
    RUN(replay_and_expiry);
    RUN(index_too_big);
    RUN(pack_larger_than_listed);
    RUN(disk_reserve);
    RUN(publication_pinned);
    RUN(clock_floor_bound);
    RUN(trickle_cut);
    RUN(stop_during_trickle);
    RUN(range_answered_whole);
    RUN(redirects_not_followed);
    RUN(gzip_bomb);
    RUN(index_lists_a_pack_twice);
    RUN(store_matrix_counts);
    RUN(server_gone_and_back);
    RUN(health_report);
    RUN(kiosk_switches_content);
    nginx_stop();
    CHECK_DONE();
}
