/* balctl's configuration files: parse, check, print, map to register words (config.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regmap.h"
#include "util.h"
#include "tonemodel.h"

enum kind {
    K_NAMED,    /* a coded field by its value's name: tone, stereo, balanced */
    K_NUMBERED, /* a coded field by the number in its value's name: 24 (BITS24), 8 (X8) */
    K_SWITCH,   /* a one-bit field: on|off (true|false) */
    K_TONE_HZ,  /* TONE_FREQ.INC as Hz */
    K_TONE_DB,  /* TONE_LEVEL.ATTEN (0.5 dB steps) as dBFS */
    K_ATTEN_DB, /* an attenuation in 1/256 dB as a gain in dB, -144..0 */
    K_TRIM_DB,  /* a trim in 1/256 dB, 10-bit two's complement, as dB */
    K_BANK,     /* the live filter bank */
};

static const struct key_info {
    const char *name;
    uint16_t reg;
    const char *field;
    enum kind kind;
} keys[BAL_CFG_KEYS] = {
    [BAL_CFG_SOURCE] = {"source", BAL_REG_AUDIO_SOURCE, "SOURCE", K_NAMED},
    [BAL_CFG_TONE_HZ] = {"tone.hz", BAL_REG_TONE_FREQ, "INC", K_TONE_HZ},
    [BAL_CFG_TONE_LEVEL_DB] = {"tone.level_db", BAL_REG_TONE_LEVEL, "ATTEN", K_TONE_DB},
    [BAL_CFG_OUTPUT_SLOT_BITS] = {"output.slot_bits", BAL_REG_OUT_FORMAT, "SLOT", K_NUMBERED},
    [BAL_CFG_OVERSAMPLE_RATIO] = {"oversample.ratio", BAL_REG_OVERSAMPLE, "RATIO", K_NUMBERED},
    [BAL_CFG_OVERSAMPLE_NOS] = {"oversample.nos", BAL_REG_OVERSAMPLE, "NOS", K_SWITCH},
    [BAL_CFG_FILTER_BANK] = {"filter.bank", 0, NULL, K_BANK},
    [BAL_CFG_ROUTE] = {"route", BAL_REG_ROUTE, "MODE", K_NAMED},
    [BAL_CFG_INVERT_LEFT] = {"invert.left", BAL_REG_ROUTE, "INVERT_LEFT", K_SWITCH},
    [BAL_CFG_INVERT_RIGHT] = {"invert.right", BAL_REG_ROUTE, "INVERT_RIGHT", K_SWITCH},
    [BAL_CFG_TOPOLOGY] = {"topology", BAL_REG_TOPOLOGY, "MODE", K_NAMED},
    [BAL_CFG_MUTE] = {"mute", BAL_REG_CTRL, "MUTE", K_SWITCH},
    [BAL_CFG_CEILING_DB] = {"gain.ceiling_db", BAL_REG_CEILING, "ATTEN", K_ATTEN_DB},
    [BAL_CFG_VOLUME_DB] = {"gain.volume_db", BAL_REG_VOLUME, "ATTEN", K_ATTEN_DB},
    [BAL_CFG_TRIM_LP_DB] = {"gain.trim_db.l+", BAL_REG_TRIM_LP, "GAIN", K_TRIM_DB},
    [BAL_CFG_TRIM_LN_DB] = {"gain.trim_db.l-", BAL_REG_TRIM_LN, "GAIN", K_TRIM_DB},
    [BAL_CFG_TRIM_RP_DB] = {"gain.trim_db.r+", BAL_REG_TRIM_RP, "GAIN", K_TRIM_DB},
    [BAL_CFG_TRIM_RN_DB] = {"gain.trim_db.r-", BAL_REG_TRIM_RN, "GAIN", K_TRIM_DB},
    [BAL_CFG_BITS] = {"gain.bits", BAL_REG_OUT_FORMAT, "WORD", K_NUMBERED},
    [BAL_CFG_DITHER] = {"gain.dither", BAL_REG_OUT_FORMAT, "DITHER", K_SWITCH},
};

