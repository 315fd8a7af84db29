/* regmapgen: turns regs/regmap.def into a Verilog include, a C header and table, and a
 * Markdown page, so the RTL, balctl and the documentation share one register map. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 512
#define MAX_TOK 8

enum kind { K_CONST, K_REG, K_FIELD, K_VALUE, K_BLOCK, K_ROOM };

struct item {
    enum kind kind;
    char name[48];
    unsigned long a, b, c; /* const: value; reg: addr; field: msb,lsb,reset; block: base,size */
    char access[4];
    char desc[256];
    int parent; /* field -> reg, value -> field */
    int strobe; /* a field that acts when written 1 and reads 0 */
    int line;
};

static struct item items[MAX_ITEMS];
static int nitems;
static const char *src_name;

static void die(int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: ", src_name, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Splits a line into words; a "quoted string" is one word. Returns the count. */
static int tokenize(char *s, char **tok, int line)
{
    int n = 0;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s || *s == '#')
            break;
        if (n == MAX_TOK)
            die(line, "too many words");
        if (*s == '"') {
            tok[n++] = ++s;
            while (*s && *s != '"')
                s++;
            if (*s != '"')
                die(line, "unterminated string");
            *s++ = 0;
        } else {
            tok[n++] = s;
            while (*s && !isspace((unsigned char)*s))
                s++;
            if (*s)
                *s++ = 0;
        }
    }
    return n;
}

static unsigned long number(const char *s, int line)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || *end || end == s || v > 0xFFFFFFFFul)
        die(line, "bad number '%s'", s);
    return v;
}

static int last_of(enum kind k)
{
    for (int i = nitems - 1; i >= 0; i--)
        if (items[i].kind == k)
            return i;
    return -1;
}

static void parse(FILE *f)
{
    char buf[1024];
    int line = 0;
    while (fgets(buf, sizeof buf, f)) {
        char *tok[MAX_TOK];
        line++;
        int n = tokenize(buf, tok, line);
        if (n == 0)
            continue;
        if (nitems == MAX_ITEMS)
            die(line, "too many items");
        struct item *it = &items[nitems];
        memset(it, 0, sizeof *it);
        it->line = line;
        it->parent = -1;
        const char *kw = tok[0];
        int want;
        if (!strcmp(kw, "const")) { it->kind = K_CONST; want = 4; }
        else if (!strcmp(kw, "reg")) { it->kind = K_REG; want = 5; }
        else if (!strcmp(kw, "field")) { it->kind = K_FIELD; want = 6; }
        else if (!strcmp(kw, "strobe")) { it->kind = K_FIELD; it->strobe = 1; want = 4; }
        else if (!strcmp(kw, "value")) { it->kind = K_VALUE; want = 4; }
        else if (!strcmp(kw, "block")) { it->kind = K_BLOCK; want = 6; }
        else if (!strcmp(kw, "room")) { it->kind = K_ROOM; want = 4; }
        else die(line, "unknown keyword '%s'", kw);
        if (n != want)
            die(line, "'%s' takes %d words, got %d", kw, want - 1, n - 1);
        if (it->kind != K_ROOM) {
            if (strlen(tok[1]) >= sizeof it->name)
                die(line, "name too long");
            strcpy(it->name, tok[1]);
        }
        if (strlen(tok[n - 1]) >= sizeof it->desc)
            die(line, "description too long");
        strcpy(it->desc, tok[n - 1]);
        switch (it->kind) {
        case K_CONST:
        case K_VALUE:
            it->a = number(tok[2], line);
            break;
        case K_REG:
            it->a = number(tok[2], line);
            if (strcmp(tok[3], "ro") && strcmp(tok[3], "rw") && strcmp(tok[3], "wo"))
                die(line, "access must be ro, rw or wo");
            strcpy(it->access, tok[3]);
            break;
        case K_FIELD:
            it->a = number(tok[2], line);
            it->b = it->strobe ? it->a : number(tok[3], line);
            it->c = it->strobe ? 0 : number(tok[4], line);
            if (it->a > 31 || it->b > it->a)
                die(line, "bad bit range %lu:%lu", it->a, it->b);
            if (it->a - it->b < 31 && it->c >> (it->a - it->b + 1))
                die(line, "reset value does not fit the field");
            it->parent = last_of(K_REG);
            if (it->parent < 0)
                die(line, "field before any reg");
            break;
        case K_BLOCK:
            it->a = number(tok[2], line);
            it->b = number(tok[3], line);
            strcpy(it->access, tok[4]);
            break;
        case K_ROOM:
            it->a = number(tok[1], line);
            it->b = number(tok[2], line);
            break;
        }
        if (it->kind == K_VALUE) {
            it->parent = last_of(K_FIELD);
            if (it->parent < 0)
                die(line, "value before any field");
        }
        nitems++;
    }
}

