/*
 * Platform: reading aloud gives real audio for every voiced language (WAV files, not silent);
 * the log is rate-limited; the watchdog speaks the sd_notify protocol, and a hung main loop is
 * noticed and restarted by a systemd-free supervisor on a socket; SIGTERM stops cleanly; SDL's
 * large blocks (the window surface) are on huge pages where the kernel has them, and correct.
 * Usage: test_platform BUILD_DIR
 */
#include "check.h"
#include "platform/hugemem.h"
#include "platform/log.h"
#include "platform/maphint.h"
#include "platform/rotate.h"
#include "platform/speech.h"

#include <SDL2/SDL.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *build;

static void write_wav(const char *path, const int16_t *pcm, size_t n, int rate)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    uint32_t data = (uint32_t)(n * 2), riff = 36 + data, fmt = 16, sr = (uint32_t)rate, br = sr * 2;
    uint16_t pcmfmt = 1, ch = 1, align = 2, bits = 16;
    fwrite("RIFF", 1, 4, f); fwrite(&riff, 4, 1, f); fwrite("WAVEfmt ", 1, 8, f); fwrite(&fmt, 4, 1, f);
    fwrite(&pcmfmt, 2, 1, f); fwrite(&ch, 2, 1, f); fwrite(&sr, 4, 1, f); fwrite(&br, 4, 1, f);
    fwrite(&align, 2, 1, f); fwrite(&bits, 2, 1, f); fwrite("data", 1, 4, f); fwrite(&data, 4, 1, f);
    fwrite(pcm, 2, n, f);
    fclose(f);
}

TEST(read_aloud)
{
    int rate = speech_init(NULL);
    CHECK(rate > 0, "espeak-ng starts (%d Hz)", rate);
    if (rate <= 0) return;
    static const struct { const char *lang, *text; } s[] = {
        {"de", "Wohnen. Sprachkurse. Arbeit und Ausbildung."}, {"en", "What do you need help with?"},
        {"ar", "بماذا تحتاج المساعدة؟ السكن. دورات اللغة."},   {"fa", "به چه کمکی نیاز دارید؟ مسکن."},
        {"ku", "Hûn ji bo çi alîkariyê dixwazin?"},             {"tr", "Ne konuda yardıma ihtiyacınız var?"},
        {"ru", "С чем вам нужна помощь? Жильё."},              {"uk", "З чим вам потрібна допомога? Житло."},
        {"fr", "De quelle aide avez-vous besoin ?"},            {"sq", "Për çfarë keni nevojë për ndihmë?"},
        {"ur", "آپ کو کس چیز میں مدد چاہیے؟ رہائش۔"},     {"prs", "به چه کمک ضرورت دارید؟ مسکن."},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        int16_t *pcm = NULL;
        size_t n = 0;
        CHECK(speech_has_voice(s[i].lang), "%s has a voice", s[i].lang);
        int rc = speech_synth(s[i].lang, s[i].text, &pcm, &n);
        double sum = 0;
        for (size_t k = 0; k < n; k++) sum += (double)pcm[k] * pcm[k];
        double rms = n ? sqrt(sum / (double)n) : 0;
        CHECK(rc == 0 && n > (size_t)rate / 2 && rms > 300, "%s: %zu samples, RMS %.0f (not silent)", s[i].lang, n, rms);
        char path[256];
        snprintf(path, sizeof path, "%s/speech-%s.wav", build, s[i].lang);
        write_wav(path, pcm, n, rate);
        free(pcm);
    }
    const char *mute[] = {"ti", "ps", "ckb", "so"};
    for (int i = 0; i < 4; i++) {
        int16_t *pcm = NULL;
        size_t n = 0;
        CHECK(!speech_has_voice(mute[i]) && speech_synth(mute[i], "x", &pcm, &n) == -1 && !pcm,
              "%s: no voice, so no speaker button", mute[i]);
    }
    speech_term();
}

TEST(log_rate_limit)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    for (int i = 0; i < 50; i++) log_msg("flood", "the same fault again (%d)", i);
    log_msg("other", "a different kind still gets through");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    char line[256];
    int flood = 0, other = 0;
    while (fgets(line, sizeof line, tmp)) {
        flood += strstr(line, "kiosk[flood]") != NULL;
        other += strstr(line, "kiosk[other]") != NULL;
    }
    fclose(tmp);
    CHECK(flood == 5 && other == 1, "50 repeats logged %d times, other kind %d", flood, other);
}

