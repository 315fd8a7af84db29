/* A strict JSON reader for the tests (RFC 8259: objects, arrays, strings with their escapes,
 * numbers, true, false, null; nothing else, nothing after the value), so that balctl's --json
 * output is parsed back, not searched. json_at finds a value by its path: object keys and
 * array indices ("[2]") as separate arguments, NULL last; a key is one argument even when it
 * holds dots ("gain.trim_db.l+" in dump's flat form). */
#ifndef BAL_TEST_JSON_H
#define BAL_TEST_JSON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DEPTH_MAX 32

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static const char *json_value(const char *p, int depth);

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    for (;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return NULL; /* the end of the text, or a raw control character */
        if (c != '\\')
            continue;
        c = (unsigned char)*++p;
        if (c == 'u') {
            for (int i = 1; i <= 4; i++)
                if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
                    return NULL;
            p += 4;
        } else if (!c || !strchr("\"\\/bfnrt", c)) {
            return NULL;
        }
    }
}

static const char *json_digits(const char *p)
{
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

static const char *json_number(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (!(p = json_digits(p)))
        return NULL;
    if (*p == '.' && !(p = json_digits(p + 1)))
        return NULL;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(p = json_digits(p)))
            return NULL;
    }
    return p;
}

/* A list of items between open and close, comma-separated: members (key: value) or values */
static const char *json_items(const char *p, char close, bool members, int depth)
{
    p = json_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (members) {
            if (!(p = json_string(p)))
                return NULL;
            p = json_ws(p);
            if (*p++ != ':')
                return NULL;
        }
        if (!(p = json_value(json_ws(p), depth + 1)))
            return NULL;
        p = json_ws(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
        p = json_ws(p);
    }
}

/* The end of the value at p, or NULL when it is not one */
static const char *json_value(const char *p, int depth)
{
    if (depth > JSON_DEPTH_MAX)
        return NULL;
    switch (*p) {
    case '{': return json_items(p, '}', true, depth);
    case '[': return json_items(p, ']', false, depth);
    case '"': return json_string(p);
    case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
    case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
    case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
    default: return json_number(p);
    }
}

/* Whether text is one JSON value and nothing more (white space around it) */
static bool json_valid(const char *text)
{
    const char *end = json_value(json_ws(text), 0);
    return end && !*json_ws(end);
}

/* The value at the path (see above), or NULL (also where the text is not JSON) */
static const char *json_vat(const char *p, va_list ap)
{
    const char *step;
    p = json_ws(p);
    while ((step = va_arg(ap, const char *))) {
        if (step[0] == '[') {
            if (*p != '[')
                return NULL;
            long want = strtol(step + 1, NULL, 10);
            p = json_ws(p + 1);
            for (long i = 0; i < want; i++) {
                if (*p == ']' || !(p = json_value(p, 0)))
                    return NULL;
                p = json_ws(p);
                p = *p == ',' ? json_ws(p + 1) : p;
            }
            if (*p == ']')
                return NULL;
            continue;
        }
        if (*p != '{')
            return NULL;
        p = json_ws(p + 1);
        size_t n = strlen(step);
        for (;;) {
            bool match = *p == '"' && !strncmp(p + 1, step, n) && p[1 + n] == '"';
            if (!(p = json_string(p)) || *(p = json_ws(p)) != ':')
                return NULL;
            p = json_ws(p + 1); /* the member's value */
            if (match)
                break;
            if (!(p = json_value(p, 0)) || *(p = json_ws(p)) != ',')
                return NULL;
            p = json_ws(p + 1);
        }
    }
    return p;
}

static const char *json_at(const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    const char *p = json_vat(text, ap);
    va_end(ap);
    return p;
}

/* The number at the path; NAN when there is none or it is not a number */
static double json_num(const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    const char *p = json_vat(text, ap);
    va_end(ap);
    const char *end = p ? json_number(p) : NULL;
    return end ? strtod(p, NULL) : 0.0 / 0.0;
}

/* Whether the value at the path is exactly this literal text (a string with its quotes,
 * true, false, null, a number as printed) */
static bool json_is(const char *text, const char *literal, ...)
{
    va_list ap;
    va_start(ap, literal);
    const char *p = json_vat(text, ap);
    va_end(ap);
    const char *end = p ? json_value(p, 0) : NULL;
    return end && (size_t)(end - p) == strlen(literal) && !strncmp(p, literal, strlen(literal));
}

#endif