const uint16_t bal_config_regs[BAL_CFG_NREGS] = {
    BAL_REG_AUDIO_SOURCE, BAL_REG_TONE_FREQ, BAL_REG_TONE_LEVEL, BAL_REG_OUT_FORMAT,
    BAL_REG_OVERSAMPLE,   BAL_REG_ROUTE,     BAL_REG_TOPOLOGY,   BAL_REG_CTRL,
    BAL_REG_CEILING,      BAL_REG_VOLUME,    BAL_REG_TRIM_LP,    BAL_REG_TRIM_LN,
    BAL_REG_TRIM_RP,      BAL_REG_TRIM_RN,
};

#define UNITS_PER_DB BAL_GAIN_UNIT_PER_DB

const char *bal_config_key_name(enum bal_config_key k)
{
    return k < BAL_CFG_KEYS ? keys[k].name : "?";
}

uint16_t bal_config_key_reg(enum bal_config_key k)
{
    return k < BAL_CFG_KEYS ? keys[k].reg : 0;
}

const char *bal_config_key_field(enum bal_config_key k)
{
    return k < BAL_CFG_KEYS ? keys[k].field : NULL;
}

static const struct bal_field_info *field_of(const struct key_info *k)
{
    return bal_field_at(k->reg, k->field);
}

static int reg_index(uint16_t reg)
{
    for (int i = 0; i < BAL_CFG_NREGS; i++)
        if (bal_config_regs[i] == reg)
            return i;
    return -1;
}

void bal_value_word(const struct bal_value_info *v, bool numbered, char *out, size_t cap)
{
    const char *name = v->name;
    if (numbered)
        while (*name && !isdigit((unsigned char)*name))
            name++;
    snprintf(out, cap, "%s", name);
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
}

/* err = "WHERE: why" */
static void say(char *err, size_t errlen, const char *where, const char *fmt, va_list ap)
{
    int n = snprintf(err, errlen, "%s: ", where);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
}

/* A file's line is wrong: err = "LINE: why"; returns false */
static bool fail(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
    char where[16];
    va_list ap;
    snprintf(where, sizeof where, "%u", line);
    va_start(ap, fmt);
    say(err, errlen, where, fmt, ap);
    va_end(ap);
    return false;
}

/* A value is wrong: err = "LABEL: why"; returns false */
static bool refuse(char *err, size_t errlen, const char *label, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(err, errlen, label, fmt, ap);
    va_end(ap);
    return false;
}

