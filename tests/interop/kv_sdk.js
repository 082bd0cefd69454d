// kv_sdk.js — the 0G TypeScript SDK's KV side, driven by kv_sdk.sh.
//   build STREAM OUT TAGS_OUT   StreamDataBuilder: two writes (a short value and a
//                               100 KiB one; the SDK's getValue cannot assemble values over
//                               256 KiB: it passes the base64 length as startIndex) -> OUT
//                               (the encoded payload) and TAGS_OUT (buildTags, hex)
//   read RPC STREAM ACCOUNT     KvClient against a zg KV node: getValue of both keys,
//                               getFirst, getNext, isAdmin, getHoldingStreamIds; one
//                               JSON line on stdout
const fs = require('fs');
const sdk = require('@0gfoundation/0g-ts-sdk');

function big() {
  const b = Buffer.alloc(100 * 1024);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7 + 3) & 0xff;
  return b;
}

async function main() {
  const [mode, ...a] = process.argv.slice(2);
  if (mode === 'build') {
    const [stream, out, tagsOut] = a;
    const b = new sdk.StreamDataBuilder(1000000);
    b.set(stream, Buffer.from('sdk-a'), Buffer.from('alpha from the sdk'));
    b.set(stream, Buffer.from('sdk-b'), big());
    const data = b.build();
    fs.writeFileSync(out, Buffer.from(data.encode()));
    fs.writeFileSync(tagsOut, '0x' + Buffer.from(b.buildTags()).toString('hex'));
    return;
  }
  if (mode === 'read') {
    const [rpc, stream, account] = a;
    const c = new sdk.KvClient(rpc);
    const va = await c.getValue(stream, Buffer.from('sdk-a'));
    const vb = await c.getValue(stream, Buffer.from('sdk-b'));
    const first = await c.getFirst(stream, 0, 1024);
    const next = await c.getNext(stream, Buffer.from('sdk-a'), 0, 1024, false);
    const admin = await c.isAdmin(account, stream);
    const held = await c.getHoldingStreamIds();
    console.log(JSON.stringify({
      a: Buffer.from(va.data, 'base64').toString(),
      aVersion: va.version,
      bSame: Buffer.from(vb.data, 'base64').equals(big()),
      bSize: vb.size,
      first: first ? Buffer.from(first.key, 'base64').toString() : null,
      next: next ? Buffer.from(next.key, 'base64').toString() : null,
      admin,
      held,
    }));
    return;
  }
  throw new Error('usage: kv_sdk.js build|read ...');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
