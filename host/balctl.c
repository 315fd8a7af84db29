/* balctl: control a balanced DAC engine (iCEBreaker over USB, or balsim over a socket). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "filter_dev.h"
#include "fir_design.h"
#include "ftdi_util.h"
#include "link.h"
#include "tonemodel.h"
#include "util.h"

enum exit_code {
    EXIT_OK = 0,
    EXIT_FAIL = 1,     /* the command ran and found a problem (verify mismatch) */
    EXIT_USAGE = 2,    /* bad command line, nothing was sent */
    EXIT_NODEV = 3,    /* no board, several boards and no --serial, no permission */
    EXIT_IO = 4,       /* transport failure, or no answer after every retry */
    EXIT_PROTO = 5,    /* answers that make no sense: not a balanced device, malformed replies */
    EXIT_DEVICE = 6,   /* the device refused the request (bad address, bad value, ...) */
};

#ifndef BAL_GIT_HASH
#define BAL_GIT_HASH "unknown"
#endif
#define BAL_TOOL_VERSION "0.2.0"

#define DEFAULT_TIMEOUT_MS 500
#define DEFAULT_RETRIES 4

struct session {
    const char *device;
    bool json;
    int timeout_ms;
    int retries;
    struct bal_transport *t;
    struct bal_link link;
    bool open;
};

static int exit_for(int err)
{
    switch (err) {
    case BAL_OK: return EXIT_OK;
    case BAL_ERR_USAGE: return EXIT_USAGE;
    case BAL_ERR_NODEV: return EXIT_NODEV;
    case BAL_ERR_IO: return EXIT_IO;
    case BAL_ERR_PROTO: return EXIT_PROTO;
    default: return EXIT_DEVICE;
    }
}

/* Whether errors are also reported as a JSON document on standard output: follows --json of
 * the command (or script line) being run. */
static bool json_errors;

static void json_string(const char *v);

static const char *exit_name(int code)
{
    static const char *const names[] = {"ok", "check", "usage", "no_device", "io", "protocol",
                                        "device"};
    return code >= 0 && code <= EXIT_DEVICE ? names[code] : "unknown";
}

/* Every failure goes through here: one line on stderr, and with --json an error document. */
static int vreport(int code, const char *suffix, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "balctl: %s%s\n", msg, suffix);
    if (json_errors) {
        printf("{\"error\":{\"exit\":%d,\"kind\":\"%s\",\"message\":", code, exit_name(code));
        json_string(msg);
        printf("}}\n");
        fflush(stdout);
    }
    return code;
}

