// ckzg_compare.js — times c-kzg-4844 (through its Node binding) on the same
// EIP-4844 operations and the same trusted setup as bench/bench_kzg.c, so the
// two tables can be read side by side.
//
// How to run (outside the repository; c-kzg builds its C library on install):
//   mkdir -p /tmp/ckzg && cd /tmp/ckzg && npm install c-kzg
//   NODE_PATH=/tmp/ckzg/node_modules node bench/ckzg_compare.js \
//       [../shared/vectors/kzg-setup/trusted_setup.txt] [precompute=0] [min_ms=2000] [--cpu]
//   ./build/zg bench kzg_            # our side
// With --cpu the ns/op column is process CPU time (user + system) instead of
// wall time, which is steadier on a machine that others are loading.
//
// Blobs are random field elements below 2^254 (top two bits of each 32-byte
// element cleared), as in bench_kzg.c. Each case runs until min_ms has passed
// and prints one line: name, ops, ns/op — the format of `zg bench`. The load
// is timed once (c-kzg keeps one global setup per process).
'use strict';

const path = require('path');
const crypto = require('crypto');
const kzg = require('c-kzg');

const useCpu = process.argv.includes('--cpu');
const args = process.argv.slice(2).filter((a) => a !== '--cpu');
const setup = args[0] || path.join(__dirname, '..', '..', 'shared', 'vectors', 'kzg-setup', 'trusted_setup.txt');
const precompute = Number(args[1] || 0);
const minMs = Number(args[2] || 2000);

// Nanoseconds of wall time, or of process CPU time with --cpu.
function clock() {
  if (!useCpu) return process.hrtime.bigint();
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

function randomBlob() {
  const blob = crypto.randomBytes(kzg.BYTES_PER_BLOB);
  for (let i = 0; i < blob.length; i += 32) blob[i] &= 0x3f;
  return blob;
}

function randomFr() {
  const z = crypto.randomBytes(32);
  z[0] &= 0x3f;
  return z;
}

function line(name, ops, ns) {
  console.log(name.padEnd(40) + String(ops).padStart(10) + ns.toFixed(1).padStart(16) + '          -');
}

function bench(name, fn) {
  fn(); // warm up
  let ops = 0;
  const t0 = clock();
  let t = t0;
  while (Number(t - t0) / 1e6 < minMs) {
    fn();
    ops++;
    t = clock();
  }
  line(name, ops, Number(t - t0) / ops);
}

console.log('name'.padEnd(40) + 'ops'.padStart(10) + 'ns/op'.padStart(16) + 'MB/s'.padStart(11));
const t0 = clock();
kzg.loadTrustedSetup(precompute, setup);
line('ckzg_load_trusted_setup', 1, Number(clock() - t0));

const blob = randomBlob();
const commitment = kzg.blobToKzgCommitment(blob);
const z = randomFr();
const [proof, y] = kzg.computeKzgProof(blob, z);
const blobProof = kzg.computeBlobKzgProof(blob, commitment);
const blobs = [], commitments = [], proofs = [];
for (let i = 0; i < 16; i++) {
  const b = randomBlob();
  const c = kzg.blobToKzgCommitment(b);
  blobs.push(b);
  commitments.push(c);
  proofs.push(kzg.computeBlobKzgProof(b, c));
}
if (!kzg.verifyKzgProof(commitment, z, y, proof) || !kzg.verifyBlobKzgProof(blob, commitment, blobProof) ||
    !kzg.verifyBlobKzgProofBatch(blobs, commitments, proofs)) {
  throw new Error('c-kzg rejected its own proofs');
}

bench('ckzg_blob_to_commitment', () => kzg.blobToKzgCommitment(blob));
bench('ckzg_compute_kzg_proof', () => kzg.computeKzgProof(blob, z));
bench('ckzg_compute_blob_proof', () => kzg.computeBlobKzgProof(blob, commitment));
bench('ckzg_verify_kzg_proof', () => kzg.verifyKzgProof(commitment, z, y, proof));
bench('ckzg_verify_blob_proof', () => kzg.verifyBlobKzgProof(blob, commitment, blobProof));
bench('ckzg_verify_blob_proof_batch_16', () => kzg.verifyBlobKzgProofBatch(blobs, commitments, proofs));