/* Address ranges must not overlap; fields of a register must not overlap. */
static void check(void)
{
    for (int i = 0; i < nitems; i++) {
        const struct item *x = &items[i];
        if (x->kind != K_REG && x->kind != K_BLOCK && x->kind != K_ROOM)
            continue;
        unsigned long xs = x->a, xe = x->a + (x->kind == K_REG ? 1 : x->b);
        if (xe > 0x10000)
            die(x->line, "range beyond the 16-bit address space");
        for (int j = i + 1; j < nitems; j++) {
            const struct item *y = &items[j];
            if (y->kind != K_REG && y->kind != K_BLOCK && y->kind != K_ROOM)
                continue;
            unsigned long ys = y->a, ye = y->a + (y->kind == K_REG ? 1 : y->b);
            if (xs < ye && ys < xe)
                die(y->line, "overlaps line %d", x->line);
        }
    }
    for (int i = 0; i < nitems; i++) {
        if (items[i].kind != K_FIELD)
            continue;
        for (int j = i + 1; j < nitems; j++)
            if (items[j].kind == K_FIELD && items[j].parent == items[i].parent &&
                !(items[j].a < items[i].b || items[j].b > items[i].a))
                die(items[j].line, "field overlaps line %d", items[i].line);
    }
}

static unsigned long field_mask(const struct item *f)
{
    unsigned w = (unsigned)(f->a - f->b + 1);
    return (w == 32 ? 0xFFFFFFFFul : ((1ul << w) - 1)) << f->b;
}

static unsigned long reg_reset(int r)
{
    unsigned long v = 0;
    for (int i = 0; i < nitems; i++)
        if (items[i].kind == K_FIELD && items[i].parent == r)
            v |= (items[i].c << items[i].b) & 0xFFFFFFFFul;
    return v;
}

static unsigned long reg_wmask(int r)
{
    unsigned long m = 0;
    if (!strcmp(items[r].access, "ro"))
        return 0;
    for (int i = 0; i < nitems; i++)
        if (items[i].kind == K_FIELD && items[i].parent == r)
            m |= field_mask(&items[i]);
    return m;
}

/* How many items of kind k hang below item i (values of a field, fields of a register). */
static unsigned children(int i, enum kind k)
{
    unsigned n = 0;
    for (int j = 0; j < nitems; j++)
        n += items[j].kind == k && items[j].parent == i;
    return n;
}

/* The bits a write stores and a read returns: a rw register's fields less its strobes. */
static unsigned long reg_rmask(int r)
{
    unsigned long m = 0;
    if (strcmp(items[r].access, "rw"))
        return 0;
    for (int i = 0; i < nitems; i++)
        if (items[i].kind == K_FIELD && items[i].parent == r && !items[i].strobe)
            m |= field_mask(&items[i]);
    return m;
}

/* Registers decoded by the generated RTL functions: the page 0x0000-0x00FF. */
static int in_page(int r)
{
    return items[r].kind == K_REG && items[r].a < 0x100;
}

/* One Verilog function of the low address byte: a case over the page's registers. */
static void emit_case(FILE *f, const char *name, unsigned width,
                      unsigned long (*value)(int r), const char *what)
{
    fprintf(f, "// %s\nfunction automatic [%u:0] %s(input [7:0] a);\n    case (a)\n", what,
            width - 1, name);
    for (int r = 0; r < nitems; r++)
        if (in_page(r))
            fprintf(f, "        8'h%02lX: %s = %u'h%lX;\n", items[r].a, name, width, value(r));
    fprintf(f, "        default: %s = %u'h0;\n    endcase\nendfunction\n", name, width);
}

static unsigned long one(int r) { (void)r; return 1; }
static unsigned long writable(int r) { return strcmp(items[r].access, "ro") != 0; }

/* rm_code_ok(a, d): every coded field at one of its codes; rm_value_ok(a, d): that, and no bit
 * outside the fields (targets may judge the two apart, a cycle each). */
