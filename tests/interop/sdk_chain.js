// sdk_chain.js — 0G's own TypeScript SDK (@0gfoundation/0g-ts-sdk) and
// ethers v6 against a zg devnet with storage nodes (`zg devnet up --storage
// N --shards S`), through the SDK's unmodified chain upload path:
//
//   node sdk_chain.js upload DEVNET_JSON FILE
//       an ethers Wallet (a lane-0 dev account) and the SDK's Flow contract
//       binding (getFlowContract at the devnet's Flow address); the SDK
//       Uploader reads Flow.market() and Market.pricePerSector(), sends
//       Flow.submit with that fee through eth_sendRawTransaction (ethers:
//       eth_chainId, eth_getTransactionCount, eth_gasPrice/feeHistory,
//       eth_estimateGas), waits for the storage nodes to learn the entry from
//       the chain (zgs_getFileInfo), uploads the segments (zgs_ uploads to
//       the nodes of each shard) and waits for finality. Then checks the
//       transaction's receipt: status 1 and a Flow Submit log that the SDK's
//       own Flow interface parses, with the file's root in it. Prints
//       "ROOT TXHASH".
//   node sdk_chain.js download DEVNET_JSON ROOT OUT
//       the SDK Downloader over the storage nodes, proofs checked.
// DEVNET_JSON: the output of `zg devnet up/status --json`. Exit 0 on success,
// 1 with a message.
'use strict';
const fs = require('fs');
const sdk = require('@0gfoundation/0g-ts-sdk');
const {ethers} = require('ethers');

function devnet(path) {
  const d = JSON.parse(fs.readFileSync(path, 'utf8'));
  const nodes = (d.storage || []).map((s) => s.rpc);
  if (nodes.length === 0) throw new Error(`${path}: no storage nodes (zg devnet up --storage N)`);
  const acct = d.accounts.find((a) => a.lane === 0);
  return {rpc: d.nodes[0].rpc, nodes, key: acct.private_key, flow: d.contracts.Flow, chainId: d.chain_id};
}

// The SDK logs its progress with console.log; keep stdout for our result.
async function quietly(fn) {
  const log = console.log;
  if (!process.env.ZG_SDK_VERBOSE) console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

async function upload(dn, path) {
  const provider = new ethers.JsonRpcProvider(dn.rpc, undefined, {staticNetwork: true});
  const net = await provider.getNetwork();
  if (Number(net.chainId) !== dn.chainId) throw new Error(`eth_chainId ${net.chainId}, devnet says ${dn.chainId}`);
  const wallet = new ethers.Wallet(dn.key, provider);
  const flow = sdk.getFlowContract(dn.flow, wallet);
  const nodes = dn.nodes.map((u) => new sdk.StorageNode(u));
  const uploader = new sdk.Uploader(nodes, dn.rpc, flow);
  const file = await sdk.ZgFile.fromFilePath(path);
  let res, err, root;
  try {
    const [tree, terr] = await file.merkleTree();
    if (terr !== null) throw new Error(`merkleTree: ${terr}`);
    root = tree.rootHash();
    // taskSize 64: SDK 1.2.8's splitTasks keeps only as many task rounds as
    // the shard with the fewest tasks has (see sdk_node.js); one task per
    // shard avoids that client bug for files of up to 128 segments a shard.
    [res, err] = await quietly(() => uploader.uploadFile(file, {finalityRequired: true, taskSize: 64}));
  } finally {
    await file.close();
  }
  if (err !== null) throw new Error(`SDK upload: ${err.shortMessage || err.message || err}`);
  if (res.rootHash !== root) throw new Error(`SDK reported root ${res.rootHash}, the tree says ${root}`);
  if (!res.txHash) throw new Error('the SDK did not submit a transaction (file already known?)');
  // The receipt as ethers sees it, and the Submit log parsed with the SDK's ABI.
  const rcpt = await provider.waitForTransaction(res.txHash, 1, 60000);
  if (!rcpt || rcpt.status !== 1) throw new Error(`receipt of ${res.txHash}: ${JSON.stringify(rcpt)}`);
  const submits = rcpt.logs
      .filter((l) => l.address.toLowerCase() === dn.flow.toLowerCase())
      .map((l) => flow.interface.parseLog(l))
      .filter((p) => p && p.name === 'Submit');
  if (submits.length !== 1) throw new Error(`${submits.length} Submit logs in the receipt`);
  const ev = submits[0].args;
  if (Number(ev.submissionIndex) !== res.txSeq) {
    throw new Error(`Submit.submissionIndex ${ev.submissionIndex}, the SDK's txSeq ${res.txSeq}`);
  }
  // The SDK's Submit ABI: (sender indexed, identity indexed, submissionIndex,
  // startPos, length, (length, tags, nodes[(root, height)])).
  // (An ethers Result is an array: .length is its field count, so by index.)
  const sub = ev.submission;
  if (BigInt(sub[0]) !== BigInt(fs.statSync(path).size) || sub[2].length === 0) {
    throw new Error(`Submit submission of ${sub[0]} bytes, ${sub[2].length} nodes`);
  }
  if (ev.sender.toLowerCase() !== wallet.address.toLowerCase()) {
    throw new Error(`Submit sender ${ev.sender}, the wallet is ${wallet.address}`);
  }
  console.log(`${root} ${res.txHash}`);
}

async function download(dn, root, out) {
  const nodes = dn.nodes.map((u) => new sdk.StorageNode(u));
  const dl = new sdk.Downloader(nodes);
  const err = await quietly(() => dl.download(root, out, true));
  if (err !== null && err !== undefined) throw new Error(`SDK download: ${err.message || err}`);
}

(async () => {
  const [cmd, dnPath, a, b] = process.argv.slice(2);
  const dn = devnet(dnPath);
  if (cmd === 'upload' && a) await upload(dn, a);
  else if (cmd === 'download' && a && b) await download(dn, a, b);
  else throw new Error('usage: sdk_chain.js upload DEVNET_JSON FILE | download DEVNET_JSON ROOT OUT');
  process.exit(0);
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