static int report(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int report(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(code, "", fmt, ap);
    va_end(ap);
    return code;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(EXIT_USAGE, " (see --help)", fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

static int link_error(struct session *s, int rc)
{
    return report(exit_for(rc), "%s", s->link.error);
}

/* Opens the device on first use, so that every argument is checked before any I/O. */
static int need_link(struct session *s)
{
    char err[512];
    int code = BAL_ERR_IO;
    if (s->open)
        return EXIT_OK;
    s->t = bal_transport_open(s->device, err, sizeof err, &code);
    if (!s->t)
        return report(exit_for(code), "%s", err);
    int rc = bal_link_start(&s->link, s->t, s->timeout_ms, s->retries);
    if (rc) {
        s->t->ops->close(s->t);
        return link_error(s, rc);
    }
    s->open = true;
    return EXIT_OK;
}

static void close_link(struct session *s)
{
    if (s->open)
        s->t->ops->close(s->t);
    s->open = false;
}

/* ---------------------------------------------------------------- JSON output */

static void json_string(const char *v)
{
    putchar('"');
    for (; *v; v++) {
        unsigned char ch = (unsigned char)*v;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

/* ---------------------------------------------------------------- register names */

/* "CTRL", "0x8", "12", "SCRATCH_RAM+5" -> address; the register or block found, if any. */
static bool parse_address(const char *s, uint16_t *addr, const struct bal_reg_info **info)
{
    uint32_t v;
    *info = NULL;
    if (bal_parse_u32(s, &v)) {
        if (v > 0xFFFF)
            return false;
        *addr = (uint16_t)v;
        *info = bal_reg_at(*addr);
        return true;
    }
    char name[64];
    const char *plus = strchr(s, '+');
    size_t n = plus ? (size_t)(plus - s) : strlen(s);
    uint32_t offset = 0;
    if (n >= sizeof name || (plus && !bal_parse_u32(plus + 1, &offset)))
        return false;
    memcpy(name, s, n);
    name[n] = 0;
    for (unsigned i = 0; i < bal_nregs; i++) {
        if (strcasecmp(bal_regs[i].name, name))
            continue;
        if (offset >= bal_regs[i].size)
            return false;
        *addr = (uint16_t)(bal_regs[i].addr + offset);
        *info = &bal_regs[i];
        return true;
    }
    return false;
}

static void address_name(uint16_t addr, char *out, size_t n)
{
    const struct bal_reg_info *r = bal_reg_at(addr);
    if (!r)
        snprintf(out, n, "-");
    else if (r->size == 1)
        snprintf(out, n, "%s", r->name);
    else
        snprintf(out, n, "%s+%u", r->name, (unsigned)(addr - r->addr));
}

/* ---------------------------------------------------------------- commands */

struct command {
    const char *name;
    int (*run)(struct session *s, int argc, char **argv);
    const char *args;
    const char *help;
};

static const struct command *find_command(const char *name);
static void command_help(const struct command *c, FILE *f);

/* A command's own options are --help (-h) and, as a convenience, --json (-j) anywhere after
 * it; anything else, "-20.5" included, is an argument. Removes --json from argv; returns
 * whether help was asked for. */
static bool command_flags(struct session *s, int *argc, char **argv)
{
    bool help = false;
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            help = true;
        else if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
            s->json = true;
        else
            argv[out++] = argv[i];
    }
    *argc = out;
    return help;
}

static int cmd_list(struct session *s, int argc, char **argv)
{
    (void)argv;
    struct bal_ftdi_board boards[16];
    char err[512];
    if (argc)
        return usage_error("list takes no arguments");
    int n = bal_ftdi_list(boards, 16, err, sizeof err);
    if (n < 0)
        return report(exit_for(n), "%s", err);
    if (s->json) {
        printf("[");
        for (int i = 0; i < n; i++) {
            printf("%s{\"serial\":", i ? "," : "");
            json_string(boards[i].serial);
            printf(",\"product\":");
            json_string(boards[i].product);
            printf(",\"bus\":%d,\"address\":%d,\"accessible\":%s,\"icebreaker\":%s}",
                   boards[i].bus, boards[i].address, boards[i].can_open ? "true" : "false",
                   bal_ftdi_may_be_ours(&boards[i]) && boards[i].can_open ? "true" : "false");
        }
        printf("]\n");
        return EXIT_OK;
    }
    if (n == 0)
        printf("no FT2232H boards (0403:6010) found\n");
    for (int i = 0; i < n; i++)
        printf("usb:%-16s bus %03d address %03d  %s%s\n",
               boards[i].serial[0] ? boards[i].serial : "?", boards[i].bus, boards[i].address,
               boards[i].product,
               !boards[i].can_open ? "(no permission: see udev/60-balanced.rules)"
               : bal_ftdi_may_be_ours(&boards[i]) ? "" : "  (not an iCEBreaker: used only when named)");
    return EXIT_OK;
}

struct device_info {
    uint32_t id, version, build, sysclk, caps, ctrl, status, uptime;
    uint32_t link[7];
};

static const char *const link_counter_names[7] = {
    "frames", "crc_errors", "frame_errors", "uart_errors", "overruns", "timeouts", "duplicates",
};

static int read_info(struct session *s, struct device_info *d)
{
    uint32_t head[5], ctl[3];
    int rc;
    if ((rc = bal_read(&s->link, BAL_REG_ID, 5, head)) ||
        (rc = bal_read(&s->link, BAL_REG_CTRL, 3, ctl)) ||
        (rc = bal_read(&s->link, BAL_REG_LINK_FRAMES, 7, d->link)))
        return rc;
    d->id = head[0];
    d->version = head[1];
    d->build = head[2];
    d->sysclk = head[3];
    d->caps = head[4];
    d->ctrl = ctl[0];
    d->status = ctl[1];
    d->uptime = ctl[2];
    return BAL_OK; /* ID and VERSION were checked when the session started */
}

static void print_info_json(const struct session *s, const struct device_info *d)
{
    printf("{\"device\":");
    json_string(s->device);
    printf(",\"id\":\"0x%08X\",\"protocol\":%u,\"rtl_version\":\"%u.%u.%u\",\"build\":\"%08x\","
           "\"sysclk_hz\":%u,\"clock_exact\":%s,\"pll_lock\":%s,\"dsp_ready\":%s,\"link_error\":%s,\"mute\":%s,"
           "\"lanes\":%u,\"max_words\":%u,\"uptime_ms\":%u,\"link\":{",
           d->id, BAL_FIELD(VERSION, PROTO, d->version), BAL_FIELD(VERSION, MAJOR, d->version),
           BAL_FIELD(VERSION, MINOR, d->version), BAL_FIELD(VERSION, PATCH, d->version), d->build,
           d->sysclk, BAL_FIELD(STATUS, CLK_EXACT, d->status) ? "true" : "false",
           BAL_FIELD(STATUS, PLL_LOCK, d->status) ? "true" : "false",
           BAL_FIELD(STATUS, DSP_READY, d->status) ? "true" : "false",
           BAL_FIELD(STATUS, LINK_ERR, d->status) ? "true" : "false",
           BAL_FIELD(CTRL, MUTE, d->ctrl) ? "true" : "false", BAL_FIELD(CAPS, LANES, d->caps),
           BAL_FIELD(CAPS, MAX_WORDS, d->caps), d->uptime);
    for (int i = 0; i < 7; i++)
        printf("%s\"%s\":%u", i ? "," : "", link_counter_names[i], d->link[i]);
    printf("},\"host\":{\"retries\":%u,\"timeouts\":%u,\"bad_frames\":%u}}\n",
           s->link.stats.retries, s->link.stats.timeouts, s->link.stats.bad_frames);
}

static void print_info_text(const struct session *s, const struct device_info *d)
{
    printf("device        %s\n", s->device);
    printf("id            0x%08X (%c%c%c%c)\n", d->id, d->id >> 24, (d->id >> 16) & 0xFF,
           (d->id >> 8) & 0xFF, d->id & 0xFF);
    printf("version       RTL %u.%u.%u, protocol %u\n", BAL_FIELD(VERSION, MAJOR, d->version),
           BAL_FIELD(VERSION, MINOR, d->version), BAL_FIELD(VERSION, PATCH, d->version),
           BAL_FIELD(VERSION, PROTO, d->version));
    printf("build         %08x\n", d->build);
    printf("system clock  %.6f MHz (%s)\n", d->sysclk / 1e6,
           BAL_FIELD(STATUS, CLK_EXACT, d->status) ? "exact audio clock"
                                               : "from the crystal: audio rates approximate");
    printf("PLL           %s\n", BAL_FIELD(STATUS, PLL_LOCK, d->status) ? "locked" : "UNLOCKED");
    printf("datapath      %s\n", BAL_FIELD(STATUS, DSP_READY, d->status) ? "ready" : "settling");
    printf("link errors   %s\n",
           BAL_FIELD(STATUS, LINK_ERR, d->status) ? "yes (see below; 'reg write LINK_CLEAR 1' clears)" : "none");
    printf("mute          %s\n", BAL_FIELD(CTRL, MUTE, d->ctrl) ? "on" : "off");
    printf("lanes         %u (L+ L- R+ R-)\n", BAL_FIELD(CAPS, LANES, d->caps));
    printf("uptime        %.3f s\n", d->uptime / 1000.0);
    printf("link          ");
    for (int i = 0; i < 7; i++)
        printf("%s%s %u", i ? ", " : "", link_counter_names[i], d->link[i]);
    printf("\nhost          retries %u, timeouts %u, bad replies %u\n", s->link.stats.retries,
           s->link.stats.timeouts, s->link.stats.bad_frames);
}

static int cmd_info(struct session *s, int argc, char **argv)
{
    (void)argv;
    struct device_info d;
    if (argc)
        return usage_error("info takes no arguments");
    int rc = need_link(s);
    if (rc)
        return rc;
    if ((rc = read_info(s, &d)))
        return link_error(s, rc);
    if (s->json)
        print_info_json(s, &d);
    else
        print_info_text(s, &d);
    return EXIT_OK;
}

static int cmd_ping(struct session *s, int argc, char **argv)
{
    long count = 10;
    if (argc > 1)
        return usage_error("ping takes at most one argument");
    if (argc == 1 && !bal_parse_long(argv[0], 1, 100000, &count))
        return usage_error("ping COUNT: '%s' is not in 1..100000", argv[0]);
    int rc = need_link(s);
    if (rc)
        return rc;
    double min = 1e30, max = 0, sum = 0;
    unsigned retries0 = s->link.stats.retries;
    for (long i = 0; i < count; i++) {
        int64_t t0 = bal_now_us();
        if ((rc = bal_nop(&s->link)))
            return link_error(s, rc);
        double us = (double)(bal_now_us() - t0);
        min = us < min ? us : min;
        max = us > max ? us : max;
        sum += us;
    }
    unsigned retries = s->link.stats.retries - retries0;
    if (s->json)
        printf("{\"count\":%ld,\"rtt_us\":{\"min\":%.1f,\"avg\":%.1f,\"max\":%.1f},\"retries\":%u}\n",
               count, min, sum / count, max, retries);
    else
        printf("%ld requests to %s: round trip min %.1f us, avg %.1f us, max %.1f us; %u retries\n",
               count, s->device, min, sum / count, max, retries);
    return EXIT_OK;
}

static int reg_read(struct session *s, int argc, char **argv)
{
    uint16_t addr;
    const struct bal_reg_info *info;
    long count = 1;
    if (argc < 1 || argc > 2)
        return usage_error("reg read ADDR|NAME [COUNT]");
    if (!parse_address(argv[0], &addr, &info))
        return usage_error("reg read: '%s' is not an address (0..0xFFFF) or register name", argv[0]);
    if (argc == 2 && !bal_parse_long(argv[1], 1, 0x10000 - addr, &count))
        return usage_error("reg read: COUNT '%s' is not in 1..%u", argv[1], 0x10000u - addr);
    uint32_t *v = malloc(sizeof *v * (size_t)count);
    if (!v)
        return EXIT_IO;
    int rc = need_link(s);
    if (!rc && (rc = bal_read(&s->link, addr, (size_t)count, v)))
        rc = link_error(s, rc);
    for (long i = 0; !rc && i < count; i++) {
        char name[64];
        address_name((uint16_t)(addr + i), name, sizeof name);
        if (s->json)
            printf("%s{\"addr\":%ld,\"name\":\"%s\",\"value\":%u}%s", i ? "," : "[", addr + i,
                   name, v[i], i == count - 1 ? "]\n" : "");
        else
            printf("0x%04lX %-20s 0x%08X\n", addr + i, name, v[i]);
    }
    free(v);
    return rc;
}

/* Checks that n words from addr may be written: not a read-only register, not past the end
 * of a block they start in, not past the address space. */
static int check_write_range(const char *cmd, uint16_t addr, const struct bal_reg_info *info,
                             size_t n)
{
    if ((size_t)addr + n > 0x10000)
        return usage_error("%s: %zu values from 0x%04X run past 0xFFFF", cmd, n, addr);
    if (!info)
        return EXIT_OK;
    if (info->size > 1 && (size_t)addr + n > (size_t)info->addr + info->size)
        return usage_error("%s: %zu values from %s+%u run past the end of %s (%u words)", cmd, n,
                           info->name, (unsigned)(addr - info->addr), info->name, info->size);
    if (info->size == 1 && !strcmp(info->access, "ro"))
        return usage_error("%s: %s is read-only", cmd, info->name);
    return EXIT_OK;
}

static int write_words(struct session *s, uint16_t addr, const uint32_t *v, size_t n)
{
    int rc = need_link(s);
    if (!rc && (rc = bal_write(&s->link, addr, n, v)))
        rc = link_error(s, rc);
    if (!rc && s->json)
        printf("{\"addr\":%u,\"written\":%zu}\n", addr, n);
    return rc;
}

static int reg_write(struct session *s, int argc, char **argv)
{
    uint16_t addr;
    const struct bal_reg_info *info;
    if (argc < 2)
        return usage_error("reg write ADDR|NAME VALUE [VALUE...]");
    if (!parse_address(argv[0], &addr, &info))
        return usage_error("reg write: '%s' is not an address (0..0xFFFF) or register name", argv[0]);
    size_t n = (size_t)argc - 1;
    int rc = check_write_range("reg write", addr, info, n);
    if (rc)
        return rc;
    uint32_t *v = malloc(sizeof *v * n);
    if (!v)
        return report(EXIT_IO, "out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        if (!bal_parse_u32(argv[i + 1], &v[i]))
            rc = usage_error("reg write: VALUE '%s' is not in 0..0xFFFFFFFF", argv[i + 1]);
    if (!rc)
        rc = write_words(s, addr, v, n);
    free(v);
    return rc;
}

/* Values from a file: decimal or 0x-hex words separated by white space or commas, '#' to the
 * end of a line is a comment. Returns the count, or -1 with err filled. */
static long read_value_file(const char *path, uint32_t *v, size_t max, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, n = 0;
    unsigned lineno = 0;
    long result = -1;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        for (char *w = strtok(line, " \t\r\n,"); w; w = strtok(NULL, " \t\r\n,")) {
            if (n == max) {
                snprintf(err, errlen, "%s:%u: more than %zu values", path, lineno, max);
                goto out;
            }
            if (!bal_parse_u32(w, &v[n++])) {
                snprintf(err, errlen, "%s:%u: '%s' is not a value in 0..0xFFFFFFFF", path, lineno, w);
                goto out;
            }
        }
    }
    if (ferror(f))
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
    else if (n == 0)
        snprintf(err, errlen, "%s: no values", path);
    else
        result = (long)n;
out:
    free(line);
    fclose(f);
    return result;
}

static int reg_load(struct session *s, int argc, char **argv)
{
    uint16_t addr;
    const struct bal_reg_info *info;
    char err[512];
    if (argc != 2)
        return usage_error("reg load ADDR|NAME FILE");
    if (!parse_address(argv[0], &addr, &info))
        return usage_error("reg load: '%s' is not an address (0..0xFFFF) or register name", argv[0]);
    size_t room = 0x10000u - addr;
    uint32_t *v = malloc(sizeof *v * room);
    if (!v)
        return report(EXIT_IO, "out of memory");
    long n = read_value_file(argv[1], v, room, err, sizeof err);
    int rc = n < 0 ? usage_error("reg load: %s", err)
                   : check_write_range("reg load", addr, info, (size_t)n);
    if (!rc)
        rc = write_words(s, addr, v, (size_t)n);
    free(v);
    return rc;
}

static int reg_list(struct session *s, int argc, char **argv)
{
    (void)argv;
    if (argc)
        return usage_error("reg list takes no arguments");
    for (unsigned i = 0; i < bal_nregs; i++) {
        const struct bal_reg_info *r = &bal_regs[i];
        if (s->json) {
            printf("%s{\"name\":\"%s\",\"addr\":%u,\"size\":%u,\"access\":\"%s\",\"description\":",
                   i ? "," : "[", r->name, r->addr, r->size, r->access);
            json_string(r->desc);
            printf("}%s", i == bal_nregs - 1 ? "]\n" : "");
        } else {
            printf("0x%04X %-18s %-2s %5u  %s\n", r->addr, r->name, r->access, r->size, r->desc);
        }
    }
    return EXIT_OK;
}

static int cmd_reg(struct session *s, int argc, char **argv)
{
    if (argc < 1)
        return usage_error("reg: expected read, write, load or list");
    if (!strcmp(argv[0], "read"))
        return reg_read(s, argc - 1, argv + 1);
    if (!strcmp(argv[0], "write"))
        return reg_write(s, argc - 1, argv + 1);
    if (!strcmp(argv[0], "list"))
        return reg_list(s, argc - 1, argv + 1);
    if (!strcmp(argv[0], "load"))
        return reg_load(s, argc - 1, argv + 1);
    return usage_error("reg: '%s' is not read, write, load or list", argv[0]);
}

static int run_words(struct session *s, int argc, char **argv);

/* Splits a script line into words ('#' starts a comment); returns the count, or -1 when there
 * are more than max. */
static int split_words(char *line, char **words, int max)
{
    int n = 0;
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    for (char *w = strtok(line, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
        if (n == max)
            return -1;
        words[n++] = w;
    }
    return n;
}

/* A script line: room for a block write of BAL_MAX_WORDS values and its command words. */
#define SCRIPT_MAX_WORDS (BAL_MAX_WORDS + 8)

/* balctl - : one command per line from standard input, on one connection. --json on a line
 * applies to that line. Stops at the first failing line. */
static int cmd_script(struct session *s, int argc, char **argv)
{
    (void)argv;
    if (argc)
        return usage_error("'-' takes no arguments: commands come on standard input");
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    bool json = s->json;
    int rc = EXIT_OK;
    while (rc == EXIT_OK && getline(&line, &cap, stdin) >= 0) {
        char *words[SCRIPT_MAX_WORDS];
        lineno++;
        int n = split_words(line, words, SCRIPT_MAX_WORDS);
        if (n == 0)
            continue;
        if (n < 0) {
            rc = report(EXIT_USAGE, "stdin:%u: more than %d words", lineno, SCRIPT_MAX_WORDS);
        } else if (!strcmp(words[0], "-")) {
            rc = report(EXIT_USAGE, "stdin:%u: '-' cannot nest", lineno);
        } else {
            s->json = json_errors = json;
            rc = run_words(s, n, words);
            fflush(stdout);
            if (rc)
                fprintf(stderr, "balctl: stdin:%u: '%s' failed\n", lineno, words[0]);
        }
    }
    if (rc == EXIT_OK && ferror(stdin))
        rc = report(EXIT_IO, "stdin: read error after line %u: %s", lineno, strerror(errno));
    free(line);
    s->json = json_errors = json;
    return rc;
}

/* ---------------------------------------------------------------- audio settings */

/* A setting's value as a configuration file's key takes it (config.c: one parser and one set
 * of ranges for both), or a usage error that names the command */
static int parse_key(const char *label, enum bal_config_key k, const char *word, uint32_t *v)
{
    char err[256];
    return bal_config_parse_value(k, label, word, v, err, sizeof err) ? EXIT_OK : usage_error("%s", err);
}

/* A coded field's value by its name, as balctl takes it */
static const char *code_name(uint16_t reg, const char *field, uint32_t code)
{
    static char buf[4][32];
    static int next;
    const struct bal_field_info *f = bal_field_at(reg, field);
    for (unsigned i = 0; f && i < f->nvalues; i++)
        if (f->values[i].code == code) {
            char *out = buf[next++ % 4];
            bal_value_word(&f->values[i], false, out, sizeof buf[0]);
            return out;
        }
    return "?";
}

/* Reads one register. */
static int read_reg(struct session *s, uint16_t reg, uint32_t *v)
{
    int rc = need_link(s);
    if (!rc && (rc = bal_read(&s->link, reg, 1, v)))
        rc = link_error(s, rc);
    return rc;
}

/* Writes one register, saying nothing. */
static int write_word(struct session *s, uint16_t reg, uint32_t v)
{
    int rc = need_link(s);
    if (!rc && (rc = bal_write(&s->link, reg, 1, &v)))
        rc = link_error(s, rc);
    return rc;
}

/* Writes one register (its value printed with --json). */
static int write_reg(struct session *s, uint16_t reg, uint32_t v)
{
    int rc = write_word(s, reg, v);
    if (!rc && s->json)
        printf("{\"register\":\"%s\",\"value\":%u}\n", bal_reg_at(reg)->name, v);
    return rc;
}

/* Writes one register's field (the others as they are), after reading it. */
static int write_field(struct session *s, uint16_t reg, const char *field, uint32_t code)
{
    const struct bal_field_info *f = bal_field_at(reg, field);
    unsigned w = f->msb - f->lsb + 1;
    uint32_t mask = (w == 32 ? 0xFFFFFFFFu : (1u << w) - 1) << f->lsb, v;
    int rc = read_reg(s, reg, &v);
    return rc ? rc : write_reg(s, reg, (v & ~mask) | ((code << f->lsb) & mask));
}

/* Writes the field configuration key k sets */
static int write_key(struct session *s, enum bal_config_key k, uint32_t v)
{
    return write_field(s, bal_config_key_reg(k), bal_config_key_field(k), v);
}

/* A command that sets one key from its one argument (the choices in its --help). */
static int set_key(struct session *s, int argc, char **argv, const char *cmd, enum bal_config_key k,
                   const char *choices)
{
    uint32_t v;
    if (argc != 1)
        return usage_error("%s takes one argument: %s", cmd, choices);
    int rc = parse_key(cmd, k, argv[0], &v);
    return rc ? rc : write_key(s, k, v);
}

static int cmd_input(struct session *s, int argc, char **argv)
{
    return set_key(s, argc, argv, "input", BAL_CFG_SOURCE, "i2s|tone|silence");
}

static int cmd_route(struct session *s, int argc, char **argv)
{
    return set_key(s, argc, argv, "route", BAL_CFG_ROUTE, "stereo|swap|mono|left|right");
}

static int cmd_invert(struct session *s, int argc, char **argv)
{
    if (argc != 2)
        return usage_error("invert takes two arguments: left|right on|off");
    bool left = !strcasecmp(argv[0], "left");
    if (!left && strcasecmp(argv[0], "right"))
        return usage_error("invert: '%s' is not one of left|right", argv[0]);
    enum bal_config_key k = left ? BAL_CFG_INVERT_LEFT : BAL_CFG_INVERT_RIGHT;
    uint32_t on;
    int rc = parse_key("invert", k, argv[1], &on);
    return rc ? rc : write_key(s, k, on);
}

static int cmd_topology(struct session *s, int argc, char **argv)
{
    return set_key(s, argc, argv, "topology", BAL_CFG_TOPOLOGY, "balanced|se|parallel|mono");
}

static int cmd_format(struct session *s, int argc, char **argv)
{
    return set_key(s, argc, argv, "format", BAL_CFG_OUTPUT_SLOT_BITS, "24|32");
}

static int cmd_tone(struct session *s, int argc, char **argv)
{
    if (argc != 2)
        return usage_error("tone takes two arguments: FREQ_HZ LEVEL_DB");
    uint32_t v[2];
    int rc = parse_key("tone FREQ_HZ", BAL_CFG_TONE_HZ, argv[0], &v[0]);
    if (rc || (rc = parse_key("tone LEVEL_DB", BAL_CFG_TONE_LEVEL_DB, argv[1], &v[1])))
        return rc;
    double db = -0.5 * v[1];
    rc = need_link(s);
    if (!rc && ((rc = bal_write(&s->link, BAL_REG_TONE_FREQ, 1, &v[0])) ||
                (rc = bal_write(&s->link, BAL_REG_TONE_LEVEL, 1, &v[1]))))
        rc = link_error(s, rc);
    if (!rc && s->json)
        printf("{\"tone\":{\"hz\":%.4f,\"level_db\":%.1f}}\n", tone_hz_for_inc(v[0]), db);
    return rc;
}

/* ---------------------------------------------------------------- the lanes' gains */

static double db_of_units(long units)
{
    return (double)units / BAL_GAIN_UNIT_PER_DB;
}

/* A gain in dB within lo..hi, in 1/256 dB units (rounded); false if it is not such a number. */
static bool parse_gain_db(const char *s, double lo, double hi, long *units)
{
    double db;
    if (!bal_parse_decimal(s, &db) || db < lo || db > hi)
        return false;
    *units = lround(db * BAL_GAIN_UNIT_PER_DB);
    return true;
}

/* A command's one argument, a gain of -144..0 dB (as gain.volume_db takes it), in 1/256 dB
 * units; or a usage error. */
static int parse_level_arg(const char *cmd, int argc, char **argv, long *units)
{
    uint32_t atten;
    if (argc != 1)
        return usage_error("%s takes one argument: DB (%.0f..0)", cmd, BAL_GAIN_DB_MIN);
    int rc = parse_key(cmd, BAL_CFG_VOLUME_DB, argv[0], &atten);
    *units = -(long)atten;
    return rc;
}

/* A step of the volume from where the device has it: STEP dB (0.004..144, default 1) up or
 * down, held within -144 dB and the ceiling; the volume it lands on printed. */
static int volume_step(struct session *s, bool up, const char *step_arg)
{
    long step = BAL_GAIN_UNIT_PER_DB;
    if (step_arg && (!parse_gain_db(step_arg, 0, -BAL_GAIN_DB_MIN, &step) || step == 0))
        return usage_error("volume %s: STEP '%s' is not in 0.004..%.0f (dB)", up ? "up" : "down",
                           step_arg, -BAL_GAIN_DB_MIN);
    uint32_t vol, ceiling;
    int rc = read_reg(s, BAL_REG_VOLUME, &vol);
    if (!rc)
        rc = read_reg(s, BAL_REG_CEILING, &ceiling);
    if (rc)
        return rc;
    long atten = (long)BAL_FIELD(VOLUME, ATTEN, vol) + (up ? -step : step);
    long top = (long)BAL_FIELD(CEILING, ATTEN, ceiling);
    atten = atten < top ? top : atten > BAL_GAIN_SILENT ? BAL_GAIN_SILENT : atten;
    if ((rc = write_word(s, BAL_REG_VOLUME, (uint32_t)atten)))
        return rc;
    if (s->json)
        printf("{\"volume_db\":%.4f}\n", -db_of_units(atten));
    else
        printf("volume %.2f dB%s\n", -db_of_units(atten),
               atten == top && up ? " (the ceiling)" : atten == BAL_GAIN_SILENT ? " (silence)" : "");
    return EXIT_OK;
}

/* VOLUME: the master attenuation. Above CEILING is refused (read first; nothing written). Or a
 * step: up|down [STEP], +STEP (a minus sign cannot mark a step: 'volume -20' sets -20 dB, as
 * status shows a volume). */
static int cmd_volume(struct session *s, int argc, char **argv)
{
    if (argc >= 1 && argc <= 2 && (!strcmp(argv[0], "up") || !strcmp(argv[0], "down")))
        return volume_step(s, argv[0][0] == 'u', argc == 2 ? argv[1] : NULL);
    if (argc == 1 && argv[0][0] == '+')
        return volume_step(s, true, argv[0] + 1);
    long g = 0;
    uint32_t ceiling;
    int rc = parse_level_arg("volume", argc, argv, &g);
    if (!rc)
        rc = read_reg(s, BAL_REG_CEILING, &ceiling);
    if (rc)
        return rc;
    long top = -(long)BAL_FIELD(CEILING, ATTEN, ceiling);
    if (g > top)
        return usage_error("volume: %s dB is above the ceiling: the allowed range is %.0f..%.2f dB "
                           "('ceiling' raises it)", argv[0], BAL_GAIN_DB_MIN, db_of_units(top));
    return write_reg(s, BAL_REG_VOLUME, (uint32_t)-g);
}

static int cmd_ceiling(struct session *s, int argc, char **argv)
{
    long g = 0;
    int rc = parse_level_arg("ceiling", argc, argv, &g);
    return rc ? rc : write_reg(s, BAL_REG_CEILING, (uint32_t)-g);
}

static const struct {
    const char *name;
    enum bal_config_key key;
} trim_lanes[] = {{"l+", BAL_CFG_TRIM_LP_DB}, {"l-", BAL_CFG_TRIM_LN_DB}, {"r+", BAL_CFG_TRIM_RP_DB},
                  {"r-", BAL_CFG_TRIM_RN_DB}};

static int cmd_trim(struct session *s, int argc, char **argv)
{
    if (argc != 2)
        return usage_error("trim takes two arguments: l+|l-|r+|r- DB (%.2f..%.3f)", BAL_TRIM_DB_MIN,
                           BAL_TRIM_DB_MAX);
    unsigned lane = 0;
    while (lane < 4 && strcasecmp(argv[0], trim_lanes[lane].name))
        lane++;
    if (lane == 4)
        return usage_error("trim: '%s' is not one of l+|l-|r+|r-", argv[0]);
    uint32_t g;
    char label[16];
    snprintf(label, sizeof label, "trim %s", trim_lanes[lane].name);
    int rc = parse_key(label, trim_lanes[lane].key, argv[1], &g);
    return rc ? rc : write_reg(s, bal_config_key_reg(trim_lanes[lane].key), g);
}

static int cmd_mute(struct session *s, int argc, char **argv)
{
    uint32_t on, ctrl;
    char err[128];
    bool toggle = argc == 1 && !strcasecmp(argv[0], "toggle");
    if (argc != 1 || (!toggle && !bal_config_parse_value(BAL_CFG_MUTE, "mute", argv[0], &on, err, sizeof err)))
        return usage_error("mute takes one argument: on|off|toggle");
    if (toggle) {
        int rc = read_reg(s, BAL_REG_CTRL, &ctrl);
        if (rc)
            return rc;
        on = !BAL_FIELD(CTRL, MUTE, ctrl);
    }
    return write_key(s, BAL_CFG_MUTE, on);
}

static int cmd_dither(struct session *s, int argc, char **argv)
{
    return set_key(s, argc, argv, "dither", BAL_CFG_DITHER, "on|off");
}

static int cmd_bits(struct session *s, int argc, char **argv)
{
    return set_key(s, argc, argv, "bits", BAL_CFG_BITS, "16|24|32");
}

/* ---------------------------------------------------------------- the meters */

#define METER_LANES 4
static const char *const meter_lane_names[METER_LANES] = {"l+", "l-", "r+", "r-"}; /* the map's order */
#define METER_BAR 40

struct monitor_opts {
    long interval_ms, count, range_db;
};

static volatile sig_atomic_t monitor_stop;

static void monitor_on_signal(int sig)
{
    (void)sig;
    monitor_stop = 1;
}

static const char *option_value(int argc, char **argv, int *i, const char *name);

static int monitor_args(int argc, char **argv, struct monitor_opts *o)
{
    *o = (struct monitor_opts){50, 0, 60};
    for (int i = 0; i < argc; i++) {
        const char *name = argv[i], *v;
        long *dst, lo, hi;
        if (!strcmp(name, "--interval"))
            dst = &o->interval_ms, lo = 10, hi = 10000;
        else if (!strcmp(name, "--count"))
            dst = &o->count, lo = 1, hi = 1000000;
        else if (!strcmp(name, "--range"))
            dst = &o->range_db, lo = 20, hi = 144;
        else
            return usage_error("monitor: unknown option '%s' (--interval MS, --count N, --range DB)", name);
        if (!(v = option_value(argc, argv, &i, name)))
            return EXIT_USAGE;
        if (!bal_parse_long(v, lo, hi, dst))
            return usage_error("monitor: %s '%s' is not in %ld..%ld", name, v, lo, hi);
    }
    return EXIT_OK;
}

/* PEAK_* then CLIPS_*: one read, which clears them on the device */
static int meters_read(struct session *s, uint32_t peak[METER_LANES], uint32_t clips[METER_LANES])
{
    uint32_t w[2 * METER_LANES];
    int rc = bal_read(&s->link, BAL_REG_PEAK_LP, 2 * METER_LANES, w);
    if (rc)
        return link_error(s, rc);
    for (int i = 0; i < METER_LANES; i++) {
        peak[i] = BAL_FIELD(PEAK_LP, ATTEN, w[i]);
        clips[i] = BAL_FIELD(CLIPS_LP, COUNT, w[METER_LANES + i]);
    }
    return EXIT_OK;
}

static double monitor_seconds(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One update as a JSON line: each lane's peak since the last (null: nothing above -144 dBFS)
 * and its clipped frames */
static void monitor_json(double t, const uint32_t peak[], const uint32_t clips[])
{
    printf("{\"t_s\":%.3f,\"lanes\":[", t);
    for (int i = 0; i < METER_LANES; i++) {
        printf("%s{\"lane\":\"%s\",\"peak_dbfs\":", i ? "," : "", meter_lane_names[i]);
        if (peak[i] >= BAL_GAIN_SILENT)
            printf("null");
        else
            printf("%.2f", -db_of_units((long)peak[i]));
        printf(",\"clips\":%u}", (unsigned)clips[i]);
    }
    printf("]}\n");
}

/* A lane's bar: the peak since the last update over the range, its level, the loudest since the
 * monitor started, clipped frames in all and CLIP while any came in the last two seconds */
static void monitor_bar(int lane, uint32_t peak, double range_db, double max_db, unsigned long clips_total,
                        bool clip_lit, bool tty)
{
    double db = peak >= BAL_GAIN_SILENT ? -INFINITY : -db_of_units((long)peak);
    int fill = db <= -range_db ? 0 : (int)lround((range_db + db) / range_db * METER_BAR);
    char bar[METER_BAR + 1];
    for (int i = 0; i < METER_BAR; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[METER_BAR] = 0;
    char level[16], max[16];
    snprintf(level, sizeof level, isinf(db) ? "   -inf" : "%7.2f", db);
    snprintf(max, sizeof max, isinf(max_db) ? "   -inf" : "%7.2f", max_db);
    printf("%s%s [%s] %s dBFS  max %s  clips %lu%s%s\n", tty ? "\r" : "", meter_lane_names[lane], bar, level,
           max, clips_total, clip_lit ? "  CLIP" : "", tty ? "\033[K" : "");
}

/* The meters until Ctrl-C (or --count updates): a read every --interval ms, each showing the
 * peaks since the one before (the device clears them as they are read). On a terminal the
 * four bars are redrawn in place; otherwise, and with --json, each update follows the last. */
static int cmd_monitor(struct session *s, int argc, char **argv)
{
    struct monitor_opts o;
    int rc = monitor_args(argc, argv, &o);
    if (rc || (rc = need_link(s)))
        return rc;
    uint32_t peak[METER_LANES], clips[METER_LANES];
    if ((rc = meters_read(s, peak, clips))) /* what came before the monitor */
        return rc;
    struct sigaction sa = {0};
    sa.sa_handler = monitor_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    bool tty = isatty(STDOUT_FILENO) && !s->json;
    double max_db[METER_LANES], clip_at[METER_LANES];
    unsigned long clips_total[METER_LANES] = {0};
    for (int i = 0; i < METER_LANES; i++)
        max_db[i] = -INFINITY, clip_at[i] = -1e9;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long n = 0; !monitor_stop && (!o.count || n < o.count); n++) {
        struct timespec nap = {o.interval_ms / 1000, (o.interval_ms % 1000) * 1000000L};
        nanosleep(&nap, NULL);
        if (monitor_stop)
            break;
        if ((rc = meters_read(s, peak, clips)))
            return rc;
        double t = monitor_seconds(&t0);
        if (s->json) {
            monitor_json(t, peak, clips);
        } else {
            if (tty && n > 0)
                printf("\033[%dA", METER_LANES);
            for (int i = 0; i < METER_LANES; i++) {
                if (peak[i] < BAL_GAIN_SILENT)
                    max_db[i] = fmax(max_db[i], -db_of_units((long)peak[i]));
                clips_total[i] += clips[i];
                if (clips[i])
                    clip_at[i] = t;
                monitor_bar(i, peak[i], (double)o.range_db, max_db[i], clips_total[i], t - clip_at[i] < 2.0,
                            tty);
            }
            if (!tty)
                printf("\n");
        }
        fflush(stdout);
    }
    return EXIT_OK;
}

static unsigned rate_hz(uint32_t code)
{
    static const unsigned hz[] = {0, 44100, 48000, 88200, 96000, 176400, 192000};
    return code < sizeof hz / sizeof hz[0] ? hz[code] : 0;
}

/* The largest oversampling ratio an input rate allows: the output stays at or below 384 kHz */
static unsigned ratio_max_for(unsigned in_hz)
{
    return in_hz == 0 || in_hz <= 48000 ? 8 : in_hz <= 96000 ? 4 : 2;
}

/* The rate the engine takes with this source: a locked I2S input's, else (the tone, silence,
 * an input not locked) 48 kHz */
static int playing_rate(struct session *s, uint32_t source, unsigned *in_hz)
{
    uint32_t st;
    int rc = bal_read(&s->link, BAL_REG_AUDIO_STATUS, 1, &st);
    if (rc)
        return link_error(s, rc);
    bool input = source == BAL_AUDIO_SOURCE_SOURCE_I2S && BAL_FIELD(AUDIO_STATUS, LOCKED, st);
    *in_hz = input ? rate_hz(BAL_FIELD(AUDIO_STATUS, RATE, st)) : 48000;
    return EXIT_OK;
}

static int cmd_oversample(struct session *s, int argc, char **argv)
{
    static const char *const words[] = {"1", "2", "4", "8"};
    unsigned code = 4;
    if (argc != 1)
        return usage_error("oversample takes one argument: 1|2|4|8");
    for (unsigned i = 0; i < 4; i++)
        if (!strcmp(argv[0], words[i]) || (argv[0][0] == words[i][0] && !strcmp(argv[0] + 1, "x")))
            code = i;
    if (code == 4)
        return usage_error("oversample: '%s' is not one of 1|2|4|8", argv[0]);
    uint32_t src;
    unsigned in_hz;
    int rc = need_link(s);
    if (!rc && (rc = bal_read(&s->link, BAL_REG_AUDIO_SOURCE, 1, &src)))
        rc = link_error(s, rc);
    if (rc || (rc = playing_rate(s, BAL_FIELD(AUDIO_SOURCE, SOURCE, src), &in_hz)))
        return rc;
    unsigned ratio = 1u << code, max = ratio_max_for(in_hz);
    if (ratio > max)
        return report(EXIT_DEVICE, "oversample %u: the input plays at %.1f kHz, which allows up to "
                      "%ux (the DACs' rate stays at or below 384 kHz); nothing changed", ratio,
                      in_hz / 1000.0, max);
    return write_field(s, BAL_REG_OVERSAMPLE, "RATIO", code);
}

static int filter_nos(struct session *s, int argc, char **argv)
{
    if (argc != 1)
        return usage_error("filter nos takes one argument: on|off");
    bool on = !strcasecmp(argv[0], "on");
    if (!on && strcasecmp(argv[0], "off"))
        return usage_error("filter nos: '%s' is not one of on|off", argv[0]);
    return write_field(s, BAL_REG_OVERSAMPLE, "NOS", on);
}

/* A filter's measured figures, as text or JSON (with the response on a grid when grid > 0). */
static void print_filter(const struct session *s, const struct bal_filter *f, double rate_hz,
                         double passband_hz, double stopband_hz, const char *what, int grid)
{
    struct bal_filter_figures g;
    bal_filter_measure(f, rate_hz, passband_hz, stopband_hz, &g);
    if (s->json) {
        printf("{\"name\":");
        json_string(f->name);
        printf(",\"taps\":%d,\"rate_hz\":%.0f,\"passband_hz\":%.1f,\"stopband_hz\":%.1f,"
               "\"dc_error_db\":%.7f,\"ripple_db\":%.7f,\"stopband_db\":%.2f,\"gain_half_rate_db\":%.3f,"
               "\"delay_samples\":%.3f,\"delay_spread_samples\":%.3f,\"phase_abs_sum\":%.4f,"
               "\"check\":\"0x%08X\"",
               f->taps, rate_hz, passband_hz, stopband_hz, g.dc_error_db, g.ripple_db, g.stopband_db,
               g.gain_nyquist_db, g.delay_samples, g.delay_spread, g.max_phase_abs, bal_filter_check_word(f));
        if (grid > 0) {
            printf(",\"response\":[");
            for (int i = 0; i <= grid; i++) {
                double hz = rate_hz * i / grid; /* up to the 2x output's Nyquist */
                printf("%s[%.1f,%.4f]", i ? "," : "", hz, bal_filter_gain_db(f, rate_hz, hz));
            }
            printf("]");
        }
        printf("}\n");
        return;
    }
    printf("%s: %s, %d taps (figures at %.1f kHz in, 2x)\n", what, f->name[0] ? f->name : "(unnamed)",
           f->taps, rate_hz / 1000.0);
    printf("  passband   0 .. %.0f Hz: ripple +-%.7f dB, DC %+.7f dB\n", passband_hz, g.ripple_db, g.dc_error_db);
    printf("  stopband   %.0f Hz .. %.0f Hz: %.1f dB down\n", stopband_hz, rate_hz, g.stopband_db);
    printf("  at fs/2    %.2f dB\n", g.gain_nyquist_db);
    printf("  delay      %.2f input samples (%.3f ms)%s\n", g.delay_samples, 1000.0 * g.delay_samples / rate_hz,
           g.delay_spread < 0.01 ? ", linear phase" : "");
    if (g.delay_spread >= 0.01)
        printf("  delay      varies by %.2f samples over the passband\n", g.delay_spread);
    printf("  headroom   largest phase sum of |h| %.3f (the device takes below 4)\n", g.max_phase_abs);
}

/* --name VALUE options: the value, or NULL with a usage error reported */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    if (*i + 1 >= argc) {
        usage_error("%s needs a value", name);
        return NULL;
    }
    return argv[++*i];
}

static void upload_progress(void *ctx, unsigned done, unsigned total)
{
    const struct session *s = ctx;
    if (!s->json && isatty(fileno(stderr)))
        fprintf(stderr, "\ruploading: %u of %u words%s", done, total, done == total ? "\n" : "");
}

/* The bank an upload goes to: `want`, or the lowest bank not live, an empty one first */
static int pick_bank(struct session *s, long want, unsigned *bank, uint32_t *st)
{
    int rc = bal_filter_status(&s->link, st);
    if (rc)
        return link_error(s, rc);
    unsigned live = BAL_FIELD(FILTER_STATUS, LIVE, *st), valid = BAL_FIELD(FILTER_STATUS, VALID, *st);
    if (want > 0) {
        if ((unsigned)want == live)
            return report(EXIT_DEVICE, "bank %ld is live: load into another bank, or select another first",
                          want);
        *bank = (unsigned)want;
        return EXIT_OK;
    }
    for (int pass = 0; pass < 2; pass++)
        for (unsigned b = 1; b < BAL_FILTER_BANKS; b++)
            if (b != live && (pass || !(valid >> b & 1))) {
                *bank = b;
                return EXIT_OK;
            }
    return report(EXIT_DEVICE, "no bank to load into");
}

/* Uploads f (checked already): written, read back and compared, committed; then says where. */
static int upload_filter(struct session *s, const struct bal_filter *f, long want_bank)
{
    int rc = need_link(s);
    if (rc)
        return rc;
    unsigned bank = 0;
    uint32_t st;
    if ((rc = pick_bank(s, want_bank, &bank, &st)))
        return rc;
    if ((rc = bal_filter_upload(&s->link, bank, f, upload_progress, s)))
        return link_error(s, rc);
    if (s->json)
        printf("{\"loaded\":{\"bank\":%u,\"name\":\"%s\",\"taps\":%d,\"check\":\"0x%08X\"}}\n", bank, f->name,
               f->taps, bal_filter_check_word(f));
    else
        printf("bank %u: %s, %d taps, written, read back, committed and live\n", bank,
               f->name[0] ? f->name : "(unnamed)", f->taps);
    return EXIT_OK;
}

static int filter_load(struct session *s, int argc, char **argv)
{
    const char *path = NULL, *name = NULL;
    long bank = 0;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v;
        if (!strcmp(o, "--name") || !strcmp(o, "--bank")) {
            if (!(v = option_value(argc, argv, &i, o)))
                return EXIT_USAGE;
            if (!strcmp(o, "--name")) {
                if (!bal_filter_name_ok(v))
                    return usage_error("filter load: --name '%s': 1 to %d printable characters, no spaces", v,
                                       BAL_FILTER_NAME_MAX);
                name = v;
            } else if (!bal_parse_long(v, 1, BAL_FILTER_BANKS - 1, &bank)) {
                return usage_error("filter load: --bank '%s' is not in 1..%d", v, BAL_FILTER_BANKS - 1);
            }
        } else if (o[0] == '-' && o[1]) {
            return usage_error("filter load: unknown option '%s'", o);
        } else if (path) {
            return usage_error("filter load takes one FILE");
        } else {
            path = o;
        }
    }
    if (!path)
        return usage_error("filter load: expected a coefficient FILE");
    static struct bal_filter f;
    char err[400];
    if (!bal_filter_load_file(path, &f, err, sizeof err)) /* before any device is opened */
        return report(EXIT_USAGE, "%s", err);
    if (name)
        snprintf(f.name, sizeof f.name, "%s", name);
    if (!f.name[0]) { /* the file's name, up to 8 characters */
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t n = 0;
        for (; base[n] && base[n] != '.' && n < BAL_FILTER_NAME_MAX; n++)
            f.name[n] = base[n] > 0x20 && base[n] < 0x7F ? base[n] : '_';
        f.name[n] = 0;
    }
    return upload_filter(s, &f, bank);
}

static int filter_list(struct session *s, int argc, char **argv)
{
    (void)argv;
    if (argc)
        return usage_error("filter list takes no arguments");
    int rc = need_link(s);
    if (rc)
        return rc;
    uint32_t st;
    if ((rc = bal_filter_status(&s->link, &st)))
        return link_error(s, rc);
    if (s->json)
        printf("{\"banks\":[");
    else
        printf("bank  name      taps  state\n");
    for (unsigned b = 0; b < BAL_FILTER_BANKS; b++) {
        struct bal_bank k;
        if ((rc = bal_filter_bank(&s->link, b, st, &k)))
            return link_error(s, rc);
        if (s->json) {
            printf("%s{\"bank\":%u,\"name\":", b ? "," : "", b);
            json_string(k.valid ? k.name : "");
            printf(",\"taps\":%u,\"committed\":%s,\"live\":%s}", k.taps, k.valid ? "true" : "false",
                   k.live ? "true" : "false");
        } else if (k.valid) {
            printf("%-4u  %-8s  %4u  %s\n", b, k.name, k.taps, k.live ? "live" : "committed");
        } else {
            printf("%-4u  %-8s  %4s  empty\n", b, "-", "-");
        }
    }
    if (s->json)
        printf("],\"result\":\"%s\"}\n", bal_filter_result_name(BAL_FIELD(FILTER_STATUS, RESULT, st)));
    return EXIT_OK;
}

static int filter_select(struct session *s, int argc, char **argv)
{
    long bank;
    if (argc != 1)
        return usage_error("filter select takes one argument: BANK (0..%d)", BAL_FILTER_BANKS - 1);
    if (!bal_parse_long(argv[0], 0, BAL_FILTER_BANKS - 1, &bank))
        return usage_error("filter select: BANK '%s' is not in 0..%d", argv[0], BAL_FILTER_BANKS - 1);
    int rc = need_link(s);
    if (rc)
        return rc;
    if ((rc = bal_filter_select(&s->link, (unsigned)bank)))
        return link_error(s, rc);
    if (s->json)
        printf("{\"live\":%ld}\n", bank);
    else
        printf("bank %ld is live\n", bank);
    return EXIT_OK;
}

static int filter_design(struct session *s, int argc, char **argv)
{
    enum bal_fir_type type = BAL_FIR_LINEAR;
    bool have_type = false;
    const char *out = NULL, *name = NULL;
    double rate = 48000.0, pb = -1, sb = -1, atten = -1;
    long taps = -1, bank = 0;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v;
        double d;
        if (!strcmp(o, "--type") || !strcmp(o, "--out") || !strcmp(o, "--name") || !strcmp(o, "--taps") ||
            !strcmp(o, "--passband") || !strcmp(o, "--stopband") || !strcmp(o, "--attenuation") ||
            !strcmp(o, "--rate") || !strcmp(o, "--bank")) {
            if (!(v = option_value(argc, argv, &i, o)))
                return EXIT_USAGE;
        } else {
            return usage_error("filter design: unknown option '%s'", o);
        }
        if (!strcmp(o, "--type")) {
            if (!bal_fir_type_parse(v, &type))
                return usage_error("filter design: --type '%s' is not one of linear|minimum|apodizing|nos", v);
            have_type = true;
        } else if (!strcmp(o, "--out")) {
            out = v;
        } else if (!strcmp(o, "--name")) {
            if (!bal_filter_name_ok(v))
                return usage_error("filter design: --name '%s': 1 to %d printable characters, no spaces", v,
                                   BAL_FILTER_NAME_MAX);
            name = v;
        } else if (!strcmp(o, "--taps")) {
            if (!bal_parse_long(v, 2, BAL_FILTER_TAPS_MAX, &taps))
                return usage_error("filter design: --taps '%s' is not in 2..%d", v, BAL_FILTER_TAPS_MAX);
        } else if (!strcmp(o, "--bank")) {
            if (!bal_parse_long(v, 1, BAL_FILTER_BANKS - 1, &bank))
                return usage_error("filter design: --bank '%s' is not in 1..%d", v, BAL_FILTER_BANKS - 1);
        } else if (!bal_parse_decimal(v, &d)) {
            return usage_error("filter design: %s '%s' is not a number", o, v);
        } else if (!strcmp(o, "--rate")) {
            rate = d;
        } else if (!strcmp(o, "--passband")) {
            pb = d;
        } else if (!strcmp(o, "--stopband")) {
            sb = d;
        } else {
            atten = d;
        }
    }
    if (!have_type)
        return usage_error("filter design: --type linear|minimum|apodizing|nos is needed");
    if (!(rate >= 8000 && rate <= 192000))
        return usage_error("filter design: --rate %.0f is not in 8000..192000 Hz", rate);
    struct bal_fir_spec spec;
    bal_fir_defaults(type, rate, &spec);
    if (taps > 0)
        spec.taps = (int)taps;
    if (pb >= 0)
        spec.passband_hz = pb;
    if (sb >= 0)
        spec.stopband_hz = sb;
    if (atten >= 0)
        spec.atten_db = atten;
    struct bal_filter f;
    char err[300];
    if (!bal_fir_design(&spec, &f, err, sizeof err))
        return usage_error("filter design: %s", err);
    if (name)
        snprintf(f.name, sizeof f.name, "%s", name);
    if (!out) { /* the figures first (--json: a line of them, then the upload's), then to the
                 * device as filter load does */
        print_filter(s, &f, rate, spec.passband_hz, spec.stopband_hz, "designed", 0);
        fflush(stdout);
        return upload_filter(s, &f, bank);
    }
    char comment[200];
    snprintf(comment, sizeof comment, "balctl filter design --type %s --taps %d --passband %.1f --stopband %.1f "
             "--attenuation %.1f --rate %.0f", bal_fir_type_name(type), spec.taps, spec.passband_hz,
             spec.stopband_hz, spec.atten_db, spec.rate_hz);
    if (!bal_filter_save_file(out, &f, comment, err, sizeof err))
        return report(EXIT_IO, "%s", err);
    if (strcmp(out, "-"))
        print_filter(s, &f, rate, spec.passband_hz, spec.stopband_hz, "designed", 0);
    return EXIT_OK;
}

static int filter_show(struct session *s, int argc, char **argv)
{
    double rate = 48000.0, pb = -1, sb = -1;
    const char *what = NULL;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v;
        double d;
        if (!strcmp(o, "--rate") || !strcmp(o, "--passband") || !strcmp(o, "--stopband")) {
            if (!(v = option_value(argc, argv, &i, o)))
                return EXIT_USAGE;
            if (!bal_parse_decimal(v, &d) || d <= 0)
                return usage_error("filter show: %s '%s' is not a positive number", o, v);
            *(!strcmp(o, "--rate") ? &rate : !strcmp(o, "--passband") ? &pb : &sb) = d;
        } else if (o[0] == '-' && o[1]) {
            return usage_error("filter show: unknown option '%s'", o);
        } else if (what) {
            return usage_error("filter show takes one BANK or FILE");
        } else {
            what = o;
        }
    }
    if (!(rate >= 8000 && rate <= 192000))
        return usage_error("filter show: --rate %.0f is not in 8000..192000 Hz", rate);
    static struct bal_filter f;
    char err[400], label[64];
    long bank = -1;
    if (!what || (bal_parse_long(what, 0, BAL_FILTER_BANKS - 1, &bank) && access(what, F_OK) != 0)) {
        /* a bank on the device: the live one when none is named */
        int rc = need_link(s);
        if (rc)
            return rc;
        uint32_t st;
        struct bal_bank k;
        if ((rc = bal_filter_status(&s->link, &st)))
            return link_error(s, rc);
        if (bank < 0)
            bank = BAL_FIELD(FILTER_STATUS, LIVE, st);
        if ((rc = bal_filter_bank(&s->link, (unsigned)bank, st, &k)))
            return link_error(s, rc);
        if (!k.valid)
            return report(EXIT_DEVICE, "filter show: bank %ld holds no committed filter", bank);
        memset(&f, 0, sizeof f);
        f.taps = (int)k.taps;
        snprintf(f.name, sizeof f.name, "%s", k.name);
        if ((rc = bal_filter_read_taps(&s->link, (unsigned)bank, k.taps, f.coef)))
            return link_error(s, rc);
        snprintf(label, sizeof label, "bank %ld%s", bank, k.live ? " (live)" : "");
    } else {
        if (!bal_filter_load_file(what, &f, err, sizeof err))
            return report(EXIT_USAGE, "%s", err);
        snprintf(label, sizeof label, "%.60s", what);
    }
    /* the edges: as given, else as the file says it was designed (scaled to the rate), else
     * the built-in halfband's */
    double scale = f.rate_hz > 0 ? rate / f.rate_hz : 0;
    if (pb < 0)
        pb = f.passband_hz > 0 ? f.passband_hz * scale : 0.4535 * rate;
    if (sb < 0)
        sb = f.stopband_hz > 0 ? f.stopband_hz * scale : 0.5465 * rate;
    if (!(pb < sb && sb <= rate))
        return usage_error("filter show: the edges must be passband < stopband <= %.0f Hz", rate);
    print_filter(s, &f, rate, pb, sb, label, 256);
    return EXIT_OK;
}

static int cmd_filter(struct session *s, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(struct session *, int, char **);
    } subs[] = {{"nos", filter_nos},   {"design", filter_design}, {"load", filter_load},
                {"list", filter_list}, {"select", filter_select}, {"show", filter_show}};
    if (argc < 1)
        return usage_error("filter: expected nos, design, load, list, select or show");
    for (unsigned i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(argv[0], subs[i].name))
            return subs[i].run(s, argc - 1, argv + 1);
    return usage_error("filter: '%s' is not one of nos, design, load, list, select, show", argv[0]);
}

/* What AUDIO_STATUS.SILENCE says, for a person */
static const char *silence_text(unsigned code)
{
    static const char *const text[] = {
        [BAL_AUDIO_STATUS_SILENCE_PLAYING] = "playing",
        [BAL_AUDIO_STATUS_SILENCE_STARTING] = "silent: starting (the filter loading, or the engine flushing)",
        [BAL_AUDIO_STATUS_SILENCE_NO_SOURCE] = "silent: the source is silence",
        [BAL_AUDIO_STATUS_SILENCE_NO_INPUT] = "silent: no I2S input",
        [BAL_AUDIO_STATUS_SILENCE_CHANGING] = "fading through silence: a change of source, routing, topology or filter",
        [BAL_AUDIO_STATUS_SILENCE_MUTED] = "silent: muted",
        [BAL_AUDIO_STATUS_SILENCE_VOLUME] = "silent: every lane's gain at -144 dB (volume, ceiling, trims)",
    };
    return code < sizeof text / sizeof text[0] && text[code] ? text[code] : "?";
}

static int cmd_status(struct session *s, int argc, char **argv)
{
    (void)argv;
    if (argc)
        return usage_error("status takes no arguments");
    int rc = need_link(s);
    if (rc)
        return rc;
    uint32_t src, tn[2], rt[4], st[1], ctl[2], fs, fname[2], gn[6];
    if ((rc = bal_read(&s->link, BAL_REG_AUDIO_SOURCE, 1, &src)) ||
        (rc = bal_read(&s->link, BAL_REG_VOLUME, 6, gn)) ||
        (rc = bal_read(&s->link, BAL_REG_TONE_FREQ, 2, tn)) ||
        (rc = bal_read(&s->link, BAL_REG_ROUTE, 4, rt)) ||
        (rc = bal_read(&s->link, BAL_REG_AUDIO_STATUS, 1, st)) ||
        (rc = bal_read(&s->link, BAL_REG_CTRL, 2, ctl)) ||
        (rc = bal_read(&s->link, BAL_REG_FILTER_STATUS, 1, &fs)) ||
        (rc = bal_read(&s->link, bal_filter_info_addr(BAL_FIELD(FILTER_STATUS, LIVE, fs), 0), 2, fname)))
        return link_error(s, rc);
    const char *source = code_name(BAL_REG_AUDIO_SOURCE, "SOURCE", BAL_FIELD(AUDIO_SOURCE, SOURCE, src));
    bool locked = BAL_FIELD(AUDIO_STATUS, LOCKED, st[0]);
    unsigned in_hz = rate_hz(BAL_FIELD(AUDIO_STATUS, RATE, st[0]));
    unsigned in_slot = (unsigned[]){0, 16, 24, 32}[BAL_FIELD(AUDIO_STATUS, SLOT_IN, st[0])];
    unsigned ratio = 1u << BAL_FIELD(AUDIO_STATUS, OUT_RATIO, st[0]);
    unsigned asked = 1u << BAL_FIELD(OVERSAMPLE, RATIO, rt[3]);
    bool nos = BAL_FIELD(OVERSAMPLE, NOS, rt[3]), filter_ready = BAL_FIELD(AUDIO_STATUS, FILTER_READY, st[0]);
    unsigned silence = BAL_FIELD(AUDIO_STATUS, SILENCE, st[0]);
    unsigned out_hz = rate_hz(BAL_FIELD(AUDIO_STATUS, OUT_RATE, st[0])) * ratio;
    unsigned taps = BAL_FIELD(FILTER_STATUS, TAPS, fs), bank = BAL_FIELD(FILTER_STATUS, LIVE, fs);
    bool short_fir = BAL_FIELD(FILTER_STATUS, SHORT, fs);
    char name[9];
    bal_filter_name(fname, name);
    unsigned out_slot = BAL_FIELD(OUT_FORMAT, SLOT, rt[2]) == BAL_OUT_FORMAT_SLOT_BITS24 ? 24 : 32;
    const char *route = code_name(BAL_REG_ROUTE, "MODE", BAL_FIELD(ROUTE, MODE, rt[0]));
    bool inv_l = BAL_FIELD(ROUTE, INVERT_LEFT, rt[0]), inv_r = BAL_FIELD(ROUTE, INVERT_RIGHT, rt[0]);
    const char *topo = code_name(BAL_REG_TOPOLOGY, "MODE", BAL_FIELD(TOPOLOGY, MODE, rt[1]));
    bool mute = BAL_FIELD(CTRL, MUTE, ctl[0]), ready = BAL_FIELD(STATUS, DSP_READY, ctl[1]);
    bool exact = BAL_FIELD(STATUS, CLK_EXACT, ctl[1]);
    double tone_hz = tone_hz_for_inc(tn[0]), tone_db = 0.0 - 0.5 * BAL_FIELD(TONE_LEVEL, ATTEN, tn[1]);
    double volume_db = 0.0 - db_of_units((long)BAL_FIELD(VOLUME, ATTEN, gn[0]));
    double ceiling_db = 0.0 - db_of_units((long)BAL_FIELD(CEILING, ATTEN, gn[5]));
    double trim_db[4];  /* L+ L- R+ R-, as the map orders them */
    for (unsigned i = 0; i < 4; i++) {
        long t = (long)BAL_FIELD(TRIM_LP, GAIN, gn[1 + i]);
        trim_db[i] = db_of_units(t >= 512 ? t - 1024 : t);
    }
    unsigned word_bits = (unsigned[]){16, 24, 32, 32}[BAL_FIELD(OUT_FORMAT, WORD, rt[2])];
    bool dither = BAL_FIELD(OUT_FORMAT, DITHER, rt[2]);
    if (s->json) {
        printf("{\"source\":\"%s\",\"tone\":{\"hz\":%.4f,\"level_db\":%.1f},\"input\":{\"locked\":%s,\"rate_hz\":%u,\"slot_bits\":%u},"
               "\"output\":{\"rate_hz\":%u,\"slot_bits\":%u,\"clock_exact\":%s},"
               "\"oversample\":{\"ratio\":%u,\"asked\":%u,\"nos\":%s},"
               "\"filter\":{\"name\":",
               source, tone_hz, tone_db, locked ? "true" : "false", in_hz, in_slot, out_hz, out_slot,
               exact ? "true" : "false", ratio, asked, nos ? "true" : "false");
        json_string(name);
        printf(",\"bank\":%u,\"taps\":%u,\"ready\":%s,\"too_long_for_rate\":%s},"
               "\"route\":\"%s\",\"invert\":{\"left\":%s,\"right\":%s},\"topology\":\"%s\","
               "\"mute\":%s,\"dsp_ready\":%s,\"silence\":\"%s\",",
               bank, taps, filter_ready ? "true" : "false", short_fir ? "true" : "false", route, inv_l ? "true" : "false",
               inv_r ? "true" : "false", topo, mute ? "true" : "false", ready ? "true" : "false",
               code_name(BAL_REG_AUDIO_STATUS, "SILENCE", silence));
        printf("\"gain\":{\"volume_db\":%.4f,\"ceiling_db\":%.4f,\"trim_db\":{\"l+\":%.4f,\"l-\":%.4f,"
               "\"r+\":%.4f,\"r-\":%.4f},\"bits\":%u,\"dither\":%s}}\n",
               volume_db, ceiling_db, trim_db[0], trim_db[1], trim_db[2], trim_db[3], word_bits,
               dither ? "true" : "false");
        return EXIT_OK;
    }
    printf("state         %s\n", silence_text(silence));
    printf("source        %s\n", source);
    printf("tone          %.4f Hz at %.1f dBFS%s\n", tone_hz, tone_db,
           strcmp(source, "tone") ? " (not playing)" : "");
    if (locked)
        printf("I2S input     %.1f kHz, %u-bit slots, locked\n", in_hz / 1000.0, in_slot);
    else
        printf("I2S input     none (no clocks, or not at 44.1..192 kHz)\n");
    printf("output        %.1f kHz%s, %u-bit slots, two DACs\n", out_hz / 1000.0,
           exact ? "" : " (approximate: crystal clock)", out_slot);
    printf("oversampling  %ux%s", ratio, nos ? ", NOS (each sample repeated, no filter)" : "");
    if (asked != ratio)
        printf(" (%ux asked; the input's rate allows %ux)", asked, ratio);
    printf("\n");
    if (ratio == 1 || nos)
        printf("filter        none in use%s\n", filter_ready ? "" : " (starting)");
    else
        printf("filter        %s (bank %u), %u taps at 2x, then fixed halfbands%s%s\n", name, bank, taps,
               short_fir ? "; too long for this rate: bank 0 plays" : "", filter_ready ? "" : " (starting)");
    printf("routing       %s; invert left %s, right %s\n", route, inv_l ? "on" : "off",
           inv_r ? "on" : "off");
    printf("topology      %s\n", topo);
    printf("mute          %s%s\n", mute ? "on" : "off", ready ? "" : " (datapath settling)");
    printf("volume        %.2f dB (ceiling %.2f dB)\n", volume_db, ceiling_db);
    printf("trims         L+ %+.2f, L- %+.2f, R+ %+.2f, R- %+.2f dB\n", trim_db[0], trim_db[1],
           trim_db[2], trim_db[3]);
    printf("words         %u bits, dither %s\n", word_bits, dither ? "on" : "off");
    return EXIT_OK;
}

/* ---------------------------------------------------------------- configurations */

#define CONFIG_FILE_MAX (64 * 1024)

/* The configuration's registers as the device holds them, and the live filter bank */
static int config_read(struct session *s, struct bal_config *c, uint32_t words[BAL_CFG_NREGS],
                       uint32_t *filter_status)
{
    int rc = need_link(s);
    for (unsigned i = 0; !rc && i < BAL_CFG_NREGS; i++)
        if ((rc = bal_read(&s->link, bal_config_regs[i], 1, &words[i])))
            return link_error(s, rc);
    if (!rc && (rc = bal_filter_status(&s->link, filter_status)))
        return link_error(s, rc);
    if (!rc)
        bal_config_from_words(c, words, BAL_FIELD(FILTER_STATUS, LIVE, *filter_status));
    return rc;
}

static int cmd_dump(struct session *s, int argc, char **argv)
{
    (void)argv;
    if (argc)
        return usage_error("dump takes no arguments");
    struct bal_config c;
    uint32_t words[BAL_CFG_NREGS], st;
    int rc = config_read(s, &c, words, &st);
    if (rc)
        return rc;
    if (s->json) {
        bal_config_print_json(stdout, &c);
    } else {
        printf("# balanced: the device's settings (balctl dump; balctl apply FILE sets them)\n");
        bal_config_print(stdout, &c);
    }
    return EXIT_OK;
}

/* A file's text, NUL-terminated (at most CONFIG_FILE_MAX bytes), into buf */
static int read_text_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return report(EXIT_USAGE, "%s: %s", path, strerror(errno));
    size_t n = fread(buf, 1, cap, f);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return report(EXIT_USAGE, "%s: read error", path);
    if (n == cap)
        return report(EXIT_USAGE, "%s: longer than %zu bytes: not a configuration", path, cap - 1);
    if (memchr(buf, 0, n))
        return report(EXIT_USAGE, "%s: a NUL byte: not a configuration", path);
    buf[n] = 0;
    return EXIT_OK;
}

