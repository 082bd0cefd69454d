/*
 * bls_msm_impl.h — Pippenger multi-scalar multiplication written once over an
 * abstract curve and instantiated for G1 and G2 by bls_msm.c (included once
 * per group, after defining FE, PT, the FE_* field operations, FE_ONE,
 * PUB(name) -> zg_gN_name, INT(name) -> zg__gN_name, LOC(name) -> gN_name and
 * LOC_DIRECT_MAX, the largest n summed as separate GLV/GLS multiplications,
 * and LOC_SPLIT / LOC_SPLIT_BITS: the endomorphism splits every scalar into
 * LOC_SPLIT parts of at most LOC_SPLIT_BITS bits, and the includer defines
 * LOC(decompose) and LOC(endo) below to produce them and the matching points).
 * Points must be in the prime-order subgroup (the split relies on it).
 *
 * The method, for public scalars and points:
 *  - each scalar k of point P is split with the GLV/GLS endomorphism into
 *    LOC_SPLIT short scalars of images of P (G1: 2 x 128 bits, G2: 4 x 64),
 *    which shortens every window sweep and the doubling chain;
 *  - scalars are recoded into W signed windows of c bits (Booth: digits in
 *    [-(2^(c-1) - 1), 2^(c-1)], so 2^(c-1) buckets per window and a negative
 *    digit adds -P, which costs one field negation);
 *  - points are made affine once (one inversion per 256 points) so that the
 *    bucket accumulation can run in affine coordinates with batched
 *    inversions: each addition costs about 5M + 1S plus a 1/B share of an
 *    inversion, against ~11M for a mixed Jacobian addition;
 *  - buckets of G windows are filled in one pass, so a batch of B additions
 *    rarely names one bucket twice; an addition whose bucket is already in
 *    the pending batch waits in a queue for the next batch, and when the
 *    queue is full it goes to a Jacobian "spill" bucket instead, which keeps
 *    degenerate inputs (all points in one bucket) linear in cost;
 *  - each window is reduced with the running-sum trick (sum_b b * B_b in
 *    2 additions per bucket) and windows are combined by Horner's rule.
 * c is chosen from n by a cost model; everything lives in caller scratch
 * whose layout is a pure function of n (LOC(msm_layout)).
 */

#ifndef LOC_B
#define LOC_B 1024u /* batch size: additions per shared inversion */
#endif
#ifndef LOC_GF
#define LOC_GF 8u /* a group has at least LOC_GF * LOC_B buckets */
#endif

typedef struct {
  FE x, y;
} LOC(aff_t);

/* One pending bucket operation: bucket index in the group, point index,
 * sign, and what the batch must do with it. */
#define LOC_K_ADD 0
#define LOC_K_DBL 1
#define LOC_K_CANCEL 2
typedef struct {
  uint32_t bkt;
  uint32_t pt;
  uint8_t neg, kind;
} LOC(item_t);

/* Provided by the includer: k (plain limbs, < r) -> LOC_SPLIT parts of at
 * most LOC_SPLIT_BITS bits (2 limbs each); the images of (x, y) matching
 * the parts, image 0 being the point itself. */
static void LOC(decompose)(uint64_t parts[LOC_SPLIT][2], const uint64_t k[4]);
static void LOC(endo)(LOC(aff_t) *out, const LOC(aff_t) *in);

#define LOC_ST_FULL 1u
#define LOC_ST_BUSY 2u

typedef struct {
  unsigned c, W, G;
  size_t n, nb, nbkt; /* buckets per window, buckets per group */
  size_t off_aff, off_dig, off_bkt, off_state, off_spill, off_items, off_den, off_pre, off_queue, total;
} LOC(layout_t);

typedef struct {
  LOC(layout_t) L;
  LOC(aff_t) *aff;
  int16_t *dig;
  LOC(aff_t) *bkt;
  uint8_t *state;
  PT *spill;
  LOC(item_t) *items, *queue;
  FE *den, *pre;
  size_t nbatch, nqueue;
} LOC(ctx_t);

static size_t LOC(align)(size_t x) { return (x + 63) & ~(size_t)63; }

/* Cost model in field multiplications: W windows, each with n affine
 * additions (~8M with the shared inversion) and 2^(c-1) buckets to reduce
 * (a mixed and a full Jacobian addition, ~28M). */
static unsigned LOC(nwin)(unsigned c) { return (LOC_SPLIT_BITS + 1 + c - 1) / c; }

static unsigned LOC(pick_c)(size_t n) {
  unsigned best_c = 2;
  double best = 0;
  for (unsigned c = 2; c <= 16; c++) {
    unsigned W = LOC(nwin)(c);
    double cost = (double)W * ((double)n * 8.0 + (double)((size_t)1 << (c - 1)) * 28.0);
    if (c == 2 || cost < best) {
      best = cost;
      best_c = c;
    }
  }
  return best_c;
}

