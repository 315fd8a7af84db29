/* End to end: build/balctl, the real binary in its own process, against build/balsim. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "filter.h"
#include "fakepeer.h"
#include "json.h"
#include "proto.h"
#include "util.h"

static char sock_path[108];
static char dev_arg[128];
static pid_t sim_pid;

static char out[1 << 20], err[1 << 16];
static const char *stdin_override; /* a path to give balctl as standard input instead */

/* Runs build/balctl with the given arguments (NULL-terminated) and standard input text;
 * fills out and err; returns the exit status (-1 if it did not exit normally). */
static int balctl(const char *input, ...)
{
    const char *argv[64] = {"build/balctl"};
    int argc = 1;
    va_list ap;
    va_start(ap, input);
    while (argc < 63 && (argv[argc] = va_arg(ap, const char *)))
        argc++;
    va_end(ap);
    argv[argc] = NULL;
    char in_path[64], out_path[64], err_path[64];
    snprintf(in_path, sizeof in_path, "build/e2e-%d.in", getpid());
    snprintf(out_path, sizeof out_path, "build/e2e-%d.out", getpid());
    snprintf(err_path, sizeof err_path, "build/e2e-%d.err", getpid());
    FILE *f = fopen(in_path, "w");
    if (input)
        fputs(input, f);
    fclose(f);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open(stdin_override ? stdin_override : in_path, O_RDONLY), o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600),
            e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(in, 0), dup2(o, 1), dup2(e, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    slurp(out_path, out, sizeof out);
    slurp(err_path, err, sizeof err);
    unlink(in_path), unlink(out_path), unlink(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int connect_sim(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, sock_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
        return fd;
    close(fd);
    return -1;
}

static bool start_balsim(void)
{
    snprintf(sock_path, sizeof sock_path, "/tmp/balanced-e2e-%d.sock", getpid());
    snprintf(dev_arg, sizeof dev_arg, "sim:%s", sock_path);
    sim_pid = fork();
    if (sim_pid == 0) {
        execl("build/balsim", "build/balsim", "--quiet", "--socket", sock_path, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        int fd = connect_sim();
        if (fd >= 0) {
            close(fd);
            return true;
        }
        bal_sleep_ms(10);
    }
    return false;
}

static void stop_balsim(void)
{
    kill(sim_pid, SIGTERM);
    waitpid(sim_pid, NULL, 0);
}

static void test_info(void)
{
    CHECK_EQ(balctl(NULL, "--device", dev_arg, "info", NULL), 0);
    CHECK(strstr(out, "0x424C4E43") != NULL);
    CHECK(strstr(out, "locked") != NULL);
    CHECK(strstr(out, "49.152000 MHz") != NULL);
    CHECK_EQ(balctl(NULL, "--json", "--device", dev_arg, "info", NULL), 0);
    CHECK(strstr(out, "\"id\":\"0x424C4E43\"") != NULL);
    CHECK(strstr(out, "\"pll_lock\":true") != NULL);
    /* --json after the command works too */
    CHECK_EQ(balctl(NULL, "--device", dev_arg, "info", "--json", NULL), 0);
    CHECK(strstr(out, "\"id\":\"0x424C4E43\"") != NULL);
}

static void test_write_then_read(void)
{
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "SCRATCH", "0xC0DB1234", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "SCRATCH", NULL), 0);
    CHECK(strstr(out, "0x000C SCRATCH") != NULL && strstr(out, "0xC0DB1234") != NULL);
    /* another process, another session: the value is still there */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "reg", "read", "0xC", NULL), 0);
    CHECK(strstr(out, "\"value\":3235582516") != NULL);
}

static void test_1000_random_round_trips(void)
{
    static char script[1 << 17];
    static uint32_t expect[1000];
    size_t n = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned k = rnd() % BAL_BLK_SCRATCH_RAM_SIZE;
        expect[i] = rnd();
        n += (size_t)snprintf(script + n, sizeof script - n,
                              "reg write SCRATCH_RAM+%u 0x%08X\nreg read SCRATCH_RAM+%u\n", k,
                              expect[i], k);
    }
    int64_t t0 = bal_now_ms();
    CHECK_EQ(balctl(script, "-d", dev_arg, "-", NULL), 0);
    int64_t ms = bal_now_ms() - t0;
    int lines = 0, matches = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        char *v = strrchr(line, ' ');
        if (lines < 1000 && v && strtoul(v + 1, NULL, 16) == expect[lines])
            matches++;
    }
    CHECK_EQ(lines, 1000);
    CHECK_EQ(matches, 1000);
    printf("MEASURE e2e 1000 write+read round trips through balctl -: %lld ms\n", (long long)ms);
}

static void test_garbage_mid_stream(void)
{
    /* a client sends half a frame, then noise, and leaves */
    uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX], junk[3000];
    uint32_t v = 0xFFFFFFFF;
    struct bal_request rq = {9, BAL_OP_WRITE, BAL_REG_SCRATCH, 1, &v};
    size_t wn = bal_slip_encode(frame, bal_build_request(&rq, frame), wire);
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)rnd();
    /* its own starting state: no test depends on another's */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "SCRATCH", "0xC0DB1234", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "LINK_CLEAR", "1", NULL), 0);
    int fd = connect_sim();
    REQUIRE(fd >= 0);
    CHECK_EQ(write(fd, wire, wn / 2), (ssize_t)(wn / 2));
    CHECK_EQ(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    bal_sleep_ms(200);
    close(fd);
    /* the next command works, and the half write was not applied */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "SCRATCH", NULL), 0);
    CHECK(strstr(out, "0xC0DB1234") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "info", NULL), 0);
    CHECK(strstr(out, "\"link_error\":true") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "LINK_CLEAR", "1", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "info", NULL), 0);
    CHECK(strstr(out, "\"link_error\":false") != NULL);
}

static void test_usage_errors_touch_nothing(void)
{
    /* the device path does not exist: a usage error must be found before it is opened */
    const char *nodev = "sim:/nonexistent/balanced.sock";
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "SCRATCH", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "SCRATCH", "0x100000000", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "read", "0x10000", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "read", "NOSUCHREG", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "ID", "1", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "--timeout", "0", "info", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "ping", "0", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", "bogus", "info", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "frobnicate", NULL), 2);
    CHECK(strstr(err, "unknown command") != NULL);
    /* and --help works without a device */
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "--help", NULL), 0);
    CHECK(strstr(out, "0..0xFFFF") != NULL);
    CHECK_EQ(balctl(NULL, "--help", NULL), 0);
    CHECK(strstr(out, "exit codes") != NULL);
}

static void test_no_device(void)
{
    CHECK_EQ(balctl(NULL, "-d", "sim:/nonexistent/balanced.sock", "info", NULL), 3);
    CHECK(strstr(err, "balsim") != NULL);
    /* no FT2232H on this machine: a one-line explanation and the no-device code */
    CHECK_EQ(balctl(NULL, "--device", "usb", "info", NULL), 3);
    CHECK(strchr(err, '\n') == err + strlen(err) - 1);
    CHECK(strstr(err, "usb") != NULL);
    CHECK_EQ(balctl(NULL, "--device", "usb:NOSUCHSERIAL", "info", NULL), 3);
}

static void test_device_refusals(void)
{
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "CTRL", "4", NULL), 6);
    CHECK(strstr(err, "BAD_VALUE") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "0x50", NULL), 6);
    CHECK(strstr(err, "BAD_ADDR") != NULL);
    /* a script stops at its first failing line, with that line's code */
    CHECK_EQ(balctl("reg write SCRATCH 7\nreg write CTRL 4\nreg write SCRATCH 8\n", "-d", dev_arg,
                    "-", NULL), 6);
    CHECK(strstr(err, "stdin:2") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "SCRATCH", NULL), 0);
    CHECK(strstr(out, "0x00000007") != NULL);
}

