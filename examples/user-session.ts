/**
 * Seed 004, "Complex state objects": a State holding an instance of a user class (a Python
 * dataclass). Each session gets its own copy of the default instance, still a `UserSession`.
 *
 * ```python
 * @dataclass
 * class UserSession:
 *     name: str = ""
 *     messages: List[str] = None
 *     preferences: dict = None
 *
 *     def __post_init__(self):
 *         if self.messages is None:
 *             self.messages = []
 *         if self.preferences is None:
 *             self.preferences = {}
 *
 * def initialize():
 *     return UserSession(), "Session initialized"
 *
 * def add_message(message, session):
 *     session.messages.append(message)
 *     count = len(session.messages)
 *     return session, f"Total messages: {count}"
 *
 * with gr.Blocks() as demo:
 *     session = gr.State(value=UserSession())
 *     status = gr.Textbox(label="Status")
 *
 *     init_btn = gr.Button("Initialize Session")
 *     init_btn.click(initialize, None, [session, status])
 *
 *     msg_input = gr.Textbox(label="Message")
 *     msg_btn = gr.Button("Add Message")
 *     msg_btn.click(add_message, [msg_input, session], [session, status])
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

/** The dataclass: fields with defaults, each instance with its own lists (`__post_init__`). */
export class UserSession {
  constructor(
    public name = "",
    public messages: string[] = [],
    public preferences: Record<string, unknown> = {},
  ) {}
}

export function create() {
  function initialize() {
    return [new UserSession(), "Session initialized"];
  }

  function addMessage(message: string, session: UserSession) {
    session.messages.push(message);
    const count = session.messages.length;
    return [session, `Total messages: ${count}`];
  }

  let session!: gr.State<UserSession>;
  let status!: gr.Textbox;
  let initBtn!: gr.Button;
  let msgInput!: gr.Textbox;
  let msgBtn!: gr.Button;
  const demo = new gr.Blocks(() => {
    session = new gr.State(new UserSession());
    status = new gr.Textbox({ label: "Status" });

    initBtn = new gr.Button("Initialize Session");
    initBtn.click(initialize, undefined, [session, status]);

    msgInput = new gr.Textbox({ label: "Message" });
    msgBtn = new gr.Button("Add Message");
    msgBtn.click(addMessage, [msgInput, session], [session, status]);
  });
  return { demo, session, status, initBtn, msgInput, msgBtn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, session, status, initBtn, msgInput, msgBtn } = create();
  t.launch(demo);
  t.name(session, "session");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(msgInput, "hello");
  await alice.click(msgBtn);
  await alice.input(msgInput, "again");
  await alice.click(msgBtn);
  await bob.input(msgInput, "hi");
  await bob.click(msgBtn);
  t.expectEqual(alice.get(status), "Total messages: 2", "alice's Status");
  t.expectEqual(bob.get(status), "Total messages: 1", "bob's Status: the default instance was copied per session");
  t.check(alice.get(session) instanceof UserSession, "alice's copy of the default is still a UserSession");
  t.check(alice.get(session) !== bob.get(session), "alice and bob hold different instances");

  await alice.click(initBtn);
  t.expectEqual(alice.get(session).messages, [], "Initialize Session gives alice a fresh UserSession");
  t.expectEqual(bob.get(session).messages, ["hi"], "bob keeps his messages");
  await alice.input(msgInput, "fresh start");
  await alice.click(msgBtn);
  t.expectEqual(alice.get(status), "Total messages: 1", "alice counts from 1 again");
}