static void LOC(msm_layout)(LOC(layout_t) *L, size_t n) {
  memset(L, 0, sizeof(*L));
  L->n = n;
  if (n <= LOC_DIRECT_MAX) return;
  size_t N = n * LOC_SPLIT;
  L->c = LOC(pick_c)(N);
  L->W = LOC(nwin)(L->c);
  L->nb = (size_t)1 << (L->c - 1);
  size_t g = (LOC_GF * LOC_B + L->nb - 1) / L->nb;
  if (g < 1) g = 1;
  if (g > L->W) g = L->W;
  L->G = (unsigned)g;
  L->nbkt = L->G * L->nb;
  size_t off = 0;
  L->off_aff = off;
  off = LOC(align)(off + N * sizeof(LOC(aff_t)));
  L->off_dig = off;
  off = LOC(align)(off + N * L->W * sizeof(int16_t));
  L->off_bkt = off;
  off = LOC(align)(off + L->nbkt * sizeof(LOC(aff_t)));
  L->off_state = off;
  off = LOC(align)(off + L->nbkt);
  L->off_spill = off;
  off = LOC(align)(off + L->nbkt * sizeof(PT));
  L->off_items = off;
  off = LOC(align)(off + LOC_B * sizeof(LOC(item_t)));
  L->off_queue = off;
  off = LOC(align)(off + LOC_B * sizeof(LOC(item_t)));
  L->off_den = off;
  off = LOC(align)(off + LOC_B * sizeof(FE));
  L->off_pre = off;
  off = LOC(align)(off + LOC_B * sizeof(FE));
  L->total = off + 64; /* room to align the caller's pointer */
}

size_t PUB(msm_scratch_size)(size_t n) {
  LOC(layout_t) L;
  LOC(msm_layout)(&L, n);
  return L.total;
}

/* Signed c-bit windows of a scalar below 2^LOC_SPLIT_BITS (2 limbs);
 * W*c > LOC_SPLIT_BITS leaves no carry out of the top window. */
static void LOC(recode)(int16_t *out, const uint64_t k[2], unsigned c, unsigned W) {
  uint32_t carry = 0;
  uint32_t half = 1u << (c - 1);
  for (unsigned w = 0; w < W; w++) {
    size_t pos = (size_t)w * c;
    uint64_t v = 0;
    if (pos < 128) {
      size_t li = pos / 64, sh = pos % 64;
      v = k[li] >> sh;
      if (sh + c > 64 && li + 1 < 2) v |= k[li + 1] << (64 - sh);
      v &= ((uint64_t)1 << c) - 1;
    }
    v += carry;
    if (v > half) {
      out[w] = (int16_t)((int64_t)v - ((int64_t)1 << c));
      carry = 1;
    } else {
      out[w] = (int16_t)v;
      carry = 0;
    }
  }
}

/* Affine copies of the input points, with batched inversions (B at a time,
 * the den/pre arrays as workspace). Infinity is flagged by the caller
 * zeroing that point's digits. */
static void LOC(to_affine)(LOC(ctx_t) *X, const PT *pts, size_t n) {
  size_t idx[LOC_B];
  size_t m = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n) {
      const PT *p = &pts[i];
      if (FE_is_zero(&p->z)) continue;
      if (FE_eq(&p->z, &FE_ONE)) {
        X->aff[i * LOC_SPLIT].x = p->x;
        X->aff[i * LOC_SPLIT].y = p->y;
        continue;
      }
      X->pre[m] = m ? X->pre[m - 1] : FE_ONE;
      FE_mul(&X->pre[m], &X->pre[m], &p->z);
      idx[m++] = i;
    }
    if (m > 0 && (m == LOC_B || i == n)) {
      FE inv, zi, zi2, zi3;
      FE_inv(&inv, &X->pre[m - 1]);
      for (size_t j = m; j-- > 0;) {
        const PT *p = &pts[idx[j]];
        if (j > 0) {
          FE_mul(&zi, &inv, &X->pre[j - 1]);
          FE_mul(&inv, &inv, &p->z);
        } else {
          zi = inv;
        }
        FE_sqr(&zi2, &zi);
        FE_mul(&zi3, &zi2, &zi);
        FE_mul(&X->aff[idx[j] * LOC_SPLIT].x, &p->x, &zi2);
        FE_mul(&X->aff[idx[j] * LOC_SPLIT].y, &p->y, &zi3);
      }
      m = 0;
    }
  }
}