static void test_ping(void)
{
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "ping", "50", NULL), 0);
    CHECK(strstr(out, "\"count\":50") != NULL);
    CHECK(strstr(out, "\"retries\":0") != NULL);
}

/* ---- peers that are not balanced devices: exit 5 (or 4 for silence), and say why */

static char fake_path[108];

static int balctl_fake(enum fakepeer_kind kind, const char *timeout)
{
    char dev[128];
    snprintf(fake_path, sizeof fake_path, "/tmp/balanced-fake-%d.sock", getpid());
    snprintf(dev, sizeof dev, "sim:%s", fake_path);
    pid_t pid = fakepeer_start(kind, fake_path);
    CHECK(pid > 0);
    int rc = balctl(NULL, "-d", dev, "--timeout", timeout, "--retries", "2", "info", NULL);
    fakepeer_stop(pid, fake_path);
    return rc;
}

static void test_peers_not_balanced(void)
{
    CHECK_EQ(balctl_fake(FAKE_ECHO, "100"), 5);
    CHECK(strstr(err, "not a balanced device") != NULL);
    CHECK_EQ(balctl_fake(FAKE_WRONG_ID, "100"), 5);
    CHECK(strstr(err, "0x12345678") != NULL && strstr(err, "not a balanced device") != NULL);
    CHECK_EQ(balctl_fake(FAKE_NEW_PROTO, "100"), 5);
    CHECK(strstr(err, "protocol 2") != NULL);
    CHECK_EQ(balctl_fake(FAKE_BAD_STATUS, "100"), 5);
    CHECK(strstr(err, "unknown status") != NULL);
    CHECK_EQ(balctl_fake(FAKE_GARBAGE, "100"), 5);
    CHECK(strstr(err, "damaged replies") != NULL);
    CHECK_EQ(balctl_fake(FAKE_NO_GREETING, "100"), 5);
    CHECK(strstr(err, "not balsim") != NULL);
    /* silence is not a protocol error: no reply, with a hint at baud rate and cabling */
    CHECK_EQ(balctl_fake(FAKE_SILENT, "100"), 4);
    CHECK(strstr(err, "no reply") != NULL && strstr(err, "baud") != NULL);
    CHECK(strchr(err, '\n') == err + strlen(err) - 1); /* one line */
}

static void test_busy_obeys_timeout(void)
{
    /* one attempt, no retries: only the timeout can keep balctl asking */
    int64_t t0 = bal_now_ms();
    CHECK_EQ(balctl_fake(FAKE_BUSY, "400"), 4);
    int64_t ms = bal_now_ms() - t0;
    CHECK(strstr(err, "busy for 400 ms") != NULL);
    CHECK(ms >= 400);
    CHECK(ms < 10000);
}

/* ---- balsim: one client at a time, its socket, its time bound */

static void test_balsim_second_client_told(void)
{
    int fd = connect_sim(); /* holds the line */
    REQUIRE(fd >= 0);
    char greeting[64] = {0};
    CHECK(recv(fd, greeting, sizeof greeting - 1, 0) > 0);
    CHECK(strncmp(greeting, "balsim ready", 12) == 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "info", NULL), 3);
    CHECK(strstr(err, "serving another client") != NULL);
    close(fd);
    bal_sleep_ms(300); /* balsim notices the first client left */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "ping", "1", NULL), 0);
}

static int wait_exit(pid_t pid, int ms)
{
    int status;
    for (int t = 0; t < ms; t += 10) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        bal_sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static pid_t spawn_balsim(const char *path, const char *seconds, const char *err_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(e, 2);
        if (seconds)
            execl("build/balsim", "build/balsim", "--socket", path, "--seconds", seconds,
                  (char *)NULL);
        else
            execl("build/balsim", "build/balsim", "--socket", path, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void test_balsim_keeps_live_socket(void)
{
    /* a second balsim on the running one's socket refuses, and the first goes on serving */
    pid_t pid = spawn_balsim(sock_path, NULL, "build/e2e-balsim2.err");
    CHECK_EQ(wait_exit(pid, 10000), 3);
    slurp("build/e2e-balsim2.err", err, sizeof err);
    CHECK(strstr(err, "not taking it over") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "ping", "1", NULL), 0);
    unlink("build/e2e-balsim2.err");
}

static void test_balsim_seconds_bounds_idle_run(void)
{
    char path[108];
    snprintf(path, sizeof path, "/tmp/balanced-e2e-idle-%d.sock", getpid());
    int64_t t0 = bal_now_ms();
    pid_t pid = spawn_balsim(path, "0.5", "build/e2e-idle.err");
    CHECK_EQ(wait_exit(pid, 20000), 0); /* nobody drives it: it still stops */
    CHECK(bal_now_ms() - t0 >= 400);
    CHECK(access(path, F_OK) != 0); /* and removes its socket */
    unlink("build/e2e-idle.err");
}

/* ---- balctl as scripts use it */

static void test_numbers_decimal_or_hex(void)
{
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "SCRATCH", "010", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "reg", "read", "SCRATCH", NULL), 0);
    CHECK(strstr(out, "\"value\":10}") != NULL); /* not octal 8 */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "0x00C", "0x10", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "reg", "read", "012", NULL), 0);
    CHECK(strstr(out, "\"value\":16}") != NULL); /* address 012 is twelve, SCRATCH */
    const char *nodev = "sim:/nonexistent/balanced.sock";
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "SCRATCH", "0x", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "SCRATCH", "08x", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "SCRATCH", " 8", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "SCRATCH", "-1", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "ping", "1e3", NULL), 2);
}

static void test_json_per_line_and_errors(void)
{
    /* --json on one line only; the failing line prints an error document too */
    CHECK_EQ(balctl("reg read SCRATCH --json\nreg read SCRATCH\nreg write CTRL 4 --json\n", "-d",
                    dev_arg, "-", NULL), 6);
    char *first = out, *second = strchr(out, '\n');
    REQUIRE(second != NULL);
    CHECK(strncmp(first, "[{\"addr\":12", 11) == 0);
    CHECK(strncmp(second + 1, "0x000C", 6) == 0);
    CHECK(strstr(out, "{\"error\":{\"exit\":6,\"kind\":\"device\",\"message\":\"device answered "
                      "BAD_VALUE") != NULL);
    /* usage and no-device errors as JSON, with nothing else on stdout */
    CHECK_EQ(balctl(NULL, "--json", "-d", "sim:/nonexistent/x.sock", "reg", "read", "NOPE", NULL), 2);
    CHECK(strncmp(out, "{\"error\":{\"exit\":2,\"kind\":\"usage\"", 33) == 0);
    CHECK_EQ(balctl(NULL, "-d", "sim:/nonexistent/x.sock", "info", "--json", NULL), 3);
    CHECK(strncmp(out, "{\"error\":{\"exit\":3,\"kind\":\"no_device\"", 37) == 0);
}