/* A login in an address (caldav_url = https://user:password@host/) never reaches the journal. */
TEST(log_masks_logins_in_addresses)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    log_msg("mask1", "server unreachable, request queued: PUT https://zuser:SEKRETPW@127.0.0.1:9/cal/x.ics: refused");
    log_msg("mask2", "two: http://a@h/ and https://u:p%%40w@[::1]:8/p?q=@x");
    log_msg("mask3", "none: https://example.org/a@b and mail@example.org");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    char all[2048] = "", line[512];
    while (fgets(line, sizeof line, tmp)) strncat(all, line, sizeof all - strlen(all) - 1);
    fclose(tmp);
    CHECK(!strstr(all, "SEKRETPW") && !strstr(all, "zuser") && !strstr(all, "p%40w") && !strstr(all, "u:"),
          "no user or password in the log:\n%s", all);
    CHECK(strstr(all, "PUT https://***@127.0.0.1:9/cal/x.ics: refused") && strstr(all, "http://*@h/") &&
              strstr(all, "https://***@[::1]:8/p?q=@x"),
          "the addresses still name their hosts:\n%s", all);
    CHECK(strstr(all, "https://example.org/a@b and mail@example.org") != NULL, "an @ after the host is left alone:\n%s", all);
}

/* ---------- watchdog: a supervisor like systemd's, on a datagram socket ---------- */

static int notify_sock(const char *path)
{
    int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (snprintf(a.sun_path, sizeof a.sun_path, "%s", path) >= (int)sizeof a.sun_path) return -1;
    unlink(path);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) return -1;
    return s;
}

/* Wait up to ms for a message containing what; 1 if seen. */
static int expect_msg(int s, const char *what, int ms)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        int left = ms - (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
        if (left <= 0) return 0;
        struct pollfd p = {.fd = s, .events = POLLIN};
        if (poll(&p, 1, left) <= 0) return 0;
        char buf[512];
        ssize_t n = recv(s, buf, sizeof buf - 1, 0);
        if (n <= 0) continue;
        buf[n] = 0;
        if (strstr(buf, what)) return 1;
    }
}

static pid_t start_kiosk(const char *sock)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char bin[300], db[300];
        snprintf(bin, sizeof bin, "%s/kiosk", build);
        snprintf(db, sizeof db, "%s/content/demo.db", build);
        setenv("NOTIFY_SOCKET", sock, 1);
        setenv("WATCHDOG_USEC", "1000000", 1);
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        if (!freopen("/dev/null", "w", stdout)) _exit(126);
        execl(bin, bin, "--content", db, "--size", "800x480", (char *)NULL);
        _exit(127);
    }
    return pid;
}

TEST(watchdog)
{
    /* sd_notify takes only absolute socket paths */
    char sock[300], cwd[200];
    if (!getcwd(cwd, sizeof cwd)) return;
    snprintf(sock, sizeof sock, "%s/%s/notify.sock", cwd, build);
    int s = notify_sock(sock);
    CHECK(s >= 0, "socket");
    if (s < 0) return;
    pid_t pid = start_kiosk(sock);
    CHECK(expect_msg(s, "READY=1", 15000), "READY=1 after the first frame");
    int pings = 0;
    for (int i = 0; i < 3; i++) pings += expect_msg(s, "WATCHDOG=1", 1000);
    CHECK(pings == 3, "a ping within every second, %d of 3", pings);
    /* the main loop hangs: the supervisor misses the ping, kills and restarts */
    kill(pid, SIGSTOP);
    int missed = !expect_msg(s, "WATCHDOG=1", 1000);
    CHECK(missed, "a hung main loop stops pinging");
    if (missed) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        pid = start_kiosk(sock);
        CHECK(expect_msg(s, "READY=1", 15000), "restarted kiosk is ready again");
    }
    kill(pid, SIGTERM);
    int status = -1;
    for (int i = 0; i < 50 && waitpid(pid, &status, WNOHANG) == 0; i++) usleep(100000);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "SIGTERM stops cleanly (status %d)", status);
    if (!WIFEXITED(status)) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    close(s);
    unlink(sock);
}

TEST(rotation)
{
    int lw, lh;
    rotate_logical_size(90, 1920, 1080, &lw, &lh);
    CHECK(lw == 1080 && lh == 1920, "a turned landscape panel lays out as portrait");
    int ok = 1;
    for (int deg = 0; deg < 360; deg += 90) {
        rotate_logical_size(deg, 800, 480, &lw, &lh);
        for (int y = 0; y < lh; y += 37)
            for (int x = 0; x < lw; x += 41) {
                int sx, sy, bx, by;
                rotate_to_panel(deg, lw, lh, x, y, &sx, &sy);
                rotate_to_logical(deg, lw, lh, sx, sy, &bx, &by);
                if (bx != x || by != y || sx < 0 || sy < 0 || sx >= 800 || sy >= 480) ok = 0;
            }
    }
    CHECK(ok, "every point maps onto the panel and back");
    int sx, sy;
    rotate_logical_size(90, 800, 480, &lw, &lh);
    rotate_to_panel(90, lw, lh, 0, 0, &sx, &sy);
    CHECK(sx == 799 && sy == 0, "turned clockwise: the layout's top-left is the panel's top-right (%d,%d)", sx, sy);
}

