/* fuzz_yaml_lite.c — the strict YAML-subset parser of the vector runner
 * (src/cli/yaml_lite.c, compiled in here).
 * Properties: no crash, leak or sanitizer report; a failure leaves *out NULL
 * and a message; an accepted tree is well formed (strings NUL-terminated at
 * their length, map keys present and distinct, nesting within the limit). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/yaml_lite.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const zg_yaml_node_t *n, unsigned depth) {
  if (depth > ZG_YAML_MAX_DEPTH + 1) abort();
  switch (n->type) {
    case ZG_YAML_NULL:
    case ZG_YAML_BOOL: break;
    case ZG_YAML_STR:
      if (!n->str || n->str[n->len] != 0) abort();
      break;
    case ZG_YAML_SEQ:
    case ZG_YAML_MAP:
      for (size_t i = 0; i < n->n; i++) {
        if (!n->items[i]) abort();
        if (n->type == ZG_YAML_MAP) {
          if (!n->keys[i] || !n->keys[i][0]) abort();
          for (size_t j = 0; j < i; j++)
            if (strcmp(n->keys[i], n->keys[j]) == 0) abort();
          if (zg__yaml_get(n, n->keys[i]) != n->items[i]) abort();
        }
        check(n->items[i], depth + 1);
      }
      break;
    default: abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg_yaml_node_t *root = (zg_yaml_node_t *)1;
  char msg[128];
  zg_err_t e = zg__yaml_parse(&root, (const char *)data, size, msg, sizeof msg);
  if (e != ZG_OK) {
    if (root != NULL || (e != ZG_EINVAL && e != ZG_ENOMEM) || !msg[0]) abort();
    return 0;
  }
  if (!root) abort();
  check(root, 0);
  zg__yaml_free(root);
  return 0;
}