static void emit_value_ok(FILE *f)
{
    fprintf(f, "// A value register a may take (whether a is writable is judged apart)\n"
               "function automatic rm_value_ok(input [7:0] a, input [31:0] d);\n"
               "    rm_value_ok = (d & ~rm_wmask(a)) == 32'h0 && rm_code_ok(a, d);\n"
               "endfunction\n");
    fprintf(f, "// Every coded field of the value at one of its codes\n"
               "function automatic rm_code_ok(input [7:0] a, input [31:0] d);\n"
               "begin\n    rm_code_ok = 1'b1;\n    case (a)\n");
    /* one case item a register: every coded field of it at one of its codes */
    for (int r = 0; r < nitems; r++) {
        if (!in_page(r) || !writable(r))
            continue;
        int coded = 0;
        for (int i = 0; i < nitems; i++) {
            if (items[i].kind != K_FIELD || items[i].parent != r || !children(i, K_VALUE))
                continue;
            fprintf(f, coded++ ? " &&\n            (" : "        8'h%02lX: if (!((", items[r].a);
            int k = 0;
            for (int j = 0; j < nitems; j++)
                if (items[j].kind == K_VALUE && items[j].parent == i)
                    fprintf(f, "%sd[%lu:%lu] == %lu'd%lu", k++ ? " || " : "", items[i].a,
                            items[i].b, items[i].a - items[i].b + 1, items[j].a);
            fprintf(f, ")");
        }
        if (coded)
            fprintf(f, ")) rm_code_ok = 1'b0;\n");
    }
    fprintf(f, "        default: ;\n    endcase\nend\nendfunction\n");
}

static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "regmapgen: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return f;
}

static void close_out(FILE *f, const char *path)
{
    if (ferror(f) || fclose(f)) {
        fprintf(stderr, "regmapgen: writing %s failed\n", path);
        exit(1);
    }
}

static void emit_verilog(const char *path)
{
    FILE *f = open_out(path);
    fprintf(f, "// Generated by tools/regmapgen from %s. Do not edit.\n", src_name);
    fprintf(f, "/* verilator lint_off UNUSEDPARAM */\n");
    for (int i = 0; i < nitems; i++) {
        const struct item *it = &items[i];
        const char *pn = it->parent >= 0 ? items[it->parent].name : "";
        switch (it->kind) {
        case K_CONST:
            if (it->a <= 0xFF)
                fprintf(f, "localparam [7:0] BAL_%s = 8'h%02lX;\n", it->name, it->a);
            else
                fprintf(f, "localparam [31:0] BAL_%s = 32'h%08lX;\n", it->name, it->a);
            break;
        case K_REG:
            fprintf(f, "localparam [15:0] REG_%s = 16'h%04lX;\n", it->name, it->a);
            fprintf(f, "localparam [31:0] REG_%s_RESET = 32'h%08lX;\n", it->name, reg_reset(i));
            fprintf(f, "localparam [31:0] REG_%s_WMASK = 32'h%08lX;\n", it->name, reg_wmask(i));
            break;
        case K_FIELD:
            fprintf(f, "localparam integer F_%s_%s = %lu, F_%s_%s_W = %lu;\n", pn, it->name, it->b,
                    pn, it->name, it->a - it->b + 1);
            break;
        case K_VALUE: {
            const struct item *fld = &items[it->parent];
            fprintf(f, "localparam [%lu:0] V_%s_%s_%s = %lu'd%lu;\n", fld->a - fld->b,
                    items[fld->parent].name, fld->name, it->name, fld->a - fld->b + 1, it->a);
            break;
        }
        case K_BLOCK:
            fprintf(f, "localparam [15:0] BLK_%s_BASE = 16'h%04lX;\n", it->name, it->a);
            fprintf(f, "localparam integer BLK_%s_SIZE = %lu;\n", it->name, it->b);
            break;
        case K_ROOM:
            break;
        }
    }
    fprintf(f, "/* verilator lint_on UNUSEDPARAM */\n\n");
    fprintf(f, "// Decode of the register page 0x0000-0x00FF by the low address byte: what the\n"
               "// register targets judge and store. Adding a register to the map updates these.\n"
               "/* verilator lint_off UNUSEDSIGNAL */\n");
    emit_case(f, "rm_readable", 1, one, "a register exists at a");
    emit_case(f, "rm_writable", 1, writable, "a host may write it (rw or wo)");
    emit_case(f, "rm_wmask", 32, reg_wmask, "the bits a write may set");
    emit_case(f, "rm_rmask", 32, reg_rmask, "the bits a write stores and a read returns");
    emit_case(f, "rm_reset", 32, reg_reset, "the value after reset");
    emit_value_ok(f);
    fprintf(f, "/* verilator lint_on UNUSEDSIGNAL */\n");
    close_out(f, path);
}