bool bal_config_parse_value(enum bal_config_key key, const char *label, const char *word, uint32_t *v,
                            char *err, size_t errlen)
{
    if (key >= BAL_CFG_KEYS)
        return refuse(err, errlen, label ? label : "?", "no such key");
    const struct key_info *k = &keys[key];
    double x;
    label = label ? label : k->name;
    switch (k->kind) {
    case K_NAMED:
    case K_NUMBERED: {
        const struct bal_field_info *f = field_of(k);
        char choices[160] = "", name[32];
        for (unsigned i = 0; f && i < f->nvalues; i++) {
            bal_value_word(&f->values[i], k->kind == K_NUMBERED, name, sizeof name);
            if (!strcasecmp(word, name)) {
                *v = f->values[i].code;
                return true;
            }
            size_t n = strlen(choices);
            snprintf(choices + n, sizeof choices - n, "%s%s", i ? "|" : "", name);
        }
        return refuse(err, errlen, label, "'%s' is not one of %s", word, choices);
    }
    case K_SWITCH:
        if (!strcasecmp(word, "on") || !strcasecmp(word, "true"))
            return *v = 1, true;
        if (!strcasecmp(word, "off") || !strcasecmp(word, "false"))
            return *v = 0, true;
        return refuse(err, errlen, label, "'%s' is not one of on|off", word);
    case K_TONE_HZ: /* judged by the step it makes: dump's 1 Hz is 0.999995, the nearest step */
        if (!bal_parse_decimal(word, &x) || x <= 0 || x >= 2 * BAL_TONE_HZ_MAX ||
            tone_inc_for_hz(x) < tone_inc_for_hz(1.0) || tone_inc_for_hz(x) > tone_inc_for_hz(BAL_TONE_HZ_MAX))
            return refuse(err, errlen, label, "'%s' is not in 1..%.0f (Hz)", word, BAL_TONE_HZ_MAX);
        *v = tone_inc_for_hz(x);
        return true;
    case K_TONE_DB:
        if (!bal_parse_decimal(word, &x) || x > 0 || x < BAL_TONE_DB_MIN || x * 2 != floor(x * 2))
            return refuse(err, errlen, label, "'%s' is not in %.1f..0 in 0.5 dB steps", word,
                          BAL_TONE_DB_MIN);
        *v = (uint32_t)lround(-x * 2);
        return true;
    case K_ATTEN_DB:
        if (!bal_parse_decimal(word, &x) || x > 0 || x < BAL_GAIN_DB_MIN)
            return refuse(err, errlen, label, "'%s' is not in %.0f..0 (dB)", word, BAL_GAIN_DB_MIN);
        *v = (uint32_t)lround(-x * UNITS_PER_DB);
        return true;
    case K_TRIM_DB:
        if (!bal_parse_decimal(word, &x) || x < BAL_TRIM_DB_MIN || x > BAL_TRIM_DB_MAX)
            return refuse(err, errlen, label, "'%s' is not in %.2f..%.3f (dB)", word, BAL_TRIM_DB_MIN,
                          BAL_TRIM_DB_MAX);
        *v = (uint32_t)lround(x * UNITS_PER_DB) & 0x3FFu;
        return true;
    case K_BANK:
        if (!bal_parse_decimal(word, &x) || x != floor(x) || x < 0 || x > BAL_FILTER_BANKS - 1)
            return refuse(err, errlen, label, "'%s' is not in 0..%d", word, BAL_FILTER_BANKS - 1);
        *v = (uint32_t)x;
        return true;
    }
    return refuse(err, errlen, label, "no parser");
}

/* One line (its comment already cut off): a key and its value into c */
static bool parse_line(char *text, unsigned line, struct bal_config *c, char *err, size_t errlen)
{
    char *eq = strchr(text, '=');
    if (!eq)
        return fail(err, errlen, line, "expected 'key = value'");
    *eq = 0;
    char *name = bal_trim(text), *word = bal_trim(eq + 1);
    unsigned k = 0;
    while (k < BAL_CFG_KEYS && strcmp(name, keys[k].name))
        k++;
    if (k == BAL_CFG_KEYS)
        return fail(err, errlen, line, "unknown key '%s' (the keys are those of balctl dump)", name);
    if (!*word || strpbrk(word, " \t"))
        return fail(err, errlen, line, "%s: expected one value", name);
    if (c->given[k])
        return fail(err, errlen, line, "%s given twice (first on line %u)", name, c->line[k]);
    char why[256];
    if (!bal_config_parse_value(k, NULL, word, &c->value[k], why, sizeof why))
        return fail(err, errlen, line, "%s", why);
    c->given[k] = true;
    c->line[k] = line;
    return true;
}

bool bal_config_parse(const char *text, struct bal_config *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    unsigned line = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char buf[512];
        line++;
        if (n >= sizeof buf)
            return fail(err, errlen, line, "line too long");
        memcpy(buf, p, n);
        buf[n] = 0;
        p += n + (nl != NULL);
        if (strchr(buf, '#'))
            *strchr(buf, '#') = 0;
        char *t = bal_trim(buf);
        if (*t && !parse_line(t, line, c, err, errlen))
            return false;
    }
    if (c->given[BAL_CFG_VOLUME_DB] && c->given[BAL_CFG_CEILING_DB] &&
        c->value[BAL_CFG_VOLUME_DB] < c->value[BAL_CFG_CEILING_DB])
        return fail(err, errlen, c->line[BAL_CFG_VOLUME_DB], "gain.volume_db is above gain.ceiling_db "
                    "(line %u): the allowed range is %.0f..%.2f dB", c->line[BAL_CFG_CEILING_DB], BAL_GAIN_DB_MIN,
                    -(double)c->value[BAL_CFG_CEILING_DB] / UNITS_PER_DB);
    return true;
}

