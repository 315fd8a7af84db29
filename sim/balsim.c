/* balsim: the whole FPGA in simulation, its control UART served on a Unix socket, its audio
 * pins fed from and recorded to WAV files.
 *
 *   balsim --socket PATH [--seconds S] [--baud-error PCT] [--seed N] [--random-init]
 *   balsim --in IN.wav --out OUT.wav [--config FILE] [--socket PATH] [--seconds S]
 *
 * Bytes from the client go onto the FPGA's RX pin at 3 Mbaud in simulated time; what the FPGA
 * sends on TX goes back to the client. Clients are served one after another for as long as
 * balsim runs. With nothing to carry, simulated time stands still instead of burning a core.
 * With --in, IN.wav plays into the I2S input pins in simulated time and the DACs' pins are
 * written to OUT.wav (sim/wavrun.c); --config runs balctl commands before the audio starts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto.h"
#include "simhost.h"
#include "transport.h"
#include "util.h"
#include "wavrun.h"

/* After the last bit on either line, keep simulating this long (~5.3 ms): longer than the
 * RTL's inter-byte timeout (2 to 3 ms), so an abandoned frame is always timed out. */
#define GRACE_CYCLES (1u << 18)
#define BATCH_CYCLES 256
/* A client that stops in the middle of a frame gets this long (real time) to go on before
 * simulated time moves: a host writes a frame in one go, the socket may split it. */
#define MID_FRAME_WAIT_MS 50

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: balsim --socket PATH [options]\n"
            "       balsim --in IN.wav --out OUT.wav [--config FILE] [--socket PATH] [options]\n"
            "Runs the simulated FPGA and serves its control UART on a Unix socket for balctl\n"
            "(balctl --device sim:PATH ...). With --in, plays IN.wav into the I2S input pins at\n"
            "its own rate and writes what the two DACs receive to OUT.wav.\n\n"
            "  --socket PATH       Unix socket to listen on (replaced if stale)\n"
            "  --in IN.wav         16, 24 or 32-bit integer or float WAV (any libsndfile reads),\n"
            "                      mono or stereo, 44.1, 48, 88.2, 96, 176.4 or 192 kHz\n"
            "  --out OUT.wav       four channels L+ L- R+ R-, 32-bit integer (24-bit lanes\n"
            "                      left-aligned), at the output rate; written only when complete\n"
            "  --config FILE       balctl commands, one per line (as 'balctl -' reads them),\n"
            "                      applied before the audio starts\n"
            "  --seconds S         stop after S seconds (0.001..3600; default: never, or the end\n"
            "                      of IN.wav): simulated time, plus real time spent idle\n"
            "  --baud-error PCT    host UART rate error in percent (-5..5; default 0)\n"
            "  --seed N            seed for --random-init (default 1)\n"
            "  --random-init       start every register at a random value (as real silicon may)\n"
            "  --trace FILE.fst    write every signal to FILE.fst (a build made with make TRACE=1)\n"
            "  --quiet             no progress messages\n"
            "  -h, --help          this text\n");
}

/* Whether a process accepts connections on the socket at path right now. */
static bool socket_is_live(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool live = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0)
        close(fd);
    return live;
}

