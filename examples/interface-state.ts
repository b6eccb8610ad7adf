/**
 * Seed 004, "State in Interface": the `"state"` shortcut of `gr.Interface`.
 *
 * ```python
 * def process_with_state(text, state):
 *     state = state or []
 *     state.append(text)
 *     history = "\n".join(state)
 *     return history, state
 *
 * demo = gr.Interface(
 *     fn=process_with_state,
 *     inputs=["textbox", "state"],
 *     outputs=["textbox", "state"]
 * )
 * ```
 *
 * "When using Interface with state, there must be exactly one state input and one state
 * output" (seed 001: "The Interface class only supports a single input and outputs state
 * variable"): the scenario checks that the constructor refuses two.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  function processWithState(text: string, state: string[] | null) {
    state = state ?? [];
    state.push(text);
    const history = state.join("\n");
    return [history, state];
  }

  const demo = new gr.Interface({
    fn: processWithState,
    inputs: ["textbox", "state"],
    outputs: ["textbox", "state"],
  });
  const text = demo.inputComponents[0] as gr.Textbox;
  const state = demo.inputComponents[1] as gr.State<string[] | null>;
  const history = demo.outputComponents[0] as gr.Textbox;
  return { demo, text, state, history, submit: demo.submitButton };
}

/** Two state inputs: what the rule forbids. */
export function createWithTwoStates(): gr.Interface {
  return new gr.Interface({ fn: (a: unknown, b: unknown) => [a, b], inputs: ["state", "state"], outputs: ["state", "state"] });
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, text, state, history, submit } = create();
  t.launch(demo);
  t.name(text, "text");
  t.name(history, "history");
  t.name(state, "state");
  t.check(demo.outputComponents[1] === state, "one State serves as both the state input and the state output");

  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.input(text, "first");
  await alice.click(submit);
  await alice.input(text, "second");
  await alice.submit(text);
  await bob.input(text, "hello");
  await bob.click(submit);
  t.expectEqual(alice.get(history), "first\nsecond", "alice's history");
  t.expectEqual(bob.get(history), "hello", "bob's history");
  t.expectEqual(bob.get(state), ["hello"], "bob's state");

  t.expectThrows(createWithTwoStates, /exactly one state input and one state output/, "two state inputs are refused");
}
