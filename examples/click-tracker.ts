/**
 * Seed 004, "Maintaining counters": two States (a count and a history) updated together.
 *
 * ```python
 * def track_clicks(click_count, click_history):
 *     click_count += 1
 *     click_history.append(f"Click #{click_count}")
 *     return click_count, click_history, "\n".join(click_history)
 *
 * with gr.Blocks() as demo:
 *     click_count = gr.State(value=0)
 *     click_history = gr.State(value=[])
 *     output = gr.Textbox(label="Click History", lines=5)
 *     button = gr.Button("Click Me!")
 *
 *     button.click(
 *         fn=track_clicks,
 *         inputs=[click_count, click_history],
 *         outputs=[click_count, click_history, output]
 *     )
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  function trackClicks(clickCount: number, clickHistory: string[]) {
    clickCount += 1;
    clickHistory.push(`Click #${clickCount}`);
    return [clickCount, clickHistory, clickHistory.join("\n")];
  }

  let clickCount!: gr.State<number>;
  let clickHistory!: gr.State<string[]>;
  let output!: gr.Textbox;
  let button!: gr.Button;
  const demo = new gr.Blocks(() => {
    clickCount = new gr.State(0);
    clickHistory = new gr.State<string[]>([]);
    output = new gr.Textbox({ label: "Click History", lines: 5 });
    button = new gr.Button("Click Me!");

    button.click({
      fn: trackClicks,
      inputs: [clickCount, clickHistory],
      outputs: [clickCount, clickHistory, output],
    });
  });
  return { demo, clickCount, clickHistory, output, button };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, clickCount, clickHistory, output, button } = create();
  t.launch(demo);
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.click(button, 3);
  await bob.click(button);
  t.expectEqual(alice.get(output), "Click #1\nClick #2\nClick #3", "alice's Click History");
  t.expectEqual(bob.get(output), "Click #1", "bob's Click History");
  t.expectEqual([alice.get(clickCount), bob.get(clickCount)], [3, 1], "click counts");
  t.check(alice.get(clickHistory) !== bob.get(clickHistory), "each session has its own history list (a copy of the default [])");
}