/* The constants as `defines, for parameter defaults (a module's include comes after them). */
static void emit_verilog_defines(const char *path)
{
    FILE *f = open_out(path);
    fprintf(f, "// Generated by tools/regmapgen from %s. Do not edit.\n", src_name);
    for (int i = 0; i < nitems; i++)
        if (items[i].kind == K_CONST)
            fprintf(f, "`define BAL_%s %lu\n", items[i].name, items[i].a);
    close_out(f, path);
}

static void emit_c_header(const char *path)
{
    FILE *f = open_out(path);
    fprintf(f, "/* Generated by tools/regmapgen from %s. Do not edit. */\n", src_name);
    fprintf(f, "#ifndef BAL_REGMAP_H\n#define BAL_REGMAP_H\n\n#include <stdint.h>\n\n");
    for (int i = 0; i < nitems; i++) {
        const struct item *it = &items[i];
        const char *pn = it->parent >= 0 ? items[it->parent].name : "";
        switch (it->kind) {
        case K_CONST:
            fprintf(f, "#define BAL_%s 0x%lXu /* %s */\n", it->name, it->a, it->desc);
            break;
        case K_REG:
            fprintf(f, "\n#define BAL_REG_%s 0x%04lXu /* %s */\n", it->name, it->a, it->desc);
            fprintf(f, "#define BAL_REG_%s_RESET 0x%08lXu\n", it->name, reg_reset(i));
            fprintf(f, "#define BAL_REG_%s_WMASK 0x%08lXu\n", it->name, reg_wmask(i));
            break;
        case K_FIELD:
            fprintf(f, "#define BAL_%s_%s_LSB %lu\n", pn, it->name, it->b);
            fprintf(f, "#define BAL_%s_%s_MASK 0x%08lXu\n", pn, it->name, field_mask(it));
            break;
        case K_VALUE: {
            const struct item *fld = &items[it->parent];
            fprintf(f, "#define BAL_%s_%s_%s %luu\n", items[fld->parent].name, fld->name,
                    it->name, it->a);
            break;
        }
        case K_BLOCK:
            fprintf(f, "\n#define BAL_BLK_%s_BASE 0x%04lXu\n", it->name, it->a);
            fprintf(f, "#define BAL_BLK_%s_SIZE %luu\n", it->name, it->b);
            break;
        case K_ROOM:
            break;
        }
    }
    fprintf(f, "\n/* field f of register reg in the word v: BAL_FIELD(FILTER_STATUS, LIVE, st) */\n"
               "#define BAL_FIELD(reg, f, v) (((v) & BAL_##reg##_##f##_MASK) >> BAL_##reg##_##f##_LSB)\n");
    fprintf(f, "\nstruct bal_value_info { const char *name; uint32_t code; const char *desc; };\n");
    fprintf(f, "struct bal_field_info {\n    const char *name;\n    unsigned msb, lsb;\n"
               "    uint32_t reset;\n    const char *desc;\n    const struct bal_value_info *values;\n"
               "    unsigned nvalues;\n};\n");
    fprintf(f, "struct bal_reg_info {\n    const char *name;\n    uint16_t addr;\n"
               "    uint16_t size; /* words: 1 for a register, more for a block */\n"
               "    const char *access; /* \"ro\", \"rw\" or \"wo\" */\n"
               "    uint32_t reset, wmask;\n"
               "    uint32_t rmask; /* bits a write stores and a read returns (no strobes) */\n"
               "    const char *desc;\n"
               "    const struct bal_field_info *fields;\n    unsigned nfields;\n};\n\n");
    fprintf(f, "extern const struct bal_reg_info bal_regs[];\nextern const unsigned bal_nregs;\n");
    fprintf(f, "\n/* The register or block that holds addr, or NULL. */\n"
               "const struct bal_reg_info *bal_reg_at(uint16_t addr);\n");
    fprintf(f, "\n/* The field called name of the register at addr, or NULL. */\n"
               "const struct bal_field_info *bal_field_at(uint16_t addr, const char *name);\n");
    fprintf(f, "\n/* Whether v may be written to r: no bit outside the fields, every coded field at\n"
               " * one of its codes. */\n"
               "int bal_value_ok(const struct bal_reg_info *r, uint32_t v);\n");
    fprintf(f, "\n#endif\n");
    close_out(f, path);
}

