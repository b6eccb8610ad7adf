/**
 * Every example of the seed documents (`/work/shared/seeds`), ported to blockstate, with a
 * scenario that drives simulated users through it.
 *
 * Seed 001 is an older rendering of seed 000's guide: its score tracker and chatbot are the two
 * seed 000 examples, and its one extra rule ("Interface supports a single state input and
 * output") is checked by `interface-state`. Seed 002's BrowserState example also runs in a real
 * page: `examples/browser/`.
 *
 * Each example module exports `create()`, which builds a fresh Blocks (so every test and the
 * demo get independent apps), and `scenario(t)`.
 */
import type { Transcript } from "blockstate/testing";
import * as scoreTracker from "./score-tracker";
import * as interfaceChatbot from "./interface-chatbot";
import * as visitorCounter from "./visitor-counter";
import * as cart from "./cart";
import * as nonCopyable from "./non-copyable";
import * as browserState from "./browser-state";
import * as hangman from "./hangman";
import * as counter from "./counter";
import * as chatClear from "./chat-clear";
import * as multiStepForm from "./multi-step-form";
import * as clickTracker from "./click-tracker";
import * as interfaceState from "./interface-state";
import * as userSession from "./user-session";
import * as internalCounter from "./internal-counter";
import * as editableHistory from "./editable-history";
import * as defaultValues from "./default-values";
import * as dynamicInit from "./dynamic-init";
import * as reset from "./reset";
import * as clearState from "./clear-state";
import * as sessionIsolation from "./session-isolation";
import * as refresh from "./refresh";
import * as memory from "./memory";
import * as conditionalUpdate from "./conditional-update";
import * as chainedSteps from "./chained-steps";
import * as chatStreamingEcho from "./chat-streaming-echo";
import * as chatSystemPrompt from "./chat-system-prompt";

/** One ported example. */
export interface Example {
  /** The example's file name in `examples/`, without `.ts`. */
  name: string;
  /** Which seed document and section it comes from, or which Gradio demo (`gradio demo <name>`). */
  seed: string;
  /** What it shows, in a sentence. */
  summary: string;
  /** Drives simulated users through the example, recording lines and checks on `t`. */
  scenario(t: Transcript): Promise<void>;
}

