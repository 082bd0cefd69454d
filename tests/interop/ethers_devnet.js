// ethers_devnet.js — the ethers.js v6 acceptance test of zg's Ethereum
// JSON-RPC, against a running devnet (run by ethers_devnet.sh).
// Usage: node ethers_devnet.js STATUS_JSON  (the output of
// `zg devnet status --json`). Prints one line per check and exits 1 on any
// failure. ethers comes from NODE_PATH (installed by the .sh).
'use strict';
const fs = require('fs');
const { ethers } = require('ethers');

const st = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// The Staking ABI, verbatim from include/zg/staking.h.
const STAKING_ABI = [
  'function registerValidator(bytes32 consensusKey, bytes blsPubkey, bytes blsPop, uint16 commissionBps) payable',
  'function delegate(address validator) payable',
  'function undelegate(address validator, uint256 amount)',
  'function withdraw() returns (uint256 paid)',
  'function getValidator(address operator) view returns (bytes32 consensusKey, bytes blsPubkey, uint16 commissionBps, uint256 selfStake, uint256 totalStake, bool jailed, uint256 slashedTotal)',
  'function getDelegation(address delegator, address validator) view returns (uint256)',
  'function validatorSet(uint64 epoch) view returns (address[] operators, bytes32[] consensusKeys, uint256[] powers)',
  'function currentEpoch() view returns (uint64)',
  'function totalStaked() view returns (uint256)',
  'event Delegated(address indexed delegator, address indexed validator, uint256 amount)',
];

let passed = 0, failed = 0;
const ok = (m) => { passed++; console.log('ok: ' + m); };
const bad = (m) => { failed++; console.log('FAIL: ' + m); };
const check = (cond, m) => (cond ? ok(m) : bad(m));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function rejects(what, p, re) {
  try {
    await p;
    bad(`${what}: accepted`);
  } catch (e) {
    const msg = (e && (e.error?.message || e.info?.error?.message || e.shortMessage || e.message)) || String(e);
    if (re.test(msg)) ok(`${what}: refused ("${msg.slice(0, 140)}")`);
    else bad(`${what}: refused with an unclear message: ${msg.slice(0, 300)}`);
  }
}

