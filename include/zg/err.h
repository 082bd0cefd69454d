/*
 * zg/err.h — status codes shared by every layer.
 *
 * Every fallible function returns zg_err_t; ZG_OK is zero. Codes are grouped by
 * layer (base 1..99, crypto 100..199, store 200..299, net 300..399, chain
 * 400..499, protocols and services 500..). A verdict (a signature that does not
 * verify, a proof that is wrong) is not an error: such functions report it in
 * a bool output and fail only on malformed input (STYLE.md point 6).
 * Codes of the libraries we wrap (LMDB, libuv, libcurl) are translated at
 * their boundary, never passed through.
 */
#ifndef ZG_ERR_H
#define ZG_ERR_H

#if defined(__GNUC__) || defined(__clang__)
#define ZG_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define ZG_WARN_UNUSED
#endif

/* X(name, value, message). Append within a layer's range; never renumber. */
#define ZG_ERR_LIST(X)                                                          \
  X(ZG_OK, 0, "ok")                                                             \
  /* base */                                                                    \
  X(ZG_EINVAL, 1, "invalid argument")                                           \
  X(ZG_ENOMEM, 2, "out of memory")                                              \
  X(ZG_EIO, 3, "input/output error")                                            \
  X(ZG_ETRUNC, 4, "input truncated")                                            \
  X(ZG_ETRAILING, 5, "trailing bytes after the value")                          \
  X(ZG_ENONCANON, 6, "non-canonical encoding")                                  \
  X(ZG_EOVERFLOW, 7, "value or length overflows its type or limit")            \
  X(ZG_EHEX, 8, "malformed hex string")                                         \
  X(ZG_EBASE64, 9, "malformed base64 string")                                   \
  X(ZG_ECONFIG, 10, "invalid configuration")                                    \
  X(ZG_EJSON, 11, "malformed JSON")                                             \
  X(ZG_ENOTFOUND, 12, "not found")                                              \
  X(ZG_EEXIST, 13, "already exists")                                            \
  X(ZG_ETYPE, 14, "value has the wrong type")                                   \
  X(ZG_ERANGE, 15, "value out of range")                                        \
  X(ZG_EOFFSET, 16, "offset out of range")                                      \
  X(ZG_EPADDING, 17, "non-zero padding")                                        \
  X(ZG_EUNSUPPORTED, 18, "unsupported")                                         \
  X(ZG_ERANDOM, 19, "random source failed")                                     \
  X(ZG_EBUSY, 20, "resource busy")                                              \
  X(ZG_ETIMEOUT, 21, "timed out")                                               \
  X(ZG_EFULL, 22, "no space left")                                              \
  X(ZG_ECORRUPT, 23, "stored data is corrupt")                                  \
  X(ZG_ESTATE, 24, "operation not valid in the current state")                 \
  /* crypto */                                                                  \
  X(ZG_ECRYPTO, 100, "cryptographic operation failed")                          \
  X(ZG_EBADLEN, 101, "wrong input length")                                      \
  X(ZG_EFIELD, 102, "field element is not canonical (>= modulus)")             \
  X(ZG_ESCALAR, 103, "scalar is not canonical (>= group order)")               \
  X(ZG_EFLAGS, 104, "invalid point encoding flags")                             \
  X(ZG_ENOTONCURVE, 105, "point is not on the curve")                           \
  X(ZG_ESUBGROUP, 106, "point is not in the prime-order subgroup")             \
  X(ZG_EINFINITY, 107, "point at infinity not allowed here")                   \
  X(ZG_EBADKEY, 108, "invalid key")                                             \
  X(ZG_EBADSIG, 109, "malformed signature")                                     \
  X(ZG_EBADPROOF, 110, "malformed proof")                                       \
  X(ZG_EDUPLICATE, 111, "duplicate index")                                      \
  X(ZG_ETOOFEW, 112, "too few inputs to recover")                               \
  X(ZG_ESETUP, 113, "invalid trusted setup")                                    \
  X(ZG_EEMPTY, 114, "empty input where at least one item is required")     \
  X(ZG_EAUTH, 115, "authentication failed (forged or corrupted message)")    \
  X(ZG_ECHECKSUM, 116, "checksum mismatch")                                    \
  /* net (layer 3) */                                                           \
  X(ZG_ECLOSED, 200, "connection closed")                                       \
  X(ZG_EPROTO, 201, "protocol violation by the peer")                           \
  X(ZG_ETOOBIG, 202, "message larger than the limit")                           \
  X(ZG_EPEER, 203, "unknown or unauthorised peer")                              \
  X(ZG_EAGAIN, 204, "resource busy, try again later")                           \
  X(ZG_ECONNECT, 205, "connection failed")                                      \
  /* chain (layer 4) */                                                         \
  X(ZG_EPERM, 300, "operation not permitted")                                   \
  X(ZG_ENONCE, 301, "wrong transaction nonce")                                  \
  X(ZG_EFUNDS, 302, "insufficient funds")                                       \
  X(ZG_EGAS, 303, "gas limit too low")                                          \
  X(ZG_EFEE, 304, "fee too low")                                                \
  X(ZG_ECHAINID, 305, "wrong chain id")                                         \
  X(ZG_ELANE, 306, "transaction on the wrong lane")                             \
  X(ZG_EPOOLFULL, 307, "transaction pool full")                                 \
  X(ZG_EREVERT, 308, "execution reverted")                                      \
  X(ZG_EEPOCH, 309, "unknown or wrong epoch")                                   \
  X(ZG_EVOTE, 310, "invalid vote or certificate")                               \
  X(ZG_EEQUIVOCATION, 311, "conflicting signed messages")

typedef enum {
#define ZG__ERR_ENUM(name, value, msg) name = value,
  ZG_ERR_LIST(ZG__ERR_ENUM)
#undef ZG__ERR_ENUM
} zg_err_t;

/* Returns a static, human-readable message for a code; never NULL. */
const char *zg_strerror(zg_err_t err);

/* Returns the code's symbolic name ("ZG_EINVAL"); never NULL. */
const char *zg_errname(zg_err_t err);

/* Propagates a failure: evaluates expr once and returns its code if non-zero. */
#define ZG_TRY(expr)                                                            \
  do {                                                                          \
    zg_err_t zg__e = (expr);                                                    \
    if (zg__e != ZG_OK) return zg__e;                                           \
  } while (0)

#endif
