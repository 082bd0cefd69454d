// blst_compare.js — times the BLS operations of bench/bench_bls_sig.c with
// supranational/blst (through the prebuilt @chainsafe/blst Node binding) so
// the two can be put side by side on the same machine.
//
// Not part of the build and not a dependency of zg. To run it:
//   mkdir -p /tmp/blstcmp && cd /tmp/blstcmp && npm install @chainsafe/blst
//   NODE_PATH=/tmp/blstcmp/node_modules node /path/to/zg/bench/blst_compare.js [min_ms] [--cpu]
// and compare with
//   build/zg bench bls_
// Each line: name, ops, ns/op (same shape as `zg bench`). The binding has no
// hash-to-G2, pairing or MSM entry points, so only the signature-level
// operations are timed. It also prints interop values (KeyGen of a fixed
// IKM, its public key, a signature of "abc") to compare with zg's.
'use strict';
const crypto = require('crypto');
const blst = require('@chainsafe/blst');

// Arguments: [min_ms] [--cpu]. With --cpu the time per op is process CPU
// time (user + system) instead of wall-clock time, which is steadier on a
// shared, loaded machine.
const args = process.argv.slice(2);
const useCpu = args.includes('--cpu');
const minMs = Number(args.find((a) => !a.startsWith('--')) || 1000);

function nowNs() {
  if (!useCpu) return process.hrtime.bigint();
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

function bench(name, fn) {
  for (let i = 0; i < 3; i++) fn(); // warm up
  let ops = 0;
  const start = nowNs();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1000000n) {
    fn();
    ops++;
    elapsed = nowNs() - start;
  }
  const nsPerOp = Number(elapsed) / ops;
  console.log(`${name.padEnd(32)} ${String(ops).padStart(8)} ops ${nsPerOp.toFixed(0).padStart(12)} ns/op`);
}

function keypair() {
  const sk = blst.SecretKey.fromKeygen(crypto.randomBytes(32));
  return { sk, pk: sk.toPublicKey() };
}

const msg = Buffer.from('benchmark message of 32 bytes..!');
const { sk, pk } = keypair();
const sig = sk.sign(msg);

// Interop values: KeyGen(IKM = 0x00..1f, key_info = "") and what it signs.
const ikm = Buffer.from([...Array(32).keys()]);
const isk = blst.SecretKey.fromKeygen(ikm);
console.log('interop sk  ', isk.toHex());
console.log('interop pk  ', isk.toPublicKey().toHex(true));
console.log('interop sig ', isk.sign(Buffer.from('abc')).toHex(true));

bench('blst_keygen', () => blst.SecretKey.fromKeygen(ikm));
bench('blst_sk_to_pk', () => sk.toPublicKey());
bench('blst_sign', () => sk.sign(msg));
bench('blst_verify', () => blst.verify(msg, pk, sig));
bench('blst_pk_parse_validate', () => blst.PublicKey.fromBytes(pk.toBytes(true), true));
bench('blst_sig_parse_validate', () => blst.Signature.fromBytes(sig.toBytes(true), true));

// FastAggregateVerify over 128 signers of one message.
{
  const kps = Array.from({ length: 128 }, keypair);
  const sigs = kps.map((k) => k.sk.sign(msg));
  const agg = blst.aggregateSignatures(sigs);
  const pks = kps.map((k) => k.pk);
  if (!blst.fastAggregateVerify(msg, pks, agg)) throw new Error('fastAggregateVerify failed');
  bench('blst_fast_aggregate_verify_128', () => blst.fastAggregateVerify(msg, pks, agg));
}

// AggregateVerify and batch verification over 16 distinct messages.
{
  const kps = Array.from({ length: 16 }, keypair);
  const msgs = kps.map(() => crypto.randomBytes(32));
  const sigs = kps.map((k, i) => k.sk.sign(msgs[i]));
  const agg = blst.aggregateSignatures(sigs);
  const pks = kps.map((k) => k.pk);
  if (!blst.aggregateVerify(msgs, pks, agg)) throw new Error('aggregateVerify failed');
  bench('blst_aggregate_verify_16', () => blst.aggregateVerify(msgs, pks, agg));
  const sets = kps.map((k, i) => ({ msg: msgs[i], pk: k.pk, sig: sigs[i] }));
  if (!blst.verifyMultipleAggregateSignatures(sets)) throw new Error('batch verify failed');
  bench('blst_batch_verify_16', () => blst.verifyMultipleAggregateSignatures(sets));
}