void bal_config_from_words(struct bal_config *c, const uint32_t words[BAL_CFG_NREGS], unsigned bank)
{
    memset(c, 0, sizeof *c);
    for (unsigned k = 0; k < BAL_CFG_KEYS; k++) {
        const struct bal_field_info *f = field_of(&keys[k]);
        c->given[k] = true;
        if (keys[k].kind == K_BANK) {
            c->value[k] = bank;
            continue;
        }
        unsigned w = f->msb - f->lsb + 1;
        c->value[k] = (words[reg_index(keys[k].reg)] >> f->lsb) & (w == 32 ? 0xFFFFFFFFu : (1u << w) - 1);
    }
}

void bal_config_to_words(const struct bal_config *c, uint32_t words[BAL_CFG_NREGS],
                         bool changed[BAL_CFG_NREGS])
{
    uint32_t before[BAL_CFG_NREGS];
    memcpy(before, words, sizeof before);
    for (unsigned k = 0; k < BAL_CFG_KEYS; k++) {
        if (!c->given[k] || keys[k].kind == K_BANK)
            continue;
        const struct bal_field_info *f = field_of(&keys[k]);
        unsigned w = f->msb - f->lsb + 1;
        uint32_t mask = (w == 32 ? 0xFFFFFFFFu : (1u << w) - 1) << f->lsb;
        int i = reg_index(keys[k].reg);
        words[i] = (words[i] & ~mask) | ((c->value[k] << f->lsb) & mask);
    }
    for (int i = 0; i < BAL_CFG_NREGS; i++)
        changed[i] = words[i] != before[i];
}

/* Key k's value as a configuration writes it */
static void format_value(unsigned k, uint32_t v, char *out, size_t cap)
{
    const struct key_info *ki = &keys[k];
    switch (ki->kind) {
    case K_NAMED:
    case K_NUMBERED: {
        const struct bal_field_info *f = field_of(ki);
        snprintf(out, cap, "?");
        for (unsigned i = 0; f && i < f->nvalues; i++)
            if (f->values[i].code == v)
                bal_value_word(&f->values[i], ki->kind == K_NUMBERED, out, cap);
        return;
    }
    case K_SWITCH:
        snprintf(out, cap, "%s", v ? "on" : "off");
        return;
    case K_TONE_HZ: /* six decimals: the INC reads back exactly (a step is 1.1e-5 Hz) */
        snprintf(out, cap, "%.6f", tone_hz_for_inc(v));
        return;
    case K_TONE_DB:
        snprintf(out, cap, "%.1f", 0.0 - 0.5 * v);
        return;
    case K_ATTEN_DB:
        snprintf(out, cap, "%.4f", 0.0 - (double)v / UNITS_PER_DB); /* 0 dB, not -0 */
        return;
    case K_TRIM_DB:
        snprintf(out, cap, "%.4f", (double)(v >= 512 ? (long)v - 1024 : (long)v) / UNITS_PER_DB);
        return;
    case K_BANK:
        snprintf(out, cap, "%u", v);
        return;
    }
}

void bal_config_print(FILE *f, const struct bal_config *c)
{
    char word[48];
    for (unsigned k = 0; k < BAL_CFG_KEYS; k++)
        if (c->given[k]) {
            format_value(k, c->value[k], word, sizeof word);
            fprintf(f, "%s = %s\n", keys[k].name, word);
        }
}

void bal_config_print_json(FILE *f, const struct bal_config *c)
{
    char word[48];
    const char *sep = "{";
    for (unsigned k = 0; k < BAL_CFG_KEYS; k++)
        if (c->given[k]) {
            format_value(k, c->value[k], word, sizeof word);
            enum kind kind = keys[k].kind;
            if (kind == K_NAMED)
                fprintf(f, "%s\"%s\":\"%s\"", sep, keys[k].name, word);
            else if (kind == K_SWITCH)
                fprintf(f, "%s\"%s\":%s", sep, keys[k].name, c->value[k] ? "true" : "false");
            else
                fprintf(f, "%s\"%s\":%s", sep, keys[k].name, word);
            sep = ",";
        }
    fprintf(f, "%s}\n", *sep == '{' ? "{" : "");
}
