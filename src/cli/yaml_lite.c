/*
 * yaml_lite.c — the strict YAML-subset parser of yaml_lite.h.
 *
 * A recursive-descent parser over the raw text with a cursor that knows its
 * line and column. Block structure follows YAML's indentation rules for the
 * supported forms: a block collection is a run of entries that start at one
 * column; a less-indented line ends it, a more-indented line that is not a
 * nested value is an error. Every block-level parse function returns with
 * the cursor on the first character of the next content line (blank and
 * comment-only lines skipped) or at the end of the text, which keeps the
 * entry loops simple. The first error wins; every function returns NULL
 * after it and the partial tree is freed by the caller.
 */
#include "cli/yaml_lite.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *p, *end, *line_start;
  unsigned line, depth;
  char *msg;
  size_t msglen;
  zg_err_t err;
} parser_t;

typedef struct {
  char *s;
  size_t len, cap;
} sbuf_t;

static void *perr(parser_t *P, zg_err_t code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *perr(parser_t *P, zg_err_t code, const char *fmt, ...) {
  if (P->err != ZG_OK) return NULL;
  P->err = code;
  if (P->msg && P->msglen) {
    int k = snprintf(P->msg, P->msglen, "line %u: ", P->line);
    if (k >= 0 && (size_t)k < P->msglen) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(P->msg + k, P->msglen - (size_t)k, fmt, ap);
      va_end(ap);
    }
  }
  return NULL;
}

static bool sb_push(parser_t *P, sbuf_t *b, char c) {
  if (b->len + 1 >= b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    char *s = realloc(b->s, cap);
    if (!s) return perr(P, ZG_ENOMEM, "out of memory") != NULL;
    b->s = s;
    b->cap = cap;
  }
  b->s[b->len++] = c;
  b->s[b->len] = 0;
  return true;
}

static bool sb_append(parser_t *P, sbuf_t *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *t = realloc(b->s, cap);
    if (!t) return perr(P, ZG_ENOMEM, "out of memory") != NULL;
    b->s = t;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
  return true;
}

/* ---------------------------------------------------------------- nodes */

void zg__yaml_free(zg_yaml_node_t *node) {
  if (!node) return;
  for (size_t i = 0; i < node->n; i++) {
    zg__yaml_free(node->items[i]);
    if (node->keys) free(node->keys[i]);
  }
  free(node->items);
  free(node->keys);
  free(node->str);
  free(node);
}

const zg_yaml_node_t *zg__yaml_get(const zg_yaml_node_t *map, const char *key) {
  if (!map || map->type != ZG_YAML_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i], key) == 0) return map->items[i];
  return NULL;
}

static zg_yaml_node_t *new_node(parser_t *P, zg_yaml_type_t type) {
  zg_yaml_node_t *n = calloc(1, sizeof *n);
  if (!n) return perr(P, ZG_ENOMEM, "out of memory");
  n->type = type;
  n->line = P->line;
  return n;
}

/* Appends child (and key for maps; both owned by the node afterwards, also
 * on failure). */
static bool add_child(parser_t *P, zg_yaml_node_t *parent, char *key, zg_yaml_node_t *child) {
  if ((parent->n & (parent->n - 1)) == 0) { /* grow at powers of two */
    size_t cap = parent->n ? parent->n * 2 : 4;
    zg_yaml_node_t **items = realloc(parent->items, cap * sizeof *items);
    if (items) parent->items = items;
    char **keys = NULL;
    if (items && parent->type == ZG_YAML_MAP) {
      keys = realloc(parent->keys, cap * sizeof *keys);
      if (keys) parent->keys = keys;
    }
    if (!items || (parent->type == ZG_YAML_MAP && !keys)) {
      free(key);
      zg__yaml_free(child);
      return perr(P, ZG_ENOMEM, "out of memory") != NULL;
    }
  }
  if (parent->type == ZG_YAML_MAP) {
    for (size_t i = 0; i < parent->n; i++) {
      if (strcmp(parent->keys[i], key) == 0) {
        perr(P, ZG_EINVAL, "duplicate key '%s'", key);
        free(key);
        zg__yaml_free(child);
        return false;
      }
    }
    parent->keys[parent->n] = key;
  }
  parent->items[parent->n++] = child;
  return true;
}

