/* fuzz_net_handshake.c — the handshake decoders of the P2P protocol
 * (net_internal.h): the hello, the key schedule on a peer-chosen ephemeral
 * key, and the AUTH message (static key and signature). The input is a
 * hello (44 bytes) followed by an AUTH plaintext; shorter inputs exercise the
 * length checks. A forged AUTH must never verify. */
#include <stdlib.h>
#include <string.h>

#include "net/net_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg__net_hello_t h;
  zg__net_session_t s;
  zg_x25519_sk_t esk;
  zg_x25519_pk_t epk;
  zg_ed25519_pk_t pk;
  bool ok = true;
  size_t hl = size < ZG__NET_HELLO_LEN ? size : ZG__NET_HELLO_LEN;
  if (zg__net_hello_decode(&h, data, hl) != ZG_OK) {
    if (hl == ZG__NET_HELLO_LEN && memcmp(data, ZG__NET_MAGIC, 4) == 0) abort();
    return 0;
  }
  memset(esk.bytes, 0x33, 32);
  if (zg_x25519_public(&epk, &esk) != ZG_OK) abort();
  bool dialer = data[4] & 1;
  if (zg__net_session_derive(&s, dialer, &esk, &epk, &h.eph, h.nettag, 8) != ZG_OK) return 0;
  zg_err_t err = zg__net_auth_decode(&pk, &ok, &s, data + hl, size - hl);
  /* a valid signature over this transcript needs an Ed25519 signer: byte
   * mutation cannot produce one, so a verdict of true means a broken check */
  if (err == ZG_OK && ok) abort();
  if (err != ZG_OK && ok) abort();
  zg__net_session_clear(&s);
  return 0;
}
