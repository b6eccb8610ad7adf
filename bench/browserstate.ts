/**
 * BrowserState persistence cost: load + save of a 100 KB value, encrypted (S92) versus plain
 * JSON, measured in the same run so that the ratio does not depend on the machine.
 *
 * Where the extra time goes (Node 20, per load + save of this value, on the native paths of
 * `src/storage/native.ts` and `base64url.ts`; plain JSON is about 650-800 µs): UTF-8 encoding
 * plus AES-GCM sealing (~220 µs) and opening (~100 µs), base64url both ways (~150 + ~100 µs),
 * UTF-8 decoding of the non-ASCII plaintext into a two-byte string (~270 µs, the largest part),
 * and the walk that refuses functions and symbols (~40 µs). The texts and buffers are 100 to
 * 200 KB each: the strings go to V8's large-object space (a fresh mapping each) and the buffers
 * to fresh native memory, whose page faults show up as system time: on this machine about half
 * of the extra time is the kernel's, not JavaScript's. Key derivation is not part of it
 * (cached).
 *
 * The floor of this design (JSON, then UTF-8, AES-GCM and base64url text for Web Storage) is
 * about 2× plain JSON on Node 20; the entry format (one base64 pass, no joined strings) and the
 * native paths bring it near that floor.
 *
 * @packageDocumentation
 */

import { BrowserStateCipher, MemoryStorage } from "../src/storage";

/** One bench figure, in the shape the bench runner collects. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

/** A chat history of about 100 KB of JSON: a typical large BrowserState value. */
function makeValue(): unknown {
  const history: { role: string; content: string; meta: { id: number; liked: boolean } }[] = [];
  let size = 2;
  for (let id = 0; size < 100 * 1024; id++) {
    const message = {
      role: id % 2 === 0 ? "user" : "assistant",
      content: `Message ${id}: ${"lorem ipsum dolor sit amet, é ü 🌍 ".repeat(6)}`,
      meta: { id, liked: id % 3 === 0 },
    };
    history.push(message);
    size += JSON.stringify(message).length + 1;
  }
  return { history };
}

async function timeRounds(
  rounds: number,
  perRound: number,
  once: () => Promise<void> | void,
): Promise<number[]> {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) await once();
    samples.push(((performance.now() - start) * 1000) / perRound);
  }
  return samples;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures one load + save (µs) of a ~100 KB value through {@link MemoryStorage}: plain is
 * `JSON.stringify` + `setItem` and `getItem` + `JSON.parse`; encrypted goes through
 * {@link BrowserStateCipher}. Key derivation happens during warm-up, as it does once per app.
 *
 * @returns one entry, `browserstate.encrypt_ratio`: value = encrypted µs, baseline = plain µs,
 *   ratio = value / baseline.
 */
export async function benchBrowserState(): Promise<BenchResult[]> {
  const value = makeValue();
  const storage = new MemoryStorage();
  const cipher = new BrowserStateCipher("bench secret");
  let sink = 0; // keeps the loads observable so nothing is optimised away

  const plain = (): void => {
    storage.setItem("plain", JSON.stringify(value));
    sink += (JSON.parse(storage.getItem("plain")!) as { history: unknown[] }).history.length;
  };
  const encrypted = async (): Promise<void> => {
    storage.setItem("encrypted", await cipher.encrypt(value));
    const result = await cipher.decrypt(storage.getItem("encrypted")!);
    if (!result.ok) throw new Error(`bench entry unreadable: ${result.reason}`);
    sink += (result.value as { history: unknown[] }).history.length;
  };

  await timeRounds(3, 20, plain);
  await timeRounds(3, 20, encrypted);
  // Interleave rounds so that drift (GC, CPU frequency) affects both sides alike.
  const plainSamples: number[] = [];
  const encryptedSamples: number[] = [];
  for (let r = 0; r < 15; r++) {
    plainSamples.push(...(await timeRounds(1, 20, plain)));
    encryptedSamples.push(...(await timeRounds(1, 20, encrypted)));
  }
  if (sink === 0) throw new Error("bench did nothing");

  const baseline = median(plainSamples);
  const measured = median(encryptedSamples);
  return [
    {
      name: "browserstate.encrypt_ratio",
      value: measured,
      unit: "µs per load+save (100 KB)",
      baseline,
      ratio: measured / baseline,
    },
  ];
}