export const examples: readonly Example[] = [
  {
    name: "score-tracker",
    seed: "000 Interface State › Global State (also 001)",
    summary: "An Interface adds each score to one list shared by all users and shows the top 3.",
    scenario: scoreTracker.scenario,
  },
  {
    name: "interface-chatbot",
    seed: "000 Interface State › Session State (also 001)",
    summary: "An Interface chatbot keeps each user's history in the \"state\" input/output; tuples are shown as messages.",
    scenario: interfaceChatbot.scenario,
  },
  {
    name: "visitor-counter",
    seed: "002 State in Blocks › Global State",
    summary: "A load listener increments a visitor count shared by every user.",
    scenario: visitorCounter.scenario,
  },
  {
    name: "cart",
    seed: "002 State in Blocks › Session State",
    summary: "A gr.State cart per user; cart.change keeps Cart Size up to date; State outlives a closed tab for 60 minutes.",
    scenario: cart.scenario,
  },
  {
    name: "non-copyable",
    seed: "002 State in Blocks › Objects that cannot be deepcopied",
    summary: "Uncopyable per-session objects live in a Map keyed by session hash, created on load and deleted on close; in a gr.State they are refused.",
    scenario: nonCopyable.scenario,
  },
  {
    name: "browser-state",
    seed: "002 State in Blocks › Browser State",
    summary: "A gr.BrowserState keeps username and password in the browser's storage: they survive a refresh and a restart, not another browser.",
    scenario: browserState.scenario,
  },
  {
    name: "hangman",
    seed: "003 State in Blocks (Gradio 3) › Session State",
    summary: "gr.Variable holds each player's guesses; the listener returns a Map of component → value.",
    scenario: hangman.scenario,
  },
  {
    name: "counter",
    seed: "004 State management › The State component",
    summary: "A counter in gr.State shown as \"Count: n\".",
    scenario: counter.scenario,
  },
  {
    name: "chat-clear",
    seed: "004 State management › Accumulating chat history",
    summary: "The Chatbot holds the history; a ClearButton empties chat and message box.",
    scenario: chatClear.scenario,
  },
  {
    name: "multi-step-form",
    seed: "004 State management › Multi-step workflows",
    summary: "A dict State collects a name, then an age.",
    scenario: multiStepForm.scenario,
  },
  {
    name: "click-tracker",
    seed: "004 State management › Maintaining counters",
    summary: "Two States, a count and a history, updated by one listener.",
    scenario: clickTracker.scenario,
  },
  {
    name: "interface-state",
    seed: "004 State management › State in Interface (and 001's one-state rule)",
    summary: "The Interface \"state\" shortcut accumulates each user's texts; two states are refused.",
    scenario: interfaceState.scenario,
  },
  {
    name: "user-session",
    seed: "004 State management › Complex state objects",
    summary: "A class instance as State default: each session gets its own UserSession copy.",
    scenario: userSession.scenario,
  },
  {
    name: "internal-counter",
    seed: "004 State management › State vs component values (State)",
    summary: "An invisible State counter mirrored into a visible Number.",
    scenario: internalCounter.scenario,
  },
  {
    name: "editable-history",
    seed: "004 State management › State vs component values (components)",
    summary: "A visible Textbox used as state that the user can edit.",
    scenario: editableHistory.scenario,
  },
  {
    name: "default-values",
    seed: "004 State management › Initializing state › Default values",
    summary: "States of several types; each session gets its own copy of each default.",
    scenario: defaultValues.scenario,
  },
  {
    name: "dynamic-init",
    seed: "004 State management › Initializing state › Dynamic initialization",
    summary: "A load listener gives each session a timestamped record.",
    scenario: dynamicInit.scenario,
  },
  {
    name: "reset",
    seed: "004 State management › Clearing state (Reset button)",
    summary: "A Reset listener returns the initial values.",
    scenario: reset.scenario,
  },
  {
    name: "clear-state",
    seed: "004 State management › Clearing state (ClearButton)",
    summary: "A ClearButton resets a State and a Textbox to their defaults.",
    scenario: clearState.scenario,
  },
  {
    name: "session-isolation",
    seed: "004 State management › State limitations › Session isolation",
    summary: "User A's clicks do not change user B's counter.",
    scenario: sessionIsolation.scenario,
  },
  {
    name: "refresh",
    seed: "004 State management › State limitations › Not persistent across refreshes",
    summary: "A refresh starts a new session: the counter is back to 0.",
    scenario: refresh.scenario,
  },
  {
    name: "memory",
    seed: "004 State management › State limitations › Memory considerations",
    summary: "A large State default is copied only for sessions that read it, and freed after they close.",
    scenario: memory.scenario,
  },
  {
    name: "conditional-update",
    seed: "004 State management › Advanced patterns › Conditional state updates",
    summary: "Values above a per-user threshold are added to the State.",
    scenario: conditionalUpdate.scenario,
  },
  {
    name: "chained-steps",
    seed: "004 State management › Advanced patterns › State with multiple functions",
    summary: ".then passes a dict State from step 1 to step 2.",
    scenario: chainedSteps.scenario,
  },
  {
    name: "chat-streaming-echo",
    seed: "gradio demo chatinterface_streaming_echo",
    summary: "A gr.ChatInterface streams its echo character by character; stop keeps the reply so far; retry and undo.",
    scenario: chatStreamingEcho.scenario,
  },
  {
    name: "chat-system-prompt",
    seed: "gradio demo chatinterface_system_prompt (with save_history)",
    summary: "A gr.ChatInterface with a system prompt and a token slider as additional inputs, its chats saved in the browser.",
    scenario: chatSystemPrompt.scenario,
  },
];