static void test_block_writes_from_scripts_and_files(void)
{
    static char script[8192], file_text[8192];
    size_t n = (size_t)snprintf(script, sizeof script, "reg write SCRATCH_RAM");
    size_t fn = 0;
    for (unsigned i = 0; i < BAL_MAX_WORDS; i++) {
        n += (size_t)snprintf(script + n, sizeof script - n, " 0x%08X", 0xC0DB0000u + i);
        fn += (size_t)snprintf(file_text + fn, sizeof file_text - fn, "%s%u", i % 8 ? ", " : "\n# row\n",
                               1000u + i);
    }
    snprintf(script + n, sizeof script - n, "\nreg read SCRATCH_RAM+255\n");
    CHECK(n > 2800); /* 256 hex words on one line */
    CHECK_EQ(balctl(script, "-d", dev_arg, "-", NULL), 0);
    CHECK(strstr(out, "0xC0DB00FF") != NULL);
    /* reg load */
    const char *path = "build/e2e-block.txt";
    FILE *f = fopen(path, "w");
    fputs(file_text, f);
    fclose(f);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "reg", "load", "SCRATCH_RAM", path, NULL), 0);
    CHECK(strstr(out, "\"written\":256") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "reg", "read", "SCRATCH_RAM+200", NULL), 0);
    CHECK(strstr(out, "\"value\":1200}") != NULL);
    /* a block write past the block's end, or a malformed file: refused before any I/O */
    const char *nodev = "sim:/nonexistent/balanced.sock";
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "load", "SCRATCH_RAM+1", path, NULL), 2);
    CHECK(strstr(err, "past the end of SCRATCH_RAM") != NULL);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "write", "0x1FF", "1", "2", NULL), 2);
    CHECK(strstr(err, "past the end of SCRATCH_RAM") != NULL);
    f = fopen(path, "w");
    fputs("1 2 three\n", f);
    fclose(f);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "load", "SCRATCH_RAM", path, NULL), 2);
    CHECK(strstr(err, ":1: 'three'") != NULL);
    CHECK_EQ(balctl(NULL, "-d", nodev, "reg", "load", "SCRATCH_RAM", "build/nonexistent", NULL), 2);
    unlink(path);
}

static void test_stdin_read_error(void)
{
    stdin_override = "build"; /* a directory: reading it fails with EISDIR */
    int rc = balctl(NULL, "-d", dev_arg, "-", NULL);
    stdin_override = NULL;
    CHECK_EQ(rc, 4);
    CHECK(strstr(err, "read error") != NULL);
}

static void test_version(void)
{
    CHECK_EQ(balctl(NULL, "--version", NULL), 0);
    CHECK(strncmp(out, "balctl ", 7) == 0);
    CHECK(strstr(out, "(build ") != NULL && strstr(out, "link protocol 1") != NULL);
    CHECK(strstr(out, "build unknown") == NULL);
}

/* The lost write of issue 12: a bad frame, then LINK_CLEAR from a new balctl session, then
 * the counter is read. With the old duplicate memory, a session whose random seq repeated the
 * last one's took its write for a retry about once in 256 runs. */
static void test_no_write_lost(void)
{
    uint8_t frame[BAL_FRAME_MAX], wire[BAL_WIRE_MAX], buf[256];
    struct bal_request rq = {0, BAL_OP_NOP, 0, 0, NULL};
    int lost = 0, runs = 10000, failures = 0;
    int64_t t0 = bal_now_ms();
    for (int i = 0; i < runs && failures < 5; i++) {
        rq.seq = (uint8_t)i;
        size_t n = bal_build_request(&rq, frame);
        frame[n - 1] ^= 0x5A; /* bad CRC */
        size_t wn = bal_slip_encode(frame, n, wire);
        int fd = connect_sim();
        if (fd < 0 || recv(fd, buf, sizeof buf, 0) <= 0 || write(fd, wire, wn) != (ssize_t)wn ||
            recv(fd, buf, sizeof buf, 0) <= 0) { /* the BAD_CRC answer: the frame was judged */
            if (failures++ == 0)
                fprintf(stderr, "  run %d: the bad frame was not answered\n", i);
            if (fd >= 0)
                close(fd);
            continue;
        }
        close(fd);
        int rc = balctl("reg write LINK_CLEAR 1\nreg read LINK_CRC_ERRORS\n", "-d", dev_arg, "-",
                        NULL);
        if (rc != 0 && failures++ == 0)
            fprintf(stderr, "  run %d: balctl exit %d: %s", i, rc, err);
        else if (!strstr(out, "0x00000000"))
            lost++;
    }
    CHECK_EQ(failures, 0);
    CHECK_EQ(lost, 0);
    printf("MEASURE lost-write loop: %d of %d writes lost (%lld ms)\n", lost, runs,
           (long long)(bal_now_ms() - t0));
}

/* The audio settings: arguments checked before anything is sent, each setting written and
 * shown by status, others left as they were. */
static void test_audio_settings(void)
{
    const char *nodev = "sim:/nonexistent/balanced.sock";
    CHECK_EQ(balctl(NULL, "-d", nodev, "route", "sideways", NULL), 2);
    CHECK(strstr(err, "stereo|swap|mono|left|right") != NULL);
    CHECK_EQ(balctl(NULL, "-d", nodev, "topology", "bridged", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "invert", "left", "maybe", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "invert", "centre", "on", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "input", "spdif", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "format", "16", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "status", "now", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "tone", "24000", "-1", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "tone", "1000", "-0.25", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "tone", "1000", "-128", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "tone", "1000", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "route", "--help", NULL), 0);
    CHECK(strstr(out, "stereo|swap|mono|left|right") != NULL);

    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "status", NULL), 0);
    CHECK(strstr(out, "\"source\":\"i2s\"") && strstr(out, "\"locked\":false"));
    CHECK(strstr(out, "\"route\":\"stereo\"") && strstr(out, "\"topology\":\"balanced\""));
    CHECK(strstr(out, "\"output\":{\"rate_hz\":384000,\"slot_bits\":32"));
    CHECK(strstr(out, "\"oversample\":{\"ratio\":8,\"asked\":8,\"nos\":false}"));
    CHECK(strstr(out, "\"filter\":{\"name\":\"halfband\",\"bank\":0,\"taps\":203,\"ready\":"));
    CHECK(strstr(out, "\"silence\":\"no_input\"") != NULL);
    CHECK_EQ(balctl("route swap\ninvert right on\ntopology mono\nformat 24\ninput silence\n",
                    "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "source        silence") != NULL);
    CHECK(strstr(out, "state         silent: the source is silence\n") != NULL);
    CHECK(strstr(out, "routing       swap; invert left off, right on") != NULL);
    CHECK(strstr(out, "topology      mono") != NULL);
    CHECK(strstr(out, "24-bit slots") != NULL);
    /* the tone: its frequency and level, and the output at 48 kHz while it plays */
    CHECK_EQ(balctl("tone 997 -1\ninput tone\n", "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "source        tone") != NULL);
    CHECK(strstr(out, "state         playing\n") != NULL);
    CHECK(strstr(out, "tone          997.0000 Hz at -1.0 dBFS\n") != NULL);
    CHECK(strstr(out, "output        384.0 kHz") != NULL);
    CHECK(strstr(out, "oversampling  8x\n") != NULL);
    CHECK(strstr(out, "filter        halfband (bank 0), 203 taps at 2x") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "status", NULL), 0);
    CHECK(strstr(out, "\"tone\":{\"hz\":997.0000,\"level_db\":-1.0}") != NULL);
    /* invert left leaves the routing and the right inversion alone */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "invert", "left", "on", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "ROUTE", NULL), 0);
    CHECK(strstr(out, "0x00000031") != NULL);
    CHECK_EQ(balctl("route stereo\ninvert left off\ninvert right off\ntopology balanced\n"
                    "format 32\ninput i2s\n", "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "ROUTE", NULL), 0);
    CHECK(strstr(out, "0x00000000") != NULL);
}

/* Volume steps: up|down [STEP] and +STEP from where the device has it, held within -144 dB and
 * the ceiling, the landing printed (text and JSON); bad steps refused before anything is sent. */
static void test_volume_steps(void)
{
    const char *nodev = "sim:/nonexistent/balanced.sock";
    static const char *const bad[][2] = {{"up", "0"}, {"down", "abc"}, {"up", "145"}, {"down", "-3"},
                                         {"+", NULL}, {"+-3", NULL}, {"+nan", NULL}, {"sideways", NULL}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(balctl(NULL, "-d", nodev, "volume", bad[i][0], bad[i][1], NULL), 2);
        CHECK(strstr(err, "not in") != NULL);
    }
    CHECK_EQ(balctl("ceiling 0\nvolume -20\n", "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "volume", "up", "3", NULL), 0);
    CHECK(strcmp(out, "volume -17.00 dB\n") == 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "VOLUME", NULL), 0);
    CHECK(strstr(out, "0x00001100") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "volume", "down", NULL), 0);
    CHECK(strcmp(out, "volume -18.00 dB\n") == 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "volume", "+0.5", NULL), 0);
    CHECK(strcmp(out, "volume -17.50 dB\n") == 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "volume", "down", "10", NULL), 0);
    CHECK(strcmp(out, "{\"volume_db\":-27.5000}\n") == 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "ceiling", "-10", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "volume", "up", "30", NULL), 0);
    CHECK(strcmp(out, "volume -10.00 dB (the ceiling)\n") == 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "volume", "down", "144", NULL), 0);
    CHECK(strcmp(out, "volume -144.00 dB (silence)\n") == 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "VOLUME", NULL), 0);
    CHECK(strstr(out, "0x00009000") != NULL);
    CHECK_EQ(balctl("ceiling 0\nvolume 0\n", "-d", dev_arg, "-", NULL), 0);
}

