/*
 * test_blockstore.c — the block payload codec and the validator role's block
 * store: commits in order per lane, replays, gaps, indexes, execution
 * results, reopening (what a restart sees), and a store of too many lanes.
 */
#include "node_util.h"
#include "zg/blockstore.h"
#include "zg/hash.h"
#include "zg_test.h"

static void make_payload(zg_block_payload_t *h, uint8_t *batch_ids, uint32_t lane, uint64_t height, uint32_t nb) {
  memset(h, 0, sizeof *h);
  (void)lane;
  h->exec_height = height - 1;
  h->n_imports = 2;
  h->imports[0] = height;
  h->imports[1] = height > 1 ? height - 1 : 0;
  zgt_rand_bytes(batch_ids, 32 * nb);
  h->n_batches = nb;
  h->batches = nb ? batch_ids : NULL;
  zgt_rand_bytes(h->exec_state, 32);
  zgt_rand_bytes(h->exec_receipts, 32);
}

static void test_payload_codec(void) {
  for (long it = 0; it < zgt_iters(200); it++) {
    uint8_t ids[32 * 8];
    zg_block_payload_t h, d;
    make_payload(&h, ids, zgt_rand_below(2), 1 + zgt_rand_below(1000), zgt_rand_below(9));
    zg_buf_t b, b2;
    zg_buf_init(&b);
    zg_buf_init(&b2);
    CHECK_OK(zg_block_payload_encode(&b, &h));
    CHECK_OK(zg_block_payload_decode(&d, b.ptr, b.len));
    CHECK_EQ(d.exec_height, h.exec_height);
    CHECK_EQ(d.n_batches, h.n_batches);
    CHECK_EQ(d.imports[1], h.imports[1]);
    CHECK_MEM(d.exec_state, h.exec_state, 32);
    if (h.n_batches) CHECK_MEM(d.batches, ids, 32 * h.n_batches);
    CHECK_OK(zg_block_payload_encode(&b2, &d));
    CHECK(b.len == b2.len && memcmp(b.ptr, b2.ptr, b.len) == 0);
    /* Every truncation fails, and so does a trailing byte. */
    for (size_t n = 0; n < b.len; n++) CHECK(zg_block_payload_decode(&d, b.ptr, n) != ZG_OK);
    CHECK_OK(zg_buf_push(&b, 0));
    CHECK_ERR(zg_block_payload_decode(&d, b.ptr, b.len), ZG_ETRAILING);
    zg_buf_clear(&b);
    zg_buf_clear(&b2);
  }
  /* Too many imports is refused on both sides. */
  zg_block_payload_t h;
  uint8_t ids[32];
  make_payload(&h, ids, 0, 1, 0);
  h.n_imports = ZG_MAX_LANES + 1;
  zg_buf_t b;
  zg_buf_init(&b);
  CHECK_ERR(zg_block_payload_encode(&b, &h), ZG_EINVAL);
  zg_buf_clear(&b);
}

/* Commits block `height` of lane with nb batches and nt transactions; the
 * tx hashes are derived from (lane, height, index). */
static zg_err_t commit_block(zg_blockstore_t *bs, uint8_t id_out[32], uint32_t lane, uint64_t height, uint32_t nb,
                             uint32_t nt) {
  uint8_t ids[32 * 4], txs[32 * 16];
  zg_block_payload_t h;
  make_payload(&h, ids, lane, height, nb);
  zg_buf_t enc;
  zg_buf_init(&enc);
  zg_err_t e = zg_block_payload_encode(&enc, &h);
  if (e) return e;
  zg_slice_t bodies[4];
  char text[4][16];
  for (uint32_t i = 0; i < nb; i++) {
    snprintf(text[i], sizeof text[i], "batch %u", i);
    bodies[i] = zg_slice(text[i], strlen(text[i]));
  }
  for (uint32_t i = 0; i < nt; i++) {
    uint8_t seed[13];
    seed[0] = (uint8_t)lane;
    zg_store_be64(seed + 1, height);
    zg_store_be32(seed + 9, i);
    zg_keccak256(txs + 32 * i, seed, sizeof seed);
  }
  zg_block_commit_t c = {lane, height, {0}, zg_buf_slice(&enc), zg_slice("qc", 2), bodies, ids, nb, txs, nt};
  zg_keccak256(c.id, enc.ptr, enc.len);
  if (id_out) memcpy(id_out, c.id, 32);
  e = zg_blockstore_commit(bs, &c);
  zg_buf_clear(&enc);
  return e;
}

