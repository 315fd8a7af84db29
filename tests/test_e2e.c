/* End to end: build/balctl, the real binary in its own process, against build/balsim. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "proto.h"
#include "util.h"

static char sock_path[108];
static char dev_arg[128];
static pid_t sim_pid;

static char out[1 << 20], err[1 << 16];

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
}

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
        int in = open(in_path, O_RDONLY), o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600),
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

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (!start_balsim()) {
        printf("FAIL start_balsim (build/balsim did not come up)\n");
        return 1;
    }
    RUN(test_info);
    RUN(test_write_then_read);
    RUN(test_1000_random_round_trips);
    RUN(test_garbage_mid_stream);
    RUN(test_usage_errors_touch_nothing);
    RUN(test_no_device);
    RUN(test_device_refusals);
    RUN(test_ping);
    stop_balsim();
    return test_summary();
}