/* The file's checks against the device: its volume within the ceiling in force, its filter bank
 * one that holds a filter */
static int config_check_device(struct session *s, const char *label, const struct bal_config *c,
                               const struct bal_config *dev, uint32_t filter_status)
{
    uint32_t ceiling = c->given[BAL_CFG_CEILING_DB] ? c->value[BAL_CFG_CEILING_DB] : dev->value[BAL_CFG_CEILING_DB];
    if (c->given[BAL_CFG_VOLUME_DB] && c->value[BAL_CFG_VOLUME_DB] < ceiling)
        return usage_error("%s:%u: gain.volume_db is above the device's ceiling: the allowed range is "
                           "%.0f..%.2f dB", label, c->line[BAL_CFG_VOLUME_DB], BAL_GAIN_DB_MIN,
                           -db_of_units((long)ceiling));
    if (c->given[BAL_CFG_FILTER_BANK]) {
        struct bal_bank k;
        int rc = bal_filter_bank(&s->link, c->value[BAL_CFG_FILTER_BANK], filter_status, &k);
        if (rc)
            return link_error(s, rc);
        if (!k.valid)
            return usage_error("%s:%u: filter.bank %u holds no committed filter ('filter list')", label,
                               c->line[BAL_CFG_FILTER_BANK], c->value[BAL_CFG_FILTER_BANK]);
    }
    return EXIT_OK;
}

