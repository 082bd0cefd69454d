// eth_tx.js — ethers v6 side of tests/interop/eth_tx.sh.
//
//   node eth_tx.js --gen SEED COUNT OUT.json
//       signs COUNT random transactions (types 0/1/2, with and without access
//       lists, contract creation, empty and long data, values and fees up to
//       2^256-1, chain ids up to 2^62) with ethers and writes, for each, the
//       fields, the key, and what ethers made of it: raw envelope, hash and
//       sender. `zg vectors DIR` (src/cli/vectors_eth_tx.c) checks them.
// zg re-signs every case from its fields and must produce the very same
// bytes, so what zg signs is what ethers signs (no reverse pass needed).
//
// Randomness is a seeded xorshift128+ over BigInt, so a failing seed reruns.
'use strict';
const fs = require('fs');
const { Transaction, SigningKey, getAddress, hexlify } = require('ethers');

const MASK64 = (1n << 64n) - 1n;
let s0, s1;
function seed(n) {
  s0 = (BigInt(n) * 0x9e3779b97f4a7c15n + 1n) & MASK64;
  s1 = (s0 ^ 0xbf58476d1ce4e5b9n) & MASK64;
  for (let i = 0; i < 8; i++) next64();
}
function next64() {
  let x = s0;
  const y = s1;
  s0 = y;
  x ^= (x << 23n) & MASK64;
  s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
  return (s1 + y) & MASK64;
}
const below = (n) => Number(next64() % BigInt(n));
function bytes(n) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Number(next64() & 0xffn);
  return b;
}
// A random unsigned integer of a random width in bits (edge widths often).
function uint(maxBits) {
  const widths = [0, 1, 7, 8, 63, 64, 128, 255, 256].filter((w) => w <= maxBits);
  const bits = below(3) === 0 ? widths[below(widths.length)] : below(maxBits + 1);
  if (bits === 0) return 0n;
  let v = 0n;
  for (let i = 0; i < bits; i += 64) v = (v << 64n) | next64();
  v &= (1n << BigInt(bits)) - 1n;
  return v | (1n << BigInt(bits - 1)); // exactly `bits` wide
}

const N = (1n << 256n) - 0x14551231950b75fc4402da1732fc9bebfn; // secp256k1 order
function randomKey() {
  for (;;) {
    const k = hexlify(bytes(32));
    const v = BigInt(k);
    if (v > 0n && v < N) return k;
  }
}

function randomData() {
  const r = below(6);
  const n = r === 0 ? 0 : r < 4 ? below(80) : r < 5 ? 1 + below(4000) : 32 * below(5) + 4;
  const d = bytes(n);
  for (let i = 0; i < n; i++) if (below(3) === 0) d[i] = 0;
  return hexlify(d);
}

function randomAccessList() {
  const list = [];
  const n = below(4);
  for (let i = 0; i < n; i++) {
    const keys = [];
    const m = below(4);
    for (let j = 0; j < m; j++) keys.push(hexlify(below(4) === 0 ? new Uint8Array(32) : bytes(32)));
    list.push({ address: getAddress(hexlify(bytes(20))), storageKeys: keys });
  }
  return list;
}

function gen(seedArg, count, out) {
  seed(seedArg);
  const chainIds = [1n, 16888n, 5n, (1n << 32n) + 7n, (1n << 62n) - 3n];
  const keys = [];
  for (let i = 0; i < 16; i++) keys.push(randomKey());
  const cases = [];
  for (let i = 0; i < count; i++) {
    const type = below(3);
    const key = keys[below(keys.length)];
    const tx = {
      type,
      chainId: chainIds[below(chainIds.length)],
      nonce: below(4) === 0 ? below(2 ** 31) * 4096 + below(4096) : below(1000),
      gasLimit: below(3) === 0 ? 21000n : uint(64) & ((1n << 64n) - 1n),
      to: below(10) === 0 ? null : getAddress(hexlify(bytes(20))),
      value: uint(256),
      data: randomData(),
    };
    if (type === 2) {
      const a = uint(256), b = uint(256); // ethers insists on tip <= max fee
      tx.maxFeePerGas = a > b ? a : b;
      tx.maxPriorityFeePerGas = a > b ? b : a;
    } else {
      tx.gasPrice = uint(256);
    }
    if (type !== 0) tx.accessList = below(2) === 0 ? [] : randomAccessList();
    const t = Transaction.from(tx);
    t.signature = new SigningKey(key).sign(t.unsignedHash);
    const c = {
      type,
      key,
      chainId: tx.chainId.toString(),
      nonce: tx.nonce.toString(),
      gasLimit: tx.gasLimit.toString(),
      to: tx.to,
      value: tx.value.toString(),
      data: tx.data,
      raw: t.serialized,
      hash: t.hash,
      from: t.from,
    };
    if (type === 2) {
      c.maxFeePerGas = tx.maxFeePerGas.toString();
      c.maxPriorityFeePerGas = tx.maxPriorityFeePerGas.toString();
    } else {
      c.gasPrice = tx.gasPrice.toString();
    }
    if (type !== 0) c.accessList = tx.accessList;
    cases.push(c);
  }
  fs.writeFileSync(out, JSON.stringify({ format: 'zg-eth-tx-interop', seed: seedArg, cases }, null, 0) + '\n');
}

const a = process.argv.slice(2);
if (a[0] === '--gen' && a.length === 4) gen(Number(a[1]), Number(a[2]), a[3]);
else {
  console.error('usage: eth_tx.js --gen SEED COUNT OUT.json');
  process.exit(2);
}
