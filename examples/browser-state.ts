/**
 * Seed 002, "Browser State": a username and password saved in the browser's local storage, so
 * that a refresh (or an app restart) brings them back.
 *
 * ```python
 * with gr.Blocks() as demo:
 *     gr.Markdown("Your Username and Password will get saved in the browser's local storage. "
 *                 "If you refresh the page, the values will be retained.")
 *     username = gr.Textbox(label="Username")
 *     password = gr.Textbox(label="Password", type="password")
 *     btn = gr.Button("Generate Randomly")
 *     local_storage = gr.BrowserState(["", ""])
 *     saved_message = gr.Markdown("✅ Saved to local storage", visible=False)
 *
 *     @btn.click(outputs=[username, password])
 *     def generate_randomly():
 *         u = "".join(random.choices(string.ascii_letters + string.digits, k=10))
 *         p = "".join(random.choices(string.ascii_letters + string.digits, k=10))
 *         return u, p
 *
 *     @demo.load(inputs=[local_storage], outputs=[username, password])
 *     def load_from_local_storage(saved_values):
 *         print("loading from local storage", saved_values)
 *         return saved_values[0], saved_values[1]
 *
 *     @gr.on([username.change, password.change], inputs=[username, password], outputs=[local_storage])
 *     def save_to_local_storage(username, password):
 *         return [username, password]
 *
 *     @gr.on(local_storage.change, outputs=[saved_message])
 *     def show_saved_message():
 *         timestamp = time.strftime("%I:%M:%S %p")
 *         return gr.Markdown(f"✅ Saved to local storage at {timestamp}", visible=True)
 * ```
 *
 * Browser-safe (no Node imports): `examples/browser/` runs this same app in a real page with
 * `window.localStorage` as the storage.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";
import { choice, seededRandom, type Random } from "./shared/random";

/** Options of {@link create}. */
export interface BrowserStateExampleOptions {
  /** Random source of "Generate Randomly" (floats in [0, 1)). Default: `Math.random`. */
  random?: Random;
  /** The clock of the "Saved to local storage at ..." message. Default: `() => new Date()`. */
  now?: () => Date;
  /** Called with the stored values each time the load listener runs (the original's `print`). */
  log?: (savedValues: [string, string]) => void;
}

/** `string.ascii_letters + string.digits`. */
const LETTERS_AND_DIGITS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];

