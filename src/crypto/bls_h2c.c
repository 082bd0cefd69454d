/*
 * bls_h2c.c — RFC 9380 hash_to_curve / encode_to_curve for BLS12-381 G1 and
 * G2 (suites BLS12381G{1,2}_XMD:SHA-256_SSWU_{RO,NU}_), zg/bls_h2c.h.
 *
 * Pipeline: hash_to_field (expand_message_xmd, L = 64 bytes per Fp limb,
 * reduced mod p), simplified SWU onto the isogenous curve E' (y^2 = x^3 +
 * A'x + B', with A'B' != 0), the rational isogeny map E' -> E (degree 11 for
 * G1, 3 for G2), then cofactor clearing.
 *
 * Invariants: the maps are the RFC's optimized straight-line procedures
 * (appendix F.2: q = 3 mod 4 for G1, q = 9 mod 16 for G2): one
 * exponentiation by a public constant, no inversion, every data-dependent
 * choice a cmov, so the time taken does not depend on u. SSWU leaves x as a
 * fraction xn / xd; the isogeny is evaluated on it with homogenized
 * polynomials and written straight into Jacobian coordinates (see iso_g1),
 * so the whole map has no inversion. An exceptional input (a point of the
 * isogeny's kernel: a denominator is zero) gives Z = 0, the point at
 * infinity, as the RFC requires.
 *
 * The constants below are the RFC's (section 8.8 and appendix E) converted
 * to Montgomery form (value * 2^384 mod p, six little-endian 64-bit limbs);
 * each carries the canonical value in a comment. The end-to-end RFC vectors
 * (tests/crypto/test_bls_h2c.c) check every one of them.
 */
#include <string.h>

#include "crypto/bls_field.h"
#include "zg/bls_h2c.h"
#include "zg/bytes.h"
#include "zg/hash.h"

/* ---------------- constants ---------------- */