/* The y of point it->pt with its sign applied. */
static void LOC(item_y)(const LOC(ctx_t) *X, const LOC(item_t) *it, FE *y) {
  if (it->neg)
    FE_neg(y, &X->aff[it->pt].y);
  else
    *y = X->aff[it->pt].y;
}

/* Places an item: fills an empty bucket directly, joins the batch, or
 * (bucket busy) waits in the queue. Returns false when the item could not
 * be placed because the queue is full (the caller decides). */
static bool LOC(place)(LOC(ctx_t) *X, const LOC(item_t) *it) {
  uint8_t *st = &X->state[it->bkt];
  if (!(*st & LOC_ST_FULL)) {
    X->bkt[it->bkt].x = X->aff[it->pt].x;
    LOC(item_y)(X, it, &X->bkt[it->bkt].y);
    *st = LOC_ST_FULL;
    return true;
  }
  if (*st & LOC_ST_BUSY) {
    if (X->nqueue == LOC_B) return false;
    X->queue[X->nqueue++] = *it;
    return true;
  }
  size_t k = X->nbatch++;
  LOC(item_t) *b = &X->items[k];
  *b = *it;
  *st |= LOC_ST_BUSY;
  const LOC(aff_t) *q = &X->bkt[it->bkt];
  FE_sub(&X->den[k], &X->aff[it->pt].x, &q->x);
  b->kind = LOC_K_ADD;
  if (FE_is_zero(&X->den[k])) {
    FE y;
    LOC(item_y)(X, it, &y);
    if (FE_eq(&y, &q->y) && !FE_is_zero(&y)) {
      b->kind = LOC_K_DBL;
      FE_dbl(&X->den[k], &y);
    } else {
      b->kind = LOC_K_CANCEL;
      X->den[k] = FE_ONE;
    }
  }
  return true;
}

/* Adds the point of a queue-overflow item to its Jacobian spill bucket. */
static void LOC(spill)(LOC(ctx_t) *X, const LOC(item_t) *it) {
  FE y;
  LOC(item_y)(X, it, &y);
  INT(madd_var)(&X->spill[it->bkt], &X->spill[it->bkt], &X->aff[it->pt].x, &y);
}

/* Completes every pending addition with one inversion (Montgomery's trick). */
static void LOC(flush)(LOC(ctx_t) *X) {
  size_t m = X->nbatch;
  if (m == 0) return;
  X->pre[0] = X->den[0];
  for (size_t k = 1; k < m; k++) FE_mul(&X->pre[k], &X->pre[k - 1], &X->den[k]);
  FE inv, di, lam, t, y2, x3;
  FE_inv(&inv, &X->pre[m - 1]);
  for (size_t k = m; k-- > 0;) {
    if (k > 0) {
      FE_mul(&di, &inv, &X->pre[k - 1]);
      FE_mul(&inv, &inv, &X->den[k]);
    } else {
      di = inv;
    }
    const LOC(item_t) *it = &X->items[k];
    LOC(aff_t) *q = &X->bkt[it->bkt];
    X->state[it->bkt] &= (uint8_t)~LOC_ST_BUSY;
    if (it->kind == LOC_K_CANCEL) {
      X->state[it->bkt] = 0;
      continue;
    }
    if (it->kind == LOC_K_ADD) {
      LOC(item_y)(X, it, &y2);
      FE_sub(&t, &y2, &q->y);
    } else {
      FE_sqr(&t, &q->x);
      FE_add(&y2, &t, &t);
      FE_add(&t, &t, &y2);
    }
    FE_mul(&lam, &t, &di);
    FE_sqr(&x3, &lam);
    FE_sub(&x3, &x3, &q->x);
    FE_sub(&x3, &x3, &X->aff[it->pt].x);
    FE_sub(&t, &q->x, &x3);
    FE_mul(&t, &t, &lam);
    FE_sub(&q->y, &t, &q->y);
    q->x = x3;
  }
  X->nbatch = 0;
}

/* Moves queued items into the (just flushed) batch while it has room. */
static void LOC(drain)(LOC(ctx_t) *X) {
  size_t keep = 0, nq = X->nqueue;
  X->nqueue = 0;
  for (size_t j = 0; j < nq; j++) {
    LOC(item_t) it = X->queue[j];
    bool busy = (X->state[it.bkt] & LOC_ST_BUSY) != 0;
    if (X->nbatch == LOC_B || busy) {
      X->queue[keep++] = it;
      continue;
    }
    (void)LOC(place)(X, &it); /* not busy: never queues */
  }
  X->nqueue = keep;
}

static void LOC(submit)(LOC(ctx_t) *X, const LOC(item_t) *it) {
  if (!LOC(place)(X, it)) LOC(spill)(X, it);
  while (X->nbatch == LOC_B) {
    LOC(flush)(X);
    LOC(drain)(X);
  }
}