/** `time.strftime("%I:%M:%S %p")`: 12-hour local time, e.g. `04:05:09 PM`. */
export function formatTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const hours = date.getHours();
  return `${two(hours % 12 === 0 ? 12 : hours % 12)}:${two(date.getMinutes())}:${two(date.getSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

/**
 * Builds the app (a fresh Blocks on every call, so tests and pages get independent apps; two
 * calls build the *same* app, so they share stored values: S93).
 *
 * @returns the Blocks and its parts: `username`, `password` (Textboxes), `generate` (the
 *   button), `localStorage` (the `BrowserState<[string, string]>`), `savedMessage` (the hidden
 *   Markdown), and `intro` (the explanation above the form).
 */
export function create(options: BrowserStateExampleOptions = {}) {
  const { random = Math.random, now = () => new Date(), log } = options;
  let intro!: gr.Markdown;
  let username!: gr.Textbox;
  let password!: gr.Textbox;
  let generate!: gr.Button;
  let localStorage!: gr.BrowserState<[string, string]>;
  let savedMessage!: gr.Markdown;

  const demo = new gr.Blocks((demo) => {
    intro = new gr.Markdown(
      "Your Username and Password will get saved in the browser's local storage. " +
        "If you refresh the page, the values will be retained.",
    );
    username = new gr.Textbox({ label: "Username" });
    password = new gr.Textbox({ label: "Password", type: "password" });
    generate = new gr.Button("Generate Randomly");
    localStorage = new gr.BrowserState<[string, string]>(["", ""]);
    savedMessage = new gr.Markdown("✅ Saved to local storage", { visible: false });

    generate.click({ outputs: [username, password] })(function generateRandomly() {
      const pick = () => Array.from({ length: 10 }, () => choice(random, LETTERS_AND_DIGITS)).join("");
      const u = pick();
      const p = pick();
      return [u, p];
    });

    demo.load({ inputs: [localStorage], outputs: [username, password] })(function loadFromLocalStorage(savedValues: [string, string]) {
      log?.(savedValues);
      return [savedValues[0], savedValues[1]];
    });

    gr.on({ triggers: [username.change, password.change], inputs: [username, password], outputs: [localStorage] })(
      function saveToLocalStorage(username: string, password: string) {
        return [username, password];
      },
    );

    gr.on({ triggers: [localStorage.change], outputs: [savedMessage] })(function showSavedMessage() {
      const timestamp = formatTime(now());
      return new gr.Markdown(`✅ Saved to local storage at ${timestamp}`, { visible: true });
    });
  });
  return { demo, intro, username, password, generate, localStorage, savedMessage };
}

/**
 * Alice's values survive a refresh and an app restart; Bob, another browser, does not see
 * them; a corrupted entry reads as the default with a warning.
 */
export async function scenario(t: Transcript): Promise<void> {
  let minute = 0;
  // A clock that moves one minute per saved message, so each message is visibly new.
  const now = () => new Date(2024, 0, 1, 15, 59 + minute++, 7);
  const options = { random: seededRandom(), now };
  const { demo, username, password, generate, localStorage, savedMessage } = create(options);
  const app = t.launch(demo);
  t.name(localStorage, "local_storage");
  t.name(savedMessage, "saved_message");
  const alicesBrowser = new gr.MemoryStorage();
  const alice = await t.user("alice", { storage: alicesBrowser });
  t.expectEqual([alice.get(username), alice.get(password)], ["", ""], "a first visit starts empty");
  t.expectEqual(alice.session.props(savedMessage).visible, false, "the saved message is hidden");

  await alice.input(username, "alice");
  await alice.input(password, "s3cret!");
  t.expectEqual(alice.get(savedMessage), "✅ Saved to local storage at 04:00:07 PM", "each change is saved, and says when");
  t.expectEqual(alice.session.props(savedMessage).visible, true, "the saved message is now visible");

  await alice.reload();
  t.expectEqual([alice.get(username), alice.get(password)], ["alice", "s3cret!"], "after a refresh the load listener restores both values");

  await alice.click(generate);
  const generated = [alice.get(username), alice.get(password)];
  t.check(/^[A-Za-z0-9]{10}$/.test(generated[0]) && /^[A-Za-z0-9]{10}$/.test(generated[1]), `"Generate Randomly" fills in 10 letters or digits each: ${generated.join(", ")}`);
  t.expectEqual(alice.get(localStorage), generated, "and they are saved");

  const bob = await t.user("bob", { storage: new gr.MemoryStorage() });
  t.expectEqual([bob.get(username), bob.get(password)], ["", ""], "bob, in another browser, sees none of it");

  t.note("(the server restarts: the app closes, then the same app is built and launched again)");
  // Closing waits for pending storage writes; `session.idle()` does too.
  await app.close();
  const again = create(options);
  const restarted = t.launch(again.demo);
  t.name(again.localStorage, "local_storage");
  t.name(again.savedMessage, "saved_message");
  const aliceLater = await t.user("alice", { app: restarted, storage: alicesBrowser });
  t.expectEqual([aliceLater.get(again.username), aliceLater.get(again.password)], generated, "alice's values survive the restart");

  t.note("(someone edits alice's stored entry by hand)");
  alicesBrowser.setItem(restarted._browserStates.storageKeyOf(again.localStorage), "garbage");
  const aliceAfterEdit = await t.user("alice", { app: restarted, storage: alicesBrowser });
  t.expectEqual([aliceAfterEdit.get(again.username), aliceAfterEdit.get(again.password)], ["", ""], "an unreadable entry gives the default");
  t.check(
    aliceAfterEdit.session.messages.some((m) => m.type === "warning" && m.message.includes("could not be read")),
    "with a warning that names the BrowserState and why",
  );
}
