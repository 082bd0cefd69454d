// sdk_root.js — computes 0G file roots (and segment proofs) with 0G's own
// TypeScript SDK, @0gfoundation/0g-ts-sdk, for the interop test.
//
//   node sdk_root.js FILE...                 prints "<root> <FILE>" per file
//   node sdk_root.js --verify FILE PROOFJSON checks a `zg root --proof` output
//                                            with the SDK's proof validation
//                                            and against the SDK's own proof
//   node sdk_root.js --gen SEED SIZE FILE    writes SIZE deterministic bytes
//   node sdk_root.js --nodes FILE ZGJSON     compares `zg root --json` (root,
//                                            size, submission nodes) with the
//                                            SDK's createSubmission()
// NODE_PATH (or a node_modules beside the working directory) must hold the SDK.
'use strict';
const fs = require('fs');
const sdk = require('@0gfoundation/0g-ts-sdk');

async function treeOf(path) {
  const file = await sdk.ZgFile.fromFilePath(path);
  try {
    const [tree, err] = await file.merkleTree();
    if (err !== null) throw new Error(`merkleTree(${path}): ${err}`);
    return tree;
  } finally {
    await file.close();
  }
}

async function verify(path, proofPath) {
  const ours = JSON.parse(fs.readFileSync(proofPath, 'utf8'));
  const tree = await treeOf(path);
  const n = tree.leaves.length;
  if (ours.root !== tree.rootHash()) throw new Error(`root ${ours.root} != sdk ${tree.rootHash()}`);
  if (ours.segments !== n) throw new Error(`segments ${ours.segments} != sdk ${n}`);
  const theirs = tree.proofAt(ours.index);
  if (JSON.stringify(theirs.lemma) !== JSON.stringify(ours.proof.lemma) ||
      JSON.stringify(theirs.path) !== JSON.stringify(ours.proof.path))
    throw new Error(`proof of segment ${ours.index} differs from the SDK's`);
  const p = new sdk.Proof(ours.proof.lemma, ours.proof.path);
  const e = p.validateHash(ours.root, ours.segmentRoot, ours.index, n);
  if (e !== null) throw new Error(`SDK rejects our proof of segment ${ours.index}: ${e}`);
  // A tampered proof must be rejected too (when there is a sibling to tamper with).
  if (ours.proof.lemma.length > 1) {
    const bad = ours.proof.lemma.slice();
    bad[1] = bad[1].slice(0, -1) + (bad[1].endsWith('0') ? '1' : '0');
    if (new sdk.Proof(bad, ours.proof.path).validateHash(ours.root, ours.segmentRoot, ours.index, n) === null)
      throw new Error('SDK accepts a tampered proof');
  }
  console.log(`ok proof ${ours.index}/${n} ${path}`);
}

async function nodes(path, jsonPath) {
  const ours = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const file = await sdk.ZgFile.fromFilePath(path);
  try {
    const [sub, err] = await file.createSubmission('0x');
    if (err !== null) throw new Error(`createSubmission(${path}): ${err}`);
    const theirs = sub.data.nodes.map((n) => ({ root: n.root, height: Number(n.height) }));
    if (Number(sub.data.length) !== ours.size) throw new Error(`length ${ours.size} != sdk ${sub.data.length}`);
    if (JSON.stringify(theirs) !== JSON.stringify(ours.nodes))
      throw new Error(`submission nodes differ: zg ${JSON.stringify(ours.nodes)} sdk ${JSON.stringify(theirs)}`);
  } finally {
    await file.close();
  }
  console.log(`ok nodes ${path}`);
}

// Deterministic bytes from a 32-bit seed (xorshift128), 1 MiB at a time.
function gen(seed, size, path) {
  let x = (seed >>> 0) || 1, y = 362436069, z = 521288629, w = 88675123;
  const fd = fs.openSync(path, 'w');
  const block = new Uint32Array(1 << 18);
  const bytes = new Uint8Array(block.buffer);
  for (let left = size; left > 0;) {
    for (let i = 0; i < block.length; i++) {
      const t = x ^ (x << 11);
      x = y; y = z; z = w;
      w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      block[i] = w;
    }
    const n = Math.min(left, bytes.length);
    fs.writeSync(fd, bytes, 0, n);
    left -= n;
  }
  fs.closeSync(fd);
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--verify') return verify(args[1], args[2]);
  if (args[0] === '--nodes') return nodes(args[1], args[2]);
  if (args[0] === '--gen') return gen(Number(args[1]), Number(args[2]), args[3]);
  for (const path of args) {
    const tree = await treeOf(path);
    console.log(`${tree.rootHash()} ${path}`);
  }
}

main().catch((e) => {
  console.error(`sdk_root.js: ${e.stack || e}`);
  process.exit(1);
});