/* The lanes' gains: arguments checked before anything is sent (the allowed range in the
 * message), a volume above the ceiling refused once the ceiling is read, each setting written
 * as the map says and shown by status (text and JSON), mute toggled; all as they were after. */
static void test_gain_settings(void)
{
    const char *nodev = "sim:/nonexistent/balanced.sock";
    CHECK_EQ(balctl(NULL, "-d", nodev, "volume", "1", NULL), 2);
    CHECK(strstr(err, "-144..0") != NULL);
    CHECK_EQ(balctl(NULL, "-d", nodev, "volume", "nan", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "volume", "-3dB", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "volume", "-144.5", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "trim", "c+", "0", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "trim", "l+", "2", NULL), 2);
    CHECK(strstr(err, "-2.00..1.996") != NULL);
    CHECK_EQ(balctl(NULL, "-d", nodev, "ceiling", "0.5", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "bits", "20", NULL), 2);
    CHECK(strstr(err, "16|24|32") != NULL);
    CHECK_EQ(balctl(NULL, "-d", nodev, "dither", "maybe", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "mute", "maybe", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "volume", "--help", NULL), 0);
    CHECK(strstr(out, "-144..0") != NULL);

    CHECK_EQ(balctl("ceiling -6\nvolume -20\ntrim l- -0.5\ntrim r+ 1.25\nbits 16\ndither off\nmute on\n",
                    "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "volume", "-3", NULL), 2); /* above the ceiling */
    CHECK(strstr(err, "-144..-6.00 dB") != NULL);
    static const struct {
        const char *reg, *value;
    } regs[] = {{"VOLUME", "0x00001400"}, {"CEILING", "0x00000600"}, {"TRIM_LN", "0x00000380"},
                {"TRIM_RP", "0x00000140"}, {"TRIM_LP", "0x00000000"}, {"OUT_FORMAT", "0x00000000"}};
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", regs[i].reg, NULL), 0);
        CHECK(strstr(out, regs[i].value) != NULL);
    }
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "volume        -20.00 dB (ceiling -6.00 dB)\n") != NULL);
    CHECK(strstr(out, "trims         L+ +0.00, L- -0.50, R+ +1.25, R- +0.00 dB\n") != NULL);
    CHECK(strstr(out, "words         16 bits, dither off\n") != NULL);
    CHECK(strstr(out, "mute          on") != NULL);
    CHECK(strstr(out, "state         silent: ") != NULL); /* muted, or no input: the first that holds */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "status", NULL), 0);
    CHECK(strstr(out, "\"gain\":{\"volume_db\":-20.0000,\"ceiling_db\":-6.0000,\"trim_db\":{\"l+\":0.0000,"
                      "\"l-\":-0.5000,\"r+\":1.2500,\"r-\":0.0000},\"bits\":16,\"dither\":false}") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "mute", "toggle", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "mute          off") != NULL);

    CHECK_EQ(balctl("ceiling 0\nvolume 0\ntrim l- 0\ntrim r+ 0\nbits 24\ndither on\nmute off\n",
                    "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "OUT_FORMAT", NULL), 0);
    CHECK(strstr(out, "0x00000014") != NULL); /* the reset value: 24 bits, dither on, 32-bit slots */
}

/* balctl filter design and show: each type designed and written, its figures printed (and as
 * JSON); the file read back and measured; bad options and malformed files refused with exit 2
 * and the line, before anything else happens. No device is needed. */
static void test_filter_design_and_show(void)
{
    static const char *const types[] = {"linear", "minimum", "apodizing", "nos"};
    char path[128];
    for (unsigned t = 0; t < 4; t++) {
        snprintf(path, sizeof path, "build/e2e-%d-%s.txt", getpid(), types[t]);
        CHECK_EQ(balctl(NULL, "filter", "design", "--type", types[t], "--out", path, NULL), 0);
        CHECK(strstr(out, "designed: ") != NULL);
        CHECK_EQ(balctl(NULL, "--json", "filter", "show", path, NULL), 0);
        CHECK(strstr(out, "\"response\":[[0.0,") != NULL);
        if (t != 3)
            CHECK(strstr(out, "\"stopband_db\":1") != NULL);
        unlink(path);
    }
    snprintf(path, sizeof path, "build/e2e-%d-lp.txt", getpid());
    CHECK_EQ(balctl(NULL, "filter", "design", "--type", "linear", "--taps", "127", "--passband", "20000",
                    "--stopband", "24000", "--attenuation", "100", "--name", "lp127", "--out", path, NULL), 0);
    CHECK(strstr(out, "lp127, 127 taps") != NULL);
    CHECK_EQ(balctl(NULL, "filter", "show", path, "--passband", "20000", "--stopband", "24000", NULL), 0);
    CHECK(strstr(out, "lp127, 127 taps") != NULL);
    unlink(path);
    /* refused: options, then files */
    CHECK_EQ(balctl(NULL, "filter", "design", "--type", "sharp", "--out", path, NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", "sim:/nonexistent/balanced.sock", "filter", "design", "--type", "linear", NULL),
             3); /* without --out it uploads: no device here */
    CHECK_EQ(balctl(NULL, "filter", "design", "--type", "linear", "--taps", "300", "--out", path, NULL), 2);
    CHECK_EQ(balctl(NULL, "filter", "design", "--type", "apodizing", "--stopband", "30000", "--out", path, NULL), 2);
    CHECK(strstr(err, "fs/2") != NULL);
    CHECK_EQ(balctl(NULL, "filter", "design", "--type", "linear", "--attenuation", "x", "--out", path, NULL), 2);
    CHECK(access(path, F_OK) != 0); /* nothing written */
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("0.5\n1.0\n# a comment\nhalf\n", f);
        fclose(f);
    }
    CHECK_EQ(balctl(NULL, "filter", "show", path, NULL), 2);
    CHECK(strstr(err, ":4: 'half' is not a number") != NULL);
    unlink(path);
    CHECK_EQ(balctl(NULL, "filter", "show", "build/no-such-filter.txt", NULL), 2);
    CHECK(strstr(err, "no-such-filter.txt") != NULL);
    CHECK_EQ(balctl(NULL, "filter", "--help", NULL), 0);
    CHECK(strstr(out, "linear|minimum|apodizing|nos") != NULL);
}

/* balctl filter load, list, select and show on the simulated board: each design type loaded
 * (written, read back, committed: live), listed, its bank read back bit-exact against the
 * file, selected away and back; refusals (a file the device cannot take, a live bank, an empty
 * bank) leave the live bank as it was. */
static void test_filter_load_list_select(void)
{
    static const char *const types[] = {"linear", "minimum", "apodizing", "nos"};
    char path[128], bank_s[8];
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "select", "0", NULL), 0);
    for (unsigned t = 0; t < 4; t++) {
        snprintf(path, sizeof path, "build/e2e-%d-%s.txt", getpid(), types[t]);
        CHECK_EQ(balctl(NULL, "filter", "design", "--type", types[t], "--out", path, NULL), 0);
        snprintf(bank_s, sizeof bank_s, "%u", t + 1);
        CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "load", path, "--bank", bank_s, NULL), 0);
        CHECK(strstr(out, "committed and live") != NULL);
        /* the bank's taps, read back through the window, are the file's */
        struct bal_filter f;
        char e[300];
        CHECK(bal_filter_load_file(path, &f, e, sizeof e));
        CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "filter", "show", bank_s, NULL), 0);
        char want[64];
        snprintf(want, sizeof want, "\"taps\":%d,", f.taps);
        CHECK(strstr(out, want) != NULL);
        snprintf(want, sizeof want, "\"check\":\"0x%08X\"", bal_filter_check_word(&f));
        CHECK(strstr(out, want) != NULL);
        unlink(path);
    }
    /* designed and loaded in one: the figures first, then the upload */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "design", "--type", "minimum", "--bank", "5", "--name", "min5",
                    NULL), 0);
    CHECK(strstr(out, "designed: min5, 191 taps") != NULL && strstr(out, "stopband") != NULL);
    CHECK(strstr(out, "bank 5: min5, 191 taps, written, read back, committed and live") != NULL);
    CHECK(strstr(out, "designed:") < strstr(out, "bank 5:"));
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "select", "4", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "list", NULL), 0);
    CHECK(strstr(out, "4     nos          2  live") != NULL);
    CHECK(strstr(out, "5     min5       191  committed") != NULL);
    CHECK(strstr(out, "1     linear     255  committed") != NULL);
    CHECK(strstr(out, "6     -            -  empty") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "filter        nos (bank 4), 2 taps") != NULL);
    /* refusals change nothing */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "select", "6", NULL), 6);
    CHECK(strstr(err, "no committed filter") != NULL);
    snprintf(path, sizeof path, "build/e2e-%d-bad.txt", getpid());
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs("0.5\n0.5\n0.5\n", fp); /* DC gain 1.5 */
        fclose(fp);
    }
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "load", path, NULL), 2);
    CHECK(strstr(err, "DC gain") != NULL);
    unlink(path);
    snprintf(path, sizeof path, "build/e2e-%d-lin.txt", getpid());
    CHECK_EQ(balctl(NULL, "filter", "design", "--type", "linear", "--out", path, NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "load", path, "--bank", "4", NULL), 6);
    CHECK(strstr(err, "live") != NULL);
    unlink(path);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "filter", "list", NULL), 0);
    CHECK(strstr(out, "{\"bank\":4,\"name\":\"nos\",\"taps\":2,\"committed\":true,\"live\":true}") != NULL);
    /* select away and back; then the built-in again */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "select", "2", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "filter        minimum (bank 2), 191 taps") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "select", "0", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "filter        halfband (bank 0), 203 taps") != NULL);
}