/* G1_A = 0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d */
static const zg_fp_t G1_A = {{0x2f65aa0e9af5aa51ull, 0x86464c2d1e8416c3ull, 0xb85ce591b7bd31e2ull, 0x27e11c91b5f24e7cull, 0x28376eda6bfc1835ull, 0x155455c3e5071d85ull}};
/* G1_B = 0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0 */
static const zg_fp_t G1_B = {{0xfb996971fe22a1e0ull, 0x9aa93eb35b742d6full, 0x8c476013de99c5c4ull, 0x873e27c3a221e571ull, 0xca72b5e45a52d888ull, 0x06824061418a386bull}};
/* G1_Z = 11 */
static const zg_fp_t G1_Z = {{0x886c00000023ffdcull, 0x0f70008d3090001dull, 0x77672417ed5828c3ull, 0x9dac23e943dc1740ull, 0x50553f1b9c131521ull, 0x078c712fbe0ab6e8ull}};
static const zg_fp_t G1_ISO_K1[12] = {
    /* k_(1,0) = 0x11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7 */ {{0x4d18b6f3af00131cull, 0x19fa219793fee28cull, 0x3f2885f1467f19aeull, 0x23dcea34f2ffb304ull, 0xd15b58d2ffc00054ull, 0x0913be200a20bef4ull}},
    /* k_(1,1) = 0x17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb */ {{0x898985385cdbbd8bull, 0x3c79e43cc7d966aaull, 0x1597e193f4cd233aull, 0x8637ef1e4d6623adull, 0x11b22deed20d827bull, 0x07097bc5998784adull}},
    /* k_(1,2) = 0xd54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0 */ {{0xa542583a480b664bull, 0xfc7169c026e568c6ull, 0x5ba2ef314ed8b5a6ull, 0x5b5491c05102f0e7ull, 0xdf6e99707d2a0079ull, 0x0784151ed7605524ull}},
    /* k_(1,3) = 0x1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861 */ {{0x494e212870f72741ull, 0xab9be52fbda43021ull, 0x26f5577994e34c3dull, 0x049dfee82aefbd60ull, 0x65dadd7828505289ull, 0x0e93d431ea011aebull}},
    /* k_(1,4) = 0xe99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9 */ {{0x90ee774bd6a74d45ull, 0x7ada1c8a41bfb185ull, 0x0f1a8953b325f464ull, 0x104c24211be4805cull, 0x169139d319ea7a8full, 0x09f20ead8e532bf6ull}},
    /* k_(1,5) = 0x1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983 */ {{0x6ddd93e2f43626b7ull, 0xa5482c9aa1ccd7bdull, 0x143245631883f4bdull, 0x2e0a94ccf77ec0dbull, 0xb0282d480e56489full, 0x18f4bfcbb4368929ull}},
    /* k_(1,6) = 0xd6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84 */ {{0x23c5f0c953402dfdull, 0x7a43ff6958ce4fe9ull, 0x2c390d3d2da5df63ull, 0xd0df5c98e1f9d70full, 0xffd89869a572b297ull, 0x1277ffc72f25e8feull}},
    /* k_(1,7) = 0x17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e */ {{0x79f4f0490f06a8a6ull, 0x85f894a88030fd81ull, 0x12da3054b18b6410ull, 0xe2a57f6505880d65ull, 0xbba074f260e400f1ull, 0x08b76279f621d028ull}},
    /* k_(1,8) = 0x80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317 */ {{0xe67245ba78d5b00bull, 0x8456ba9a1f186475ull, 0x7888bff6e6b33bb4ull, 0xe21585b9a30f86cbull, 0x05a69cdcef55feeeull, 0x09e699dd9adfa5acull}},
    /* k_(1,9) = 0x169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e */ {{0x0de5c357bff57107ull, 0x0a0db4ae6b1a10b2ull, 0xe256bb67b3b3cd8dull, 0x8ad456574e9db24full, 0x0443915f50fd4179ull, 0x098c4bf7de8b6375ull}},
    /* k_(1,10) = 0x10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b */ {{0xe6b0617e7dd929c7ull, 0xfe6e37d442537375ull, 0x1dafdeda137a489eull, 0xe4efd1ad3f767cebull, 0x4a51d8667f0fe1cfull, 0x054fdf4bbf1d821cull}},
    /* k_(1,11) = 0x6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229 */ {{0x72db2a50658d767bull, 0x8abf91faa257b3d5ull, 0xe969d6833764ab47ull, 0x464170142a1009ebull, 0xb14f01aadb30be2full, 0x18ae6a856f40715dull}},
};
static const zg_fp_t G1_ISO_K2[10] = {
    /* k_(2,0) = 0x8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c */ {{0xb962a077fdb0f945ull, 0xa6a9740fefda13a0ull, 0xc14d568c3ed6c544ull, 0xb43fc37b908b133eull, 0x9c0b3ac929599016ull, 0x0165aa6c93ad115full}},
    /* k_(2,1) = 0x12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff */ {{0x23279a3ba506c1d9ull, 0x92cfca0a9465176aull, 0x3b294ab13755f0ffull, 0x116dda1c5070ae93ull, 0xed4530924cec2045ull, 0x083383d6ed81f1ceull}},
    /* k_(2,2) = 0xb2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19 */ {{0x9885c2a6449fecfcull, 0x4a2b54ccd37733f0ull, 0x17da9ffd8738c142ull, 0xa0fba72732b3fafdull, 0xff364f36e54b6812ull, 0x0f29c13c660523e2ull}},
    /* k_(2,3) = 0x3425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8 */ {{0xe349cc118278f041ull, 0xd487228f2f3204fbull, 0xc9d325849ade5150ull, 0x43a92bd69c15c2dfull, 0x1c2c7844bc417be4ull, 0x12025184f407440cull}},
    /* k_(2,4) = 0x13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e */ {{0x587f65ae6acb057bull, 0x1444ef325140201full, 0xfbf995e71270da49ull, 0xccda066072436a42ull, 0x7408904f0f186bb2ull, 0x13b93c63edf6c015ull}},
    /* k_(2,5) = 0xe7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5 */ {{0xfb918622cd141920ull, 0x4a4c64423ecaddb4ull, 0x0beb232927f7fb26ull, 0x30f94df6f83a3dc2ull, 0xaeedd424d780f388ull, 0x06cc402dd594bbebull}},
    /* k_(2,6) = 0x772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a */ {{0xd41f761151b23f8full, 0x32a92465435719b3ull, 0x64f436e888c62cb9ull, 0xdf70a9a1f757c6e4ull, 0x6933a38d5b594c81ull, 0x0c6f7f7237b46606ull}},
    /* k_(2,7) = 0x14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e */ {{0x693c08747876c8f7ull, 0x22c9850bf9cf80f0ull, 0x8e9071dab950c124ull, 0x89bc62d61c7baf23ull, 0xbc6be2d8dad57c23ull, 0x17916987aa14a122ull}},
    /* k_(2,8) = 0xa10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641 */ {{0x1be3ff439c1316fdull, 0x9965243a7571dfa7ull, 0xc7f7f62962f5cd81ull, 0x32c6aa9af394361cull, 0xbbc2ee18e1c227f4ull, 0x0c102cbac531bb34ull}},
    /* k_(2,9) = 0x95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a */ {{0x997614c97bacbf07ull, 0x61f86372b99192c0ull, 0x5b8c95fc14353fc3ull, 0xca2b066c2a87492full, 0x16178f5bbf698711ull, 0x12a6dcd7f0f4e0e8ull}},
};
static const zg_fp_t G1_ISO_K3[16] = {
    /* k_(3,0) = 0x90d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33 */ {{0x2b567ff3e2837267ull, 0x1d4d9e57b958a767ull, 0xce028fea04bd7373ull, 0xcc31a30a0b6cd3dfull, 0x7d7b18a682692693ull, 0x0d300744d42a0310ull}},
    /* k_(3,1) = 0x134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696 */ {{0x99c2555fa542493full, 0xfe7f53cc4874f878ull, 0x5df0608b8f97608aull, 0x14e03832052b49c8ull, 0x706326a6957dd5a4ull, 0x0a8dadd9c2414555ull}},
    /* k_(3,2) = 0xcc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6 */ {{0x13d942922a5cf63aull, 0x357e33e36e261e7dull, 0xcf05a27c8456088dull, 0x0000bd1de7ba50f0ull, 0x83d0c7532f8c1fdeull, 0x13f70bf38bbf2905ull}},
    /* k_(3,3) = 0x1f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb */ {{0x5c57fd95bfafbdbbull, 0x28a359a65e541707ull, 0x3983ceb4f6360b6dull, 0xafe19ff6f97e6d53ull, 0xb3468f4550192bf7ull, 0x0bb6cde49d8ba257ull}},
    /* k_(3,4) = 0x8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb */ {{0x590b62c7ff8a513full, 0x314b4ce372cacefdull, 0x6bef32ce94b8a800ull, 0x6ddf84a095713d5full, 0x64eace4cb0982191ull, 0x0386213c651b888dull}},
    /* k_(3,5) = 0x16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0 */ {{0xa5310a31111bbcddull, 0xa14ac0f5da148982ull, 0xf9ad9cc95423d2e9ull, 0xaa6ec095283ee4a7ull, 0xcf5b1f022e1c9107ull, 0x01fddf5aed881793ull}},
    /* k_(3,6) = 0x4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2 */ {{0x65a572b0d7a7d950ull, 0xe25c2d8183473a19ull, 0xc2fcebe7cb877dbdull, 0x05b2d36c769a89b0ull, 0xba12961be86e9efbull, 0x07eb1b29c1dfde1full}},
    /* k_(3,7) = 0x987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29 */ {{0x93e09572f7c4cd24ull, 0x364e929076795091ull, 0x8569467e68af51b5ull, 0xa47da89439f5340full, 0xf4fa918082e44d64ull, 0x0ad52ba3e6695a79ull}},
    /* k_(3,8) = 0x9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587 */ {{0x911429844e0d5f54ull, 0xd03f51a3516bb233ull, 0x3d587e5640536e66ull, 0xfa86d2a3a9a73482ull, 0xa90ed5adf1ed5537ull, 0x149c9c326a5e7393ull}},
    /* k_(3,9) = 0xe1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30 */ {{0x462bbeb03c12921aull, 0xdc9af5fa0a274a17ull, 0x9a558ebde836ebedull, 0x649ef8f11a4fae46ull, 0x8100e1652b3cdc62ull, 0x1862bd62c291dacbull}},
    /* k_(3,10) = 0x19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132 */ {{0x05c9b8ca89f12c26ull, 0x0194160fa9b9ac4full, 0x6a643d5a6879fa2cull, 0x14665bdd8846e19dull, 0xbb1d0d53af3ff6bfull, 0x12c7e1c3b28962e5ull}},
    /* k_(3,11) = 0x18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e */ {{0xb55ebf900b8a3e17ull, 0xfedc77ec1a9201c4ull, 0x1f07db10ea1a4df4ull, 0x0dfbd15dc41a594dull, 0x389547f2334a5391ull, 0x02419f98165871a4ull}},
    /* k_(3,12) = 0xb182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8 */ {{0xb416af000745fc20ull, 0x8e563e9d1ea6d0f5ull, 0x7c763e17763a0652ull, 0x01458ef0159ebbefull, 0x8346fe421f96bb13ull, 0x0d2d7b829ce324d2ull}},
    /* k_(3,13) = 0x245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133 */ {{0x93096bb538d64615ull, 0x6f2a2619951d823aull, 0x8f66b3ea59514fa4ull, 0xf563e63704f7092full, 0x724b136c4cf2d9faull, 0x046959cfcfd0bf49ull}},
    /* k_(3,14) = 0x5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b */ {{0xea748d4b6e405346ull, 0x91e9079c2c02d58full, 0x41064965946d9b59ull, 0xa06731f1d2bbe1eeull, 0x07f897e267a33f1bull, 0x1017290919210e5full}},
    /* k_(3,15) = 0x15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604 */ {{0x872aa6c17d985097ull, 0xeecc53161264562aull, 0x07afe37afff55002ull, 0x54759078e5be6838ull, 0xc4b92d15db8acca8ull, 0x106d87d1b51d13b9ull}},
};
static const zg_fp_t G1_ISO_K4[15] = {
    /* k_(4,0) = 0x16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1 */ {{0xeb6c359d47e52b1cull, 0x18ef5f8a10634d60ull, 0xddfa71a0889d5b7eull, 0x723e71dcc5fc1323ull, 0x52f45700b70d5c69ull, 0x0a8b981ee47691f1ull}},
    /* k_(4,1) = 0x1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d */ {{0x616a3c4f5535b9fbull, 0x6f5f037395dbd911ull, 0xf25f4cc5e35c65daull, 0x3e50dffea3c62658ull, 0x6a33dca523560776ull, 0x0fadeff77b6bfe3eull}},
    /* k_(4,2) = 0x58df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2 */ {{0x2be9b66df470059cull, 0x24a2c159a3d36742ull, 0x115dbe7ad10c2a37ull, 0xb6634a652ee5884dull, 0x04fe8bb2b8d81af4ull, 0x01c2a7a256fe9c41ull}},
    /* k_(4,3) = 0x16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416 */ {{0xf27bf8ef3b75a386ull, 0x898b367476c9073full, 0x24482e6b8c2f4e5full, 0xc8e0bbd6fe110806ull, 0x59b0c17f7631448aull, 0x11037cd58b3dbfbdull}},
    /* k_(4,4) = 0xbe0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d */ {{0x31c7912ea267eec6ull, 0x1dbf6f1c5fcdb700ull, 0xd30d4fe3ba86fdb1ull, 0x3cae528fbee9a2a4ull, 0xb1cce69b6aa9ad9aull, 0x044393bb632d94fbull}},
    /* k_(4,5) = 0x8d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac */ {{0xc66ef6efeeb5c7e8ull, 0x9824c289dd72bb55ull, 0x71b1a4d2f119981dull, 0x104fc1aafb0919ccull, 0x0e49df01d942a628ull, 0x096c3a09773272d4ull}},
    /* k_(4,6) = 0x166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c */ {{0x9abc11eb5fadeff4ull, 0x32dca50a885728f0ull, 0xfb1fa3721569734cull, 0xc4b76271ea6506b3ull, 0xd466a75599ce728eull, 0x0c81d4645f4cb6edull}},
    /* k_(4,7) = 0x16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9 */ {{0x4199f10e5b8be45bull, 0xda64e495b1e87930ull, 0xcb353efe9b33e4ffull, 0x9e9efb24aa6424c6ull, 0xf08d33680a237465ull, 0x0d3378023e4c7406ull}},
    /* k_(4,8) = 0x1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a */ {{0x7eb4ae92ec74d3a5ull, 0xc341b4aa9fac3497ull, 0x5be603899e907687ull, 0x03bfd9cca75cbdebull, 0x564c2935a96bfa93ull, 0x0ef3c33371e2fdb5ull}},
    /* k_(4,9) = 0x167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55 */ {{0x7ee91fd449f6ac2eull, 0xe5d5bd5cb9357a30ull, 0x773a8ca5196b1380ull, 0xd0fda172174ed023ull, 0x6cb95e0fa776aeadull, 0x0d22d5a40cec7cffull}},
    /* k_(4,10) = 0x4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8 */ {{0xf727e09285fd8519ull, 0xdc9d55a83017897bull, 0x7549d8bd057894aeull, 0x178419613d90d8f8ull, 0xfce95ebdeb5b490aull, 0x0467ffaef23fc49eull}},
    /* k_(4,11) = 0xaccbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092 */ {{0xc1769e6a7c385f1bull, 0x79bc930deac01c03ull, 0x5461c75a23ede3b5ull, 0x6e20829e5c230c45ull, 0x828e0f1e772a53cdull, 0x116aefa749127bffull}},
    /* k_(4,12) = 0xad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc */ {{0x101c10bf2744c10aull, 0xbbf18d053a6a3154ull, 0xa0ecf39ef026f602ull, 0xfc009d4996dc5153ull, 0xb9000209d5bd08d3ull, 0x189e5fe4470cd73cull}},
    /* k_(4,13) = 0x2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7 */ {{0x7ebd546ca1575ed2ull, 0xe47d5a981d081b55ull, 0x57b2b625b6d4ca21ull, 0xb0a1ba04228520ccull, 0x98738983c2107ff3ull, 0x13dddbc4799d81d6ull}},
    /* k_(4,14) = 0xe0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f */ {{0x09319f2e39834935ull, 0x039e952cbdb05c21ull, 0x55ba77a9a2f76493ull, 0xfd04e3dfc6086467ull, 0xfb95832e7d78742eull, 0x0ef9c24eccaf5e0eull}},
};
static const zg_fp2_t G2_ISO_K1[4] = {
    /* k_(1,0) = 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6 + 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6 * I */
    {{{0x47f671c71ce05e62ull, 0x06dd57071206393eull, 0x7c80cd2af3fd71a2ull, 0x048103ea9e6cd062ull, 0xc54516acc8d037f6ull, 0x13808f550920ea41ull}}, {{0x47f671c71ce05e62ull, 0x06dd57071206393eull, 0x7c80cd2af3fd71a2ull, 0x048103ea9e6cd062ull, 0xc54516acc8d037f6ull, 0x13808f550920ea41ull}}},
    /* k_(1,1) = 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a * I */
    {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}, {{0x5fe55555554c71d0ull, 0x873fffdd236aaaa3ull, 0x6a6b4619b26ef918ull, 0x21c2888408874945ull, 0x2836cda7028cabc5ull, 0x0ac73310a7fd5abdull}}},
    /* k_(1,2) = 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e + 0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d * I */
    {{{0x0a0c5555555971c3ull, 0xdb0c00101f9eaaaeull, 0xb1fb2f941d797997ull, 0xd3960742ef416e1cull, 0xb70040e2c20556f4ull, 0x149d7861e581393bull}}, {{0xaff2aaaaaaa638e8ull, 0x439fffee91b55551ull, 0xb535a30cd9377c8cull, 0x90e144420443a4a2ull, 0x941b66d3814655e2ull, 0x0563998853fead5eull}}},
    /* k_(1,3) = 0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1 */
    {{{0x40aac71c71c725edull, 0x190955557a84e38eull, 0xd817050a8f41abc3ull, 0xd86485d4c87f6fb1ull, 0x696eb479f885d059ull, 0x198e1a74328002d2ull}}, {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}},
};
static const zg_fp2_t G2_ISO_K2[2] = {
    /* k_(2,0) = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63 * I */
    {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}, {{0x1f3affffff13ab97ull, 0xf25bfc611da3ff3eull, 0xca3757cb3819b208ull, 0x3e6427366f8cec18ull, 0x03977bc86095b089ull, 0x04f69db13f39a952ull}}},
    /* k_(2,1) = 0xc + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f * I */
    {{{0x447600000027552eull, 0xdcb8009a43480020ull, 0x6f7ee9ce4a6e8b59ull, 0xb10330b7c0a95bc6ull, 0x6140b1fcfb1e54b7ull, 0x0381be097f0bb4e1ull}}, {{0x7588ffffffd8557dull, 0x41f3ff646e0bffdfull, 0xf7b1e8d2ac426acaull, 0xb3741acd32dbb6f8ull, 0xe9daf5b9482d581full, 0x167f53e0ba7431b8ull}}},
};
static const zg_fp2_t G2_ISO_K3[4] = {
    /* k_(3,0) = 0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706 + 0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706 * I */
    {{{0x96d8f684bdfc77beull, 0xb530e4f43b66d0e2ull, 0x184a88ff379652fdull, 0x57cb23ecfae804e1ull, 0x0fd2e39eada3eba9ull, 0x08c8055e31c5d5c3ull}}, {{0x96d8f684bdfc77beull, 0xb530e4f43b66d0e2ull, 0x184a88ff379652fdull, 0x57cb23ecfae804e1ull, 0x0fd2e39eada3eba9ull, 0x08c8055e31c5d5c3ull}}},
    /* k_(3,1) = 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be * I */
    {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}, {{0xbf0a71c71c91b406ull, 0x4d6d55d28b7638fdull, 0x9d82f98e5f205aeeull, 0xa27aa27b1d1a18d5ull, 0x02c3b2b2d2938e86ull, 0x0c7d13420b09807full}}},
    /* k_(3,2) = 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c + 0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f * I */
    {{{0xd7f9555555531c74ull, 0x21cffff748daaaa8ull, 0x5a9ad1866c9bbe46ull, 0x4870a2210221d251ull, 0x4a0db369c0a32af1ull, 0x02b1ccc429ff56afull}}, {{0xe205aaaaaaac8e37ull, 0xfcdc000768795556ull, 0x0c96011a8a1537ddull, 0x1c06a963f163406eull, 0x010df44c82a881e6ull, 0x174f45260f808febull}}},
    /* k_(3,3) = 0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10 */
    {{{0xa470bda12f67f35cull, 0xc0fe38e23327b425ull, 0xc9d3d0f2c6f0678dull, 0x1c55c9935b5a982eull, 0x27f6c0e2f0746764ull, 0x117c5e6e28aa9054ull}}, {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}},
};
static const zg_fp2_t G2_ISO_K4[3] = {
    /* k_(4,0) = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb * I */
    {{{0x0162fffffa765adfull, 0x8f7bea480083fb75ull, 0x561b3c2259e93611ull, 0x11e19fc1a9c875d5ull, 0xca713efc00367660ull, 0x03c6a03d41da1151ull}}, {{0x0162fffffa765adfull, 0x8f7bea480083fb75ull, 0x561b3c2259e93611ull, 0x11e19fc1a9c875d5ull, 0xca713efc00367660ull, 0x03c6a03d41da1151ull}}},
    /* k_(4,1) = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3 * I */
    {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}, {{0x5db0fffffd3b02c5ull, 0xd713f52358ebfdbaull, 0x5ea60761a84d161aull, 0xbb2c75a34ea6c44aull, 0x0ac6735921c1119bull, 0x0ee3d913bdacfbf6ull}}},
    /* k_(4,2) = 0x12 + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99 * I */
    {{{0x66b10000003affc5ull, 0xcb1400e764ec0030ull, 0xa73e5eb56fa5d106ull, 0x8984c913a0fe09a9ull, 0x11e10afb78ad7f13ull, 0x05429d0e3e918f52ull}}, {{0x534dffffffc4aae6ull, 0x5397ff174c67ffcfull, 0xbff273eb870b251dull, 0xdaf2827152870915ull, 0x393a9cbaca9e2dc3ull, 0x14be74dbfaee5748ull}}},
};
/* G2_A = 240 * u */
static const zg_fp2_t G2_A = {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}, {{0xe53a000003135242ull, 0x01080c0fdef80285ull, 0xe7889edbe340f6bdull, 0x0b51375126310601ull, 0x02d6985717c744abull, 0x1220b4e979ea5467ull}}};
/* G2_B = 1012 * (1 + u) */
static const zg_fp2_t G2_B = {{{0x22ea00000cf89db2ull, 0x6ec832df71380aa4ull, 0x6e1b94403db5a66eull, 0x75bf3c53a79473baull, 0x3dd3a569412c0a34ull, 0x125cdb5e74dc4fd1ull}}, {{0x22ea00000cf89db2ull, 0x6ec832df71380aa4ull, 0x6e1b94403db5a66eull, 0x75bf3c53a79473baull, 0x3dd3a569412c0a34ull, 0x125cdb5e74dc4fd1ull}}};
/* G2_Z = -(2 + u) */
static const zg_fp2_t G2_Z = {{{0x87ebfffffff9555cull, 0x656fffe5da8ffffaull, 0x0fd0749345d33ad2ull, 0xd951e663066576f4ull, 0xde291a3d41e980d3ull, 0x0815664c7dfe040dull}}, {{0x43f5fffffffcaaaeull, 0x32b7fff2ed47fffdull, 0x07e83a49a2e99d69ull, 0xeca8f3318332bb7aull, 0xef148d1ea0f4c069ull, 0x040ab3263eff0206ull}}};

