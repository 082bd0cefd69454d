/* err.c — messages and names of zg status codes (zg/err.h). */
#include "zg/err.h"

const char *zg_strerror(zg_err_t err) {
  switch (err) {
#define ZG__ERR_MSG(name, value, msg) \
  case name:                          \
    return msg;
    ZG_ERR_LIST(ZG__ERR_MSG)
#undef ZG__ERR_MSG
  }
  return "unknown error";
}

const char *zg_errname(zg_err_t err) {
  switch (err) {
#define ZG__ERR_NAME(name, value, msg) \
  case name:                           \
    return #name;
    ZG_ERR_LIST(ZG__ERR_NAME)
#undef ZG__ERR_NAME
  }
  return "ZG_E?";
}