/* A plain scalar's node: null, booleans, or a string. Takes text. */
static zg_yaml_node_t *plain_node(parser_t *P, char *text, size_t len) {
  static const char *const nulls[] = {"null", "Null", "NULL", "~"};
  static const char *const trues[] = {"true", "True", "TRUE"};
  static const char *const falses[] = {"false", "False", "FALSE"};
  zg_yaml_node_t *n = new_node(P, ZG_YAML_STR);
  if (!n) {
    free(text);
    return NULL;
  }
  for (size_t i = 0; i < 4; i++)
    if (strcmp(text, nulls[i]) == 0) n->type = ZG_YAML_NULL;
  for (size_t i = 0; i < 3; i++) {
    if (strcmp(text, trues[i]) == 0) n->type = ZG_YAML_BOOL, n->b = true;
    if (strcmp(text, falses[i]) == 0) n->type = ZG_YAML_BOOL, n->b = false;
  }
  if (n->type == ZG_YAML_STR) {
    n->str = text;
    n->len = len;
  } else {
    free(text);
  }
  return n;
}

/* ---------------------------------------------------------------- lexing */

static size_t col(const parser_t *P) { return (size_t)(P->p - P->line_start); }
static bool at_end(const parser_t *P) { return P->p >= P->end; }
static bool at_eol(const parser_t *P) { return at_end(P) || *P->p == '\n' || *P->p == '\r'; }
static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static void skip_blanks(parser_t *P) {
  while (!at_end(P) && is_blank(*P->p)) P->p++;
}

/* Consumes one line break (\n or \r\n); false on a bare \r. */
static bool eat_newline(parser_t *P) {
  if (at_end(P)) return true;
  if (*P->p == '\r') {
    if (P->p + 1 >= P->end || P->p[1] != '\n') return perr(P, ZG_EINVAL, "bare carriage return") != NULL;
    P->p++;
  }
  P->p++;
  P->line++;
  P->line_start = P->p;
  return true;
}

/* After a value: only blanks and a comment may remain on the line; consumes
 * the line break. */
static bool end_line(parser_t *P) {
  skip_blanks(P);
  if (!at_end(P) && *P->p == '#') {
    if (P->p > P->line_start && !is_blank(P->p[-1]))
      return perr(P, ZG_EINVAL, "comment needs a space before '#'") != NULL;
    while (!at_eol(P)) P->p++;
  }
  if (!at_eol(P)) return perr(P, ZG_EINVAL, "unexpected '%c' after the value", *P->p) != NULL;
  return eat_newline(P);
}

/* From the start of a line: skips blank and comment-only lines and stops on
 * the first character of the next content line. False at the end of the
 * text or on an error (check P->err). */
static bool next_content(parser_t *P) {
  while (!at_end(P)) {
    while (!at_end(P) && *P->p == ' ') P->p++;
    if (!at_end(P) && *P->p == '\t') {
      /* A tab may only appear on a line that is otherwise blank or a comment. */
      skip_blanks(P);
      if (!at_eol(P) && *P->p != '#') return perr(P, ZG_EINVAL, "tab in indentation") != NULL;
    }
    if (!at_end(P) && *P->p == '#')
      while (!at_eol(P)) P->p++;
    if (!at_eol(P)) return true;
    if (!eat_newline(P)) return false;
  }
  return false;
}

static bool is_seq_indicator(const parser_t *P) {
  return !at_end(P) && *P->p == '-' && (P->p + 1 >= P->end || P->p[1] == ' ' || P->p[1] == '\n' || P->p[1] == '\r');
}

/* "---" or "..." at column 0, alone on its line. */
static bool is_doc_marker(const parser_t *P) {
  if (col(P) != 0 || P->end - P->p < 3) return false;
  if (memcmp(P->p, "---", 3) != 0 && memcmp(P->p, "...", 3) != 0) return false;
  const char *q = P->p + 3;
  return q >= P->end || *q == '\n' || *q == '\r' || *q == ' ';
}