/* An upload cut short: a host that wrote half a bank and went away (a session of raw block
 * writes that ends there), then a commit of that bank: refused, and the live filter's bank
 * reads back bit for bit as before. (A frame cut off mid-way on the wire is dropped by the
 * link's inter-byte timeout, test_rtl_link.) */
static void test_filter_upload_cut_short(void)
{
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "select", "0", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "reg", "read", "0x8000", "203", NULL), 0);
    char *before = strdup(out);
    char cmd[4096] = "reg write 0x8300";
    for (int i = 0; i < 100; i++)
        strcat(cmd, " 0x01000000");
    strcat(cmd, "\n");
    CHECK_EQ(balctl(cmd, "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "write", "FILTER_COMMIT", "0xFF03", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "filter", "list", NULL), 0);
    CHECK(strstr(out, "\"result\":\"refused: the bank's taps and its CHECK word do not agree") != NULL);
    CHECK(strstr(out, "{\"bank\":0,\"name\":\"halfband\",\"taps\":203,\"committed\":true,\"live\":true}") != NULL);
    CHECK(strstr(out, "{\"bank\":3,\"name\":\"\",\"taps\":0,\"committed\":false,\"live\":false}") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "reg", "read", "0x8000", "203", NULL), 0);
    CHECK(before && strcmp(before, out) == 0); /* the live bank, bit for bit */
    free(before);
}

/* The oversampling ratio and NOS: refused words touch nothing; each setting shows in status
 * and in the registers (no input plays here: the tone and silence run at 48 kHz, which takes
 * every ratio; test_balsim_audio shows a ratio refused for a 96 kHz input). */
static void test_oversample_settings(void)
{
    const char *nodev = "sim:/nonexistent/balanced.sock";
    CHECK_EQ(balctl(NULL, "-d", nodev, "oversample", "16", NULL), 2);
    CHECK(strstr(err, "1|2|4|8") != NULL);
    CHECK_EQ(balctl(NULL, "-d", nodev, "oversample", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "filter", "nos", "maybe", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "filter", "sharp", NULL), 2);
    CHECK_EQ(balctl(NULL, "-d", nodev, "oversample", "--help", NULL), 0);
    CHECK(strstr(out, "384 kHz") != NULL);

    CHECK_EQ(balctl(NULL, "-d", dev_arg, "oversample", "2", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "output        96.0 kHz") != NULL);
    CHECK(strstr(out, "oversampling  2x\n") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "filter", "nos", "on", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "status", NULL), 0);
    CHECK(strstr(out, "\"oversample\":{\"ratio\":2,\"asked\":2,\"nos\":true}") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "OVERSAMPLE", NULL), 0);
    CHECK(strstr(out, "0x00000011") != NULL);
    CHECK_EQ(balctl("filter nos off\noversample 1x\n", "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "output        48.0 kHz") != NULL);
    CHECK(strstr(out, "filter        none in use") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "oversample", "8", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "reg", "read", "OVERSAMPLE", NULL), 0);
    CHECK(strstr(out, "0x00000003") != NULL);
}

/* The meters through balctl monitor: options checked before anything is sent; the tone at
 * -20 dBFS (peak) on all four lanes at -20 dB, no clips, in every update (JSON: a line each);
 * the text form draws the four lanes' bars each update. */