/* Constants of the optimized SSWU maps (RFC 9380 appendix F.2). */
/* (p - 3) / 4 (little-endian limbs). */
static const uint64_t G1_E[6] = {0xee7fbfffffffeaaaull, 0x07aaffffac54ffffull, 0xd9cc34a83dac3d89ull, 0xd91dd2e13ce144afull, 0x92c6e9ed90d2eb35ull, 0x0680447a8e5ff9a6ull};
/* sqrt(-Z^3) = 0x3d689d1e0e762cef9f2bec6130316806b4c80eda6fc10ce77ae83eab1ea8b8b8a407c9c6db195e06f2dbeabc2baeff5 */
static const zg_fp_t G1_SQRT_MZ3 = {{0x43b571cad3215f1full, 0xccb460ef1c702dc2ull, 0x742d884f4f97100bull, 0xdb2c3e3238a3382bull, 0xe40f3fa13fce8f88ull, 0x0073a2af9892a2ffull}};
/* Z * A' = 0xdf088f08f205e3a3857e1ea7b2289d9a148b96ab3e694151fe89284e4d926a8e55cb15e9aab878fe7db859f2cb453f */
static const zg_fp_t G1_ZA = {{0x7f674ea0a8915178ull, 0xb0f945fc13b8fa65ull, 0x4b46759a38e87d76ull, 0x2e7a929641bbb6a1ull, 0x1668ddfa462bf6b6ull, 0x00960e2ed1cf294cull}};
/* -A' = 0x19eccb5195c6fd570db26db379de6354b38cb3316f96ac168e483a8606d8747786189071107306805d0ad7f7d2a75e8e */
static const zg_fp_t G1_NEG_A = {{0x8a9955f1650a005aull, 0x9865b3d192cfe93cull, 0xaed3ed0f3ef3c441ull, 0x3c962ef33d92c442ull, 0x22e438dbd74f94a2ull, 0x04acbc265478c915ull}};
/* (q - 9) / 16 = E1 * p + E0 with q = p^2 (little-endian limbs). */
static const uint64_t G2_E0[6] = {0xcfdf4fffffffc555ull, 0xd5163fff19e9bfffull, 0x96f190cea999a938ull, 0x151203eb676b7ce3ull, 0x13a3034d4e4406d4ull, 0x11e0bc510787ee8aull};
static const uint64_t G2_E1[6] = {0xfb9feffffffffaaaull, 0x41eabfffeb153fffull, 0xf6730d2a0f6b0f62ull, 0x764774b84f38512bull, 0xa4b1ba7b6434bacdull, 0x01a0111ea397fe69ull};
/* sqrt(u) = 0x135203e60180a68ee2e9c448d77a2cd91c3dedd930b1cf60ef396489f61eb45e304466cf3e67fa0af1ee7b04121bdea2 + 0x6af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4c81084fbede3cc09*u */
static const zg_fp2_t G2_SQRT_U = {{{0x3e2f585da55c9ad1ull, 0x4294213d86c18183ull, 0x382844c88b623732ull, 0x92ad2afd19103e18ull, 0x1d794e4fac7cf0b9ull, 0x0bd592fc7d825ec8ull}}, {{0x7bcfa7a25aa30fdaull, 0xdc17dec12a927e7cull, 0x2f088dd86b4ebef1ull, 0xd1ca2087da74d4a7ull, 0x2da2596696cebc1dull, 0x0e2b7eedbbfd87d2ull}}};
/* sqrt(Z^3 / sqrt(u)) = 0x699be3b8c6870965e5bf892ad5d2cc7b0e85a117402dfd83b7f4a947e02d978498255a2aaec0ac627b5afbdf1bf1c90 + 0x8157cd83046453f5dd0972b6e3949e4288020b5b8a9cc99ca07e27089a2ce2436d965026adad3ef7baba37f2183e9b5*u */
static const zg_fp2_t G2_C4 = {{{0x05e514668ac736d2ull, 0x9089b4d6b84f3ea5ull, 0x603c384c224a8b32ull, 0xf3257909536afea6ull, 0x5c5cdbabae656d81ull, 0x075bfa0863c987e9ull}}, {{0x338d9bfe08087330ull, 0x7b8e48b2bd83cefeull, 0x530dad5d306b5be7ull, 0x5a4d7e8e6c408b6dull, 0x6258f7a6232cab9bull, 0x0b985811cce14db5ull}}};
/* sqrt(Z^3 / (u sqrt(u))) = 0xaa404866706722864480885d68ad0ccac1967c7544b447873cc37e0181271e006df72162a3d3e0287bf597fbf7f8fc1 + 0xf4f4eea5c13c15da9c684978f6491371f79f55584125663b9d20e36eb36bb21d6dcf73044f0e80bab2339ac58d1bc94*u */
static const zg_fp2_t G2_C5 = {{{0x019af5f980a3680cull, 0x4ed7da0e66063afaull, 0x600354723b5d9972ull, 0x8b2f958b20d09d72ull, 0x0474938f02d461dbull, 0x0dcf8b9e0684ab1cull}}, {{0x486f252db11dd19cull, 0x791ffda2c3d18950ull, 0x5af6c27debf95eb4ull, 0x73b1fd8f2a929cdeull, 0xfc59602a1a90b871ull, 0x08d7daafa8baddb3ull}}};
/* Z * A' = 0xf0 + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8cb*u */
static const zg_fp2_t G2_ZA = {{{0xe53a000003135242ull, 0x01080c0fdef80285ull, 0xe7889edbe340f6bdull, 0x0b51375126310601ull, 0x02d6985717c744abull, 0x1220b4e979ea5467ull}}, {{0xa989fffff9d8b0d2ull, 0x3b47e7dda4b7faf3ull, 0xff50678a26dffeceull, 0xb24c28679aa8197aull, 0x908a1ebe5708d058ull, 0x0fc0ba017f2b2466ull}}};
/* -A' = -240 * u */
static const zg_fp2_t G2_NEG_A = {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull}}, {{0xd4c4fffffcec5869ull, 0x1da3f3eed25bfd79ull, 0x7fa833c5136fff67ull, 0x59261433cd540cbdull, 0x48450f5f2b84682cull, 0x07e05d00bf959233ull}}};

