// ckzg_cells_compare.js — times c-kzg-4844 (Node binding) on the EIP-7594
// operations of bench/bench_kzg_cells.c, with the same trusted setup, so the
// two can be read side by side.
//
// How to run (outside the repository; c-kzg builds its C library on install):
//   mkdir -p /tmp/ckzg && cd /tmp/ckzg && npm install c-kzg
//   NODE_PATH=/tmp/ckzg/node_modules node bench/ckzg_cells_compare.js \
//       [setup=../shared/vectors/kzg-setup/trusted_setup.txt] [precompute=0] [min_ms=2000] [--cpu] \
//       [--zg=build/zg]
//   ./build/zg bench kzg_ 2>&1      # our side (stderr has the CPU time per op)
//
// With --zg=PATH the script also runs `PATH bench` on the matching zg cases
// right after c-kzg's and prints one comparison table (zg / c-kzg ratio),
// so both sides are measured in one run under the same machine load.
//
// With --cpu the figure is process CPU time per op (user + system), which is
// what to compare on a machine shared with other work; without it, wall time.
// c-kzg is single-threaded here. Names match bench_kzg_cells.c with a ckzg_
// prefix. Blobs are random field elements below 2^254.
'use strict';

const path = require('path');
const crypto = require('crypto');
const kzg = require('c-kzg');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const useCpu = process.argv.includes('--cpu');
const zgArg = process.argv.find((a) => a.startsWith('--zg='));
const zgPath = zgArg ? zgArg.slice(5) : null;
const results = {};
const setup = args[0] || path.join(__dirname, '..', '..', 'shared', 'vectors', 'kzg-setup', 'trusted_setup.txt');
const precompute = Number(args[1] || 0);
const minMs = Number(args[2] || 2000);

function now() {
  if (useCpu) {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000; // ns
  }
  return Number(process.hrtime.bigint());
}

function line(name, ops, ns) {
  console.log(name.padEnd(40) + String(ops).padStart(10) + ns.toFixed(1).padStart(16) + '          -');
}

function bench(name, fn) {
  fn(); // warm up
  let ops = 0;
  const w0 = Number(process.hrtime.bigint());
  const t0 = now();
  while ((Number(process.hrtime.bigint()) - w0) / 1e6 < minMs || ops < 3) {
    fn();
    ops++;
  }
  const ns = (now() - t0) / ops;
  results[name] = ns;
  line(name, ops, ns);
}

function randomBlob() {
  const blob = crypto.randomBytes(kzg.BYTES_PER_BLOB);
  for (let i = 0; i < blob.length; i += 32) blob[i] &= 0x3f;
  return blob;
}

console.log(`# c-kzg ${useCpu ? 'CPU' : 'wall'} time, precompute=${precompute}`);
console.log('name'.padEnd(40) + 'ops'.padStart(10) + 'ns/op'.padStart(16) + 'MB/s'.padStart(11));
kzg.loadTrustedSetup(precompute, setup);

const blob = randomBlob();
const commitment = kzg.blobToKzgCommitment(blob);
const [cells, proofs] = kzg.computeCellsAndKzgProofs(blob);
const n = kzg.CELLS_PER_EXT_BLOB;
const all = [...Array(n).keys()];

// A random half of the cell indices, sorted (as the spec requires).
const half = all.slice();
for (let i = n - 1; i > 0; i--) {
  const j = crypto.randomInt(i + 1);
  [half[i], half[j]] = [half[j], half[i]];
}
const idx = half.slice(0, n / 2).sort((a, b) => a - b);
const halfCells = idx.map((i) => cells[i]);

bench('ckzg_compute_cells', () => kzg.computeCells(blob));
bench('ckzg_compute_cells_and_proofs', () => kzg.computeCellsAndKzgProofs(blob));
bench('ckzg_verify_cell_batch_128', () => {
  if (!kzg.verifyCellKzgProofBatch(all.map(() => commitment), all, cells, proofs)) throw new Error('verify');
});
bench('ckzg_recover_cells_and_proofs_50', () => kzg.recoverCellsAndKzgProofs(idx, halfCells));

// Our side, in the same run, and the comparison.
if (zgPath) {
  const { spawnSync } = require('child_process');
  const zg = {};
  for (const filter of ['kzg_compute_cells', 'kzg_verify_cell_batch_128', 'kzg_recover_cells']) {
    const r = spawnSync(zgPath, ['bench', filter], { encoding: 'utf8', env: { ...process.env, ZG_KZG_SETUP: setup } });
    for (const l of (r.stdout || '').split('\n')) {
      const m = l.match(/^(\S+)\s+(\d+)\s+([\d.]+)/);
      if (m && !useCpu) zg[m[1]] = Number(m[3]);
    }
    for (const l of (r.stderr || '').split('\n')) {
      const m = l.match(/^\s+(\S+)\s+cpu\s+([\d.]+) ns\/op/);
      if (m && useCpu) zg[m[1]] = Number(m[2]);
    }
  }
  const pairs = [
    ['kzg_compute_cells', 'ckzg_compute_cells'],
    ['kzg_compute_cells_and_proofs', 'ckzg_compute_cells_and_proofs'],
    ['kzg_compute_cells_and_proofs_t2', 'ckzg_compute_cells_and_proofs'],
    ['kzg_verify_cell_batch_128', 'ckzg_verify_cell_batch_128'],
    ['kzg_recover_cells_and_proofs_50', 'ckzg_recover_cells_and_proofs_50'],
    ['kzg_recover_cells_50', 'ckzg_recover_cells_and_proofs_50'],
  ];
  console.log(`\n# zg vs c-kzg (${useCpu ? 'CPU time; _t2 = CPU of both threads' : 'wall time'}), ms per op`);
  console.log('zg case'.padEnd(36) + 'zg'.padStart(12) + 'c-kzg'.padStart(12) + 'ratio'.padStart(8));
  for (const [a, b] of pairs) {
    if (zg[a] === undefined || results[b] === undefined) continue;
    console.log(a.padEnd(36) + (zg[a] / 1e6).toFixed(2).padStart(12) + (results[b] / 1e6).toFixed(2).padStart(12) +
                (zg[a] / results[b]).toFixed(2).padStart(8));
  }
}
