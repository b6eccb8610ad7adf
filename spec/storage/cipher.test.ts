import {
  BrowserStateCipher,
  CIPHER_ITERATIONS,
  CIPHER_SALT,
  DECRYPT_REASONS,
  HKDF_INFO,
  defaultSecret,
  defaultStorageKey,
  serializeBrowserStateValue,
} from "../../src/storage";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ENTRY = /^bsv3([A-Za-z0-9_-]{16})([A-Za-z0-9_-]+)$/;

/** The base64url IV and sealed parts of an entry (`bsv3`, 16 characters of IV, the rest). */
function parts(text: string): { iv: string; sealed: string } {
  return { iv: text.slice(4, 20), sealed: text.slice(20) };
}

/** An entry as the documented format writes it: `bsv3`, then base64url of IV ‖ sealed. */
function entryText(iv: Uint8Array, sealed: ArrayBuffer | Uint8Array): string {
  return `bsv3${Buffer.concat([iv, new Uint8Array(sealed)]).toString("base64url")}`;
}

/** Replaces the character at `index` by the one whose base64 value differs in the lowest bit. */
function flipLowBit(text: string, index: number): string {
  const value = ALPHABET.indexOf(text[index]);
  return text.slice(0, index) + ALPHABET[value ^ 1] + text.slice(index + 1);
}

/** Seals `plaintext` exactly as the documented format says, independently of the cipher. */
async function sealByHand(secret: string, plaintext: Uint8Array<ArrayBuffer>, storageKey = ""): Promise<string> {
  const encoder = new TextEncoder();
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "PBKDF2", false, [
    "deriveKey",
  ]);
  const key = await crypto.subtle.deriveKey(
    {
      name: "PBKDF2",
      salt: encoder.encode(CIPHER_SALT),
      iterations: CIPHER_ITERATIONS,
      hash: "SHA-256",
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(storageKey) }, key, plaintext);
  return entryText(iv, sealed);
}