/* ---------------- hash_to_field ---------------- */

zg_err_t zg_bls_hash_to_field_fp(zg_fp_t *u, size_t count, const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                 size_t dstlen) {
  uint8_t buf[ZG_BLS_H2F_MAX * 64];
  if (!u || count == 0 || count > ZG_BLS_H2F_MAX || (!msg && msglen) || (!dst && dstlen)) return ZG_EINVAL;
  ZG_TRY(zg_expand_message_xmd(buf, count * 64, ZG_XMD_SHA256, msg, msglen, dst, dstlen));
  for (size_t i = 0; i < count; i++) zg__fp_from_be64_reduce(&u[i], buf + 64 * i);
  zg_memwipe(buf, sizeof buf);
  return ZG_OK;
}

zg_err_t zg_bls_hash_to_field_fp2(zg_fp2_t *u, size_t count, const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                  size_t dstlen) {
  uint8_t buf[ZG_BLS_H2F_MAX * 128];
  if (!u || count == 0 || count > ZG_BLS_H2F_MAX || (!msg && msglen) || (!dst && dstlen)) return ZG_EINVAL;
  ZG_TRY(zg_expand_message_xmd(buf, count * 128, ZG_XMD_SHA256, msg, msglen, dst, dstlen));
  for (size_t i = 0; i < count; i++) {
    zg__fp_from_be64_reduce(&u[i].c0, buf + 128 * i);
    zg__fp_from_be64_reduce(&u[i].c1, buf + 128 * i + 64);
  }
  zg_memwipe(buf, sizeof buf);
  return ZG_OK;
}

