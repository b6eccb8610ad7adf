/**
 * Seed 004, "Initializing state › Default values": States of several types with defaults.
 *
 * ```python
 * with gr.Blocks() as demo:
 *     # Simple types
 *     counter = gr.State(value=0)
 *     text_state = gr.State(value="")
 *     list_state = gr.State(value=[])
 *     dict_state = gr.State(value={})
 *
 *     # Complex objects
 *     custom_state = gr.State(value={"user": "Alice", "score": 100})
 * ```
 *
 * The original has no listeners; the scenario reads the States and, since a handler receives
 * the stored object itself, changes one session's copy in place to show it is that session's
 * own.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  let counter!: gr.State<number>;
  let textState!: gr.State<string>;
  let listState!: gr.State<unknown[]>;
  let dictState!: gr.State<Record<string, unknown>>;
  let customState!: gr.State<{ user: string; score: number }>;
  const demo = new gr.Blocks(() => {
    // Simple types
    counter = new gr.State(0);
    textState = new gr.State("");
    listState = new gr.State<unknown[]>([]);
    dictState = new gr.State<Record<string, unknown>>({});

    // Complex objects
    customState = new gr.State({ user: "Alice", score: 100 });
  });
  return { demo, counter, textState, listState, dictState, customState };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, counter, textState, listState, dictState, customState } = create();
  t.launch(demo);
  t.name(counter, "counter");
  t.name(textState, "text_state");
  t.name(listState, "list_state");
  t.name(dictState, "dict_state");
  t.name(customState, "custom_state");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  t.expectEqual(
    [alice.sees(counter), alice.sees(textState), alice.sees(listState), alice.sees(dictState)],
    [0, "", [], {}],
    "alice starts from the defaults",
  );
  const mine = alice.sees(customState);
  mine.score += 50; // alice's copy, changed in place
  t.note("(alice's custom_state.score is changed in place to 150)");
  t.expectEqual(alice.get(customState), { user: "Alice", score: 150 }, "alice's custom_state");
  t.expectEqual(bob.sees(customState), { user: "Alice", score: 100 }, "bob's copy still has the default");
  t.check(alice.get(listState) !== bob.get(listState), "each session has its own list");
}