static int listen_on(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;
    if (strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "balsim: socket path longer than %zu bytes\n", sizeof sa.sun_path - 1);
        return -1;
    }
    strcpy(sa.sun_path, path);
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            fprintf(stderr, "balsim: %s exists and is not a socket; not replacing it\n", path);
            return -1;
        }
        if (socket_is_live(path)) {
            fprintf(stderr, "balsim: %s is served by a running process (another balsim?); "
                            "not taking it over: stop that one or choose another --socket\n",
                    path);
            return -1;
        }
        unlink(path); /* stale: left by a balsim that died */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4) < 0) {
        fprintf(stderr, "balsim: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void send_line(int fd, const char *a, const char *b)
{
    char line[BAL_SIM_GREETING_MAX + 2];
    int n = snprintf(line, sizeof line, "%s%s\n", a, b);
    if (send(fd, line, (size_t)n, MSG_NOSIGNAL) != n)
        return; /* the client left already: nothing to tell */
}

struct server {
    struct simhost *sim;
    int listen_fd, client_fd;
    bool mid_frame; /* the client's last byte was not a frame end */
    bool quiet;
};

static void drop_client(struct server *s)
{
    if (s->client_fd >= 0)
        close(s->client_fd);
    s->client_fd = -1;
    s->mid_frame = false;
}

/* Whether the current client has closed its end, unread bytes or not. */
static bool client_hung_up(const struct server *s)
{
    struct pollfd p = {s->client_fd, POLLRDHUP, 0};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* Waits for sockets up to timeout_ms and moves bytes from the client onto the line. */
static void pump_sockets(struct server *s, int timeout_ms)
{
    struct pollfd p[2] = {{s->listen_fd, POLLIN, 0}, {s->client_fd, POLLIN, 0}};
    int n = s->client_fd >= 0 ? 2 : 1;
    if (poll(p, (nfds_t)n, timeout_ms) <= 0)
        return;
    if (p[0].revents & POLLIN) {
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0 && s->client_fd >= 0 && client_hung_up(s))
            drop_client(s); /* it left before we read its end of file: the line is free */
        if (fd >= 0 && s->client_fd >= 0) {
            /* one UART, one host: tell the newcomer instead of mixing two byte streams */
            send_line(fd, BAL_SIM_BUSY, "serving another client; try again when it is done");
            close(fd);
        } else if (fd >= 0) {
            s->client_fd = fd;
            send_line(fd, BAL_SIM_READY, "");
            if (!s->quiet)
                fprintf(stderr, "balsim: client connected\n");
        }
    }
    /* the client polled may have been replaced above: read only the one that is ready */
    if (n == 2 && s->client_fd == p[1].fd && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
        uint8_t buf[4096];
        size_t room = uart_line_tx_room(&s->sim->to_fpga);
        if (room == 0)
            return;
        ssize_t r = recv(s->client_fd, buf, room < sizeof buf ? room : sizeof buf, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        if (r <= 0) {
            if (!s->quiet)
                fprintf(stderr, "balsim: client left\n");
            drop_client(s);
            return;
        }
        simhost_send(s->sim, buf, (size_t)r);
        s->mid_frame = buf[r - 1] != BAL_SLIP_END;
    }
}

static void forward_to_client(struct server *s)
{
    uint8_t buf[4096];
    size_t n;
    while ((n = simhost_take(s->sim, buf, sizeof buf)) > 0) {
        if (s->client_fd < 0)
            continue; /* nobody listening: the bytes fall on the floor, as on a real wire */
        if (send(s->client_fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
            drop_client(s);
    }
}

/* One round of serving the socket: waits on it while there is nothing to simulate, else
 * simulates a batch. Idle real time is added to *idle_cycles. */
static void serve_step(struct server *s, uint64_t *idle_cycles)
{
    bool line_busy = !simhost_lines_idle(s->sim);
    bool in_grace = bm_cycles(s->sim->model) - s->sim->last_activity < GRACE_CYCLES;
    int wait_ms = line_busy ? 0 : s->mid_frame ? MID_FRAME_WAIT_MS : in_grace ? 0 : 200;
    bool was_mid_frame = s->mid_frame;
    int64_t t0 = bal_now_us();
    pump_sockets(s, wait_ms);
    if (wait_ms)
        *idle_cycles += (uint64_t)((double)(bal_now_us() - t0) * 1e-6 * bm_sysclk_hz());
    line_busy = !simhost_lines_idle(s->sim);
    if (!line_busy && !in_grace && !s->mid_frame)
        return; /* nothing to simulate: wait on the sockets again */
    if (!line_busy && was_mid_frame)
        s->mid_frame = false; /* the client really stalled: let simulated time move */
    simhost_run(s->sim, BATCH_CYCLES);
    forward_to_client(s);
}

/* balctl beside this balsim (or $BALSIM_BALCTL) */
static void balctl_path(char *out, size_t n)
{
    const char *env = getenv("BALSIM_BALCTL");
    char self[4096];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    if (env) {
        snprintf(out, n, "%s", env);
    } else if (k > 0) {
        self[k] = 0;
        snprintf(out, n, "%s/balctl", dirname(self));
    } else {
        snprintf(out, n, "balctl");
    }
}

/* --config: runs 'balctl -d sim:PATH -' on FILE while serving it; returns balctl's exit code
 * (or -1 when it could not be run). */
static int run_config(struct server *s, const char *sock, const char *file, uint64_t *idle)
{
    char exe[4096], dev[4200];
    balctl_path(exe, sizeof exe);
    snprintf(dev, sizeof dev, "sim:%s", sock);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(file, O_RDONLY);
        if (fd < 0)
            _exit(127);
        dup2(fd, 0);
        dup2(2, 1); /* balctl's answers go with balsim's messages, not into stdout */
        execl(exe, exe, "-d", dev, "--timeout", "2000", "-", (char *)NULL);
        fprintf(stderr, "balsim: %s: %s\n", exe, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, WNOHANG) == 0 && !stop_requested)
        serve_step(s, idle);
    if (stop_requested) {
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Plays the WAV through the pins, serving the socket (if any) as it goes, with progress. */
static bool run_audio(struct server *s, struct wavrun *w, uint64_t limit, bool quiet)
{
    const uint64_t batch = 4096;
    double total = wavrun_seconds(w), hz = bm_sysclk_hz();
    uint64_t start = bm_cycles(s->sim->model);
    int64_t t0 = bal_now_us(), last_report = t0;
    s->sim->audio = wavrun_pins;
    s->sim->audio_ctx = w;
    while (!wavrun_done(w) && !stop_requested && bm_cycles(s->sim->model) < limit) {
        if (s->listen_fd >= 0)
            pump_sockets(s, 0);
        simhost_run(s->sim, batch);
        forward_to_client(s);
        int64_t now = bal_now_us();
        if (!quiet && now - last_report >= 2000000) {
            double done = (double)(bm_cycles(s->sim->model) - start) / hz;
            fprintf(stderr, "balsim: %.2f of %.2f s simulated, %.3fx real time\n", done, total,
                    done / ((double)(now - t0) * 1e-6));
            last_report = now;
        }
    }
    s->sim->audio = NULL;
    double secs = (double)(bm_cycles(s->sim->model) - start) / hz;
    double real = (double)(bal_now_us() - t0) * 1e-6;
    if (!quiet)
        fprintf(stderr, "balsim: %.3f s simulated in %.1f s, %.3fx real time\n", secs, real,
                real > 0 ? secs / real : 0);
    return wavrun_done(w);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"socket", required_argument, 0, 's'},   {"seconds", required_argument, 0, 't'},
        {"baud-error", required_argument, 0, 'b'}, {"seed", required_argument, 0, 'S'},
        {"random-init", no_argument, 0, 'r'},    {"quiet", no_argument, 0, 'q'},
        {"trace", required_argument, 0, 'T'},    {"in", required_argument, 0, 'i'},
        {"out", required_argument, 0, 'o'},      {"config", required_argument, 0, 'c'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0},
    };
    const char *path = NULL, *in_path = NULL, *out_path = NULL, *config = NULL;
    double seconds = 0, baud_error = 0;
    struct bm_options mopt = {1, 0};
    bool quiet = false;
    const char *trace_path = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 's': path = optarg; break;
        case 'i': in_path = optarg; break;
        case 'o': out_path = optarg; break;
        case 'c': config = optarg; break;
        case 't':
            seconds = strtod(optarg, &end);
            if (*end || !(seconds >= 0.001 && seconds <= 3600)) {
                fprintf(stderr, "balsim: --seconds %s: expected 0.001..3600\n", optarg);
                return 2;
            }
            break;
        case 'b':
            baud_error = strtod(optarg, &end);
            if (*end || !(baud_error >= -5 && baud_error <= 5)) {
                fprintf(stderr, "balsim: --baud-error %s: expected -5..5 (percent)\n", optarg);
                return 2;
            }
            break;
        case 'S':
            if (!bal_parse_u32(optarg, &mopt.seed)) {
                fprintf(stderr, "balsim: --seed %s: expected 0..4294967295\n", optarg);
                return 2;
            }
            break;
        case 'r': mopt.rand_reset = 2; break;
        case 'q': quiet = true; break;
        case 'T': trace_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || (!path && !in_path) || !in_path != !out_path) {
        if (!in_path != !out_path)
            fprintf(stderr, "balsim: --in and --out go together\n");
        usage(stderr);
        return 2;
    }

    /* every file is checked before the simulation starts: errors cost nothing, leave nothing */
    if (config && access(config, R_OK) != 0) {
        fprintf(stderr, "balsim: --config %s: %s\n", config, strerror(errno));
        return 3;
    }
    char err[512];
    struct wavrun *w = NULL;
    if (in_path && !(w = wavrun_open(in_path, out_path, bm_sysclk_hz(), err, sizeof err))) {
        fprintf(stderr, "balsim: %s\n", err);
        return 3;
    }
    /* --config needs a socket for balctl: a private one when none was named */
    char private_sock[108] = "";
    if (!path && config) {
        snprintf(private_sock, sizeof private_sock, "/tmp/balsim-%d.sock", (int)getpid());
        path = private_sock;
    }
    struct server s = {.listen_fd = path ? listen_on(path) : -1, .client_fd = -1,
                       .quiet = quiet};
    if (path && s.listen_fd < 0) {
        if (w)
            wavrun_close(w, false, NULL, 0);
        return 3;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    s.sim = simhost_new(&mopt, baud_error / 100.0);
    if (!s.sim) {
        fprintf(stderr, "balsim: out of memory\n");
        return 1;
    }
    int rc = 0;
    if (trace_path && bm_trace(s.sim->model, trace_path) != 0) {
        fprintf(stderr, "balsim: --trace %s: this balsim was built without tracing "
                        "(make TRACE=1 builds build/trace/balsim) or the file cannot be written\n",
                trace_path);
        rc = 2;
    }
    /* Power-up: PLL lock, reset and the datapath's settling happen before anything matters. */
    simhost_run(s.sim, 4 * 49152);
    uint64_t limit = seconds > 0 ? (uint64_t)(seconds * bm_sysclk_hz()) : UINT64_MAX;
    uint64_t idle_cycles = 0;
    if (!rc && path && !quiet && !private_sock[0])
        fprintf(stderr, "balsim: serving the simulated FPGA on %s\n", path);
    if (!rc && config) {
        int crc = run_config(&s, path, config, &idle_cycles);
        if (crc != 0) {
            fprintf(stderr, "balsim: --config %s: %s (balctl exit %d); nothing played\n", config,
                    crc < 0 ? "could not run balctl" : "a command failed", crc);
            rc = 3;
        }
    }
    if (!rc && w) {
        bool complete = run_audio(&s, w, limit, quiet);
        struct wavrun_stats st;
        wavrun_stats(w, &st);
        if (!complete)
            fprintf(stderr, "balsim: stopped before the end of %s: %s not written\n", in_path,
                    out_path);
        if (wavrun_close(w, complete, err, sizeof err) != 0) {
            fprintf(stderr, "balsim: %s\n", err);
            rc = 3;
        } else if (complete && !quiet) {
            fprintf(stderr, "balsim: %s: %llu frames at %.1f kHz in; %s: %llu frames at %.1f kHz, "
                            "%u-bit slots out\n", in_path, (unsigned long long)st.in_frames,
                    st.in_rate / 1000, out_path, (unsigned long long)st.out_frames,
                    st.out_rate / 1000, st.out_slot_bits);
        }
        rc = rc ? rc : complete ? 0 : 1;
        w = NULL;
    }
    while (!rc && !in_path && !stop_requested && bm_cycles(s.sim->model) + idle_cycles < limit)
        serve_step(&s, &idle_cycles);
    if (w)
        wavrun_close(w, false, NULL, 0);
    if (!quiet && !in_path)
        fprintf(stderr, "balsim: stopped after %.6f simulated seconds\n",
                (double)bm_cycles(s.sim->model) / bm_sysclk_hz());
    drop_client(&s);
    if (s.listen_fd >= 0) {
        close(s.listen_fd);
        unlink(path);
    }
    simhost_free(s.sim);
    return rc;
}