static void test_monitor(void)
{
    const char *nodev = "sim:/nonexistent/balanced.sock";
    static const char *const bad[][2] = {{"--count", "0"}, {"--interval", "5"}, {"--range", "abc"},
                                         {"--loud", "1"},  {"--count", NULL}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(balctl(NULL, "-d", nodev, "monitor", bad[i][0], bad[i][1], NULL), 2);
        CHECK(strstr(err, bad[i][0]) != NULL);
    }
    CHECK_EQ(balctl("tone 1000 -20\ninput tone\n", "-d", dev_arg, "-", NULL), 0);
    for (int i = 0; i < 50; i++) { /* the change fades down and up */
        CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
        if (strstr(out, "state         playing\n"))
            break;
        usleep(100000);
    }
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "monitor", "--count", "1", "--interval", "300", NULL), 0); /* the ramp up */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "monitor", "--count", "3", "--interval", "100", NULL), 0);
    unsigned lines = 0, lanes = 0, at_tone = 0, clips = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++)
        lines++;
    for (const char *p = out; (p = strstr(p, "\"peak_dbfs\":")); p++) {
        double db = strtod(p + 12, NULL);
        lanes++;
        at_tone += db >= -20.1 && db <= -19.9;
    }
    for (const char *p = out; (p = strstr(p, "\"clips\":")); p++)
        clips += strtoul(p + 8, NULL, 10);
    CHECK_EQ(lines, 3);
    CHECK_EQ(lanes, 12);
    CHECK_EQ(at_tone, 12);
    CHECK_EQ(clips, 0);
    CHECK(strncmp(out, "{\"t_s\":", 7) == 0 && strstr(out, "\"lane\":\"r-\""));
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "monitor", "--count", "2", "--range", "40", NULL), 0);
    unsigned bars = 0;
    for (const char *p = out; (p = strstr(p, "l- [")); p++)
        bars++;
    CHECK_EQ(bars, 2);
    CHECK(strstr(out, "l+ [####################--------------------]") != NULL);
    CHECK_EQ(balctl("input i2s\n", "-d", dev_arg, "-", NULL), 0);
}

/* Writes text to path (for configuration files) */
static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* balctl dump's text, into buf */
static bool dump_into(char *buf, size_t cap)
{
    size_t n;
    if (balctl(NULL, "-d", dev_arg, "dump", NULL) != 0 || (n = strlen(out)) >= cap)
        return false;
    memcpy(buf, out, n + 1);
    return true;
}

/* "key = value" of a dump's text, the value copied into val; false if the key is not there */
static bool dump_value(const char *dump, const char *key, char *val, size_t cap)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\n%s = ", key);
    const char *p = strstr(dump, pat);
    if (!p)
        return false;
    p += strlen(pat);
    size_t n = strcspn(p, "\n");
    snprintf(val, cap, "%.*s", (int)(n < cap ? n : cap - 1), p);
    return true;
}

/* balctl dump and apply: a file's settings reach the device (status shows them); a dump applied
 * back restores every setting (round trip); each kind of bad file is refused with exit 2 and
 * its line, and changes nothing; --json dump carries the same values as the text. */
static void test_config_dump_apply(void)
{
    static char before[8192], set[8192], after[8192];
    const char *path = "build/e2e-config.conf";
    CHECK(dump_into(before, sizeof before));
    CHECK(strncmp(before, "# ", 2) == 0);
    write_file(path, "# a listening setup\n"
                     "source = tone\n"
                     "tone.hz = 997\n"
                     "tone.level_db = -6.5   # loud\n"
                     "\n"
                     "  gain.ceiling_db = -3\n"
                     "gain.volume_db = -12.5\n"
                     "gain.trim_db.r- = -0.25\n"
                     "topology = se\n"
                     "route = swap\n"
                     "invert.left = on\n"
                     "gain.bits = 32\n"
                     "gain.dither = off\n"
                     "oversample.ratio = 4\n"
                     "filter.bank = 0\n");
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", path, NULL), 0);
    CHECK(strstr(out, "13 settings") != NULL);
    CHECK(dump_into(set, sizeof set));
    static const char *const want[][2] = {
        {"source", "tone"},          {"tone.hz", "997.000001"},         {"tone.level_db", "-6.5"},
        {"gain.ceiling_db", "-3.0000"}, {"gain.volume_db", "-12.5000"}, {"gain.trim_db.r-", "-0.2500"},
        {"gain.trim_db.l+", "0.0000"}, {"topology", "se"},              {"route", "swap"},
        {"invert.left", "on"},       {"invert.right", "off"},           {"gain.bits", "32"},
        {"gain.dither", "off"},      {"oversample.ratio", "4"},         {"filter.bank", "0"},
    };
    char val[64];
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK(dump_value(set, want[i][0], val, sizeof val));
        CHECK_EQ(strcmp(val, want[i][1]), 0);
        if (strcmp(val, want[i][1]))
            printf("  %s = %s, expected %s\n", want[i][0], val, want[i][1]);
    }
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "status", NULL), 0);
    CHECK(strstr(out, "volume        -12.50 dB (ceiling -3.00 dB)\n") != NULL);
    CHECK(strstr(out, "topology      se\n") != NULL);
    /* --json dump: every line of the text dump is there as "key":value */
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "--json", "dump", NULL), 0);
    unsigned keys = 0, found = 0;
    for (const char *p = strchr(set, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        char key[64], v[64], a[160], b[160];
        if (sscanf(p + 1, "%63s = %63s", key, v) != 2)
            continue;
        keys++;
        snprintf(a, sizeof a, "\"%s\":%s", key, !strcmp(v, "on") ? "true" : !strcmp(v, "off") ? "false" : v);
        snprintf(b, sizeof b, "\"%s\":\"%s\"", key, v);
        found += strstr(out, a) != NULL || strstr(out, b) != NULL;
    }
    CHECK_EQ(keys, 20);
    CHECK_EQ(found, keys);
    CHECK(out[0] == '{' && strstr(out, "}\n") != NULL);

    /* bad files: exit 2, the file and line named, nothing changed */
    static const struct {
        const char *text, *where, *what;
    } bad[] = {
        {"gain.volume_db = -3\nvolume = -3\n", ":2:", "unknown key"},
        {"gain.volume_db = -3\ngain.volume_db = -4\n", ":2:", "twice"},
        {"mute on\n", ":1:", "key = value"},
        {"gain.volume_db = 1\n", ":1:", "-144..0"},
        {"gain.volume_db = nan\n", ":1:", "-144..0"},
        {"gain.volume_db = -1 dB\n", ":1:", "one value"},
        {"gain.bits = 20\n", ":1:", "16|24|32"},
        {"source = radio\n", ":1:", "silence|i2s|tone"},
        {"gain.trim_db.l+ = 2\n", ":1:", "-2.00..1.996"},
        {"tone.level_db = -6.25\n", ":1:", "0.5 dB steps"},
        {"invert.left = maybe\n", ":1:", "on|off"},
        {"filter.bank = 9\n", ":1:", "0..7"},
        {"gain.ceiling_db = -10\n# the volume:\ngain.volume_db = -5\n", ":3:", "above gain.ceiling_db"},
        {"topology = balanced\ngain.volume_db = -1\n", ":2:", "above the device's ceiling"},
        {"route = stereo\nfilter.bank = 6\n", ":2:", "no committed filter"},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i].text);
        CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", path, NULL), 2);
        bool named = strstr(err, bad[i].where) != NULL && strstr(err, bad[i].what) != NULL;
        CHECK(named);
        if (!named)
            printf("  bad file %u: %s", i, err);
        CHECK(dump_into(after, sizeof after));
        CHECK_EQ(strcmp(after, set), 0);
    }
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", "build/no-such.conf", NULL), 2);
    CHECK(strstr(err, "build/no-such.conf") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", NULL), 2);

    /* round trip: the dump applied back over other settings restores every one */
    write_file(path, set);
    CHECK_EQ(balctl("volume -40\ntopology balanced\nbits 16\ndither on\ntrim r- 1\ninput i2s\n", "-d", dev_arg, "-", NULL), 0);
    CHECK(dump_into(after, sizeof after));
    CHECK(strcmp(after, set) != 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", path, NULL), 0);
    CHECK(dump_into(after, sizeof after));
    CHECK_EQ(strcmp(after, set), 0);
    /* and the first dump puts the device back as the test found it */
    write_file(path, before);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", path, NULL), 0);
    CHECK(dump_into(after, sizeof after));
    CHECK_EQ(strcmp(after, before), 0);
    unlink(path);
}

/* balctl preset save/list/load/delete under XDG_CONFIG_HOME */
static void test_presets(void)
{
    char dir[128], before[8192], loud[8192], now[8192];
    snprintf(dir, sizeof dir, "%s/build/e2e-xdg-%d", getenv("PWD") ? getenv("PWD") : ".", getpid());
    setenv("XDG_CONFIG_HOME", dir, 1);
    CHECK(dump_into(before, sizeof before));
    CHECK_EQ(balctl(NULL, "preset", "list", NULL), 0); /* none yet: no directory */
    CHECK_EQ(out[0], 0);
    CHECK_EQ(balctl("volume -6\n", "-d", dev_arg, "-", NULL), 0);
    CHECK(dump_into(loud, sizeof loud));
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "preset", "save", "loud-1.0", NULL), 0);
    CHECK(strstr(out, "balanced/presets/loud-1.0.conf") != NULL);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "preset", "save", "quiet", NULL), 0);
    CHECK_EQ(balctl(NULL, "preset", "list", NULL), 0);
    CHECK_EQ(strcmp(out, "loud-1.0\nquiet\n"), 0);
    CHECK_EQ(balctl(NULL, "--json", "preset", "list", NULL), 0);
    CHECK_EQ(strcmp(out, "[\"loud-1.0\",\"quiet\"]\n"), 0);
    CHECK_EQ(balctl("volume -30\ntopology parallel\n", "-d", dev_arg, "-", NULL), 0);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "preset", "load", "loud-1.0", NULL), 0);
    CHECK(dump_into(now, sizeof now));
    CHECK_EQ(strcmp(now, loud), 0);
    /* refusals: exit 2, nothing changed */
    static const char *const bad[][2] = {{"load", "nope"}, {"save", "../x"}, {"save", ".hidden"},
                                         {"delete", "nope"}, {"rename", "loud-1.0"}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(balctl(NULL, "-d", dev_arg, "preset", bad[i][0], bad[i][1], NULL), 2);
    CHECK(dump_into(now, sizeof now));
    CHECK_EQ(strcmp(now, loud), 0);
    CHECK_EQ(balctl(NULL, "preset", "delete", "loud-1.0", NULL), 0);
    CHECK_EQ(balctl(NULL, "preset", "delete", "quiet", NULL), 0);
    CHECK_EQ(balctl(NULL, "preset", "list", NULL), 0);
    CHECK_EQ(out[0], 0);
    /* the device as the test found it */
    char path[160];
    snprintf(path, sizeof path, "%s/before.conf", dir);
    write_file(path, before);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", path, NULL), 0);
    unlink(path);
    char sub[160];
    snprintf(sub, sizeof sub, "%s/balanced/presets", dir);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/balanced", dir);
    rmdir(sub);
    rmdir(dir);
    unsetenv("XDG_CONFIG_HOME");
}

