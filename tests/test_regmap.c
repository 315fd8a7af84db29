/* The generated register map: consistent, and the committed docs page is up to date. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "regmap.h"

static void test_table_consistent(void)
{
    CHECK(bal_nregs > 10);
    for (unsigned i = 0; i < bal_nregs; i++) {
        const struct bal_reg_info *r = &bal_regs[i];
        CHECK(r->size >= 1);
        CHECK(!strcmp(r->access, "ro") || !strcmp(r->access, "rw") || !strcmp(r->access, "wo"));
        if (!strcmp(r->access, "ro"))
            CHECK_EQ(r->wmask, 0);
        for (unsigned j = i + 1; j < bal_nregs; j++) {
            CHECK(strcasecmp(r->name, bal_regs[j].name) != 0);
            CHECK(r->addr + r->size <= bal_regs[j].addr || bal_regs[j].addr + bal_regs[j].size <= r->addr);
        }
        for (unsigned f = 0; f < r->nfields; f++)
            CHECK(r->fields[f].msb < 32 && r->fields[f].lsb <= r->fields[f].msb);
    }
    CHECK_EQ(BAL_REG_ID_RESET, BAL_MAGIC);
    CHECK_EQ(BAL_REG_CTRL_WMASK, BAL_CTRL_MUTE_MASK | BAL_CTRL_SOFT_RESET_MASK);
    CHECK_EQ(BAL_VERSION_PROTO_MASK >> BAL_VERSION_PROTO_LSB, 0xFF);
    CHECK_EQ((BAL_REG_VERSION_RESET & BAL_VERSION_PROTO_MASK) >> BAL_VERSION_PROTO_LSB, BAL_PROTO_VERSION);
}

/* Lookups by address and by a field's name: every field found where the table has it */
static void test_lookups(void)
{
    for (unsigned i = 0; i < bal_nregs; i++) {
        const struct bal_reg_info *r = &bal_regs[i];
        CHECK(bal_reg_at(r->addr) == r);
        CHECK(bal_reg_at((uint16_t)(r->addr + r->size - 1)) == r);
        for (unsigned f = 0; f < r->nfields; f++)
            CHECK(bal_field_at(r->addr, r->fields[f].name) == &r->fields[f]);
    }
    const struct bal_field_info *word = bal_field_at(BAL_REG_OUT_FORMAT, "WORD");
    CHECK(word && word->lsb == BAL_OUT_FORMAT_WORD_LSB && word->nvalues == 3);
    CHECK(bal_field_at(BAL_REG_OUT_FORMAT, "word") == NULL); /* names are exact */
    CHECK(bal_field_at(BAL_REG_OUT_FORMAT, NULL) == NULL);
    CHECK(bal_field_at(0xFFFF, "WORD") == NULL);
}

static int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb)
            same = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static void test_docs_up_to_date(void)
{
    /* the build regenerates docs/registers.md; in a git checkout it must be the committed one */
    int rc;
    if (system("git rev-parse --is-inside-work-tree >/dev/null 2>&1") == 0)
        CHECK_EQ(system("git diff --quiet -- docs/registers.md"), 0);
    rc = system("./build/regmapgen -m build/registers.check.md regs/regmap.def");
    CHECK_EQ(rc, 0);
    CHECK(files_equal("build/registers.check.md", "docs/registers.md"));
}

int main(void)
{
    RUN(test_table_consistent);
    RUN(test_lookups);
    RUN(test_docs_up_to_date);
    return test_summary();
}
