/**
 * Seed 004, "Multi-step workflows": a form filled in two steps, collected in a dict State.
 *
 * ```python
 * def collect_name(name, data):
 *     data = data or {}
 *     data["name"] = name
 *     return data, f"Hello {name}! Now enter your age."
 *
 * def collect_age(age, data):
 *     data["age"] = age
 *     return data, f"Thanks! You are {age} years old."
 *
 * with gr.Blocks() as demo:
 *     state = gr.State(value={})
 *     output = gr.Textbox(label="Status")
 *
 *     name_input = gr.Textbox(label="Name")
 *     name_btn = gr.Button("Submit Name")
 *
 *     age_input = gr.Number(label="Age")
 *     age_btn = gr.Button("Submit Age")
 *
 *     name_btn.click(collect_name, [name_input, state], [state, output])
 *     age_btn.click(collect_age, [age_input, state], [state, output])
 * ```
 *
 * Python's Number gives floats (`30.0`); ours gives `30`.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

/** What the form collects. */
export interface FormData {
  name?: string;
  age?: number | null;
}

export function create() {
  function collectName(name: string, data: FormData | null) {
    data = data ?? {};
    data.name = name;
    return [data, `Hello ${name}! Now enter your age.`];
  }

  function collectAge(age: number | null, data: FormData) {
    data.age = age;
    return [data, `Thanks! You are ${age} years old.`];
  }

  let state!: gr.State<FormData>;
  let output!: gr.Textbox;
  let nameInput!: gr.Textbox;
  let nameBtn!: gr.Button;
  let ageInput!: gr.Number;
  let ageBtn!: gr.Button;
  const demo = new gr.Blocks(() => {
    state = new gr.State<FormData>({});
    output = new gr.Textbox({ label: "Status" });

    nameInput = new gr.Textbox({ label: "Name" });
    nameBtn = new gr.Button("Submit Name");

    ageInput = new gr.Number({ label: "Age" });
    ageBtn = new gr.Button("Submit Age");

    nameBtn.click(collectName, [nameInput, state], [state, output]);
    ageBtn.click(collectAge, [ageInput, state], [state, output]);
  });
  return { demo, state, output, nameInput, nameBtn, ageInput, ageBtn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, state, output, nameInput, nameBtn, ageInput, ageBtn } = create();
  t.launch(demo);
  t.name(state, "state");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(nameInput, "Alice");
  await alice.click(nameBtn);
  await bob.input(nameInput, "Bob");
  await bob.click(nameBtn);
  await alice.input(ageInput, 30);
  await alice.click(ageBtn);

  t.expectEqual(alice.get(output), "Thanks! You are 30 years old.", "alice finished both steps");
  t.expectEqual(bob.get(output), "Hello Bob! Now enter your age.", "bob is still at step 2");
  t.expectEqual(alice.get(state), { name: "Alice", age: 30 }, "alice's form data");
  t.expectEqual(bob.get(state), { name: "Bob" }, "bob's form data");
}
