/*
 * yaml_lite.h — a small strict parser for the YAML subset that test-vector
 * files use (the c-kzg-4844 data.yaml files and similar):
 *
 *   - block mappings "key: value" (plain keys), with the value inline, on
 *     more-indented lines, or a block sequence at the key's own indentation;
 *   - block sequences "- item", including compact nested ones ("- - a") and
 *     compact mappings ("- key: v");
 *   - flow sequences "[a, b]" and flow mappings "{k: v}" (may span lines);
 *   - scalars: plain, 'single-quoted' ('' escapes a quote), "double-quoted"
 *     (escapes \\ \" \/ \n \t \r \0); a line break inside a quoted scalar
 *     folds to one space, as YAML says;
 *   - plain null, ~, true, false (any of YAML's case forms); comments; an
 *     optional leading "---" and trailing "...".
 * Anything else (anchors, aliases, tags, block scalars | >, tabs in
 * indentation, duplicate keys, multiple documents) is rejected with a
 * message naming the line, never guessed at. Nesting depth is limited.
 *
 * The tree owns copies of every string (NUL-terminated); free it with
 * zg__yaml_free.
 */
#ifndef ZG_CLI_YAML_LITE_H
#define ZG_CLI_YAML_LITE_H

#include <stdbool.h>
#include <stddef.h>

#include "zg/err.h"

typedef enum { ZG_YAML_NULL, ZG_YAML_BOOL, ZG_YAML_STR, ZG_YAML_SEQ, ZG_YAML_MAP } zg_yaml_type_t;

typedef struct zg_yaml_node {
  zg_yaml_type_t type;
  bool b;       /* ZG_YAML_BOOL */
  bool quoted;  /* ZG_YAML_STR written in quotes */
  char *str;    /* ZG_YAML_STR: the text, NUL-terminated */
  size_t len;   /* its length */
  size_t n;     /* ZG_YAML_SEQ / ZG_YAML_MAP: number of entries */
  struct zg_yaml_node **items; /* entries (mapping values, in file order) */
  char **keys;  /* ZG_YAML_MAP: keys, parallel to items */
  unsigned line; /* 1-based line where the node starts */
} zg_yaml_node_t;

/* Maximum nesting of sequences and mappings. */
#define ZG_YAML_MAX_DEPTH 64

/* Parses len bytes of text into *out (owned by the caller). On failure
 * returns ZG_EINVAL (bad syntax or unsupported feature) or ZG_ENOMEM, sets
 * *out to NULL and writes "line N: reason" into msg (msglen bytes, may be
 * NULL/0). An empty document parses to a ZG_YAML_NULL node. */
ZG_WARN_UNUSED zg_err_t zg__yaml_parse(zg_yaml_node_t **out, const char *text, size_t len, char *msg, size_t msglen);
/* Frees a tree from zg__yaml_parse; NULL is a no-op. */
void zg__yaml_free(zg_yaml_node_t *node);
/* The value of key in a mapping, or NULL (also when node is not a map). */
const zg_yaml_node_t *zg__yaml_get(const zg_yaml_node_t *map, const char *key);

#endif
