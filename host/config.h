/* balctl's configuration files: one "key = value" a line, # comments, the keys that
 * `balctl --json status` prints (dotted where it nests them): source, tone.hz, gain.volume_db...
 * This layer parses, checks and prints them and maps them to register words; it talks to no
 * device (balctl's apply and dump do). */
#ifndef BAL_CONFIG_H
#define BAL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "regmap.h"

/* The ranges the settings take, for a file's keys and balctl's commands alike */
#define BAL_GAIN_DB_MIN (-(double)BAL_GAIN_SILENT / BAL_GAIN_UNIT_PER_DB) /* silence: -144 dB */
#define BAL_TRIM_DB_MIN (-512.0 / BAL_GAIN_UNIT_PER_DB) /* 10-bit two's complement */
#define BAL_TRIM_DB_MAX (511.0 / BAL_GAIN_UNIT_PER_DB)
#define BAL_TONE_HZ_MAX 23999.0
#define BAL_TONE_DB_MIN (-127.5)

enum bal_config_key {
    BAL_CFG_SOURCE,
    BAL_CFG_TONE_HZ,
    BAL_CFG_TONE_LEVEL_DB,
    BAL_CFG_OUTPUT_SLOT_BITS,
    BAL_CFG_OVERSAMPLE_RATIO,
    BAL_CFG_OVERSAMPLE_NOS,
    BAL_CFG_FILTER_BANK,
    BAL_CFG_ROUTE,
    BAL_CFG_INVERT_LEFT,
    BAL_CFG_INVERT_RIGHT,
    BAL_CFG_TOPOLOGY,
    BAL_CFG_MUTE,
    BAL_CFG_CEILING_DB,
    BAL_CFG_VOLUME_DB,
    BAL_CFG_TRIM_LP_DB,
    BAL_CFG_TRIM_LN_DB,
    BAL_CFG_TRIM_RP_DB,
    BAL_CFG_TRIM_RN_DB,
    BAL_CFG_BITS,
    BAL_CFG_DITHER,
    BAL_CFG_KEYS
};

/* A configuration: for each key whether it is given, its value as its register field holds it
 * (FILTER_BANK: the bank), and the line it came from (0: not from a file). */
struct bal_config {
    bool given[BAL_CFG_KEYS];
    uint32_t value[BAL_CFG_KEYS];
    unsigned line[BAL_CFG_KEYS];
};

/* The registers a configuration sets, in the order they are written (CEILING before VOLUME;
 * the filter bank is not among them: it is selected, FILTER_SELECT). */
#define BAL_CFG_NREGS 14
extern const uint16_t bal_config_regs[BAL_CFG_NREGS];

const char *bal_config_key_name(enum bal_config_key k);
/* The register and field key k sets (0 and NULL for filter.bank, which is selected) */
uint16_t bal_config_key_reg(enum bal_config_key k);
const char *bal_config_key_field(enum bal_config_key k);

/* One value of key k as a file or a command gives it, into *v (as the field holds it); false
 * with err saying "LABEL: why" and the allowed values (label: the key's name when NULL). */
bool bal_config_parse_value(enum bal_config_key k, const char *label, const char *word, uint32_t *v,
                            char *err, size_t errlen);

/* A coded value's name as balctl prints and takes it: lower case, or (numbered) the number in
 * it: BALANCED -> balanced, BITS24 -> 24, X8 -> 8. */
void bal_value_word(const struct bal_value_info *v, bool numbered, char *out, size_t cap);

/* Parses a file's text into c (every key not given). On the first bad line: false, and err
 * says "LINE: what is wrong" with the allowed values; c is then incomplete. A volume above
 * the file's ceiling is refused here; against the device's ceiling, by the caller. */
bool bal_config_parse(const char *text, struct bal_config *c, char *err, size_t errlen);

/* Every key from the registers' words (words[i] of bal_config_regs[i]) and the live bank. */
void bal_config_from_words(struct bal_config *c, const uint32_t words[BAL_CFG_NREGS], unsigned bank);

/* The registers' words with the given keys' fields put in (the other bits as they were);
 * changed[i] tells whether word i differs from before. */
void bal_config_to_words(const struct bal_config *c, uint32_t words[BAL_CFG_NREGS],
                         bool changed[BAL_CFG_NREGS]);

/* The given keys, one "key = value" a line, in a form bal_config_parse reads back; or one
 * JSON object. */
void bal_config_print(FILE *f, const struct bal_config *c);
void bal_config_print_json(FILE *f, const struct bal_config *c);

#endif