/* ---------------- exponentiation by public exponents ---------------- */

/* a^e for a public 6-limb exponent, fixed 4-bit windows (the branch and the
 * table index depend on e only). */
static void fp_pow(zg_fp_t *r, const zg_fp_t *a, const uint64_t e[6]) {
  zg_fp_t tab[16], acc = zg__fp_one;
  tab[0] = zg__fp_one;
  tab[1] = *a;
  for (int i = 2; i < 16; i++) zg__fp_mul(&tab[i], &tab[i - 1], a);
  for (int i = 95; i >= 0; i--) {
    for (int k = 0; k < 4; k++) zg__fp_sqr(&acc, &acc);
    unsigned w = (unsigned)(e[i / 16] >> (4 * (i % 16))) & 15;
    if (w) zg__fp_mul(&acc, &acc, &tab[w]);
  }
  *r = acc;
}

/* a^((q - 9) / 16) in Fp2 (q = p^2) as a^E0 * (a^p)^E1, where a^p is the
 * conjugate: two 381-bit exponents sharing one chain of squarings. */
static void fp2_pow_q9_16(zg_fp2_t *r, const zg_fp2_t *a) {
  zg_fp2_t t0[16], t1[16], acc = zg__fp2_one;
  t0[0] = t1[0] = zg__fp2_one;
  t0[1] = *a;
  zg__fp2_conj(&t1[1], a);
  for (int i = 2; i < 16; i++) {
    zg__fp2_mul(&t0[i], &t0[i - 1], &t0[1]);
    zg__fp2_conj(&t1[i], &t0[i]);
  }
  for (int i = 95; i >= 0; i--) {
    for (int k = 0; k < 4; k++) zg__fp2_sqr(&acc, &acc);
    unsigned w0 = (unsigned)(G2_E0[i / 16] >> (4 * (i % 16))) & 15;
    unsigned w1 = (unsigned)(G2_E1[i / 16] >> (4 * (i % 16))) & 15;
    if (w0) zg__fp2_mul(&acc, &acc, &t0[w0]);
    if (w1) zg__fp2_mul(&acc, &acc, &t1[w1]);
  }
  *r = acc;
}