/* A file's oversample.ratio is the ratio asked for, as the register and dump hold it: one the
 * playing input does not allow is written all the same, and plays as the highest it allows
 * until the input slows (OVERSAMPLE.RATIO). Says so on stderr, so the file round-trips. */
static int note_ratio_in_force(struct session *s, const char *label, const struct bal_config *c,
                               const struct bal_config *dev)
{
    unsigned in_hz, asked = 1u << c->value[BAL_CFG_OVERSAMPLE_RATIO];
    uint32_t source = c->given[BAL_CFG_SOURCE] ? c->value[BAL_CFG_SOURCE] : dev->value[BAL_CFG_SOURCE];
    int rc = playing_rate(s, source, &in_hz);
    if (!rc && asked > ratio_max_for(in_hz))
        fprintf(stderr, "balctl: %s:%u: oversample.ratio %u plays as %ux while the input is at %.1f kHz\n",
                label, c->line[BAL_CFG_OVERSAMPLE_RATIO], asked, ratio_max_for(in_hz), in_hz / 1000.0);
    return rc;
}

/* Applies a configuration file: every line checked, and the file against the device, before
 * anything is written; then the registers that change, in bal_config_regs' order, and the bank */
static int config_apply(struct session *s, const char *path, const char *label)
{
    static char text[CONFIG_FILE_MAX + 1];
    char err[300];
    struct bal_config c, dev;
    int rc = read_text_file(path, text, sizeof text);
    if (rc)
        return rc;
    if (!bal_config_parse(text, &c, err, sizeof err))
        return usage_error("%s:%s", label, err);
    uint32_t words[BAL_CFG_NREGS], st;
    bool changed[BAL_CFG_NREGS];
    if ((rc = config_read(s, &dev, words, &st)) || (rc = config_check_device(s, label, &c, &dev, st)))
        return rc;
    bal_config_to_words(&c, words, changed);
    unsigned written = 0;
    for (unsigned i = 0; i < BAL_CFG_NREGS; i++)
        if (changed[i]) {
            if ((rc = write_word(s, bal_config_regs[i], words[i])))
                return rc;
            written++;
        }
    bool select = c.given[BAL_CFG_FILTER_BANK] && c.value[BAL_CFG_FILTER_BANK] != dev.value[BAL_CFG_FILTER_BANK];
    if (select && (rc = bal_filter_select(&s->link, c.value[BAL_CFG_FILTER_BANK])))
        return link_error(s, rc);
    if (c.given[BAL_CFG_OVERSAMPLE_RATIO] && (rc = note_ratio_in_force(s, label, &c, &dev)))
        return rc;
    unsigned given = 0;
    for (unsigned k = 0; k < BAL_CFG_KEYS; k++)
        given += c.given[k];
    if (s->json) {
        printf("{\"file\":");
        json_string(label); /* a path may hold quotes or backslashes */
        printf(",\"settings\":%u,\"registers_written\":%u,\"bank_selected\":%s}\n", given, written,
               select ? "true" : "false");
    } else {
        printf("%s: %u settings, %u register%s written%s\n", label, given, written, written == 1 ? "" : "s",
               select ? ", filter bank selected" : "");
    }
    return EXIT_OK;
}

