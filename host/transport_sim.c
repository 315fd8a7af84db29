/* sim:PATH - the Unix socket that balsim serves; its other end is the simulated UART. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "transport.h"
#include "util.h"

struct sim_transport {
    struct bal_transport base;
    int fd;
};

static int sim_write(struct bal_transport *t, const uint8_t *p, size_t n)
{
    struct sim_transport *s = (struct sim_transport *)t;
    while (n) {
        ssize_t w = send(s->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(t->error, sizeof t->error, "%s: write: %s", t->name, strerror(errno));
            return BAL_ERR_IO;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int sim_read(struct bal_transport *t, uint8_t *p, size_t n, int timeout_ms)
{
    struct sim_transport *s = (struct sim_transport *)t;
    struct pollfd pfd = {s->fd, POLLIN, 0};
    int rc;
    do
        rc = poll(&pfd, 1, timeout_ms);
    while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        snprintf(t->error, sizeof t->error, "%s: poll: %s", t->name, strerror(errno));
        return BAL_ERR_IO;
    }
    if (rc == 0)
        return 0;
    ssize_t r = recv(s->fd, p, n, 0);
    if (r == 0) {
        snprintf(t->error, sizeof t->error, "%s: balsim closed the connection", t->name);
        return BAL_ERR_IO;
    }
    if (r < 0) {
        snprintf(t->error, sizeof t->error, "%s: read: %s", t->name, strerror(errno));
        return BAL_ERR_IO;
    }
    return (int)r;
}

static void sim_close(struct bal_transport *t)
{
    struct sim_transport *s = (struct sim_transport *)t;
    close(s->fd);
    free(s);
}

static const struct bal_transport_ops sim_ops = {sim_write, sim_read, sim_close};

/* Reads balsim's one-line greeting, byte by byte so that no UART byte after it is taken. */
static int read_greeting(int fd, char *line, size_t cap)
{
    size_t n = 0;
    int64_t deadline = bal_now_ms() + BAL_SIM_GREETING_MS;
    while (n + 1 < cap) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int64_t left = deadline - bal_now_ms();
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            break;
        char ch;
        if (recv(fd, &ch, 1, 0) != 1)
            break;
        if (ch == '\n') {
            line[n] = 0;
            return 0;
        }
        line[n++] = ch;
    }
    line[n] = 0;
    return -1;
}

/* Whether the peer is a balsim that will serve us; fills err and code when not. */
static bool greeted(int fd, const char *path, char *err, size_t errlen, int *code)
{
    char line[BAL_SIM_GREETING_MAX + 1];
    bool complete = read_greeting(fd, line, sizeof line) == 0;
    if (complete && !strcmp(line, BAL_SIM_READY))
        return true;
    if (complete && !strncmp(line, BAL_SIM_BUSY, strlen(BAL_SIM_BUSY))) {
        snprintf(err, errlen, "sim:%s: balsim is busy: %s", path, line + strlen(BAL_SIM_BUSY));
        *code = BAL_ERR_NODEV;
        return false;
    }
    snprintf(err, errlen, "sim:%s: the peer is not balsim (no greeting within %d ms)", path,
             BAL_SIM_GREETING_MS);
    *code = BAL_ERR_PROTO;
    return false;
}

struct bal_transport *bal_sim_open(const char *path, char *err, size_t errlen, int *code)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!*path || strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "sim:%s: socket path empty or longer than %zu bytes", path,
                 sizeof sa.sun_path - 1);
        *code = BAL_ERR_USAGE;
        return NULL;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        snprintf(err, errlen, "sim:%s: cannot connect: %s (is balsim --socket %s running?)", path,
                 strerror(e), path);
        if (fd >= 0)
            close(fd);
        *code = BAL_ERR_NODEV;
        return NULL;
    }
    if (!greeted(fd, path, err, errlen, code)) {
        close(fd);
        return NULL;
    }
    struct sim_transport *s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        *code = BAL_ERR_IO;
        return NULL;
    }
    s->base.ops = &sim_ops;
    snprintf(s->base.name, sizeof s->base.name, "sim:%s", path);
    s->fd = fd;
    return &s->base;
}