/* ---------------- simplified SWU (RFC 9380 appendix F.2, straight line) ---------------- */

/* map_to_curve_simple_swu_3mod4 onto E1': x = xn / xd, y (yd = 1). One
 * exponentiation, no inversion; every choice is a cmov. */
static void sswu_g1(zg_fp_t *xn, zg_fp_t *xd, zg_fp_t *y, const zg_fp_t *u) {
  zg_fp_t tv1, tv2, tv3, tv4, x1n, gxd, gx1, y1, y2;
  zg__fp_sqr(&tv1, u);
  zg__fp_mul(&tv3, &G1_Z, &tv1);  /* Z u^2 */
  zg__fp_sqr(&tv2, &tv3);
  zg__fp_add(xd, &tv2, &tv3);
  zg__fp_add(&x1n, xd, &zg__fp_one);
  zg__fp_mul(&x1n, &x1n, &G1_B);
  zg__fp_mul(xd, xd, &G1_NEG_A);
  zg__fp_cmov(xd, &G1_ZA, zg__fp_is_zero(xd)); /* exceptional case: x1 = B / (Z A) */
  zg__fp_sqr(&tv2, xd);
  zg__fp_mul(&gxd, &tv2, xd);     /* xd^3 */
  zg__fp_mul(&tv2, &G1_A, &tv2);
  zg__fp_sqr(&gx1, &x1n);
  zg__fp_add(&gx1, &gx1, &tv2);
  zg__fp_mul(&gx1, &gx1, &x1n);
  zg__fp_mul(&tv2, &G1_B, &gxd);
  zg__fp_add(&gx1, &gx1, &tv2);   /* x1n^3 + A x1n xd^2 + B xd^3 */
  zg__fp_sqr(&tv4, &gxd);
  zg__fp_mul(&tv2, &gx1, &gxd);
  zg__fp_mul(&tv4, &tv4, &tv2);   /* gx1 gxd^3 */
  fp_pow(&y1, &tv4, G1_E);
  zg__fp_mul(&y1, &y1, &tv2);     /* sqrt(gx1 / gxd) when it exists */
  zg__fp_mul(&y2, &y1, &G1_SQRT_MZ3);
  zg__fp_mul(&y2, &y2, &tv1);
  zg__fp_mul(&y2, &y2, u);        /* else the root for x2 = Z u^2 x1 */
  zg__fp_sqr(&tv2, &y1);
  zg__fp_mul(&tv2, &tv2, &gxd);
  bool e2 = zg__fp_eq(&tv2, &gx1);
  zg__fp_mul(xn, &tv3, &x1n);
  zg__fp_cmov(xn, &x1n, e2);
  *y = y2;
  zg__fp_cmov(y, &y1, e2);
  zg__fp_neg(&tv1, y);
  zg__fp_cmov(y, &tv1, zg__fp_sgn0(u) != zg__fp_sgn0(y));
}

/* y = CMOV(y, c * m, (c * m)^2 * gxd == g): one of the candidate roots. */
static void fp2_try_root(zg_fp2_t *y, zg_fp2_t *cand, const zg_fp2_t *base, const zg_fp2_t *m, const zg_fp2_t *gxd,
                         const zg_fp2_t *g) {
  zg_fp2_t t;
  zg__fp2_mul(cand, base, m);
  zg__fp2_sqr(&t, cand);
  zg__fp2_mul(&t, &t, gxd);
  zg__fp2_cmov(y, cand, zg__fp2_eq(&t, g));
}

