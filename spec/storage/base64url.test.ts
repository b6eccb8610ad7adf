import { base64Url, type Base64UrlCodec } from "../../src/storage";
import { platformBase64Url } from "../../src/storage/base64url";

// Every route the platform may offer: the TC39 methods where this Node has them (>= 25),
// Node's Buffer (20-24), and btoa/atob (older browsers).
const hasTc39 = typeof (Uint8Array as { fromBase64?: unknown }).fromBase64 === "function";
const codecs: [string, Base64UrlCodec][] = [
  ["this platform's", base64Url],
  ["Buffer", platformBase64Url({}, Buffer)],
  ["btoa/atob", platformBase64Url({}, undefined)],
  ...(hasTc39 ? [["TC39", platformBase64Url(Uint8Array as object, undefined)] as [string, Base64UrlCodec]] : []),
];

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

it("takes a Buffer only when it knows base64url (a bundler's polyfill may not)", () => {
  const polyfill = { isEncoding: (e: string) => e === "base64", from: () => { throw new Error("unknown encoding"); } };
  expect(platformBase64Url({}, polyfill).encode(new Uint8Array([251, 255]))).toBe("-_8");
  expect(platformBase64Url({}, {}).decode("-_8")).toEqual(new Uint8Array([251, 255]));
});

describe.each(codecs)("base64url through %s codec", (_name, codec) => {
  it("encodes like Node's reference implementation, for every tail length", () => {
    for (const n of [0, 1, 2, 3, 4, 5, 12, 100, 65_537]) {
      const data = bytes(n, n + 1);
      const text = codec.encode(data);
      expect(text).toBe(Buffer.from(data).toString("base64url"));
      expect(codec.decode(text)).toEqual(new Uint8Array(data));
    }
  });

  it("encodes a view at an offset, not its whole buffer", () => {
    const data = bytes(10);
    expect(codec.encode(data.subarray(3, 7))).toBe(Buffer.from(data.subarray(3, 7)).toString("base64url"));
  });

  it.each([
    ["padding", "QUI="],
    ["the standard alphabet's +", "QU+D"],
    ["the standard alphabet's /", "QU/D"],
    ["whitespace", "QU JD"],
    ["a newline", "QUJD\nQUJD"],
    ["an invalid character", "QU$D"],
    ["a non-ASCII character", "QUJé"],
    ["a length of 4k + 1", "QUJDR"],
    ["stray bits in the last of two characters", "QUJDRB"],
    ["stray bits in the last of three characters", "QUJDRUF"],
  ])("rejects %s", (_what, text) => {
    expect(codec.decode(text)).toBeUndefined();
  });

  it("accepts the canonical forms of the texts above", () => {
    expect(codec.decode("QUJDRA")).toEqual(new Uint8Array([65, 66, 67, 68]));
    expect(codec.decode("QUJDREU")).toEqual(new Uint8Array([65, 66, 67, 68, 69]));
    expect(codec.decode("")).toEqual(new Uint8Array(0));
    expect(codec.decode("-_-_")).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
  });
});
