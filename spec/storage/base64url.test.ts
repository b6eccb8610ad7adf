import { base64Url, bufferBase64Url, jsBase64Url, webBase64Url, type Base64UrlCodec } from "../../src/storage";
import { Scratch } from "../../src/storage/scratch";

const codecs: Base64UrlCodec[] = [jsBase64Url, bufferBase64Url(), webBase64Url()].filter(
  (c): c is Base64UrlCodec => c !== undefined,
);

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

describe("base64url codecs", () => {
  it("uses a native codec on Node (Buffer), the JavaScript one only as a fallback", () => {
    expect(codecs.map((c) => c.name)).toContain("buffer");
    expect(base64Url.name).not.toBe("js");
    expect(bufferBase64Url(undefined as unknown)).toBeDefined(); // the default: globalThis.Buffer
    expect(bufferBase64Url({})).toBeUndefined();
  });

  describe.each(codecs.map((c) => [c.name, c] as const))("%s", (_name, codec) => {
    // Decoding into reused memory must give the same answers (its limit: 64 bytes, so larger
    // texts take the fresh-memory path).
    const scratch = new Scratch(64);
    it("encodes like Node's reference implementation, for every tail length", () => {
      for (const n of [0, 1, 2, 3, 4, 5, 12, 100, 65_537]) {
        const data = bytes(n, n + 1);
        const text = codec.encode(data);
        expect(text).toBe(Buffer.from(data).toString("base64url"));
        expect(codec.decode(text)).toEqual(new Uint8Array(data));
        expect(codec.decode(text, scratch)).toEqual(new Uint8Array(data));
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
      expect(codec.decode(text, scratch)).toBeUndefined();
    });

    it("accepts the canonical forms of the texts above", () => {
      expect(codec.decode("QUJDRA")).toEqual(new Uint8Array([65, 66, 67, 68]));
      expect(codec.decode("QUJDREU")).toEqual(new Uint8Array([65, 66, 67, 68, 69]));
      expect(codec.decode("")).toEqual(new Uint8Array(0));
      expect(codec.decode("-_-_")).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
      expect(codec.decode("QUJDREU", scratch)).toEqual(new Uint8Array([65, 66, 67, 68, 69]));
    });
  });
});