static const zg_fp2_t FP2_U = {{{0}}, {{0x760900000002fffdull, 0xebf4000bc40c0002ull, 0x5f48985753c758baull,
                                        0x77ce585370525745ull, 0x5c071a97a256ec6dull, 0x15f65ec3fa80e493ull}}};

/* map_to_curve_simple_swu_9mod16 onto E2': x = xn / xd, y (yd = 1). */
static void sswu_g2(zg_fp2_t *xn, zg_fp2_t *xd, zg_fp2_t *y, const zg_fp2_t *u) {
  zg_fp2_t tv1, tv2, tv3, tv4, tv5, x1n, gxd, gx1, gx2, cand;
  zg__fp2_sqr(&tv1, u);
  zg__fp2_mul(&tv3, &G2_Z, &tv1);
  zg__fp2_sqr(&tv5, &tv3);
  zg__fp2_add(xd, &tv5, &tv3);
  zg__fp2_add(&x1n, xd, &zg__fp2_one);
  zg__fp2_mul(&x1n, &x1n, &G2_B);
  zg__fp2_mul(xd, xd, &G2_NEG_A);
  zg__fp2_cmov(xd, &G2_ZA, zg__fp2_is_zero(xd));
  zg__fp2_sqr(&tv2, xd);
  zg__fp2_mul(&gxd, &tv2, xd);
  zg__fp2_mul(&tv2, &G2_A, &tv2);
  zg__fp2_sqr(&gx1, &x1n);
  zg__fp2_add(&gx1, &gx1, &tv2);
  zg__fp2_mul(&gx1, &gx1, &x1n);
  zg__fp2_mul(&tv2, &G2_B, &gxd);
  zg__fp2_add(&gx1, &gx1, &tv2);
  zg__fp2_sqr(&tv4, &gxd);
  zg__fp2_mul(&tv2, &tv4, &gxd);  /* gxd^3 */
  zg__fp2_sqr(&tv4, &tv4);        /* gxd^4 */
  zg__fp2_mul(&tv2, &tv2, &tv4);  /* gxd^7 */
  zg__fp2_mul(&tv2, &tv2, &gx1);  /* gx1 gxd^7 */
  zg__fp2_sqr(&tv4, &tv4);        /* gxd^8 */
  zg__fp2_mul(&tv4, &tv2, &tv4);  /* gx1 gxd^15 */
  fp2_pow_q9_16(y, &tv4);
  zg__fp2_mul(y, y, &tv2);        /* almost sqrt(gx1 / gxd): off by a 4th root of unity */
  zg_fp2_t y0 = *y;
  fp2_try_root(y, &cand, &y0, &FP2_U, &gxd, &gx1);
  fp2_try_root(y, &cand, &y0, &G2_SQRT_U, &gxd, &gx1);
  fp2_try_root(y, &cand, &cand, &FP2_U, &gxd, &gx1);
  zg__fp2_mul(&gx2, &gx1, &tv5);
  zg__fp2_mul(&gx2, &gx2, &tv3);  /* g(x2) gxd = gx1 Z^3 u^6 */
  zg__fp2_mul(&tv5, y, &tv1);
  zg__fp2_mul(&tv5, &tv5, u);     /* almost sqrt(gx2 / gxd) */
  zg__fp2_mul(&tv1, &tv5, &G2_C4);
  zg_fp2_t t1 = tv1;
  fp2_try_root(&tv1, &cand, &t1, &FP2_U, &gxd, &gx2);
  fp2_try_root(&tv1, &cand, &tv5, &G2_C5, &gxd, &gx2);
  fp2_try_root(&tv1, &cand, &cand, &FP2_U, &gxd, &gx2);
  zg__fp2_sqr(&tv2, y);
  zg__fp2_mul(&tv2, &tv2, &gxd);
  bool e8 = zg__fp2_eq(&tv2, &gx1);
  zg__fp2_cmov(&tv1, y, e8);
  *y = tv1;
  zg__fp2_mul(xn, &tv3, &x1n);
  zg__fp2_cmov(xn, &x1n, e8);
  zg__fp2_neg(&tv1, y);
  zg__fp2_cmov(y, &tv1, zg__fp2_sgn0(u) != zg__fp2_sgn0(y));
}

/* ---------------- isogeny maps (RFC 9380 appendix E) ---------------- */

/* Homogeneous Horner: r = sum_{i<=d} c_i xn^i xd^(d-i), where c = k[0..n-1]
 * and, when monic, c_n = 1 (d = n), else d = n - 1. xdp[j] = xd^j. */
static void fp_poly(zg_fp_t *r, const zg_fp_t *k, size_t n, bool monic, const zg_fp_t *xn, const zg_fp_t *xdp) {
  size_t d = monic ? n : n - 1;
  zg_fp_t acc = monic ? zg__fp_one : k[n - 1], t;
  for (size_t i = d; i-- > 0;) {
    zg__fp_mul(&acc, &acc, xn);
    zg__fp_mul(&t, &k[i], &xdp[d - i]);
    zg__fp_add(&acc, &acc, &t);
  }
  *r = acc;
}

static void fp2_poly(zg_fp2_t *r, const zg_fp2_t *k, size_t n, bool monic, const zg_fp2_t *xn, const zg_fp2_t *xdp) {
  size_t d = monic ? n : n - 1;
  zg_fp2_t acc = monic ? zg__fp2_one : k[n - 1], t;
  for (size_t i = d; i-- > 0;) {
    zg__fp2_mul(&acc, &acc, xn);
    zg__fp2_mul(&t, &k[i], &xdp[d - i]);
    zg__fp2_add(&acc, &acc, &t);
  }
  *r = acc;
}

/* With x' = xn / xd: x = x_num / x_den = XN / (XD xd) since deg x_num =
 * deg x_den + 1, and y = y' YN / YD since deg y_num = deg y_den (XN etc. are
 * the homogenized polynomials). Written as Jacobian (X, Y, Z) with
 * N = XN, D = XD xd, M = YN, E = YD: Z = D E, X = N D E^2, Y = y' M D^3 E^2. */