static bool is_key_char(char c) {
  return !(c == ':' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '[' ||
           c == ']' || c == '{' || c == '}' || c == '\'' || c == '"');
}

/* Length of a plain key at the cursor followed by ':' and a blank or line
 * end; 0 when the line does not start with such a key. */
static size_t key_len(const parser_t *P) {
  const char *q = P->p;
  while (q < P->end && is_key_char(*q)) q++;
  if (q == P->p || q >= P->end || *q != ':') return 0;
  if (q + 1 < P->end && !(q[1] == ' ' || q[1] == '\t' || q[1] == '\n' || q[1] == '\r')) return 0;
  return (size_t)(q - P->p);
}

static bool enter(parser_t *P) {
  if (++P->depth > ZG_YAML_MAX_DEPTH) return perr(P, ZG_EINVAL, "nesting deeper than %d", ZG_YAML_MAX_DEPTH) != NULL;
  return true;
}

/* ---------------------------------------------------------------- scalars */

/* A line break inside a quoted scalar: one break folds to a space, each
 * further empty line gives a '\n'; leading blanks of the next line go. */
static bool fold_break(parser_t *P, sbuf_t *b) {
  while (b->len && is_blank(b->s[b->len - 1])) b->s[--b->len] = 0;
  if (!eat_newline(P)) return false;
  unsigned empty = 0;
  for (;;) {
    skip_blanks(P);
    if (at_end(P)) return perr(P, ZG_EINVAL, "unterminated quoted scalar") != NULL;
    if (*P->p != '\n' && *P->p != '\r') break;
    if (!eat_newline(P)) return false;
    empty++;
  }
  if (empty == 0) return sb_push(P, b, ' ');
  for (unsigned i = 0; i < empty; i++)
    if (!sb_push(P, b, '\n')) return false;
  return true;
}

static zg_yaml_node_t *single_quoted(parser_t *P) {
  unsigned line = P->line;
  sbuf_t b = {0};
  if (!sb_append(P, &b, "", 0)) return NULL;
  P->p++; /* opening quote */
  for (;;) {
    if (at_end(P)) {
      free(b.s);
      return perr(P, ZG_EINVAL, "unterminated quoted scalar");
    }
    char c = *P->p;
    bool ok;
    if (c == '\'') {
      if (P->p + 1 < P->end && P->p[1] == '\'') {
        ok = sb_push(P, &b, '\'');
        P->p += 2;
      } else {
        P->p++;
        break;
      }
    } else if (c == '\n' || c == '\r') {
      ok = fold_break(P, &b);
    } else {
      /* Copy a run of ordinary characters at once (hex strings are long). */
      const char *q = P->p;
      while (q < P->end && *q != '\'' && *q != '\n' && *q != '\r') q++;
      ok = sb_append(P, &b, P->p, (size_t)(q - P->p));
      P->p = q;
    }
    if (!ok) {
      free(b.s);
      return NULL;
    }
  }
  zg_yaml_node_t *n = new_node(P, ZG_YAML_STR);
  if (!n) {
    free(b.s);
    return NULL;
  }
  n->line = line;
  n->quoted = true;
  n->str = b.s;
  n->len = b.len;
  return n;
}