/* Sum of b * bucket_b over one window's buckets: running sums from the top. */
static void LOC(reduce_window)(LOC(ctx_t) *X, PT *out, size_t base) {
  PT run, sum;
  PUB(set_infinity)(&run);
  PUB(set_infinity)(&sum);
  for (size_t b = X->L.nb; b-- > 0;) {
    size_t i = base + b;
    if (!PUB(is_infinity)(&X->spill[i])) INT(add_var)(&run, &run, &X->spill[i]);
    if (X->state[i] & LOC_ST_FULL) INT(madd_var)(&run, &run, &X->bkt[i].x, &X->bkt[i].y);
    if (!PUB(is_infinity)(&run)) INT(add_var)(&sum, &sum, &run);
  }
  *out = sum;
}

void PUB(msm_var)(PT *r, const PT *points, const zg_fr_t *scalars, size_t n, void *scratch) {
  PT acc, t;
  PUB(set_infinity)(&acc);
  if (n <= LOC_DIRECT_MAX) {
    for (size_t i = 0; i < n; i++) {
      PUB(mul_var)(&t, &points[i], &scalars[i]);
      INT(add_var)(&acc, &acc, &t);
    }
    *r = acc;
    return;
  }
  LOC(ctx_t) X;
  memset(&X, 0, sizeof(X));
  LOC(msm_layout)(&X.L, n);
  uint8_t *base = (uint8_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
  X.aff = (LOC(aff_t) *)(void *)(base + X.L.off_aff);
  X.dig = (int16_t *)(void *)(base + X.L.off_dig);
  X.bkt = (LOC(aff_t) *)(void *)(base + X.L.off_bkt);
  X.state = base + X.L.off_state;
  X.spill = (PT *)(void *)(base + X.L.off_spill);
  X.items = (LOC(item_t) *)(void *)(base + X.L.off_items);
  X.queue = (LOC(item_t) *)(void *)(base + X.L.off_queue);
  X.den = (FE *)(void *)(base + X.L.off_den);
  X.pre = (FE *)(void *)(base + X.L.off_pre);
  const unsigned c = X.L.c, W = X.L.W, G = X.L.G;
  const size_t nb = X.L.nb;

  const size_t N = n * LOC_SPLIT;
  LOC(to_affine)(&X, points, n);
  for (size_t i = 0; i < n; i++) {
    int16_t *d = &X.dig[i * LOC_SPLIT * W];
    if (PUB(is_infinity)(&points[i])) {
      memset(d, 0, LOC_SPLIT * W * sizeof(int16_t));
      continue;
    }
    uint64_t k[4], parts[LOC_SPLIT][2];
    zg_fr_to_u64s(k, &scalars[i]);
    LOC(decompose)(parts, k);
    LOC(endo)(&X.aff[i * LOC_SPLIT], &X.aff[i * LOC_SPLIT]);
    for (size_t j = 0; j < LOC_SPLIT; j++) LOC(recode)(d + j * W, parts[j], c, W);
  }

  /* Window groups from the top, so Horner's rule runs as we go. */
  unsigned ngroups = (W + G - 1) / G;
  for (unsigned g = ngroups; g-- > 0;) {
    unsigned w0 = g * G, w1 = w0 + G < W ? w0 + G : W;
    memset(X.state, 0, X.L.nbkt);
    for (size_t b = 0; b < X.L.nbkt; b++) PUB(set_infinity)(&X.spill[b]);
    for (size_t i = 0; i < N; i++) {
      const int16_t *d = &X.dig[i * W];
      for (unsigned w = w0; w < w1; w++) {
        int v = d[w];
        if (v == 0) continue;
        LOC(item_t) it;
        it.pt = (uint32_t)i;
        it.neg = v < 0;
        it.kind = 0;
        it.bkt = (uint32_t)((size_t)(w - w0) * nb + (size_t)(v < 0 ? -v : v) - 1);
        LOC(submit)(&X, &it);
      }
    }
    while (X.nbatch > 0 || X.nqueue > 0) {
      LOC(flush)(&X);
      LOC(drain)(&X);
    }
    for (unsigned w = w1; w-- > w0;) {
      for (unsigned j = 0; j < c; j++) {
        if (!PUB(is_infinity)(&acc)) PUB(dbl)(&acc, &acc);
      }
      LOC(reduce_window)(&X, &t, (size_t)(w - w0) * nb);
      INT(add_var)(&acc, &acc, &t);
    }
  }
  *r = acc;
}

#undef LOC_B
#undef LOC_GF
#undef LOC_K_ADD
#undef LOC_K_DBL
#undef LOC_K_CANCEL
#undef LOC_ST_FULL
#undef LOC_ST_BUSY
