/* Peers that are not balanced devices, served on a Unix socket the way balsim serves the real
 * one (same greeting), for balctl to meet in the end-to-end tests. */
#ifndef BAL_FAKEPEER_H
#define BAL_FAKEPEER_H

#include <sys/types.h>

enum fakepeer_kind {
    FAKE_ECHO,        /* sends back every byte it gets */
    FAKE_WRONG_ID,    /* a well-behaved device whose ID is not 'BLNC' */
    FAKE_NEW_PROTO,   /* a balanced device speaking a later link protocol */
    FAKE_BAD_STATUS,  /* well-formed replies with a status no device sends */
    FAKE_GARBAGE,     /* answers each frame with random bytes */
    FAKE_BUSY,        /* answers every request BUSY */
    FAKE_SILENT,      /* takes everything, answers nothing */
    FAKE_NO_GREETING, /* an echo server that is not balsim at all */
};

/* Starts the peer in a child process listening on path; returns its pid (-1 on failure). */
pid_t fakepeer_start(enum fakepeer_kind kind, const char *path);
void fakepeer_stop(pid_t pid, const char *path);

#endif