static void iso_g1(zg_g1_t *r, const zg_fp_t *xn, const zg_fp_t *xd, const zg_fp_t *y) {
  zg_fp_t xdp[16], n, d, m, e, t, e2;
  xdp[0] = zg__fp_one;
  xdp[1] = *xd;
  for (int i = 2; i < 16; i++) zg__fp_mul(&xdp[i], &xdp[i - 1], xd);
  fp_poly(&n, G1_ISO_K1, 12, false, xn, xdp);
  fp_poly(&d, G1_ISO_K2, 10, true, xn, xdp);
  zg__fp_mul(&d, &d, xd);
  fp_poly(&m, G1_ISO_K3, 16, false, xn, xdp);
  fp_poly(&e, G1_ISO_K4, 15, true, xn, xdp);
  zg__fp_mul(&r->z, &d, &e);
  zg__fp_sqr(&e2, &e);
  zg__fp_mul(&t, &d, &e2);
  zg__fp_mul(&r->x, &n, &t);
  zg__fp_sqr(&d, &d);
  zg__fp_mul(&t, &t, &d);
  zg__fp_mul(&t, &t, &m);
  zg__fp_mul(&r->y, &t, y);
}

static void iso_g2(zg_g2_t *r, const zg_fp2_t *xn, const zg_fp2_t *xd, const zg_fp2_t *y) {
  zg_fp2_t xdp[4], n, d, m, e, t, e2;
  xdp[0] = zg__fp2_one;
  xdp[1] = *xd;
  zg__fp2_sqr(&xdp[2], xd);
  zg__fp2_mul(&xdp[3], &xdp[2], xd);
  fp2_poly(&n, G2_ISO_K1, 4, false, xn, xdp);
  fp2_poly(&d, G2_ISO_K2, 2, true, xn, xdp);
  zg__fp2_mul(&d, &d, xd);
  fp2_poly(&m, G2_ISO_K3, 4, false, xn, xdp);
  fp2_poly(&e, G2_ISO_K4, 3, true, xn, xdp);
  zg__fp2_mul(&r->z, &d, &e);
  zg__fp2_sqr(&e2, &e);
  zg__fp2_mul(&t, &d, &e2);
  zg__fp2_mul(&r->x, &n, &t);
  zg__fp2_sqr(&d, &d);
  zg__fp2_mul(&t, &t, &d);
  zg__fp2_mul(&t, &t, &m);
  zg__fp2_mul(&r->y, &t, y);
}

void zg_bls_map_to_g1(zg_g1_t *r, const zg_fp_t *u) {
  zg_fp_t xn, xd, y;
  sswu_g1(&xn, &xd, &y, u);
  iso_g1(r, &xn, &xd, &y);
}

void zg_bls_map_to_g2(zg_g2_t *r, const zg_fp2_t *u) {
  zg_fp2_t xn, xd, y;
  sswu_g2(&xn, &xd, &y, u);
  iso_g2(r, &xn, &xd, &y);
}

/* ---------------- cofactor clearing ---------------- */

void zg_bls_clear_cofactor_g1(zg_g1_t *r, const zg_g1_t *p) { zg__g1_mul_u64_var(r, p, 0xd201000000010001ull); }

/* [x]P for the (negative) curve parameter x = -ZG__BLS_X. */
static void g2_mul_by_x(zg_g2_t *r, const zg_g2_t *p) {
  zg__g2_mul_u64_var(r, p, ZG__BLS_X);
  zg_g2_neg(r, r);
}

void zg_bls_clear_cofactor_g2(zg_g2_t *r, const zg_g2_t *p) {
  /* RFC 9380 appendix G.3 (Budroni-Pintore), with c1 = x:
   * h_eff P = [x^2 - x - 1] P + [x - 1] psi(P) + psi^2(2P). */
  zg_g2_t t1, t2, t3, in = *p;
  g2_mul_by_x(&t1, &in);  /* t1 = c1 P */
  zg__g2_psi(&t2, &in);   /* t2 = psi(P) */
  zg_g2_dbl(&t3, &in);    /* t3 = 2P */
  zg__g2_psi(&t3, &t3);
  zg__g2_psi(&t3, &t3);   /* t3 = psi2(2P) */
  zg_g2_sub(&t3, &t3, &t2);
  zg_g2_add(&t2, &t1, &t2);
  g2_mul_by_x(&t2, &t2);  /* t2 = c1 (c1 P + psi(P)) */
  zg_g2_add(&t3, &t3, &t2);
  zg_g2_sub(&t3, &t3, &t1);
  zg_g2_sub(r, &t3, &in);
}

/* ---------------- hash_to_curve / encode_to_curve ---------------- */

zg_err_t zg_bls_hash_to_g1(zg_g1_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst, size_t dstlen) {
  zg_fp_t u[2];
  zg_g1_t q0, q1;
  if (!r) return ZG_EINVAL;
  zg_g1_set_infinity(r);
  ZG_TRY(zg_bls_hash_to_field_fp(u, 2, msg, msglen, dst, dstlen));
  zg_bls_map_to_g1(&q0, &u[0]);
  zg_bls_map_to_g1(&q1, &u[1]);
  zg_g1_add(&q0, &q0, &q1);
  zg_bls_clear_cofactor_g1(r, &q0);
  return ZG_OK;
}

zg_err_t zg_bls_encode_to_g1(zg_g1_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst, size_t dstlen) {
  zg_fp_t u;
  zg_g1_t q;
  if (!r) return ZG_EINVAL;
  zg_g1_set_infinity(r);
  ZG_TRY(zg_bls_hash_to_field_fp(&u, 1, msg, msglen, dst, dstlen));
  zg_bls_map_to_g1(&q, &u);
  zg_bls_clear_cofactor_g1(r, &q);
  return ZG_OK;
}

zg_err_t zg_bls_hash_to_g2(zg_g2_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst, size_t dstlen) {
  zg_fp2_t u[2];
  zg_g2_t q0, q1;
  if (!r) return ZG_EINVAL;
  zg_g2_set_infinity(r);
  ZG_TRY(zg_bls_hash_to_field_fp2(u, 2, msg, msglen, dst, dstlen));
  zg_bls_map_to_g2(&q0, &u[0]);
  zg_bls_map_to_g2(&q1, &u[1]);
  zg_g2_add(&q0, &q0, &q1);
  zg_bls_clear_cofactor_g2(r, &q0);
  return ZG_OK;
}

zg_err_t zg_bls_encode_to_g2(zg_g2_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst, size_t dstlen) {
  zg_fp2_t u;
  zg_g2_t q;
  if (!r) return ZG_EINVAL;
  zg_g2_set_infinity(r);
  ZG_TRY(zg_bls_hash_to_field_fp2(&u, 1, msg, msglen, dst, dstlen));
  zg_bls_map_to_g2(&q, &u);
  zg_bls_clear_cofactor_g2(r, &q);
  return ZG_OK;
}