/* zg_blockstore_view_exec views for the test below. */
static zg_err_t view_copy(void *arg, zg_slice_t blob) { return zg_buf_append(arg, blob.ptr, blob.len); }
static zg_err_t view_fail(void *arg, zg_slice_t blob) { return ZG_ECORRUPT; }

static void test_store(void) {
  char dir[256];
  CHECK(nu_tmpdir(dir, sizeof dir, "blockstore") == 0);
  zg_blockstore_t *bs;
  CHECK_OK(zg_blockstore_open(&bs, dir, 2, true));
  uint64_t c, x;
  CHECK_OK(zg_blockstore_heights(bs, 1, &c, &x));
  CHECK_EQ(c, 0);
  CHECK_EQ(x, 0);
  uint8_t id5[32];
  for (uint64_t h = 1; h <= 10; h++) {
    CHECK_OK(commit_block(bs, h == 5 ? id5 : NULL, 0, h, (uint32_t)(h % 3), (uint32_t)(h % 5)));
    if (h <= 6) CHECK_OK(commit_block(bs, NULL, 1, h, 1, 2));
  }
  CHECK_ERR(commit_block(bs, NULL, 0, 12, 0, 0), ZG_ESTATE); /* a gap */
  CHECK_ERR(commit_block(bs, NULL, 2, 1, 0, 0), ZG_EINVAL);  /* no such lane */
  CHECK(commit_block(bs, NULL, 0, 5, 0, 0) == ZG_ESTATE);    /* another block at a stored height */
  CHECK_OK(zg_blockstore_heights(bs, 0, &c, &x));
  CHECK_EQ(c, 10);
  CHECK_OK(zg_blockstore_heights(bs, 1, &c, &x));
  CHECK_EQ(c, 6);

  /* Lookups. */
  uint32_t lane, idx;
  uint64_t height;
  CHECK_OK(zg_blockstore_find_block(bs, &lane, &height, id5));
  CHECK_EQ(lane, 0);
  CHECK_EQ(height, 5);
  uint8_t id[32];
  zg_buf_t hdr, proof;
  zg_buf_init(&hdr);
  zg_buf_init(&proof);
  CHECK_OK(zg_blockstore_get_block(bs, id, &hdr, &proof, 0, 5));
  CHECK_MEM(id, id5, 32);
  CHECK(proof.len == 2 && memcmp(proof.ptr, "qc", 2) == 0);
  zg_block_payload_t h;
  CHECK_OK(zg_block_payload_decode(&h, hdr.ptr, hdr.len));
  CHECK_EQ(h.exec_height, 4);
  CHECK_EQ(h.n_batches, 2);
  zg_buf_t batch;
  zg_buf_init(&batch);
  CHECK_OK(zg_blockstore_get_batch(bs, &batch, h.batches + 32));
  CHECK(batch.len == 7 && memcmp(batch.ptr, "batch 1", 7) == 0);
  CHECK_ERR(zg_blockstore_get_block(bs, NULL, NULL, NULL, 0, 11), ZG_ENOTFOUND);
  uint8_t seed[13], th[32];
  seed[0] = 1;
  zg_store_be64(seed + 1, 4);
  zg_store_be32(seed + 9, 1);
  zg_keccak256(th, seed, sizeof seed);
  CHECK_OK(zg_blockstore_find_tx(bs, &lane, &height, &idx, th));
  CHECK_EQ(lane, 1);
  CHECK_EQ(height, 4);
  CHECK_EQ(idx, 1);
  th[0] ^= 1;
  CHECK_ERR(zg_blockstore_find_tx(bs, &lane, &height, &idx, th), ZG_ENOTFOUND);

  /* Execution results: in order, never past the committed height. */
  uint8_t inc[64];
  zgt_rand_bytes(inc, sizeof inc);
  zg_block_exec_t e = {.lane = 1, .height = 1, .state_digest = {1}, .receipts_root = {2}, .tx_root = {3},
                       .gas_used = 21000, .n_txs = 2, .receipts = zg_slice("receipts", 8)};
  CHECK_ERR(zg_blockstore_put_exec(bs, &(zg_block_exec_t){.lane = 1, .height = 2}), ZG_ESTATE);
  for (uint64_t k = 1; k <= 6; k++) {
    e.height = k;
    e.tx_hashes = k == 3 ? inc : NULL; /* block 3 of lane 1 included two txs */
    e.n_tx_hashes = k == 3 ? 2 : 0;
    CHECK_OK(zg_blockstore_put_exec(bs, &e));
  }
  e.height = 7;
  CHECK_ERR(zg_blockstore_put_exec(bs, &e), ZG_ESTATE);
  zg_block_exec_t got;
  zg_buf_t rc;
  zg_buf_init(&rc);
  CHECK_OK(zg_blockstore_get_exec(bs, &got, &rc, 1, 3));
  CHECK_EQ(got.gas_used, 21000);
  CHECK_EQ(got.state_digest[0], 1);
  CHECK(rc.len == 8 && memcmp(rc.ptr, "receipts", 8) == 0);
  CHECK_ERR(zg_blockstore_get_exec(bs, &got, NULL, 0, 1), ZG_ENOTFOUND);
  /* The lent view: same blob, the view's error comes back. */
  zg_buf_clear(&rc);
  zg_buf_init(&rc);
  CHECK_OK(zg_blockstore_view_exec(bs, &got, 1, 3, view_copy, &rc));
  CHECK(rc.len == 8 && memcmp(rc.ptr, "receipts", 8) == 0 && got.n_txs == 2);
  CHECK_ERR(zg_blockstore_view_exec(bs, &got, 1, 3, view_fail, NULL), ZG_ECORRUPT);
  CHECK_EQ(got.gas_used, 0);
  CHECK_ERR(zg_blockstore_view_exec(bs, &got, 0, 1, view_copy, &rc), ZG_ENOTFOUND);
  CHECK_ERR(zg_blockstore_view_exec(bs, &got, 1, 3, NULL, NULL), ZG_EINVAL);
  CHECK_OK(zg_blockstore_find_tx(bs, &lane, &height, &idx, inc + 32));
  CHECK(lane == 1 && height == 3 && idx == 1);
  zg_blockstore_close(bs);

  /* Reopen: the heights and indexes are there; a replay of the same block is
   * EEXIST; a store of 2 lanes refuses to open as 1 lane. */
  CHECK_OK(zg_blockstore_open(&bs, dir, 2, false));
  CHECK_OK(zg_blockstore_heights(bs, 1, &c, &x));
  CHECK_EQ(c, 6);
  CHECK_EQ(x, 6);
  CHECK_OK(zg_blockstore_find_block(bs, &lane, &height, id5));
  CHECK_EQ(height, 5);
  CHECK_OK(commit_block(bs, NULL, 0, 11, 0, 0));
  zg_blockstore_close(bs);
  bs = NULL;
  CHECK_ERR(zg_blockstore_open(&bs, dir, 1, true), ZG_ECORRUPT);
  CHECK(bs == NULL);
  zg_buf_clear(&hdr);
  zg_buf_clear(&proof);
  zg_buf_clear(&batch);
  zg_buf_clear(&rc);
  nu_rmrf(dir);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_payload_codec);
  ZGT_RUN(test_store);
  return zgt_done();
}