static int cmd_apply(struct session *s, int argc, char **argv)
{
    if (argc != 1)
        return usage_error("apply takes one argument: FILE");
    return config_apply(s, argv[0], argv[0]);
}

/* The presets' directory: $XDG_CONFIG_HOME/balanced/presets (~/.config when unset) */
static int preset_dir(char *out, size_t cap, bool create)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char base[PATH_MAX];
    if (xdg && *xdg == '/')
        snprintf(base, sizeof base, "%s", xdg);
    else if (home && *home)
        snprintf(base, sizeof base, "%s/.config", home);
    else
        return report(EXIT_USAGE, "preset: neither XDG_CONFIG_HOME nor HOME is set");
    const char *parts[] = {"", "/balanced", "/balanced/presets"};
    for (unsigned i = 0; i < 3; i++) {
        snprintf(out, cap, "%s%s", base, parts[i]);
        if (create && mkdir(out, 0755) != 0 && errno != EEXIST)
            return report(EXIT_IO, "preset: %s: %s", out, strerror(errno));
    }
    return EXIT_OK;
}

/* A preset's name: 1..64 of letters, digits, '.', '_', '-', not starting with '.' */
static bool preset_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '.')
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int preset_path(const char *cmd, const char *name, char *out, size_t cap, bool create)
{
    if (!preset_name_ok(name))
        return usage_error("preset %s: NAME '%s' is not 1..64 of letters, digits, '.', '_', '-' "
                           "(not starting with '.')", cmd, name);
    char dir[PATH_MAX];
    int rc = preset_dir(dir, sizeof dir, create);
    if (!rc)
        snprintf(out, cap, "%s/%s.conf", dir, name);
    return rc;
}