static zg_yaml_node_t *double_quoted(parser_t *P) {
  unsigned line = P->line;
  sbuf_t b = {0};
  if (!sb_append(P, &b, "", 0)) return NULL;
  P->p++;
  for (;;) {
    if (at_end(P)) {
      free(b.s);
      return perr(P, ZG_EINVAL, "unterminated quoted scalar");
    }
    char c = *P->p;
    bool ok = true;
    if (c == '"') {
      P->p++;
      break;
    } else if (c == '\\') {
      if (P->p + 1 >= P->end) {
        free(b.s);
        return perr(P, ZG_EINVAL, "unterminated quoted scalar");
      }
      char e = P->p[1], out;
      P->p += 2;
      switch (e) {
        case '\\': out = '\\'; break;
        case '"': out = '"'; break;
        case '/': out = '/'; break;
        case 'n': out = '\n'; break;
        case 't': out = '\t'; break;
        case 'r': out = '\r'; break;
        case '0': out = 0; break;
        default:
          free(b.s);
          return perr(P, ZG_EINVAL, "unsupported escape '\\%c'", e);
      }
      ok = sb_push(P, &b, out);
    } else if (c == '\n' || c == '\r') {
      ok = fold_break(P, &b);
    } else {
      ok = sb_push(P, &b, c);
      P->p++;
    }
    if (!ok) {
      free(b.s);
      return NULL;
    }
  }
  zg_yaml_node_t *n = new_node(P, ZG_YAML_STR);
  if (!n) {
    free(b.s);
    return NULL;
  }
  n->line = line;
  n->quoted = true;
  n->str = b.s;
  n->len = b.len;
  return n;
}

/* A plain scalar up to the end of the line or a comment (block context), or
 * also up to , ] } (flow context). */
static zg_yaml_node_t *plain(parser_t *P, bool flow) {
  char c0 = *P->p;
  if (c0 == 0 || strchr("&*!|>%@`", c0)) return perr(P, ZG_EINVAL, "unsupported YAML feature '%c'", c0);
  const char *start = P->p, *q = P->p;
  while (q < P->end && *q != '\n' && *q != '\r') {
    if (*q == '#' && q > start && is_blank(q[-1])) break;
    if (flow && (*q == ',' || *q == ']' || *q == '}')) break;
    if (*q == ':' && (q + 1 >= P->end || q[1] == ' ' || q[1] == '\n' || q[1] == '\r' || (flow && q[1] == ',')))
      break;
    q++;
  }
  const char *e = q;
  while (e > start && is_blank(e[-1])) e--;
  if (e == start) return perr(P, ZG_EINVAL, "empty value");
  P->p = q;
  if (!flow && !at_end(P) && *P->p == ':') return perr(P, ZG_EINVAL, "unexpected ':' in a plain scalar");
  size_t len = (size_t)(e - start);
  char *text = malloc(len + 1);
  if (!text) return perr(P, ZG_ENOMEM, "out of memory");
  memcpy(text, start, len);
  text[len] = 0;
  return plain_node(P, text, len);
}

/* ---------------------------------------------------------------- flow */

static zg_yaml_node_t *flow_node(parser_t *P);

/* Skips blanks, line breaks and comments inside a flow collection. */
static bool flow_space(parser_t *P) {
  for (;;) {
    skip_blanks(P);
    if (at_end(P)) return perr(P, ZG_EINVAL, "unterminated flow collection") != NULL;
    if (*P->p == '#') {
      while (!at_eol(P)) P->p++;
      continue;
    }
    if (*P->p == '\n' || *P->p == '\r') {
      if (!eat_newline(P)) return false;
      continue;
    }
    return true;
  }
}

static zg_yaml_node_t *flow_seq(parser_t *P) {
  if (!enter(P)) return NULL;
  zg_yaml_node_t *seq = new_node(P, ZG_YAML_SEQ);
  if (!seq) return NULL;
  P->p++; /* [ */
  for (;;) {
    if (!flow_space(P)) goto fail;
    if (*P->p == ']') break;
    zg_yaml_node_t *item = flow_node(P);
    if (!item || !add_child(P, seq, NULL, item)) goto fail;
    if (!flow_space(P)) goto fail;
    if (*P->p == ',') {
      P->p++;
      continue;
    }
    if (*P->p != ']') {
      perr(P, ZG_EINVAL, "expected ',' or ']' in a flow sequence");
      goto fail;
    }
    break;
  }
  P->p++;
  P->depth--;
  return seq;
fail:
  zg__yaml_free(seq);
  return NULL;
}

