// sdk_node.js — drives a running `zg node` with 0G's own TypeScript SDK
// (@0gfoundation/0g-ts-sdk): its Uploader (segments, proofs and the
// zgs_uploadSegmentsByTxSeq calls exactly as it sends them to 0G nodes) and
// its Downloader (zgs_getFileInfo, zgs_getShardConfig,
// zgs_downloadSegmentWithProof with its own proof checks).
//
//   node sdk_node.js upload URLS FILE     registers FILE's submission with the
//       node's dev-mode admin_submitLogEntry (the chain's Flow contract is
//       not there yet), then lets the SDK Uploader upload it (skipTx, wait
//       for finality); prints the root
//   node sdk_node.js download URLS ROOT OUT   the SDK Downloader, with proofs
// URLS: comma-separated node URLs. Exit 0 on success, 1 with a message.
'use strict';
const fs = require('fs');
const sdk = require('@0gfoundation/0g-ts-sdk');

async function rpc(url, method, params) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({jsonrpc: '2.0', id: 1, method, params}),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function upload(urls, path) {
  const file = await sdk.ZgFile.fromFilePath(path);
  try {
    const [tree, terr] = await file.merkleTree();
    if (terr !== null) throw new Error(`merkleTree: ${terr}`);
    const [sub, serr] = await file.createSubmission('0x');
    if (serr !== null) throw new Error(`createSubmission: ${serr}`);
    const entry = {
      size: Number(sub.data.length),
      nodes: sub.data.nodes.map((n) => ({root: n.root, height: Number(n.height)})),
    };
    for (const u of urls) await rpc(u, 'admin_submitLogEntry', [entry]);
    const nodes = urls.map((u) => new sdk.StorageNode(u));
    // No chain yet: the provider is never used with skipTx, the flow only
    // answers resolveSubmitter. taskSize 64: SDK 1.2.8's splitTasks keeps only
    // as many task rounds as the shard with the fewest tasks has, so with
    // 2 shards and an odd number of small tasks it never sends the last
    // segment and waits for finality forever (a client bug). One task per shard avoids it for files of
    // up to 128 segments per shard.
    const uploader = new sdk.Uploader(nodes, 'http://127.0.0.1:9', {runner: null});
    const quiet = console.log;
    if (!process.env.ZG_SDK_VERBOSE) console.log = () => {};
    let res, err;
    try {
      [res, err] = await uploader.uploadFile(file, {skipTx: true, finalityRequired: true, taskSize: 64});
    } finally {
      console.log = quiet;
    }
    if (err !== null) throw new Error(`SDK upload: ${err.message || err}`);
    if (res.rootHash !== tree.rootHash()) throw new Error(`SDK reported root ${res.rootHash}`);
    console.log(tree.rootHash());
  } finally {
    await file.close();
  }
}

async function download(urls, root, out) {
  const nodes = urls.map((u) => new sdk.StorageNode(u));
  const dl = new sdk.Downloader(nodes);
  const quiet = console.log;
  console.log = () => {};
  let err;
  try {
    err = await dl.download(root, out, true);
  } finally {
    console.log = quiet;
  }
  if (err !== null && err !== undefined) throw new Error(`SDK download: ${err.message || err}`);
}

(async () => {
  const [cmd, urlList, a, b] = process.argv.slice(2);
  const urls = (urlList || '').split(',').filter((s) => s.length > 0);
  if (cmd === 'upload' && urls.length && a) await upload(urls, a);
  else if (cmd === 'download' && urls.length && a && b) await download(urls, a, b);
  else throw new Error('usage: sdk_node.js upload URLS FILE | download URLS ROOT OUT');
})().catch((e) => {
  console.error(`FAIL: ${e.message}`);
  process.exit(1);
});