static int preset_save(struct session *s, const char *name)
{
    char path[PATH_MAX + 80], tmp[PATH_MAX + 90];
    struct bal_config c;
    uint32_t words[BAL_CFG_NREGS], st;
    int rc = preset_path("save", name, path, sizeof path, true);
    if (rc || (rc = config_read(s, &c, words, &st)))
        return rc;
    snprintf(tmp, sizeof tmp, "%s.tmp", path); /* whole or not at all */
    FILE *f = fopen(tmp, "w");
    if (!f)
        return report(EXIT_IO, "preset save: %s: %s", tmp, strerror(errno));
    fprintf(f, "# balanced preset '%s' (balctl preset save)\n", name);
    bal_config_print(f, &c);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return report(EXIT_IO, "preset save: %s: %s", path, strerror(errno));
    }
    if (s->json) {
        printf("{\"preset\":\"%s\",\"saved\":", name); /* the name is plain; the path may not be */
        json_string(path);
        printf("}\n");
    } else {
        printf("preset '%s' saved: %s\n", name, path);
    }
    return EXIT_OK;
}

static int preset_list(struct session *s)
{
    char dir[PATH_MAX];
    int rc = preset_dir(dir, sizeof dir, false);
    if (rc)
        return rc;
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0 && errno != ENOENT)
        return report(EXIT_IO, "preset list: %s: %s", dir, strerror(errno));
    const char *sep = "[";
    for (int i = 0; i < n; i++) {
        const char *e = names[i]->d_name;
        size_t len = strlen(e);
        if (len > 5 && !strcmp(e + len - 5, ".conf") && e[0] != '.') {
            if (s->json)
                printf("%s\"%.*s\"", sep, (int)(len - 5), e);
            else
                printf("%.*s\n", (int)(len - 5), e);
            sep = ",";
        }
        free(names[i]);
    }
    if (n > 0)
        free(names);
    if (s->json)
        printf("%s]\n", *sep == '[' ? "[" : "");
    return EXIT_OK;
}