static zg_yaml_node_t *flow_map(parser_t *P) {
  if (!enter(P)) return NULL;
  zg_yaml_node_t *map = new_node(P, ZG_YAML_MAP);
  if (!map) return NULL;
  P->p++; /* { */
  for (;;) {
    if (!flow_space(P)) goto fail;
    if (*P->p == '}') break;
    size_t kl = key_len(P);
    if (kl == 0 && P->p < P->end && *P->p != ':') {
      /* "{k:v}" is not a key in YAML either; only "k: v" or "k:" before , } */
      const char *q = P->p;
      while (q < P->end && is_key_char(*q)) q++;
      if (q > P->p && q < P->end && *q == ':' && q + 1 < P->end && (q[1] == ',' || q[1] == '}'))
        kl = (size_t)(q - P->p);
    }
    if (kl == 0) {
      perr(P, ZG_EINVAL, "expected a plain key in a flow mapping");
      goto fail;
    }
    char *key = malloc(kl + 1);
    if (!key) {
      perr(P, ZG_ENOMEM, "out of memory");
      goto fail;
    }
    memcpy(key, P->p, kl);
    key[kl] = 0;
    P->p += kl + 1;
    if (!flow_space(P)) {
      free(key);
      goto fail;
    }
    zg_yaml_node_t *val = (*P->p == ',' || *P->p == '}') ? new_node(P, ZG_YAML_NULL) : flow_node(P);
    if (!val) {
      free(key);
      goto fail;
    }
    if (!add_child(P, map, key, val)) goto fail;
    if (!flow_space(P)) goto fail;
    if (*P->p == ',') {
      P->p++;
      continue;
    }
    if (*P->p != '}') {
      perr(P, ZG_EINVAL, "expected ',' or '}' in a flow mapping");
      goto fail;
    }
    break;
  }
  P->p++;
  P->depth--;
  return map;
fail:
  zg__yaml_free(map);
  return NULL;
}

static zg_yaml_node_t *flow_node(parser_t *P) {
  switch (*P->p) {
    case '[': return flow_seq(P);
    case '{': return flow_map(P);
    case '\'': return single_quoted(P);
    case '"': return double_quoted(P);
    case ',': case ']': case '}': return perr(P, ZG_EINVAL, "empty entry in a flow collection");
    default: return plain(P, true);
  }
}

/* ---------------------------------------------------------------- block */

static zg_yaml_node_t *block_node(parser_t *P, size_t min_col);
static zg_yaml_node_t *block_seq(parser_t *P, size_t c);
static zg_yaml_node_t *block_map(parser_t *P, size_t c);

/* A value that starts on the current line (not a block collection), then
 * the rest of the line, then on to the next content line. */
static zg_yaml_node_t *inline_value(parser_t *P) {
  zg_yaml_node_t *n;
  switch (*P->p) {
    case '[': n = flow_seq(P); break;
    case '{': n = flow_map(P); break;
    case '\'': n = single_quoted(P); break;
    case '"': n = double_quoted(P); break;
    default: n = plain(P, false); break;
  }
  if (!n) return NULL;
  if (!end_line(P)) {
    zg__yaml_free(n);
    return NULL;
  }
  next_content(P);
  if (P->err) {
    zg__yaml_free(n);
    return NULL;
  }
  return n;
}

/* The value after "- " or "key:" when the line holds nothing more: a
 * more-indented block node on the next lines, a sequence at column c when
 * allowed (a mapping's value), or null. */
static zg_yaml_node_t *nested_value(parser_t *P, size_t c, bool seq_at_same_col) {
  if (!end_line(P)) return NULL;
  bool more = next_content(P);
  if (P->err) return NULL;
  if (more && !is_doc_marker(P)) {
    if (col(P) > c) return block_node(P, c + 1);
    if (col(P) == c && seq_at_same_col && is_seq_indicator(P)) return block_seq(P, c);
  }
  return new_node(P, ZG_YAML_NULL);
}

/* Whether a block collection at column c goes on with another entry. */
static bool continues(parser_t *P, size_t c) {
  if (P->err || at_end(P) || is_doc_marker(P)) return false;
  if (col(P) < c) return false;
  if (col(P) > c) return perr(P, ZG_EINVAL, "bad indentation") != NULL;
  return true;
}