async function main() {
  const url = st.nodes[0].rpc;
  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, polling: true, pollingInterval: 100 });
  const lanes = st.lanes;
  const accts = st.accounts;
  const a0 = accts.find((a) => a.lane === 0);
  const far = accts.find((a) => a.lane === (lanes > 1 ? 1 : 0) && a.address !== a0.address);
  const w0 = new ethers.Wallet(a0.private_key, provider);

  const net = await provider.getNetwork();
  check(net.chainId === BigInt(st.chain_id), `eth_chainId ${net.chainId} is the devnet's ${st.chain_id}`);
  const head = await provider.getBlockNumber();
  check(head >= 1, `eth_blockNumber ${head}`);
  const fee = await provider.getFeeData();
  check(fee.gasPrice > 0n, `fee data: gasPrice ${fee.gasPrice}, maxFeePerGas ${fee.maxFeePerGas}`);

  // A signed transfer, lane 0 -> (lane 1 when there are two lanes).
  const value = 123456789n;
  const fromBefore = await provider.getBalance(w0.address);
  const toBefore = await provider.getBalance(far.address);
  const est = await provider.estimateGas({ from: w0.address, to: far.address, value });
  check(est === 21000n, `eth_estimateGas of a transfer: ${est}`);
  const tx = await w0.sendTransaction({ to: far.address, value });
  const rc = await tx.wait(1, 90000);
  check(rc && rc.status === 1, `transfer ${tx.hash} committed in block ${rc && rc.blockNumber} (status ${rc && rc.status})`);
  const cost = rc.gasUsed * rc.gasPrice + value;
  const fromAfter = await provider.getBalance(w0.address); // nodes keep the latest state only
  check(fromBefore - fromAfter === cost,
    `sender paid value + gasUsed x price: ${fromBefore - fromAfter} wei (value ${value}, gasUsed ${rc.gasUsed}, price ${rc.gasPrice})`);
  let toAfter = toBefore;
  for (let i = 0; i < 600 && toAfter - toBefore !== value; i++) {
    await sleep(100); // a cross-lane credit lands when the recipient's lane imports it
    toAfter = await provider.getBalance(far.address);
  }
  check(toAfter - toBefore === value, `recipient (lane ${far.lane}) credited ${toAfter - toBefore} wei`);
  const got = await provider.getTransaction(tx.hash);
  check(got && got.hash === tx.hash && got.from === w0.address, 'eth_getTransactionByHash');
  check((await provider.getTransactionCount(w0.address)) === tx.nonce + 1, 'eth_getTransactionCount moved on');

  // The block that holds it (lane 0's, since the sender is on lane 0).
  const blk = await provider.getBlock(rc.blockNumber);
  check(blk && blk.hash === rc.blockHash && blk.transactions.includes(tx.hash),
    `eth_getBlockByNumber(${rc.blockNumber}): hash and transactions match the receipt`);
  const byHash = await provider.getBlock(rc.blockHash);
  check(byHash && byHash.number === rc.blockNumber, 'eth_getBlockByHash');

  // Staking views.
  const staking = new ethers.Contract(st.contracts.Staking, STAKING_ABI, provider);
  const code = await provider.getCode(st.contracts.Staking);
  check(code !== '0x', `eth_getCode(Staking) is non-empty (${code.slice(0, 10)}..)`);
  const op = st.nodes[0].operator;
  const v = await staking.getValidator(op);
  check(v.selfStake > 0n && v.totalStake >= v.selfStake && !v.jailed,
    `Staking.getValidator(v0): selfStake ${v.selfStake}, totalStake ${v.totalStake}`);
  const total = await staking.totalStaked();
  check(total >= v.totalStake, `Staking.totalStaked ${total}`);
  const epoch = await staking.currentEpoch();
  const set = await staking.validatorSet(epoch);
  check(set.operators.length === st.nodes.length, `Staking.validatorSet(${epoch}): ${set.operators.length} validators`);

  // A Staking call, with its event, read back through eth_getLogs.
  const amount = ethers.parseEther('2');
  const dtx = await staking.connect(w0).delegate(op, { value: amount });
  const drc = await dtx.wait(1, 90000);
  check(drc.status === 1, `Staking.delegate committed (block ${drc.blockNumber})`);
  const ev = drc.logs.map((l) => { try { return staking.interface.parseLog(l); } catch { return null; } })
    .find((p) => p && p.name === 'Delegated');
  check(ev && ev.args.delegator === w0.address && ev.args.amount === amount, 'receipt carries Delegated(delegator, validator, amount)');
  const logs = await provider.getLogs({ address: st.contracts.Staking, fromBlock: drc.blockNumber, toBlock: drc.blockNumber,
    topics: [staking.interface.getEvent('Delegated').topicHash] });
  check(logs.some((l) => l.transactionHash === dtx.hash), `eth_getLogs finds the Delegated event (${logs.length} log(s))`);
  const d = await staking.getDelegation(w0.address, op);
  check(d >= amount, `Staking.getDelegation ${d}`);

  // Refusals with clear messages.
  await rejects('eth_call of a state-changing method (undelegate) reverts with a reason',
    staking.connect(w0).undelegate.staticCall(op, 10n ** 30n), /revert|exceed|insufficient|more than|stake/i);
  if (lanes > 1) {
    const w1 = new ethers.Wallet(accts.find((a) => a.lane === 1).private_key, provider);
    await rejects('Staking call from a lane-1 account', staking.connect(w1).delegate(op, { value: 1n, gasLimit: 200000 }), /lane/i);
  }
  const poor = ethers.Wallet.createRandom().connect(provider);
  await rejects('transfer from an account without funds',
    poor.sendTransaction({ to: w0.address, value: 1n, gasLimit: 21000, gasPrice: fee.gasPrice, chainId: st.chain_id, nonce: 0 }),
    /fund|balance/i);
  const stale = await w0.signTransaction({ to: far.address, value: 1n, gasLimit: 21000, gasPrice: fee.gasPrice,
    chainId: st.chain_id, nonce: 0 });
  await rejects('nonce too low', provider.broadcastTransaction(stale), /nonce/i);
  const other = await w0.signTransaction({ to: far.address, value: 1n, gasLimit: 21000, gasPrice: fee.gasPrice,
    chainId: 1, nonce: await provider.getTransactionCount(w0.address) });
  await rejects('transaction for chain id 1', provider.broadcastTransaction(other), /chain/i);
  const lowGas = await w0.signTransaction({ to: far.address, value: 1n, gasLimit: 20000, gasPrice: fee.gasPrice,
    chainId: st.chain_id, nonce: await provider.getTransactionCount(w0.address) });
  await rejects('gas limit below 21000', provider.broadcastTransaction(lowGas), /gas/i);

  console.log(`${passed} passed, ${failed} failed`);
  provider.destroy();
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.log('FAIL: ' + (e.stack || e)); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); });