static void emit_c_table(const char *path, const char *header)
{
    FILE *f = open_out(path);
    fprintf(f, "/* Generated by tools/regmapgen from %s. Do not edit. */\n", src_name);
    fprintf(f, "#include \"%s\"\n\n#include <string.h>\n\n", header);
    for (int i = 0; i < nitems; i++) {
        if (items[i].kind != K_FIELD)
            continue;
        int any = 0;
        for (int j = 0; j < nitems; j++)
            if (items[j].kind == K_VALUE && items[j].parent == i) {
                if (!any)
                    fprintf(f, "static const struct bal_value_info values_%d[] = {\n", i);
                any = 1;
                fprintf(f, "    {\"%s\", %luu, \"%s\"},\n", items[j].name, items[j].a, items[j].desc);
            }
        if (any)
            fprintf(f, "};\n");
    }
    for (int r = 0; r < nitems; r++) {
        if (items[r].kind != K_REG)
            continue;
        fprintf(f, "static const struct bal_field_info fields_%d[] = {\n", r);
        for (int i = 0; i < nitems; i++) {
            if (items[i].kind != K_FIELD || items[i].parent != r)
                continue;
            unsigned nv = children(i, K_VALUE);
            fprintf(f, "    {\"%s\", %lu, %lu, 0x%lXu, \"%s\", ", items[i].name, items[i].a,
                    items[i].b, items[i].c, items[i].desc);
            if (nv)
                fprintf(f, "values_%d, %u},\n", i, nv);
            else
                fprintf(f, "0, 0},\n");
        }
        fprintf(f, "};\n");
    }
    fprintf(f, "\nconst struct bal_reg_info bal_regs[] = {\n");
    unsigned n = 0;
    for (int i = 0; i < nitems; i++) {
        const struct item *it = &items[i];
        if (it->kind == K_REG) {
            unsigned nf = children(i, K_FIELD);
            fprintf(f, "    {\"%s\", 0x%04lX, 1, \"%s\", 0x%08lXu, 0x%08lXu, 0x%08lXu, \"%s\", "
                       "fields_%d, %u},\n",
                    it->name, it->a, it->access, reg_reset(i), reg_wmask(i), reg_rmask(i), it->desc,
                    i, nf);
            n++;
        } else if (it->kind == K_BLOCK) {
            fprintf(f, "    {\"%s\", 0x%04lX, %lu, \"%s\", 0, 0xFFFFFFFFu, 0xFFFFFFFFu, \"%s\", 0, 0},\n",
                    it->name, it->a, it->b, it->access, it->desc);
            n++;
        }
    }
    fprintf(f, "};\n\nconst unsigned bal_nregs = %u;\n", n);
    fprintf(f, "\nconst struct bal_reg_info *bal_reg_at(uint16_t addr)\n{\n"
               "    for (unsigned i = 0; i < bal_nregs; i++)\n"
               "        if (addr >= bal_regs[i].addr && addr - bal_regs[i].addr < bal_regs[i].size)\n"
               "            return &bal_regs[i];\n"
               "    return 0;\n}\n");
    fprintf(f, "\nconst struct bal_field_info *bal_field_at(uint16_t addr, const char *name)\n{\n"
               "    const struct bal_reg_info *r = bal_reg_at(addr);\n"
               "    for (unsigned i = 0; r && name && i < r->nfields; i++)\n"
               "        if (!strcmp(r->fields[i].name, name))\n"
               "            return &r->fields[i];\n"
               "    return 0;\n}\n");
    fprintf(f, "\nint bal_value_ok(const struct bal_reg_info *r, uint32_t v)\n{\n"
               "    if (v & ~r->wmask)\n        return 0;\n"
               "    for (unsigned i = 0; i < r->nfields; i++) {\n"
               "        const struct bal_field_info *fi = &r->fields[i];\n"
               "        if (!fi->nvalues)\n            continue;\n"
               "        unsigned w = fi->msb - fi->lsb + 1;\n"
               "        uint32_t code = (v >> fi->lsb) & (w == 32 ? 0xFFFFFFFFu : (1u << w) - 1);\n"
               "        unsigned k = 0;\n"
               "        while (k < fi->nvalues && fi->values[k].code != code)\n            k++;\n"
               "        if (k == fi->nvalues)\n            return 0;\n    }\n"
               "    return 1;\n}\n");
    close_out(f, path);
}

