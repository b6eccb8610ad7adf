/**
 * Reusable memory for the transient bytes of BrowserState encryption (S92).
 *
 * Browser-safe: imports nothing from Node.
 *
 * @packageDocumentation
 * @internal
 */

/**
 * A byte buffer reused from call to call: {@link Scratch.take} returns a view that is valid
 * until the next `take`, so its user must be done with it before anything else can run (no
 * `await` in between). It exists because fresh allocations of 100 KB and more cost more than the
 * work done on them: each is new memory whose page faults show up as system time (measured in
 * `bench/browserstate.ts`: reusing three buffers makes a 100 KB load and save about 12% faster).
 *
 * Requests over `limit` bytes get fresh memory, so one rare huge value is not kept alive; below
 * it the buffer grows to the largest request seen and stays.
 */
export class Scratch {
  #bytes = new Uint8Array(0);

  /** @param limit - the largest request served from the reused buffer, in bytes. */
  constructor(readonly limit = 1024 * 1024) {}

  /** `n` bytes, not cleared (they hold whatever the last user left): write before reading. */
  take(n: number): Uint8Array<ArrayBuffer> {
    if (n > this.limit) return new Uint8Array(n);
    if (this.#bytes.length < n) this.#bytes = new Uint8Array(Math.min(this.limit, Math.max(n, 2 * this.#bytes.length)));
    return this.#bytes.subarray(0, n);
  }
}