describe("BrowserStateCipher", () => {
  // One instance per secret: each derives its key once (about 0.2 s).
  const cipher = new BrowserStateCipher("correct horse battery staple");
  const other = new BrowserStateCipher("another secret");

  describe("round trip", () => {
    const values: [string, unknown][] = [
      ["empty string", ""],
      ["zero", 0],
      ["false", false],
      ["null", null],
      ["empty object", {}],
      ["empty array", []],
      ["nested object", { a: [1, { b: "c", d: [true, null] }], e: { f: { g: -1.5e-7 } } }],
      ["non-ASCII text", "héllo 🌍 \u0000 \u2028"],
      ["a lone surrogate", "\ud800x"],
      ["a 100 KB string", "abcdefghij".repeat(10_240)],
    ];
    it.each(values)("%s", async (_name, value) => {
      const text = await cipher.encrypt(value);
      expect(text).toMatch(ENTRY);
      await expect(cipher.decrypt(text)).resolves.toEqual({ ok: true, value });
    });

    it("every base64 tail length (strings of 0 to 5 characters)", async () => {
      for (let n = 0; n <= 5; n++) {
        const value = "x".repeat(n);
        await expect(cipher.decrypt(await cipher.encrypt(value))).resolves.toEqual({
          ok: true,
          value,
        });
      }
    });

    it("applies JSON's own conversions", async () => {
      const text = await cipher.encrypt({ d: new Date(0), n: Number.NaN, u: undefined });
      await expect(cipher.decrypt(text)).resolves.toEqual({
        ok: true,
        value: { d: "1970-01-01T00:00:00.000Z", n: null },
      });
    });
  });

  describe("format", () => {
    it("is bsv3 then base64url of <12-byte IV> ‖ <UTF-8 JSON sealed with a 16-byte tag>", async () => {
      const value = { greeting: "héllo" };
      const match = ENTRY.exec(await cipher.encrypt(value));
      expect(match).not.toBeNull();
      const [, iv, sealed] = match!;
      expect(Buffer.from(iv, "base64url")).toHaveLength(12);
      expect(Buffer.from(iv, "base64url").toString("base64url")).toBe(iv);
      const plainBytes = Buffer.byteLength(JSON.stringify(value), "utf8");
      expect(Buffer.from(sealed, "base64url")).toHaveLength(plainBytes + 16);
      expect(Buffer.from(sealed, "base64url").toString("base64url")).toBe(sealed);
    });

    it("reads an entry sealed by hand with the documented KDF and cipher", async () => {
      const text = await sealByHand("another secret", new TextEncoder().encode('{"x":[1,2]}'));
      await expect(other.decrypt(text)).resolves.toEqual({ ok: true, value: { x: [1, 2] } });
      const bound = await sealByHand("another secret", new TextEncoder().encode('{"x":[1,2]}'), "prefs é");
      await expect(other.decrypt(bound, "prefs é")).resolves.toEqual({ ok: true, value: { x: [1, 2] } });
    });

    it("writes entries that open with WebCrypto and the documented KDF", async () => {
      const encoder = new TextEncoder();
      const base = await crypto.subtle.importKey("raw", encoder.encode("correct horse battery staple"), "PBKDF2", false, ["deriveKey"]);
      const key = await crypto.subtle.deriveKey(
        { name: "PBKDF2", salt: encoder.encode(CIPHER_SALT), iterations: CIPHER_ITERATIONS, hash: "SHA-256" },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["decrypt"],
      );
      const { iv, sealed } = parts(await cipher.encrypt({ hé: ["🌍", 1] }));
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: Buffer.from(iv, "base64url") }, key, Buffer.from(sealed, "base64url"));
      expect(new TextDecoder().decode(plain)).toBe('{"hé":["🌍",1]}');
    });

    it("uses a fresh IV for every write", async () => {
      const first = await cipher.encrypt({ same: "value" });
      const second = await cipher.encrypt({ same: "value" });
      expect(first).not.toBe(second);
      expect(parts(first).iv).not.toBe(parts(second).iv);
      await expect(cipher.decrypt(second)).resolves.toEqual({ ok: true, value: { same: "value" } });
    });
  });

  describe("unreadable entries", () => {
    it("detects a one-character change anywhere in the IV or ciphertext", async () => {
      // 0 seals to 17 bytes, so the last character carries unused low bits: flipping those must
      // be caught too.
      const text = await cipher.encrypt(0);
      expect(await cipher.decrypt(text)).toEqual({ ok: true, value: 0 });
      for (let i = 4; i < text.length; i++) {
        const result = await cipher.decrypt(flipLowBit(text, i));
        expect(result.ok).toBe(false);
      }
    });

    it("reports a changed ciphertext as another secret or tampering", async () => {
      const text = await cipher.encrypt({ a: 1 });
      const index = 20; // the first character of the sealed part
      await expect(cipher.decrypt(flipLowBit(text, index))).resolves.toEqual({
        ok: false,
        reason: DECRYPT_REASONS.secret,
      });
    });

    it("rejects truncated entries", async () => {
      const text = await cipher.encrypt("some longer value to cut");
      for (const cut of [1, 2, 4, 10, text.length - 20, text.length - 4]) {
        const result = await cipher.decrypt(text.slice(0, text.length - cut));
        expect(result.ok).toBe(false);
      }
    });

    it("binds an entry to its storage key: another key reads as another secret or tampering", async () => {
      const text = await cipher.encrypt("admin", "name");
      await expect(cipher.decrypt(text, "name")).resolves.toEqual({ ok: true, value: "admin" });
      for (const key of ["role", "", "name ", "Name"]) {
        await expect(cipher.decrypt(text, key)).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.secret });
      }
      await expect(cipher.decrypt(await cipher.encrypt("admin"), "name")).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.secret });
      await expect(cipher.encryptJson("1", 3 as unknown as string)).rejects.toThrow(/storageKey must be a string, got number/);
    });

    it("binds the key in a browser too, in the same format as Node's (one format everywhere)", async () => {
      // Without Node's Buffer (and, before 2025, the TC39 base64 methods) the entry goes through
      // btoa/atob, as in an older browser's bundle.
      const saved = Object.getOwnPropertyDescriptor(globalThis, "Buffer")!;
      delete (globalThis as { Buffer?: unknown }).Buffer;
      let web!: typeof import("../../src/storage/cipher");
      try {
        jest.isolateModules(() => {
          web = require("../../src/storage/cipher");
        });
      } finally {
        Object.defineProperty(globalThis, "Buffer", saved);
      }
      const webCipher = new web.BrowserStateCipher("shared", { kdf: "hkdf" });
      const nodeCipher = new BrowserStateCipher("shared", { kdf: "hkdf" });
      const fromWeb = await webCipher.encrypt({ role: "admin" }, "name");
      await expect(nodeCipher.decrypt(fromWeb, "name")).resolves.toEqual({ ok: true, value: { role: "admin" } });
      await expect(webCipher.decrypt(fromWeb, "name")).resolves.toEqual({ ok: true, value: { role: "admin" } });
      await expect(webCipher.decrypt(fromWeb, "role")).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.secret });
      const fromNode = await nodeCipher.encrypt("x", "name");
      await expect(webCipher.decrypt(fromNode, "name")).resolves.toEqual({ ok: true, value: "x" });
      await expect(webCipher.decrypt(fromNode, "role")).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.secret });
      await expect(webCipher.decrypt(flipLowBit(fromNode, fromNode.length - 1), "name")).resolves.toMatchObject({ ok: false });
    });

    it("does not read format bsv2 (no storage key bound), naming it", async () => {
      // bsv2 was this layout with no additional data, i.e. a bsv3 entry for the key "".
      const old = (await cipher.encrypt({ a: 1 })).replace(/^bsv3/, "bsv2");
      await expect(cipher.decrypt(old)).resolves.toEqual({ ok: false, reason: expect.stringContaining("format bsv2, which this version of blockstate cannot read") });
    });

    it("does not read the first format, v1.<iv>.<ciphertext>, naming it", async () => {
      await expect(cipher.decrypt("v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAA")).resolves.toEqual({ ok: false, reason: expect.stringContaining("format v1, which this version of blockstate cannot read") });
      await expect(cipher.decrypt("v1x")).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.format });
    });

    it("rejects an entry written with another secret", async () => {
      await expect(other.decrypt(await cipher.encrypt({ a: 1 }))).resolves.toEqual({
        ok: false,
        reason: DECRYPT_REASONS.secret,
      });
    });

    it.each([
      ["empty", ""],
      ["plain JSON", '{"a":1}'],
      ["garbage", "hello world"],
      ["the prefix alone", "bsv3"],
      ["an IV without a tag", `bsv3${"A".repeat(16)}`],
      ["padding", `bsv3${"A".repeat(16)}${"A".repeat(22)}==`],
      ["non-base64url", `bsv3${"A".repeat(16)}${"A".repeat(22)}+`],
      ["non-ASCII", `bsv3${"A".repeat(16)}${"A".repeat(22)}é`],
      ["a dot-separated entry", `bsv3.${"A".repeat(16)}.${"A".repeat(22)}`],
      ["shorter than a tag", `bsv3${"A".repeat(16)}AAAA`],
    ])("rejects %s text as not blockstate's format", async (_name, text) => {
      await expect(cipher.decrypt(text)).resolves.toEqual({
        ok: false,
        reason: DECRYPT_REASONS.format,
      });
    });

    it("decrypts concurrently: each call opens its own entry", async () => {
      // Fresh ciphers, so both calls await their key derivation before opening.
      const a = new BrowserStateCipher("first", { kdf: "hkdf" });
      const b = new BrowserStateCipher("second", { kdf: "hkdf" });
      // Entries of one length, so that one decoding could land where the other's is.
      const [ta, tb] = [await a.encrypt({ from: "a" }), await b.encrypt({ from: "b" })];
      const fresh = [new BrowserStateCipher("first", { kdf: "hkdf" }), new BrowserStateCipher("second", { kdf: "hkdf" })];
      await expect(Promise.all([fresh[0].decrypt(ta), fresh[1].decrypt(tb)])).resolves.toEqual([
        { ok: true, value: { from: "a" } },
        { ok: true, value: { from: "b" } },
      ]);
    });

    it("never throws, even for a non-string", async () => {
      await expect(cipher.decrypt(null as unknown as string)).resolves.toEqual({
        ok: false,
        reason: DECRYPT_REASONS.format,
      });
    });

    it("names an unknown format version", async () => {
      const text = (await cipher.encrypt(1)).replace(/^bsv3/, "bsv9");
      const result = await cipher.decrypt(text);
      expect(result).toEqual({ ok: false, reason: expect.stringContaining("format bsv9") });
    });

    it("reports authentic plaintext that is not JSON or not UTF-8", async () => {
      const notJson = await sealByHand("another secret", new TextEncoder().encode("{nope"));
      await expect(other.decrypt(notJson)).resolves.toEqual({
        ok: false,
        reason: DECRYPT_REASONS.json,
      });
      const notUtf8 = await sealByHand("another secret", new Uint8Array([0x22, 0xff, 0x22]));
      await expect(other.decrypt(notUtf8)).resolves.toEqual({
        ok: false,
        reason: DECRYPT_REASONS.json,
      });
      // A byte-order mark is kept, not skipped: JSON.parse refuses it on every platform.
      const withBom = await sealByHand("another secret", new TextEncoder().encode("\uFEFF{}"));
      await expect(other.decrypt(withBom)).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.json });
      const cutInsideCharacter = await sealByHand("another secret", new Uint8Array([0x22, 0xf0, 0x9f, 0x8c]));
      await expect(other.decrypt(cutInsideCharacter)).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.json });
    });
  });

  describe("values that are not JSON", () => {
    function cycle(): unknown {
      const node: Record<string, unknown> = { name: "loop" };
      node.self = node;
      return node;
    }
    it.each([
      ["a function inside", () => ({ onClick: () => 1 }), /function/],
      ["a function in an array", () => [1, () => 1], /function/],
      ["a top-level function", () => () => 1, /function/],
      ["a symbol inside", () => ({ s: Symbol("s") }), /symbol/],
      ["a cycle", cycle, /circular/i],
      ["a bigint", () => ({ n: 1n }), /BigInt/i],
      ["top-level undefined", () => undefined, /undefined/],
    ])("refuses %s with a TypeError", async (_name, make, detail) => {
      const attempt = cipher.encrypt(make());
      await expect(attempt).rejects.toThrow(TypeError);
      await expect(attempt).rejects.toThrow(/^BrowserState value is not JSON-serialisable: /);
      await expect(attempt).rejects.toThrow(detail);
    });

    it("names the array element that holds a function", async () => {
      await expect(cipher.encrypt({ list: [1, 2, () => 3] })).rejects.toThrow(
        "BrowserState value is not JSON-serialisable: element 2 is a function",
      );
    });

    it("looks at what toJSON returns, as JSON.stringify does", async () => {
      const hidden = { secretFn: () => 1, toJSON: () => ({ kept: true }) };
      await expect(cipher.decrypt(await cipher.encrypt({ hidden }))).resolves.toEqual({
        ok: true,
        value: { hidden: { kept: true } },
      });
      const revealed = { toJSON: () => ({ fn: () => 1 }) };
      await expect(cipher.encrypt({ revealed })).rejects.toThrow('key "fn" is a function');
    });

    it("names the key that holds a function", async () => {
      await expect(cipher.encrypt({ deep: { onClick: () => 1 } })).rejects.toThrow(
        'BrowserState value is not JSON-serialisable: key "onClick" is a function',
      );
    });
  });

  it("derives its key once and shares it between concurrent calls", async () => {
    const spy = jest.spyOn(crypto.subtle, "deriveKey");
    try {
      const fresh = new BrowserStateCipher("counted");
      const texts = await Promise.all([fresh.encrypt(1), fresh.encrypt(2)]);
      await fresh.decrypt(texts[0]);
      await fresh.encrypt(3);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("refuses an empty or non-string secret", () => {
    expect(() => new BrowserStateCipher("")).toThrow(TypeError);
    expect(() => new BrowserStateCipher(undefined as unknown as string)).toThrow(
      /non-empty string, got undefined/,
    );
  });
});

describe("defaultStorageKey and defaultSecret", () => {
  it("are deterministic", () => {
    expect(defaultStorageKey("my-app", 0)).toBe("blockstate:my-app:0");
    expect(defaultStorageKey("my-app", 0)).toBe(defaultStorageKey("my-app", 0));
    expect(defaultSecret("my-app", 3)).toBe(defaultSecret("my-app", 3));
  });

  it("differ between apps and positions", () => {
    const keys = [
      defaultStorageKey("a", 0),
      defaultStorageKey("a", 1),
      defaultStorageKey("b", 0),
      defaultStorageKey("a:1", 0),
      defaultStorageKey("a", 10),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    const secrets = [defaultSecret("a", 0), defaultSecret("a", 1), defaultSecret("b", 0)];
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it("keep two apps from reading each other's entries", async () => {
    const mine = new BrowserStateCipher(defaultSecret("app-one", 0));
    const theirs = new BrowserStateCipher(defaultSecret("app-two", 0));
    const again = new BrowserStateCipher(defaultSecret("app-one", 0)); // e.g. after a restart
    const text = await mine.encrypt({ theme: "dark" });
    expect((await theirs.decrypt(text)).ok).toBe(false);
    await expect(again.decrypt(text)).resolves.toEqual({ ok: true, value: { theme: "dark" } });
  });

  it("refuse a position that is not a non-negative integer", () => {
    expect(() => defaultStorageKey("a", -1)).toThrow(RangeError);
    expect(() => defaultSecret("a", 1.5)).toThrow(RangeError);
    expect(() => defaultStorageKey(1 as unknown as string, 0)).toThrow(TypeError);
  });
});

describe("BrowserStateCipher with kdf: hkdf", () => {
  it("reads an entry sealed by hand with HKDF-SHA-256 as documented", async () => {
    const encoder = new TextEncoder();
    const base = await crypto.subtle.importKey("raw", encoder.encode("derived"), "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: encoder.encode(CIPHER_SALT), info: encoder.encode(HKDF_INFO) },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt"],
    );
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode('{"a":[1]}'));
    const text = entryText(iv, sealed);
    const cipher = new BrowserStateCipher("derived", { kdf: "hkdf" });
    expect(cipher.kdf).toBe("hkdf");
    await expect(cipher.decrypt(text)).resolves.toEqual({ ok: true, value: { a: [1] } });
  });

  it("is another key than PBKDF2 of the same secret", async () => {
    const hkdf = new BrowserStateCipher("same", { kdf: "hkdf" });
    const pbkdf2 = new BrowserStateCipher("same");
    expect(pbkdf2.kdf).toBe("pbkdf2");
    await expect(pbkdf2.decrypt(await hkdf.encrypt(1))).resolves.toEqual({ ok: false, reason: DECRYPT_REASONS.secret });
  });

  // Its speed is measured by `npm run bench`, never here: this says that it is another key.
  it("derives another key than PBKDF2 from the same secret", async () => {
    const entry = await new BrowserStateCipher("same", { kdf: "hkdf" }).encrypt(1);
    await expect(new BrowserStateCipher("same", { kdf: "hkdf" }).decrypt(entry)).resolves.toEqual({ ok: true, value: 1 });
    await expect(new BrowserStateCipher("same", { kdf: "pbkdf2" }).decrypt(entry)).resolves.toMatchObject({ ok: false });
  });

  it("refuses an unknown kdf", () => {
    expect(() => new BrowserStateCipher("s", { kdf: "scrypt" as "hkdf" })).toThrow(/kdf must be "pbkdf2" or "hkdf", got "scrypt"/);
  });
});

describe("serializeBrowserStateValue and encryptJson", () => {
  it("serialises once, so a caller can encrypt the text later", async () => {
    const cipher = new BrowserStateCipher("later", { kdf: "hkdf" });
    const value = { list: [1] };
    const json = serializeBrowserStateValue(value);
    value.list.push(2); // a later in-place mutation does not reach the stored text
    await expect(cipher.decrypt(await cipher.encryptJson(json))).resolves.toEqual({ ok: true, value: { list: [1] } });
  });

  it("refuses what JSON would lose", () => {
    expect(() => serializeBrowserStateValue({ f: () => 1 })).toThrow(/not JSON-serialisable: key "f" is a function/);
    expect(() => serializeBrowserStateValue(undefined)).toThrow(/the value is undefined/);
    // JSON writes a Map or a Set as {}: refused rather than silently changed.
    expect(() => serializeBrowserStateValue({ tags: new Set(["a"]) })).toThrow(/key "tags" is a Set, which JSON would store as \{\}/);
    expect(() => serializeBrowserStateValue([new Map()])).toThrow(/element 0 is a Map/);
    expect(() => serializeBrowserStateValue(new Map())).toThrow(/the value is a Map/);
  });

  it("refuses typed arrays, ArrayBuffers, RegExps, Errors and other objects JSON would store as {} (S94)", () => {
    const refused: [unknown, string][] = [
      [new Uint8Array([1, 2, 3]), "the value is a Uint8Array, which JSON would store as an object keyed by index (convert it with Array.from)"],
      [{ w: new Float32Array([0.5]) }, 'key "w" is a Float32Array, which JSON would store as an object keyed by index (convert it with Array.from)'],
      [[new ArrayBuffer(4)], "element 0 is an ArrayBuffer, which JSON would store as {}"],
      [{ view: new DataView(new ArrayBuffer(1)) }, 'key "view" is a DataView, which JSON would store as {}'],
      [/ab+c/gi, "the value is a RegExp, which JSON would store as {}"],
      [{ last: new Error("boom") }, 'key "last" is an Error, which JSON would store without its message (store the message)'],
      [{ pending: Promise.resolve(1) }, 'key "pending" is a Promise, which JSON would store as {}'],
    ];
    for (const [value, detail] of refused) {
      expect(() => serializeBrowserStateValue(value)).toThrow(new TypeError(`BrowserState value is not JSON-serialisable: ${detail}`));
    }
  });

  it("stores class instances with fields as plain objects, and Dates as their text, as JSON does", () => {
    class Point {
      constructor(public x: number, public y: number) {}
    }
    expect(serializeBrowserStateValue({ at: new Point(1, 2), when: new Date(0), n: new Number(3) })).toBe(
      '{"at":{"x":1,"y":2},"when":"1970-01-01T00:00:00.000Z","n":3}',
    );
  });
});
