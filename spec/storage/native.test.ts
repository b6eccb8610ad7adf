import { nodeAesGcm, nodeUtf8Decode } from "../../src/storage/native";

describe("Node fast paths (storage/native)", () => {
  const aes = nodeAesGcm();
  const decode = nodeUtf8Decode();

  it("are found on Node", () => {
    expect(aes).toBeDefined();
    expect(decode).toBeDefined();
  });

  it("seal exactly as WebCrypto does, and open what WebCrypto sealed", async () => {
    const webKey = await crypto.subtle.importKey("raw", crypto.getRandomValues(new Uint8Array(32)), "AES-GCM", false, ["encrypt", "decrypt"]);
    const key = aes!.key(webKey);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    for (const n of [0, 1, 15, 16, 17, 100_000]) {
      const plain = crypto.getRandomValues(new Uint8Array(Math.min(n, 65_536)));
      const web = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, webKey, plain));
      expect(aes!.seal(key, iv, plain, 0)).toEqual(web);
      expect(aes!.open(key, iv, web)).toEqual(Buffer.from(plain));
    }
    const text = "héllo 🌍 \u2028";
    const web = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, webKey, new TextEncoder().encode(text)));
    expect(aes!.seal(key, iv, text, 0)).toEqual(web); // a string is sealed as its UTF-8
  });

  it("authenticates additional data as WebCrypto does", async () => {
    const webKey = await crypto.subtle.importKey("raw", crypto.getRandomValues(new Uint8Array(32)), "AES-GCM", false, ["encrypt"]);
    const key = aes!.key(webKey);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode("admin");
    const additionalData = new TextEncoder().encode("name");
    const web = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, webKey, plain));
    expect(aes!.seal(key, iv, plain, 0, additionalData)).toEqual(web);
    expect(aes!.open(key, iv, web, additionalData)).toEqual(Buffer.from(plain));
    expect(aes!.open(key, iv, web, new TextEncoder().encode("role"))).toBeUndefined();
    expect(aes!.open(key, iv, web)).toBeUndefined();
  });

  it("leaves headroom for a header, and seals texts too large for the reused buffers", async () => {
    const webKey = await crypto.subtle.importKey("raw", crypto.getRandomValues(new Uint8Array(32)), "AES-GCM", false, ["encrypt"]);
    const key = aes!.key(webKey);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    for (const text of ["short é", "é🌍".repeat(400_000)]) {
      const web = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, webKey, new TextEncoder().encode(text)));
      const sealed = aes!.seal(key, iv, text, 5);
      expect(sealed).toHaveLength(5 + web.length);
      expect(sealed.subarray(5)).toEqual(web);
    }
  });

  it("refuses a tampered ciphertext, a wrong tag and another key", async () => {
    const make = () => crypto.subtle.importKey("raw", crypto.getRandomValues(new Uint8Array(32)), "AES-GCM", false, ["encrypt"]);
    const [mine, theirs] = await Promise.all([make(), make()]);
    const iv = new Uint8Array(12);
    const sealed = aes!.seal(aes!.key(mine), iv, new TextEncoder().encode("secret"), 0);
    const flipped = sealed.slice();
    flipped[0] ^= 1;
    const badTag = sealed.slice();
    badTag[badTag.length - 1] ^= 1;
    expect(aes!.open(aes!.key(mine), iv, flipped)).toBeUndefined();
    expect(aes!.open(aes!.key(mine), iv, badTag)).toBeUndefined();
    expect(aes!.open(aes!.key(theirs), iv, sealed)).toBeUndefined();
  });

  it("decodes UTF-8 strictly, like TextDecoder with fatal and ignoreBOM", () => {
    const text = "héllo 🌍 \u0000 \u2028 \uFEFFx";
    expect(decode!(new TextEncoder().encode(text))).toBe(text);
    expect(decode!(new TextEncoder().encode("\uFEFF{}"))).toBe("\uFEFF{}"); // a BOM is kept
    expect(decode!(new Uint8Array([0x22, 0xff, 0x22]))).toBeUndefined();
    expect(decode!(new Uint8Array([0xf0, 0x9f, 0x8c]))).toBeUndefined(); // cut inside a character
    expect(decode!(new Uint8Array(0))).toBe("");
    expect(decode!(new TextEncoder().encode('{"ascii":[1,"x"]}'))).toBe('{"ascii":[1,"x"]}');
    expect(decode!(new Uint8Array([0x7b, 0x80, 0x7d]))).toBeUndefined(); // not ASCII, not UTF-8
    const view = new TextEncoder().encode("xxabcxx").subarray(2, 5);
    expect(decode!(view)).toBe("abc"); // a view decodes only its own bytes
  });
});
