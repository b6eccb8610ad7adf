/**
 * Seed 004, "Advanced patterns › State with multiple functions": two listeners chained with
 * `.then`, passing a dict State along.
 *
 * ```python
 * def step1(input, state):
 *     state["step1_result"] = input.upper()
 *     return state, state["step1_result"]
 *
 * def step2(state):
 *     result = state["step1_result"] + "!!!"
 *     state["step2_result"] = result
 *     return state, result
 *
 * with gr.Blocks() as demo:
 *     state = gr.State(value={})
 *     inp = gr.Textbox(label="Input")
 *     mid = gr.Textbox(label="After Step 1")
 *     out = gr.Textbox(label="After Step 2")
 *     btn = gr.Button("Process")
 *
 *     btn.click(
 *         step1, [inp, state], [state, mid]
 *     ).then(
 *         step2, state, [state, out]
 *     )
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

/** The results of both steps. */
export interface Steps {
  step1_result?: string;
  step2_result?: string;
}

export function create() {
  function step1(input: string, state: Steps) {
    state.step1_result = input.toUpperCase();
    return [state, state.step1_result];
  }

  function step2(state: Steps) {
    const result = state.step1_result + "!!!";
    state.step2_result = result;
    return [state, result];
  }

  let state!: gr.State<Steps>;
  let inp!: gr.Textbox;
  let mid!: gr.Textbox;
  let out!: gr.Textbox;
  let btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    state = new gr.State<Steps>({});
    inp = new gr.Textbox({ label: "Input" });
    mid = new gr.Textbox({ label: "After Step 1" });
    out = new gr.Textbox({ label: "After Step 2" });
    btn = new gr.Button("Process");

    btn.click(step1, [inp, state], [state, mid]).then(step2, state, [state, out]);
  });
  return { demo, state, inp, mid, out, btn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, state, inp, mid, out, btn } = create();
  t.launch(demo);
  t.name(state, "state");
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.input(inp, "hello");
  await alice.click(btn);
  await bob.input(inp, "hey");
  await bob.click(btn);
  t.expectEqual([alice.get(mid), alice.get(out)], ["HELLO", "HELLO!!!"], "alice's two steps (step 2 saw step 1's result)");
  t.expectEqual([bob.get(mid), bob.get(out)], ["HEY", "HEY!!!"], "bob's two steps");
  t.expectEqual(alice.sees(state), { step1_result: "HELLO", step2_result: "HELLO!!!" }, "alice's state");
}
