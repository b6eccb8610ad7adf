/**
 * Seed 002, "Global State": a visitor counter shared by every user, incremented by a load
 * listener.
 *
 * ```python
 * # Shared between all users
 * visitor_count = 0
 *
 * def increment_counter():
 *     global visitor_count
 *     visitor_count += 1
 *     return visitor_count
 *
 * with gr.Blocks() as demo:
 *     number = gr.Textbox(label="Total Visitors", value="Counting...")
 *     demo.load(increment_counter, inputs=None, outputs=number)
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  // Shared between all users (of this app): the module-level variable of the original.
  let visitorCount = 0;

  function incrementCounter() {
    visitorCount += 1;
    return visitorCount;
  }

  let number!: gr.Textbox;
  const demo = new gr.Blocks((demo) => {
    number = new gr.Textbox({ label: "Total Visitors", value: "Counting..." });
    demo.load(incrementCounter, undefined, number);
  });
  return { demo, number, visitorCount: () => visitorCount };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, number, visitorCount } = create();
  t.launch(demo);
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  t.expectEqual([alice.get(number), bob.get(number)], ["1", "2"], "each visitor sees the shared count at their page load (as text)");

  await alice.reload();
  const carol = await t.user("carol");
  t.expectEqual(alice.get(number), "3", "a refresh is a new visit");
  t.expectEqual(carol.get(number), "4", "carol is visitor 4");
  t.expectEqual(bob.get(number), "2", "bob's Textbox keeps what his page load showed (nothing re-runs for him)");
  t.expectEqual(visitorCount(), 4, "the global counter");
}