static int cmd_preset(struct session *s, int argc, char **argv)
{
    if (argc == 1 && !strcmp(argv[0], "list"))
        return preset_list(s);
    if (argc != 2 || (strcmp(argv[0], "save") && strcmp(argv[0], "load") && strcmp(argv[0], "delete")))
        return usage_error("preset: expected save NAME, load NAME, list or delete NAME");
    if (!strcmp(argv[0], "save"))
        return preset_save(s, argv[1]);
    char path[PATH_MAX + 80];
    int rc = preset_path(argv[0], argv[1], path, sizeof path, false);
    if (rc)
        return rc;
    if (access(path, F_OK) != 0)
        return usage_error("preset %s: no preset '%s' ('preset list')", argv[0], argv[1]);
    if (!strcmp(argv[0], "load"))
        return config_apply(s, path, path);
    if (unlink(path) != 0)
        return report(EXIT_IO, "preset delete: %s: %s", path, strerror(errno));
    if (s->json)
        printf("{\"preset\":\"%s\",\"deleted\":true}\n", argv[1]);
    else
        printf("preset '%s' deleted\n", argv[1]);
    return EXIT_OK;
}

static const struct command commands[] = {
    {"list", cmd_list, "",
     "Lists the FT2232H devices (0403:6010) on USB with their serial numbers and product\n"
     "strings. Without --device usb:SERIAL only an iCEBreaker is ever opened."},
    {"info", cmd_info, "",
     "Reads the device's identity, versions, clock, status and link error counters."},
    {"ping", cmd_ping, "[COUNT]",
     "Sends COUNT no-op requests (1..100000, default 10) and reports the round-trip times."},
    {"reg", cmd_reg,
     "read ADDR|NAME [COUNT] | write ADDR|NAME VALUE... | load ADDR|NAME FILE | list",
     "Reads COUNT words (1..65536) or writes words from ADDR upwards. ADDR is 0..0xFFFF, a\n"
     "register name (CTRL, SCRATCH, ...) or a block name with an offset (SCRATCH_RAM+5);\n"
     "VALUE is 0..0xFFFFFFFF, decimal or 0x-hex (a leading 0 is not octal). A write that\n"
     "starts in a block must end in it. 'reg load' writes the values in FILE (white space\n"
     "or commas between them, # comments) from ADDR upwards, up to 256 words per request.\n"
     "'reg list' prints the register map."},
    {"status", cmd_status, "",
     "Shows the audio path: whether it plays, or why it is silent or fading; the source,\n"
     "the I2S input's rate and slot width (44.1..192 kHz, locked or not), the output's\n"
     "rate and format, the oversampling ratio and the filter in force (name, taps),\n"
     "routing, inversion, topology, mute, volume, ceiling, trims, word length and dither."},
    {"input", cmd_input, "i2s|tone|silence",
     "Chooses what plays: the I2S input (silent while it has no steady clocks), the test\n"
     "tone (see tone; the output then runs at 48 kHz) or silence."},
    {"tone", cmd_tone, "FREQ_HZ LEVEL_DB",
     "Sets the test tone: FREQ_HZ 1..23999 (decimals allowed; the step is 48 kHz / 2^32),\n"
     "LEVEL_DB -127.5..0 dBFS peak in 0.5 dB steps. 'input tone' plays it."},
    {"route", cmd_route, "stereo|swap|mono|left|right",
     "Chooses what each channel carries: L and R, R and L, (L+R)/2 on both, L on both or R\n"
     "on both. Inversion (see invert) applies after it."},
    {"invert", cmd_invert, "left|right on|off",
     "Inverts the polarity of one channel, after routing and before the topology."},
    {"topology", cmd_topology, "balanced|se|parallel|mono",
     "How the two channels drive the four lanes L+ L- R+ R-: balanced (L+ = L, L- = -L,\n"
     "R+ = R, R- = -R), se (single-ended: L- = R- = 0), parallel (L+ = L- = L, R+ = R- = R),\n"
     "mono (bridged: M = (L+R)/2; L+ = R+ = M, L- = R- = -M)."},
    {"format", cmd_format, "24|32",
     "The DACs' I2S slot width in bits (samples are 24 bits, left-aligned; default 32)."},
    {"oversample", cmd_oversample, "1|2|4|8",
     "The oversampling ratio: the DACs run at the input's rate times it (default 8). 8x takes\n"
     "44.1 and 48 kHz inputs, 4x up to 96 kHz, 2x up to 192 kHz: the DACs' rate stays at or\n"
     "below 384 kHz. A ratio the playing input does not allow is refused (exit 6); if the\n"
     "input changes to a faster rate later, the device plays the highest ratio it allows.\n"
     "1x plays the input's samples as they are. The output is silent for a few ms after a\n"
     "change while the filter's history is cleared."},
    {"volume", cmd_volume, "DB | up|down [STEP] | +STEP",
     "Sets the master volume of all four lanes: DB -144..0 dB in 1/256 dB steps (-144: silence).\n"
     "A volume above the ceiling is refused. Every change ramps, at most 0.047 dB a sample.\n"
     "up/down STEP moves it from where it is by STEP dB (0.004..144, default 1), held within\n"
     "-144 dB and the ceiling, and prints where it lands; +STEP is up STEP. (A step down is\n"
     "'down STEP': 'volume -20' sets -20 dB.)"},
    {"mute", cmd_mute, "on|off|toggle",
     "Ramps all four lanes to silence (on) or back to the volume (off)."},
    {"trim", cmd_trim, "l+|l-|r+|r- DB",
     "Trims one lane against the others (DAC matching): DB -2.00..+1.996 dB in 1/256 dB steps.\n"
     "A lane never goes above the ceiling or 0 dB, whatever its trim."},
    {"ceiling", cmd_ceiling, "DB",
     "The highest gain any lane takes, whatever the volume and trims: DB -144..0 dB."},
    {"dither", cmd_dither, "on|off",
     "TPDF dither before the words are rounded to their length (default on)."},
    {"bits", cmd_bits, "16|24|32",
     "The word length the lanes are rounded to (default 24; 32 needs 32-bit slots)."},
    {"monitor", cmd_monitor, "[--interval MS] [--count N] [--range DB]",
     "Live per-lane meters until Ctrl-C: for L+, L-, R+ and R-, the loudest sample since the\n"
     "last update (the lane's gain included; at most 0.07 dB above the sample's true level) as a\n"
     "bar over the bottom --range dB (20..144, default 60) and in dBFS, the loudest since the\n"
     "monitor started, the frames clipped (a sample at full scale: the interpolation filter\n"
     "saturates there) and CLIP for two seconds after one. --interval MS 10..10000 (default 50:\n"
     "20 updates a second); --count N 1..1000000 stops after N. The device's meters are held\n"
     "until read and a read clears them: one monitor at a time sees them all. --json: a line\n"
     "an update ({\"t_s\", \"lanes\": [{\"lane\", \"peak_dbfs\" (null: silent), \"clips\"}]})."},
    {"dump", cmd_dump, "",
     "Prints the device's settings as a configuration: one 'key = value' a line, the keys of\n"
     "'status --json' (source, tone.hz, tone.level_db, output.slot_bits, oversample.ratio (the\n"
     "ratio asked), oversample.nos, filter.bank, route, invert.left, invert.right, topology,\n"
     "mute, gain.ceiling_db, gain.volume_db, gain.trim_db.l+ .. r-, gain.bits, gain.dither).\n"
     "'balctl dump > x.conf; balctl apply x.conf' restores them. --json: one object."},
    {"apply", cmd_apply, "FILE",
     "Sets the settings in FILE ('key = value' lines as dump prints them, any subset, in any\n"
     "order; # comments). Every line is checked, and the file against the device (the volume\n"
     "within the ceiling, the filter bank committed), before anything is written: a bad file\n"
     "changes nothing and its line is named (exit 2). Then the registers that change are\n"
     "written, the ceiling before the volume, and the bank selected. oversample.ratio is the\n"
     "ratio asked for (as dump reads it): one the playing input does not allow is written, plays\n"
     "as the highest it allows, and is noted on stderr."},
    {"preset", cmd_preset, "save NAME | load NAME | list | delete NAME",
     "Named configurations in $XDG_CONFIG_HOME/balanced/presets (~/.config when unset), one\n"
     "NAME.conf each: save writes the device's settings (as dump), load applies one (as\n"
     "apply), list prints the names, delete removes one. NAME: 1..64 letters, digits, '.', '_',\n"
     "'-', not starting with '.'."},
    {"filter", cmd_filter,
     "nos on|off | design --type T [--out FILE] [OPTIONS] | load FILE [--bank N] [--name NAME] | list |\n"
     "       select BANK | show [BANK|FILE] [--rate HZ] [--passband HZ] [--stopband HZ]",
     "'filter nos on': zero-order hold, no filter: each input sample is repeated as many\n"
     "times as the ratio says. 'off' (default): the interpolation filter (status shows it).\n"
     "'filter design': a stage-1 2x filter, quantized as the device stores it (Q1.30), its\n"
     "measured figures printed, then loaded as 'filter load' does (--json: a line of figures,\n"
     "then the upload's), or with --out written to FILE instead (one integer a line,\n"
     "'# scale 1073741824'):\n"
     "  --type linear|minimum|apodizing|nos   (linear: Kaiser-windowed linear phase;\n"
     "     minimum: minimum phase, cepstral; apodizing: stopband from fs/2 or below;\n"
     "     nos: the zero-order hold {1, 1})\n"
     "  --taps N          3..256 (nos: 2); default 255 (minimum 191)\n"
     "  --passband HZ     passband edge; default 0.4535 fs (apodizing 0.40 fs)\n"
     "  --stopband HZ     stopband start, up to 2 fs/2 = fs; default 0.5465 fs (minimum 0.56 fs,\n"
     "                    apodizing 0.50 fs, and at most fs/2)\n"
     "  --attenuation DB  40..200; default 140\n"
     "  --rate HZ         the input rate the edges are for, 8000..192000; default 48000\n"
     "  --name NAME       up to 8 characters; default the type\n"
     "  --bank N          the bank to load into, 1..7 (default: the lowest empty one, else\n"
     "                    the lowest that is not live)\n"
     "'filter load FILE': the file checked (nothing is sent if it fails), written to a bank\n"
     "that is not live, read back and compared, committed (the device verifies its checksum)\n"
     "and switched to with a fade down and up; --bank 1..7, --name up to 8 characters\n"
     "(default: the file's '# name', else its name). Bank 0 is the built-in halfband.\n"
     "'filter list': the banks, their names and lengths, which is live.\n"
     "'filter select BANK' (0..7): switch to a bank committed before, with the same fade.\n"
     "'filter show [BANK|FILE]': the measured figures of a bank (read back; the live one if\n"
     "none is named) or a coefficient file (--json: with the response on a grid from 0 to\n"
     "fs). Files: one coefficient a line, floating point (taps summing to\n"
     "2.0, or to 1.0: then doubled) or integers after a '# scale S' line (tap = integer / S);\n"
     "blank lines and # comments anywhere; or a mono WAV. A wrong length (2..256), a value that\n"
     "is not finite or out of range (-2..2), a DC gain more than 0.1 dB off: refused, with the\n"
     "line."},
    {"-", cmd_script, "",
     "Reads commands from standard input, one per line (# starts a comment, up to 264 words\n"
     "a line: a 256-word block write fits), over one connection; --json on a line applies\n"
     "to that line. Stops at the first line that fails and exits with its code."},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void command_help(const struct command *c, FILE *f)
{
    fprintf(f, "usage: balctl [global options] %s %s\n\n%s\n", c->name, c->args, c->help);
}

static int run_words(struct session *s, int argc, char **argv)
{
    const struct command *c = find_command(argv[0]);
    if (!c)
        return usage_error("unknown command '%s'", argv[0]);
    bool help = command_flags(s, &argc, argv);
    json_errors = s->json;
    if (help) {
        command_help(c, stdout);
        return EXIT_OK;
    }
    return c->run(s, argc - 1, argv + 1);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: balctl [options] COMMAND [ARGS]\n"
            "Controls a balanced true-differential DAC engine: an iCEBreaker on USB, or balsim.\n\n"
            "options:\n"
            "  -d, --device DEV   usb (the only board), usb:SERIAL, or sim:PATH (balsim's socket);\n"
            "                     default usb, or $BALCTL_DEVICE\n"
            "  -j, --json         machine-readable output\n"
            "  -t, --timeout MS   wait per attempt, 1..60000 ms (default %d)\n"
            "  -r, --retries N    attempts after the first, 0..100 (default %d)\n"
            "  -h, --help         this text; COMMAND --help for a command's\n"
            "  (--json and --help may also follow the command)\n"
            "  -V, --version      print the version\n\ncommands:\n",
            DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].args);
    fprintf(f, "\nexit codes: 0 ok, 1 check failed, 2 usage, 3 no device or no permission,\n"
               "            4 I/O or no answer, 5 protocol (not a balanced device), 6 device refused\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"device", required_argument, 0, 'd'}, {"json", no_argument, 0, 'j'},
        {"timeout", required_argument, 0, 't'}, {"retries", required_argument, 0, 'r'},
        {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    struct session s = {.timeout_ms = DEFAULT_TIMEOUT_MS, .retries = DEFAULT_RETRIES};
    s.device = getenv("BALCTL_DEVICE") ? getenv("BALCTL_DEVICE") : "usb";
    long v;
    int c;
    while ((c = getopt_long(argc, argv, "+d:jt:r:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': s.device = optarg; break;
        case 'j': s.json = json_errors = true; break;
        case 't':
            if (!bal_parse_long(optarg, 1, 60000, &v))
                return usage_error("--timeout '%s': expected 1..60000 ms", optarg);
            s.timeout_ms = (int)v;
            break;
        case 'r':
            if (!bal_parse_long(optarg, 0, 100, &v))
                return usage_error("--retries '%s': expected 0..100", optarg);
            s.retries = (int)v;
            break;
        case 'h': usage(stdout); return EXIT_OK;
        case 'V':
            printf("balctl %s (build %s, link protocol %u)\n", BAL_TOOL_VERSION, BAL_GIT_HASH,
                   BAL_PROTO_VERSION);
            return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind == argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strncmp(s.device, "usb", 3) && strncmp(s.device, "sim:", 4))
        return usage_error("--device '%s': expected usb, usb:SERIAL or sim:PATH", s.device);
    if (!strcmp(argv[optind], "help")) {
        const struct command *hc = optind + 1 < argc ? find_command(argv[optind + 1]) : NULL;
        if (hc)
            command_help(hc, stdout);
        else
            usage(stdout);
        return EXIT_OK;
    }
    int rc = run_words(&s, argc - optind, argv + optind);
    close_link(&s);
    return rc;
}
