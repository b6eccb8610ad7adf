/**
 * Seed 004, "Initializing state › Dynamic initialization": a load listener fills a State
 * whose default is None with a per-session object carrying a timestamp.
 *
 * ```python
 * def init_with_timestamp():
 *     return {"started_at": time.time(), "actions": []}
 *
 * with gr.Blocks() as demo:
 *     session = gr.State(value=None)
 *     status = gr.Textbox()
 *
 *     demo.load(
 *         lambda: (init_with_timestamp(), "Session started"),
 *         None,
 *         [session, status]
 *     )
 * ```
 *
 * `time.time()` (seconds) is injectable so that transcripts are reproducible.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

/** The per-session record. */
export interface SessionInfo {
  started_at: number;
  actions: string[];
}

export function create({ now = () => Date.now() / 1000 }: { now?: () => number } = {}) {
  function initWithTimestamp(): SessionInfo {
    return { started_at: now(), actions: [] };
  }

  let session!: gr.State<SessionInfo | null>;
  let status!: gr.Textbox;
  const demo = new gr.Blocks((demo) => {
    session = new gr.State<SessionInfo | null>(null);
    status = new gr.Textbox();

    demo.load(() => [initWithTimestamp(), "Session started"], undefined, [session, status]);
  });
  return { demo, session, status };
}

export async function scenario(t: Transcript): Promise<void> {
  let time = 1_700_000_000;
  const { demo, session, status } = create({ now: () => (time += 60) });
  t.launch(demo);
  t.name(status, "status");
  t.name(session, "session");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  const a = alice.sees(session);
  const b = bob.sees(session);
  t.expectEqual([alice.get(status), bob.get(status)], ["Session started", "Session started"], "both pages ran the load listener");
  t.check(a !== null && b !== null && a.started_at < b.started_at, "each session got its own timestamp at its own page load");
  t.check(a?.actions !== b?.actions, "and its own actions list");
}