static void emit_markdown(const char *path)
{
    FILE *f = open_out(path);
    fprintf(f, "# Register map\n\nGenerated by `tools/regmapgen` from `%s`; do not edit by hand.\n\n",
            src_name);
    fprintf(f, "Addresses count 32-bit words. A write that sets a bit outside the fields, or a coded "
               "field to an undefined code, is answered `BAD_VALUE` and changes nothing; so is "
               "every other word of the same request.\n\n");
    fprintf(f, "## Constants\n\n| name | value | meaning |\n|---|---|---|\n");
    for (int i = 0; i < nitems; i++)
        if (items[i].kind == K_CONST)
            fprintf(f, "| `%s` | 0x%lX | %s |\n", items[i].name, items[i].a, items[i].desc);
    fprintf(f, "\n## Address space\n\n| address | name | access | reset | description |\n"
               "|---|---|---|---|---|\n");
    for (int i = 0; i < nitems; i++) {
        const struct item *it = &items[i];
        if (it->kind == K_REG)
            fprintf(f, "| 0x%04lX | `%s` | %s | 0x%08lX | %s |\n", it->a, it->name, it->access,
                    reg_reset(i), it->desc);
        else if (it->kind == K_BLOCK)
            fprintf(f, "| 0x%04lX–0x%04lX | `%s` | %s | | %s |\n", it->a, it->a + it->b - 1,
                    it->name, it->access, it->desc);
        else if (it->kind == K_ROOM)
            fprintf(f, "| 0x%04lX–0x%04lX | (reserved) | | | %s |\n", it->a, it->a + it->b - 1,
                    it->desc);
    }
    fprintf(f, "\n## Fields\n");
    for (int r = 0; r < nitems; r++) {
        if (items[r].kind != K_REG)
            continue;
        fprintf(f, "\n### %s (0x%04lX, %s)\n\n%s.\n\n| bits | field | reset | description |\n"
                   "|---|---|---|---|\n",
                items[r].name, items[r].a, items[r].access, items[r].desc);
        for (int i = 0; i < nitems; i++) {
            if (items[i].kind != K_FIELD || items[i].parent != r)
                continue;
            if (items[i].strobe)
                fprintf(f, "| %lu | `%s` | strobe | %s (acts when written 1; reads 0)", items[i].a,
                        items[i].name, items[i].desc);
            else if (items[i].a == items[i].b)
                fprintf(f, "| %lu | `%s` | %lu | %s", items[i].a, items[i].name, items[i].c, items[i].desc);
            else
                fprintf(f, "| %lu:%lu | `%s` | %lu | %s", items[i].a, items[i].b, items[i].name,
                        items[i].c, items[i].desc);
            for (int j = 0; j < nitems; j++)
                if (items[j].kind == K_VALUE && items[j].parent == i)
                    fprintf(f, "<br>%lu = `%s`: %s", items[j].a, items[j].name, items[j].desc);
            fprintf(f, " |\n");
        }
    }
    close_out(f, path);
}

int main(int argc, char **argv)
{
    const char *vh = 0, *vd = 0, *h = 0, *c = 0, *md = 0, *hname = "regmap.h";
    int i;
    for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "-v")) vh = argv[i + 1];
        else if (!strcmp(argv[i], "-d")) vd = argv[i + 1];
        else if (!strcmp(argv[i], "-H")) h = argv[i + 1];
        else if (!strcmp(argv[i], "-c")) c = argv[i + 1];
        else if (!strcmp(argv[i], "-m")) md = argv[i + 1];
        else if (!strcmp(argv[i], "-n")) hname = argv[i + 1];
        else break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: regmapgen [-v OUT.vh] [-d DEFINES.vh] [-H OUT.h] [-c OUT.c] [-n HEADER_NAME] [-m OUT.md] REGMAP.def\n");
        return 2;
    }
    src_name = argv[i];
    FILE *f = fopen(src_name, "r");
    if (!f) {
        fprintf(stderr, "regmapgen: %s: %s\n", src_name, strerror(errno));
        return 1;
    }
    parse(f);
    fclose(f);
    check();
    if (vh) emit_verilog(vh);
    if (vd) emit_verilog_defines(vd);
    if (h) emit_c_header(h);
    if (c) emit_c_table(c, hname);
    if (md) emit_markdown(md);
    return 0;
}