static zg_yaml_node_t *block_seq(parser_t *P, size_t c) {
  if (!enter(P)) return NULL;
  zg_yaml_node_t *seq = new_node(P, ZG_YAML_SEQ);
  if (!seq) return NULL;
  for (;;) {
    P->p++; /* '-' */
    skip_blanks(P);
    zg_yaml_node_t *item;
    if (at_eol(P) || *P->p == '#')
      item = nested_value(P, c, false);
    else if (is_seq_indicator(P))
      item = block_seq(P, col(P));
    else if (key_len(P))
      item = block_map(P, col(P));
    else
      item = inline_value(P);
    if (!item || !add_child(P, seq, NULL, item)) goto fail;
    if (!continues(P, c)) break;
    if (!is_seq_indicator(P)) break; /* e.g. the next key of a mapping at column c */
  }
  if (P->err) goto fail;
  P->depth--;
  return seq;
fail:
  zg__yaml_free(seq);
  return NULL;
}

static zg_yaml_node_t *block_map(parser_t *P, size_t c) {
  if (!enter(P)) return NULL;
  zg_yaml_node_t *map = new_node(P, ZG_YAML_MAP);
  if (!map) return NULL;
  for (;;) {
    size_t kl = key_len(P);
    if (kl == 0) {
      perr(P, ZG_EINVAL, is_seq_indicator(P) ? "sequence entry inside a mapping" : "expected 'key: value'");
      goto fail;
    }
    char *key = malloc(kl + 1);
    if (!key) {
      perr(P, ZG_ENOMEM, "out of memory");
      goto fail;
    }
    memcpy(key, P->p, kl);
    key[kl] = 0;
    P->p += kl + 1;
    skip_blanks(P);
    zg_yaml_node_t *val = (at_eol(P) || *P->p == '#') ? nested_value(P, c, true) : inline_value(P);
    if (!val) {
      free(key);
      goto fail;
    }
    if (!add_child(P, map, key, val)) goto fail;
    if (!continues(P, c)) break;
  }
  if (P->err) goto fail;
  P->depth--;
  return map;
fail:
  zg__yaml_free(map);
  return NULL;
}

static zg_yaml_node_t *block_node(parser_t *P, size_t min_col) {
  (void)min_col; /* the caller checked the column */
  if (is_seq_indicator(P)) return block_seq(P, col(P));
  if (key_len(P)) return block_map(P, col(P));
  return inline_value(P);
}

/* ---------------------------------------------------------------- entry */

zg_err_t zg__yaml_parse(zg_yaml_node_t **out, const char *text, size_t len, char *msg, size_t msglen) {
  if (msg && msglen) msg[0] = 0;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!text && len) return ZG_EINVAL;
  parser_t P = {.p = text, .end = text + len, .line_start = text, .line = 1, .msg = msg, .msglen = msglen};
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) P.p += 3, P.line_start += 3; /* UTF-8 BOM */
  if (memchr(text, 0, len)) {
    perr(&P, ZG_EINVAL, "NUL byte in the text");
    return P.err;
  }
  zg_yaml_node_t *root = NULL;
  bool more = next_content(&P);
  if (more && is_doc_marker(&P) && P.p[0] == '-') { /* "---" */
    P.p += 3;
    if (end_line(&P)) more = next_content(&P);
  }
  if (P.err) return P.err;
  if (!more || is_doc_marker(&P))
    root = new_node(&P, ZG_YAML_NULL);
  else
    root = block_node(&P, 0);
  if (root && !P.err && !at_end(&P)) {
    if (is_doc_marker(&P) && P.p[0] == '.') { /* "..." ends the document */
      P.p += 3;
      if (end_line(&P) && next_content(&P)) perr(&P, ZG_EINVAL, "content after the end of the document");
    } else {
      perr(&P, ZG_EINVAL, is_doc_marker(&P) ? "more than one document" : "unexpected content");
    }
  }
  if (P.err) {
    zg__yaml_free(root);
    return P.err;
  }
  *out = root;
  return ZG_OK;
}
