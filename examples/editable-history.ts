/**
 * Seed 004, "State vs component values › When to use regular components": a visible Textbox as
 * state, which the user may also edit.
 *
 * ```python
 * # Good use of visible component as state: editable history
 * with gr.Blocks() as demo:
 *     history = gr.Textbox(label="History", lines=10)
 *     new_entry = gr.Textbox(label="Add Entry")
 *     btn = gr.Button("Add")
 *
 *     btn.click(
 *         lambda entry, hist: hist + "\n" + entry,
 *         [new_entry, history],
 *         history
 *     )
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  let history!: gr.Textbox;
  let newEntry!: gr.Textbox;
  let btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    history = new gr.Textbox({ label: "History", lines: 10 });
    newEntry = new gr.Textbox({ label: "Add Entry" });
    btn = new gr.Button("Add");

    btn.click((entry, hist) => hist + "\n" + entry, [newEntry, history], history);
  });
  return { demo, history, newEntry, btn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, history, newEntry, btn } = create();
  t.launch(demo);
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(newEntry, "milk");
  await alice.click(btn);
  t.expectEqual(alice.get(history), "\nmilk", "as in the original, the first entry follows a newline");
  await alice.input(history, "milk"); // the user tidies the history by hand
  await alice.input(newEntry, "eggs");
  await alice.click(btn);
  await bob.input(newEntry, "tea");
  await bob.click(btn);
  t.expectEqual(alice.get(history), "milk\neggs", "alice's edit is kept and extended");
  t.expectEqual(bob.get(history), "\ntea", "bob's history is his own");
}