/* Every line of out is one JSON value; how many */
static int json_lines(void)
{
    int n = 0;
    for (char *line = out, *nl; *line; line = nl + 1, n++) {
        if (!(nl = strchr(line, '\n')))
            return -1; /* each value ends its line */
        *nl = 0;
        bool ok = json_valid(line);
        *nl = '\n';
        if (!ok) {
            fprintf(stderr, "  not JSON: %.*s\n", (int)(nl - line), line);
            return -1;
        }
    }
    return n;
}

/* The reader the next test trusts: it takes what is JSON and refuses what is not */
static void test_json_reader(void)
{
    static const char *const good[] = {"{}", "[]", "0", "-0.5e+3", "\"a\\u00e9\\n\"", " {\"a\":[1,{\"b\":null}],\"c\":true} "};
    static const char *const bad[] = {"", "{", "{\"a\":1,}", "[1 2]", "01", "1.", "-", "\"\\x\"", "\"a",
                                      "{a:1}", "tru", "[1]]", "{\"a\":1}{}", "\"\t\"", "NaN", "+1"};
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(json_valid(good[i]));
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!json_valid(bad[i]));
    const char *doc = "{\"x\":{\"a.b\":[10,{\"y\":\"z\"},-2.5]},\"t\":false}";
    CHECK(json_num(doc, "x", "a.b", "[0]", NULL) == 10);
    CHECK(json_num(doc, "x", "a.b", "[2]", NULL) == -2.5);
    CHECK(json_is(doc, "\"z\"", "x", "a.b", "[1]", "y", NULL));
    CHECK(json_is(doc, "false", "t", NULL));
    CHECK(json_at(doc, "x", "a.b", "[3]", NULL) == NULL);
    CHECK(json_at(doc, "a", NULL) == NULL);
    CHECK(isnan(json_num(doc, "t", NULL)));
    CHECK(json_at("{\"a\":[1,", "b", NULL) == NULL); /* cut short: no value, no crash */
    CHECK(json_at("{\"a\" 1}", "a", NULL) == NULL);
}

/* Each command's --json output, parsed back: one value a line, and the values are the
 * settings made (a setting command, then status and dump reading it back) */
