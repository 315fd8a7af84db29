#define _GNU_SOURCE
#include "fakepeer.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linkmodel.h"
#include "proto.h"
#include "transport.h"
#include "util.h"

static struct linkmodel dev;

static void send_all(int fd, const void *p, size_t n)
{
    if (send(fd, p, n, MSG_NOSIGNAL) != (ssize_t)n)
        _exit(0);
}

/* The reply the peer gives to one unescaped request frame, as wire bytes; returns the count. */
static size_t answer(enum fakepeer_kind kind, const uint8_t *f, size_t n, uint8_t *wire)
{
    uint8_t reply[BAL_FRAME_MAX];
    size_t rn;
    if (kind == FAKE_GARBAGE) {
        size_t k = 5 + bal_random_u32() % 40;
        for (size_t i = 0; i < k; i++)
            wire[i] = (uint8_t)bal_random_u32();
        wire[k - 1] = BAL_SLIP_END; /* close a "frame" so the host has something to judge */
        return k;
    }
    if (kind == FAKE_BUSY || kind == FAKE_BAD_STATUS) {
        struct bal_response rs = {.seq = f[0], .addr = bal_get_be16(f + 2), .count = 0};
        rs.status = kind == FAKE_BUSY ? BAL_ST_BUSY : 0x42;
        rn = bal_build_response(&rs, false, reply);
    } else {
        rn = linkmodel_handle(&dev, f, n, reply);
    }
    return rn ? bal_slip_encode(reply, rn, wire) : 0;
}

static void serve(enum fakepeer_kind kind, int fd)
{
    static uint8_t buf[4096], wire[BAL_WIRE_MAX];
    struct bal_slip_decoder dec;
    bal_slip_reset(&dec);
    if (kind != FAKE_NO_GREETING)
        send_all(fd, BAL_SIM_READY "\n", strlen(BAL_SIM_READY) + 1);
    for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r <= 0)
            return;
        if (kind == FAKE_ECHO || kind == FAKE_NO_GREETING) {
            send_all(fd, buf, (size_t)r);
            continue;
        }
        for (ssize_t i = 0; i < r; i++) {
            if (bal_slip_feed(&dec, buf[i]) != BAL_SLIP_FRAME || kind == FAKE_SILENT)
                continue;
            size_t wn = answer(kind, dec.buf, dec.len, wire);
            send_all(fd, wire, wn);
        }
    }
}

pid_t fakepeer_start(enum fakepeer_kind kind, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, path);
    unlink(path);
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 4) < 0)
        return -1;
    pid_t pid = fork();
    if (pid != 0) {
        close(lfd);
        return pid;
    }
    linkmodel_init(&dev, 0, BAL_SYSCLK_EXACT_HZ, BAL_STATUS_PLL_LOCK_MASK);
    if (kind == FAKE_WRONG_ID)
        dev.mem[BAL_REG_ID] = 0x12345678;
    if (kind == FAKE_NEW_PROTO)
        dev.mem[BAL_REG_VERSION] += 1u << BAL_VERSION_PROTO_LSB;
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            _exit(0);
        serve(kind, fd);
        close(fd);
    }
}

void fakepeer_stop(pid_t pid, const char *path)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    unlink(path);
}
