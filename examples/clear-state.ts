/**
 * Seed 004, "Clearing state" (second variant): a ClearButton resets a State and a Textbox to
 * their defaults.
 *
 * ```python
 * with gr.Blocks() as demo:
 *     state = gr.State(value=[])
 *     textbox = gr.Textbox()
 *     # Clears both state and textbox to their default values
 *     clear_btn = gr.ClearButton([state, textbox])
 * ```
 *
 * The original has nothing that writes the State; this port adds an "Add" button that appends
 * the textbox's text to it, so there is something to clear.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  let state!: gr.State<string[]>;
  let textbox!: gr.Textbox;
  let clearBtn!: gr.ClearButton;
  let addBtn!: gr.Button;
  const demo = new gr.Blocks(() => {
    state = new gr.State<string[]>([]);
    textbox = new gr.Textbox();
    // Clears both state and textbox to their default values
    clearBtn = new gr.ClearButton([state, textbox]);

    // Not in the original: something that fills the State.
    addBtn = new gr.Button("Add");
    addBtn.click((text, items) => [...items, text], [textbox, state], state);
  });
  return { demo, state, textbox, clearBtn, addBtn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, state, textbox, clearBtn, addBtn } = create();
  t.launch(demo);
  t.name(state, "state");
  t.name(textbox, "textbox");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(textbox, "apples");
  await alice.click(addBtn);
  await alice.input(textbox, "pears");
  await alice.click(addBtn);
  await bob.input(textbox, "milk");
  await bob.click(addBtn);
  alice.sees(state);
  await alice.click(clearBtn);
  t.expectEqual([alice.sees(state), alice.get(textbox)], [[], ""], "Clear resets alice's state and textbox");
  t.expectEqual([bob.sees(state), bob.get(textbox)], [["milk"], "milk"], "bob's are untouched");
}
