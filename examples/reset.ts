/**
 * Seed 004, "Clearing state" (first variant): a Reset button whose listener returns the
 * initial values.
 *
 * ```python
 * def reset():
 *     return 0, "", "State cleared"
 *
 * with gr.Blocks() as demo:
 *     counter = gr.State(value=0)
 *     messages = gr.Textbox(label="Messages")
 *     status = gr.Textbox(label="Status")
 *
 *     increment_btn = gr.Button("Increment")
 *     reset_btn = gr.Button("Reset")
 *
 *     increment_btn.click(
 *         lambda c: (c + 1, f"Count: {c + 1}", ""),
 *         counter,
 *         [counter, messages, status]
 *     )
 *
 *     reset_btn.click(
 *         reset,
 *         None,
 *         [counter, messages, status]
 *     )
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  function reset() {
    return [0, "", "State cleared"];
  }

  let counter!: gr.State<number>;
  let messages!: gr.Textbox;
  let status!: gr.Textbox;
  let incrementBtn!: gr.Button;
  let resetBtn!: gr.Button;
  const demo = new gr.Blocks(() => {
    counter = new gr.State(0);
    messages = new gr.Textbox({ label: "Messages" });
    status = new gr.Textbox({ label: "Status" });

    incrementBtn = new gr.Button("Increment");
    resetBtn = new gr.Button("Reset");

    incrementBtn.click((c) => [c + 1, `Count: ${c + 1}`, ""], counter, [counter, messages, status]);

    resetBtn.click(reset, undefined, [counter, messages, status]);
  });
  return { demo, counter, messages, status, incrementBtn, resetBtn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, counter, messages, status, incrementBtn, resetBtn } = create();
  t.launch(demo);
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.click(incrementBtn, 3);
  await bob.click(incrementBtn, 2);
  await alice.click(resetBtn);
  t.expectEqual([alice.get(counter), alice.get(messages), alice.get(status)], [0, "", "State cleared"], "alice after Reset");
  t.expectEqual([bob.get(counter), bob.get(messages)], [2, "Count: 2"], "bob's count is not reset");
  await alice.click(incrementBtn);
  t.expectEqual([alice.get(messages), alice.get(status)], ["Count: 1", ""], "alice counts from 1 again");
}