/* espeak-ng without its data: speech is unavailable and the process goes on (it used to exit 1
 * inside espeak_Initialize). In a child: espeak-ng's state is per process. */
TEST(speech_without_data)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(30); /* a hang counts as a failure too */
        int16_t *pcm = NULL;
        size_t n = 0;
        /* a data folder espeak-ng accepts but that holds none of its files */
        char data[600], cmd[1400];
        snprintf(data, sizeof data, "%s/speech-no-data", build);
        snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s/espeak-ng-data", data, data);
        if (system(cmd) != 0) _exit(11);
        int rate = speech_init(data);
        int synth = speech_synth("de", "Hallo", &pcm, &n);
        speech_term();
        _exit(rate == -1 && synth == -1 && !pcm ? 0 : 10);
    }
    int st = -1;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "no data: init and synthesis fail, the process goes on (status %d)",
          WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

/* kB of field ("AnonHugePages", "Rss") of the mapping that holds address a (/proc/self/smaps), -1 for none */
static long smaps_kb_at(const void *a, const char *field)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f) return -1;
    char line[512];
    int in = 0;
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            in = (uintptr_t)a >= lo && (uintptr_t)a < hi;
            continue;
        }
        size_t fl = strlen(field);
        if (in && !strncmp(line, field, fl) && line[fl] == ':' && sscanf(line + fl + 1, "%ld kB", &kb) == 1) break;
    }
    fclose(f);
    return kb;
}

static long huge_kb_at(const void *a)
{
    return smaps_kb_at(a, "AnonHugePages");
}

/* Whether this system puts anonymous memory on huge pages when asked: the kernel must offer them
 * (madvise or always) and a mapping advised by hand must get one. qemu-user, which runs the cross
 * builds' tests, takes madvise and does nothing; then hugemem cannot be asked for more. */
static int thp_on(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    char b[128] = "";
    if (f) {
        if (!fgets(b, sizeof b, f)) b[0] = 0;
        fclose(f);
    }
    if (!strstr(b, "[always]") && !strstr(b, "[madvise]")) return 0;
    size_t huge = (size_t)2 << 20;
    uint8_t *m = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 0;
    uint8_t *a = (uint8_t *)(((uintptr_t)m + huge - 1) & ~(uintptr_t)(huge - 1));
    int on = madvise(a, huge, MADV_HUGEPAGE) == 0 && (memset(a, 1, huge), huge_kb_at(a) >= 2048);
    munmap(m, 2 * huge);
    if (!on) printf("note: a mapping advised by hand gets no huge page here (qemu-user?): only hugemem's own bookkeeping is checked\n");
    return on;
}

/* Whether smaps shows what a mapping holds: 64 KiB touched by hand must count resident. qemu-user,
 * which runs the cross builds' tests, shows its own view of the guest's mappings (0 kB). */
static int rss_shown(void)
{
    size_t len = (size_t)16 * 4096;
    uint8_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 0;
    memset(m, 1, len);
    int on = smaps_kb_at(m, "Rss") >= 64;
    munmap(m, len);
    if (!on) printf("note: smaps shows no resident pages for a mapping touched by hand (qemu-user?): Rss not checked\n");
    return on;
}