static void test_json_parsed_back(void)
{
    char before[8192], path[160];
    REQUIRE(dump_into(before, sizeof before));
#define JSON_RUN(...)                                                            \
    do {                                                                         \
        CHECK_EQ(balctl(NULL, "--json", "-d", dev_arg, __VA_ARGS__, NULL), 0); \
        CHECK_EQ(json_lines(), 1);                                               \
    } while (0)
    JSON_RUN("info");
    CHECK(json_is(out, "\"0x424C4E43\"", "id", NULL));
    CHECK(json_num(out, "lanes", NULL) == 4);
    CHECK(json_num(out, "link", "crc_errors", NULL) == 0);
    CHECK(json_is(out, "true", "pll_lock", NULL));
    JSON_RUN("ping", "3");
    CHECK(json_num(out, "count", NULL) == 3);
    CHECK(json_num(out, "rtt_us", "min", NULL) <= json_num(out, "rtt_us", "avg", NULL));
    CHECK(json_num(out, "rtt_us", "avg", NULL) <= json_num(out, "rtt_us", "max", NULL));
    JSON_RUN("reg", "write", "SCRATCH", "0x1234");
    CHECK(json_num(out, "written", NULL) == 1);
    JSON_RUN("reg", "read", "SCRATCH");
    CHECK(json_is(out, "\"SCRATCH\"", "[0]", "name", NULL));
    CHECK(json_num(out, "[0]", "value", NULL) == 0x1234);

    JSON_RUN("ceiling", "-3");
    CHECK(json_is(out, "\"CEILING\"", "register", NULL));
    JSON_RUN("volume", "-10");
    CHECK(json_is(out, "\"VOLUME\"", "register", NULL));
    JSON_RUN("volume", "up", "2");
    CHECK(json_num(out, "volume_db", NULL) == -8);
    JSON_RUN("trim", "r-", "-0.75");
    JSON_RUN("topology", "parallel");
    JSON_RUN("route", "swap");
    JSON_RUN("invert", "right", "on");
    JSON_RUN("tone", "440", "-12");
    CHECK(json_num(out, "tone", "hz", NULL) == 440);
    JSON_RUN("input", "tone");
    JSON_RUN("bits", "16");
    JSON_RUN("dither", "off");
    JSON_RUN("format", "24");
    JSON_RUN("mute", "on");
    JSON_RUN("status");
    CHECK(json_num(out, "gain", "volume_db", NULL) == -8);
    CHECK(json_num(out, "gain", "ceiling_db", NULL) == -3);
    CHECK(json_num(out, "gain", "trim_db", "r-", NULL) == -0.75);
    CHECK(json_num(out, "gain", "trim_db", "l+", NULL) == 0);
    CHECK(json_num(out, "gain", "bits", NULL) == 16);
    CHECK(json_is(out, "false", "gain", "dither", NULL));
    CHECK(json_is(out, "\"parallel\"", "topology", NULL));
    CHECK(json_is(out, "\"swap\"", "route", NULL));
    CHECK(json_is(out, "true", "invert", "right", NULL));
    CHECK(json_is(out, "false", "invert", "left", NULL));
    CHECK(json_is(out, "\"tone\"", "source", NULL));
    CHECK(json_num(out, "tone", "level_db", NULL) == -12);
    CHECK(json_num(out, "output", "slot_bits", NULL) == 24);
    CHECK(json_is(out, "true", "mute", NULL));
    CHECK(json_is(out, "\"halfband\"", "filter", "name", NULL));
    JSON_RUN("dump"); /* the flat form: one key a setting, as a configuration file names it */
    CHECK(json_num(out, "gain.volume_db", NULL) == -8);
    CHECK(json_num(out, "gain.trim_db.r-", NULL) == -0.75);
    CHECK(json_is(out, "\"parallel\"", "topology", NULL));
    CHECK(json_is(out, "true", "mute", NULL));

    JSON_RUN("monitor", "--count", "1", "--interval", "10");
    CHECK(json_is(out, "\"r-\"", "lanes", "[3]", "lane", NULL));
    CHECK(json_num(out, "lanes", "[0]", "clips", NULL) >= 0);
    CHECK_EQ(balctl(NULL, "--json", "-d", dev_arg, "monitor", "--count", "3", "--interval", "10", NULL), 0);
    CHECK_EQ(json_lines(), 3); /* one line an update */
    JSON_RUN("filter", "list");
    CHECK(json_is(out, "\"halfband\"", "banks", "[0]", "name", NULL));
    CHECK(json_is(out, "true", "banks", "[0]", "live", NULL));
    CHECK(json_num(out, "banks", "[7]", "bank", NULL) == 7);
    JSON_RUN("filter", "show", "0");
    CHECK(json_num(out, "taps", NULL) == 203);
    CHECK(json_num(out, "stopband_db", NULL) > 130);
    CHECK(json_num(out, "response", "[0]", "[1]", NULL) == 0); /* 0 Hz: 0 dB */
    snprintf(path, sizeof path, "build/e2e-json-%d.txt", getpid());
    CHECK_EQ(balctl(NULL, "--json", "filter", "design", "--type", "minimum", "--taps", "64", "--out", path, NULL), 0);
    CHECK_EQ(json_lines(), 1);
    CHECK(json_num(out, "taps", NULL) == 64);
    CHECK(json_is(out, "\"minimum\"", "name", NULL));
    unlink(path);
    CHECK_EQ(balctl(NULL, "--json", "list", NULL), 0); /* USB devices: none here, an empty list */
    CHECK_EQ(json_lines(), 1);
    CHECK(json_at(out, NULL) && out[0] == '[');

    /* a session from standard input: a line a command; a refusal is JSON too, and ends it */
    CHECK_EQ(balctl("volume -20\nstatus\nvolume 3\nstatus\n", "--json", "-d", dev_arg, "-", NULL), 2);
    REQUIRE(json_lines() == 3);
    char *third = strchr(strchr(out, '\n') + 1, '\n') + 1;
    CHECK(json_num(third, "error", "exit", NULL) == 2);
    CHECK(json_is(third, "\"usage\"", "error", "kind", NULL));
    CHECK(json_num(strchr(out, '\n') + 1, "gain", "volume_db", NULL) == -20);
    CHECK_EQ(balctl(NULL, "--json", "-d", "sim:/nonexistent/balanced.sock", "status", NULL), 3);
    CHECK_EQ(json_lines(), 1);
    CHECK(json_is(out, "\"no_device\"", "error", "kind", NULL));
#undef JSON_RUN
    /* the device as the test found it */
    snprintf(path, sizeof path, "build/e2e-json-%d.conf", getpid());
    write_file(path, before);
    CHECK_EQ(balctl(NULL, "-d", dev_arg, "apply", path, NULL), 0);
    unlink(path);
}

static const struct { const char *name; void (*fn)(void); } tests[] = {
    {"test_info", test_info},
    {"test_write_then_read", test_write_then_read},
    {"test_1000_random_round_trips", test_1000_random_round_trips},
    {"test_garbage_mid_stream", test_garbage_mid_stream},
    {"test_usage_errors_touch_nothing", test_usage_errors_touch_nothing},
    {"test_no_device", test_no_device},
    {"test_device_refusals", test_device_refusals},
    {"test_ping", test_ping},
    {"test_peers_not_balanced", test_peers_not_balanced},
    {"test_busy_obeys_timeout", test_busy_obeys_timeout},
    {"test_balsim_second_client_told", test_balsim_second_client_told},
    {"test_balsim_keeps_live_socket", test_balsim_keeps_live_socket},
    {"test_balsim_seconds_bounds_idle_run", test_balsim_seconds_bounds_idle_run},
    {"test_numbers_decimal_or_hex", test_numbers_decimal_or_hex},
    {"test_json_per_line_and_errors", test_json_per_line_and_errors},
    {"test_block_writes_from_scripts_and_files", test_block_writes_from_scripts_and_files},
    {"test_stdin_read_error", test_stdin_read_error},
    {"test_version", test_version},
    {"test_audio_settings", test_audio_settings},
    {"test_gain_settings", test_gain_settings},
    {"test_volume_steps", test_volume_steps},
    {"test_monitor", test_monitor},
    {"test_config_dump_apply", test_config_dump_apply},
    {"test_presets", test_presets},
    {"test_json_reader", test_json_reader},
    {"test_json_parsed_back", test_json_parsed_back},
    {"test_oversample_settings", test_oversample_settings},
    {"test_filter_design_and_show", test_filter_design_and_show},
    {"test_filter_load_list_select", test_filter_load_list_select},
    {"test_filter_upload_cut_short", test_filter_upload_cut_short},
    {"test_no_write_lost", test_no_write_lost},
};

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (!start_balsim()) {
        printf("FAIL start_balsim (build/balsim did not come up)\n");
        return 1;
    }
    /* BAL_E2E_ORDER=reverse runs them backwards (they must not depend on each other);
     * BAL_E2E_ONLY=name runs one */
    const char *order = getenv("BAL_E2E_ORDER"), *only = getenv("BAL_E2E_ONLY");
    size_t n = sizeof tests / sizeof tests[0];
    if (only && !*only)
        only = NULL;
    for (size_t k = 0; k < n; k++) {
        size_t i = order && !strcmp(order, "reverse") ? n - 1 - k : k;
        if (!only || !strcmp(only, tests[i].name))
            run_test(tests[i].name, tests[i].fn);
    }
    stop_balsim();
    return test_summary();
}
