/**
 * Seed 002, "What about objects that cannot be deepcopied?": per-session objects kept in a
 * global dictionary keyed by the session hash, created by a load listener and deleted when the
 * session closes.
 *
 * ```python
 * class NonDeepCopyable:
 *     def __init__(self):
 *         from threading import Lock
 *         self.counter = 0
 *         self.lock = Lock()  # Lock objects cannot be deepcopied
 *
 *     def increment(self):
 *         with self.lock:
 *             self.counter += 1
 *             return self.counter
 *
 * # Global dictionary to store user-specific instances
 * instances = {}
 *
 * def initialize_instance(request: gr.Request):
 *     instances[request.session_hash] = NonDeepCopyable()
 *     return "Session initialized!"
 *
 * def cleanup_instance(request: gr.Request):
 *     if request.session_hash in instances:
 *         del instances[request.session_hash]
 *
 * def increment_counter(request: gr.Request):
 *     if request.session_hash in instances:
 *         instance = instances[request.session_hash]
 *         return instance.increment()
 *     return "Error: Session not initialized"
 *
 * with gr.Blocks() as demo:
 *     output = gr.Textbox(label="Status")
 *     counter = gr.Number(label="Counter Value")
 *     increment_btn = gr.Button("Increment Counter")
 *     increment_btn.click(increment_counter, inputs=None, outputs=counter)
 *
 *     # Initialize instance when page loads
 *     demo.load(initialize_instance, inputs=None, outputs=output)
 *     # Clean up instance when page is closed/refreshed
 *     demo.close(cleanup_instance)
 * ```
 *
 * `gr.Request` is the event context's `sessionHash` here. JavaScript has no threads; the
 * counterpart of `threading.Lock` is an async lock, a chain of Promises, and a Promise cannot be
 * deep-copied either.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

/** An async mutual-exclusion lock: runs the functions given to {@link Lock.run} one at a time. */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class NonDeepCopyable {
  counter = 0;
  lock = new Lock(); // holds a Promise, which cannot be deep-copied

  increment(): Promise<number> {
    return this.lock.run(() => {
      this.counter += 1;
      return this.counter;
    });
  }
}

export function create() {
  // Global dictionary to store user-specific instances (one per app, in this closure).
  const instances = new Map<string, NonDeepCopyable>();

  function initializeInstance(ctx: gr.EventContext) {
    instances.set(ctx.sessionHash, new NonDeepCopyable());
    return "Session initialized!";
  }

  function cleanupInstance(ctx: gr.EventContext) {
    instances.delete(ctx.sessionHash);
  }

  async function incrementCounter(ctx: gr.EventContext) {
    const instance = instances.get(ctx.sessionHash);
    if (instance) return instance.increment();
    // As in the original: text returned to a Number, which rejects it, so the user sees an error.
    return "Error: Session not initialized";
  }

  let output!: gr.Textbox;
  let counter!: gr.Number;
  let incrementBtn!: gr.Button;
  const demo = new gr.Blocks((demo) => {
    output = new gr.Textbox({ label: "Status" });
    counter = new gr.Number({ label: "Counter Value" });
    incrementBtn = new gr.Button("Increment Counter");
    incrementBtn.click(incrementCounter, undefined, counter);

    // Initialize instance when page loads
    demo.load(initializeInstance, undefined, output);
    // Clean up instance when page is closed/refreshed
    demo.close(cleanupInstance);
  });
  return { demo, output, counter, incrementBtn, instances };
}

/** What one might try first: the object in a `gr.State`. The State constructor throws (S3). */
export function createWithState(): gr.Blocks {
  return new gr.Blocks(() => {
    new gr.State(new NonDeepCopyable());
  });
}

export async function scenario(t: Transcript): Promise<void> {
  t.expectThrows(createWithState, /^TypeError: .*default\.lock\.tail/, "gr.State(new NonDeepCopyable()) fails at definition time, naming the path");

  const { demo, counter, incrementBtn, instances } = create();
  t.launch(demo);
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  t.expectEqual(instances.size, 2, "one instance per session, keyed by session hash");

  await alice.click(incrementBtn, 2);
  await bob.click(incrementBtn);
  t.expectEqual([alice.get(counter), bob.get(counter)], [2, 1], "each user increments their own instance");
  t.check(instances.get(alice.session.sessionHash)?.counter === 2, "alice's instance counted 2");

  const bobsHash = bob.session.sessionHash;
  await bob.close();
  t.check(!instances.has(bobsHash), "closing bob's tab deleted his instance");
  t.expectEqual(instances.size, 1, "instances left");

  // An API client reconnecting with bob's hash reopens his session, but load does not run again.
  const bobAgain = await t.user("bob's API client", { sessionHash: bobsHash });
  const result = await bobAgain.click(incrementBtn);
  t.check(result.status === "error" && /Session not initialized/.test(result.error?.message ?? ""), "without an instance, Increment fails (the Number rejects the error text)");
  t.expectEqual(bobAgain.get(counter), 1, "bob's Counter Value keeps its last good value");
}
