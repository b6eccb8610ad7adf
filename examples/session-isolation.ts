/**
 * Seed 004, "State limitations › Session isolation": a per-user counter.
 *
 * ```python
 * # This counter is per-user, not global
 * with gr.Blocks() as demo:
 *     counter = gr.State(value=0)
 *     output = gr.Number()
 *     btn = gr.Button("Increment")
 *
 *     btn.click(
 *         lambda c: (c + 1, c + 1),
 *         counter,
 *         [counter, output]
 *     )
 * ```
 *
 * "User A clicking “Increment” doesn't affect User B's counter."
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  let counter!: gr.State<number>;
  let output!: gr.Number;
  let btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    counter = new gr.State(0);
    output = new gr.Number();
    btn = new gr.Button("Increment");

    btn.click((c) => [c + 1, c + 1], counter, [counter, output]);
  });
  return { demo, counter, output, btn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, counter, output, btn } = create();
  t.launch(demo);
  t.name(output, "output");
  const userA = await t.user("user A");
  const userB = await t.user("user B");
  await userA.click(btn, 2);
  t.expectEqual(userB.sees(output), null, "user B's output is still empty");
  await userB.click(btn);
  t.expectEqual([userA.get(counter), userB.get(counter)], [2, 1], "each user's counter");
}