TEST(huge_pages_for_large_blocks)
{
    size_t n = (size_t)1920 * 1080 * 4 + 100;
    uint8_t *p = hugemem_malloc(n);
    CHECK(p && hugemem_is_large(p) && ((uintptr_t)p & (((uintptr_t)2 << 20) - 1)) == 0, "a surface's block is mapped on its own, 2 MiB aligned");
    if (!p) return;
    memset(p, 0xab, n);
    if (thp_on()) CHECK(huge_kb_at(p) >= 2048, "on huge pages once touched (%ld kB)", huge_kb_at(p));
    /* the mapping ends with the block: the tail short of a huge page takes small pages, not one more
     * huge page (8100 kB resident for 1920x1080x4, not 8192) */
    long pages_kb = (long)((n + 4095) / 4096 * 4);
    if (rss_shown()) CHECK(smaps_kb_at(p, "Rss") == pages_kb, "%ld kB resident for %ld kB of pages", smaps_kb_at(p, "Rss"), pages_kb);
    uint8_t *q = hugemem_realloc(p, n * 2);
    CHECK(q && hugemem_is_large(q) && q[0] == 0xab && q[n - 1] == 0xab && !hugemem_is_large(p) , "grown: the bytes kept, the old mapping gone");
    uint8_t *r = hugemem_realloc(q, 1000);
    CHECK(r && !hugemem_is_large(r) && r[0] == 0xab && r[999] == 0xab && !hugemem_is_large(q), "shrunk below the threshold: malloc's, the bytes kept");
    hugemem_free(r);
    uint8_t *z = hugemem_calloc(n, 1);
    size_t nonzero = 0;
    for (size_t i = 0; z && i < n; i += 4093) nonzero += z[i] != 0;
    CHECK(z && hugemem_is_large(z) && nonzero == 0 && z[n - 1] == 0, "calloc's large block reads as zeros");
    hugemem_free(z);
    void *small = hugemem_malloc(64);
    CHECK(small && !hugemem_is_large(small), "a small block is malloc's");
    hugemem_free(small);
    hugemem_free(NULL);
    CHECK(hugemem_calloc(SIZE_MAX / 2, 4) == NULL, "an overflowing calloc is refused");
    /* SDL through it, in a child (SDL_free must never see another allocator's blocks) */
    pid_t pid = fork();
    if (pid == 0) {
        if (hugemem_install() != 0) _exit(2);
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!s) _exit(3);
        long kb = huge_kb_at(s->pixels);
        SDL_FreeSurface(s);
        _exit(thp_on() && kb < 2048 ? 4 : 0);
    }
    int st = -1;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SDL's 1920x1080 surface on huge pages where the kernel has them (status %d)",
          WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

/* The VmFlags of the mapping at p in /proc/self/smaps ("rd mr ... rr" when advised random). */
static void vm_flags(const void *p, char *buf, size_t len)
{
    buf[0] = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    int in = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long a, b;
        if (sscanf(line, "%lx-%lx ", &a, &b) == 2) in = (uintptr_t)p >= a && (uintptr_t)p < b;
        else if (in && !strncmp(line, "VmFlags:", 8)) snprintf(buf, len, "%.200s", line + 8);
    }
    if (f) fclose(f);
}

/* A read-only mapping of a named file is advised random (the kernel shows it as "rr"); a
 * writable one and other files are left alone; libicudata, which the kiosk advises, is found. */
TEST(maphint_random_advises)
{
    char path[256], flags[256];
    snprintf(path, sizeof path, "%s/maphint-test.bin", build);
    FILE *f = fopen(path, "wb");
    for (int i = 0; f && i < 256; i++) fwrite(path, 1, sizeof path, f);
    if (f) fclose(f);
    int fd = open(path, O_RDWR);
    void *ro = fd >= 0 ? mmap(NULL, 65536, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    void *rw = fd >= 0 ? mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    CHECK(ro != MAP_FAILED && rw != MAP_FAILED, "mapped %s", path);
    if (ro == MAP_FAILED || rw == MAP_FAILED) return;
    vm_flags(ro, flags, sizeof flags);
    CHECK(!strstr(flags, " rr"), "not random before: %s", flags);
    /* qemu-user takes madvise and does nothing: whether advice shows, asked of a mapping by hand */
    void *probe = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    char pflags[256] = "";
    if (probe != MAP_FAILED && madvise(probe, 4096, MADV_RANDOM) == 0) vm_flags(probe, pflags, sizeof pflags);
    int shows = strstr(pflags, " rr") != NULL;
    if (probe != MAP_FAILED) munmap(probe, 4096);
    if (!shows) printf("note: advice given by hand does not show in smaps here (qemu-user?): the flags are not checked\n");
    CHECK(maphint_random("maphint-test.bin") == 1, "one mapping advised");
    vm_flags(ro, flags, sizeof flags);
    CHECK(!shows || strstr(flags, " rr") != NULL, "read-only mapping random: %s", flags);
    vm_flags(rw, flags, sizeof flags);
    CHECK(!strstr(flags, " rr"), "writable mapping left alone: %s", flags);
    CHECK(maphint_random("no-such-file-mapped") == 0, "nothing else advised");
    CHECK(maphint_random("libicudata.so") >= 1, "ICU's data found");
    munmap(ro, 65536);
    munmap(rw, 65536);
    close(fd);
    remove(path);
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    RUN(rotation);
    RUN(speech_without_data); /* first: its child must not inherit a started espeak-ng */
    RUN(read_aloud);
    RUN(log_rate_limit);
    RUN(log_masks_logins_in_addresses);
    RUN(watchdog);
    RUN(huge_pages_for_large_blocks);
    RUN(maphint_random_advises);
    CHECK_DONE();
}
