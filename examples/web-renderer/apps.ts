/**
 * The apps the reference web renderer serves (`npm run demo:web`): the seed apps (002's cart,
 * 000's Interface chatbot, 004's chat with a ClearButton) and a showcase that uses every
 * component the renderer draws, with buttons that raise `gr.Error`, send alerts and hide
 * elements and containers (what the browser tests click), and a ChatInterface with examples,
 * retry, undo, clear, stop and saved conversations.
 *
 * Each function builds a fresh Blocks, so tests and the demo never share one. The seed apps are
 * the ports in `examples/`.
 */
import * as gr from "blockstate";
import * as cart from "../cart";
import * as chatClear from "../chat-clear";
import * as interfaceChatbot from "../interface-chatbot";

/** Seed 002, "Session State": a cart in `gr.State` and a `.change` listener showing its size (`examples/cart.ts`). */
export function cartApp(): gr.Blocks {
  return cart.create().demo;
}

/**
 * Seed 000, "Interface State › Session State": the chat history is a `"state"` input and output
 * of an Interface, so it lives per session and a page reload loses it (S12)
 * (`examples/interface-chatbot.ts`).
 */
export function interfaceChatApp(): gr.Blocks {
  return interfaceChatbot.create().demo;
}

/** Seed 004, "Accumulating chat history": the Chatbot holds the history; a ClearButton empties it (`examples/chat-clear.ts`). */
export function chatApp(): gr.Blocks {
  return chatClear.create().demo;
}

/**
 * A ChatInterface (S100-S107) with everything the renderer draws for one: example messages,
 * retry, undo, edit and clear on the Chatbot, the stop button and the saved-conversation list
 * (`saveHistory`). The reply streams word by word and counts `fn`'s calls (`#n`), so a retry
 * shows a new reply; a message starting with "slow" streams "Thinking…" and then waits until
 * it is stopped.
 */
export function chatInterfaceApp(): gr.ChatInterface {
  let calls = 0;
  return new gr.ChatInterface({
    fn: async function* reply(message: string, _history: gr.ChatbotMessage[], ctx: gr.EventContext) {
      calls++;
      if (message.startsWith("slow")) {
        yield "Thinking…";
        // Until the stop button cancels the run (its signal aborts), as a slow model would.
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        return;
      }
      const words = `You said: ${message} (#${calls})`.split(" ");
      for (let i = 1; i <= words.length; i++) yield words.slice(0, i).join(" ");
    },
    examples: ["Hello", "What can you do?"],
    editable: true,
    saveHistory: true,
    title: "ChatInterface",
  });
}

/**
 * A form with gr.Examples (a Dataset the renderer draws as sample buttons), a greeting
 * computed from the inputs (a callable value with `inputs`) and a button whose listener has a
 * validator, beside a ChatInterface made in the same build (nested, as Gradio's
 * `with gr.Blocks(): gr.ChatInterface(fn)`).
 */
export function examplesApp(): gr.Blocks {
  return new gr.Blocks({ title: "Examples" }, () => {
    new gr.Markdown("## Greeter");
    const name = new gr.Textbox({ label: "Name", elemId: "name" });
    const age = new gr.Number({ label: "Age", elemId: "age" });
    new gr.Textbox({ label: "Greeting", elemId: "greeting", value: (n: string, a: number | null) => (n ? `Hello ${n}${a === null ? "" : ` (${a})`}` : ""), inputs: [name, age] });
    new gr.Examples({ examples: [["Ada", 36], ["Grace", 85]], inputs: [name, age] });
    // A validator (Gradio's validator=): a refused input shows its message on the input.
    const registered = new gr.Textbox({ label: "Registered", elemId: "registered" });
    new gr.Button("Register", { elemId: "register" }).click((n: string) => `Registered ${n}`, [name, age], registered, {
      validator: (n: string, a: number | null) => [gr.validate(n.trim() !== "", "Enter a name"), gr.validate(a === null || a >= 0, "An age is not negative")],
    });
    new gr.ChatInterface({ fn: (message: string) => `Echo: ${message}` });
  });
}

/**
 * Layout containers' events: a Tabs whose `selected` a button switches, a Tab's `select` and an
 * Accordion's `expand`/`collapse` logged to a Textbox, a Sidebar, and a Walkthrough whose
 * first step's button moves on to the second.
 */
export function layoutEventsApp(): gr.Blocks {
  return new gr.Blocks({ title: "Layout events" }, () => {
    const log = new gr.Textbox({ label: "Log", elemId: "log", lines: 6 });
    const note = (line: string) => (text: string) => (text ? `${text}\n${line}` : line);
    new gr.Sidebar({ label: "Filters" }, () => void new gr.Checkbox({ label: "New only" }));
    let second!: gr.Tab;
    const tabs = new gr.Tabs({ elemId: "tabs" }, () => {
      new gr.Tab("First", { id: "first" }, () => void new gr.Markdown("The first tab"));
      second = new gr.Tab("Second", { id: "second" }, () => void new gr.Markdown("The second tab"));
    });
    second.select((text: string, ctx: gr.EventContext) => note(`selected ${JSON.stringify(ctx.event)}`)(text), log, log);
    tabs.change(note("tabs changed"), log, log);
    const details = new gr.Accordion("Details", { open: false, elemId: "details" }, () => void new gr.Markdown("Hidden details"));
    details.expand(note("expanded"), log, log);
    details.collapse(note("collapsed"), log, log);
    const go = new gr.Button("Go to Second", { elemId: "go" });
    go.click(() => gr.update({ selected: "second" }), undefined, tabs);
    // Gradio's walkthrough demo: each step's button moves on to the next.
    new gr.Walkthrough({ selected: 1, elemId: "walkthrough" }, (walkthrough) => {
      new gr.Step("Sign in", { id: 1 }, () => {
        new gr.Markdown("Step one: sign in.");
        new gr.Button("Next step", { elemId: "next-step" }).click(() => new gr.Walkthrough({ selected: 2 }), undefined, walkthrough);
      });
      new gr.Step("Pick a plan", { id: 2 }, () => void new gr.Markdown("Step two: pick a plan."));
    });
  });
}

/**
 * Every component the renderer draws, in rows, columns, tabs and an accordion, with listeners
 * that fail (`gr.Error`), alert (`gr.Info`/`gr.Warning`/`gr.Success`) and change props
 * (`visible`, `interactive`, `label`). Element ids used by the browser tests are set with `elemId`.
 */
export function showcaseApp(): gr.Blocks {
  return new gr.Blocks({ title: "Showcase" }, () => {
    new gr.Markdown("# Showcase\nEvery component of the **reference renderer**, with `elemId`s for tests. <img src=x onerror=alert(1)>", {
      elemId: "intro",
    });
    new gr.Row(() => {
      new gr.Column(() => {
        const name = new gr.Textbox({ label: "Name", placeholder: "Your name", elemId: "name", elemClasses: ["wide", "name-box"] });
        const greeting = new gr.Textbox({ label: "Greeting", interactive: false, elemId: "greeting" });
        name.input((n) => (n ? `Hello, ${n}!` : ""), name, greeting);
        new gr.Textbox({ label: "Notes", lines: 3, value: "Line one\nLine two", elemId: "notes" });
        new gr.Textbox({ label: "Password", type: "password", elemId: "password" });
      });
      new gr.Column(() => {
        const count = new gr.Number({ label: "Count", value: 3, minimum: 0, maximum: 10, elemId: "count" });
        const slider = new gr.Slider({ label: "Level", minimum: 0, maximum: 10, step: 1, value: 4, elemId: "level" });
        slider.release((v) => v, slider, count);
        new gr.Checkbox({ label: "Subscribe", value: true, elemId: "subscribe" });
      });
    });
    new gr.Tab("Choices", () => {
      new gr.Row(() => {
        new gr.CheckboxGroup(["Cereal", "Milk", "Water"], { label: "Groceries", value: ["Milk"], elemId: "groceries" });
        new gr.Radio(["Small", "Medium", "Large"], { label: "Size", value: "Medium", elemId: "size" });
        new gr.Dropdown(["Red", "Green", "Blue"], { label: "Colour", elemId: "colour" });
        new gr.Dropdown<string, true>(["Jazz", "Rock", "Folk"], { label: "Genres", multiselect: true, value: ["Jazz"], elemId: "genres" });
      });
    });
    const displayTab = new gr.Tab("Display", () => {
      new gr.Row(() => {
        new gr.Label({ label: "Prediction", value: { cat: 0.7, dog: 0.2, bird: 0.1 }, elemId: "prediction" });
        new gr.JSON({ label: "Data", value: { items: ["a", "b"], total: 2 }, elemId: "data" });
      });
      new gr.HTML("<p>HTML component: <b>bold</b> <i>italic</i></p>", { elemId: "html" });
      new gr.Chatbot({
        label: "Conversation",
        value: [
          { role: "user", content: "Hi there" },
          { role: "assistant", content: "Hello! **How** can I help?" },
        ],
        elemId: "conversation",
      });
    });
    new gr.Accordion("Actions", () => {
      const target = new gr.Textbox({ label: "Target", value: "I can be hidden", elemId: "target" });
      new gr.Row(() => {
        new gr.Button("Fail", { variant: "stop", elemId: "fail" }).click(function fail() {
          throw new gr.Error("Something went wrong on purpose.", { title: "Oops" });
        });
        new gr.Button("Notify", { elemId: "notify" }).click(function notify() {
          gr.Info("An info alert.");
          gr.Warning("A warning alert.");
          gr.Success("A success alert.");
        });
        new gr.Button("Hide", { elemId: "hide" }).click(() => gr.update({ visible: false }), undefined, target);
        new gr.Button("Show", { elemId: "show" }).click(() => gr.update({ visible: true }), undefined, target);
        new gr.Button("Hide, keep in page", { elemId: "hide-keep" }).click(() => gr.update({ visible: "hidden" }), undefined, target);
        new gr.Button("Lock", { elemId: "lock" }).click(() => gr.update({ interactive: false, label: "Target (locked)" }), undefined, target);
        new gr.ClearButton([target], { elemId: "clear" });
      });
    });
    // Containers as outputs (S72): hiding the Group hides what is in it; Fold closes the Accordion.
    let panel!: gr.Group, details!: gr.Accordion;
    new gr.Row(() => {
      panel = new gr.Group({ elemId: "panel" }, () => {
        new gr.Textbox({ label: "Inside the panel", value: "in a Group", elemId: "inside" });
      });
      details = new gr.Accordion("Details", { elemId: "details" }, () => {
        new gr.Markdown("Details inside an accordion.", { elemId: "details-text" });
      });
    });
    new gr.Row(() => {
      new gr.Button("Hide panel", { elemId: "hide-panel" }).click(() => gr.update({ visible: false }), undefined, panel);
      new gr.Button("Show panel", { elemId: "show-panel" }).click(() => gr.update({ visible: true }), undefined, panel);
      new gr.Button("Fold details", { elemId: "fold" }).click(() => gr.update({ open: false }), undefined, details);
      new gr.Button("Hide Display tab", { elemId: "hide-tab" }).click(() => gr.update({ visible: false }), undefined, displayTab);
    });
  });
}

/**
 * Dynamic rendering (S110-S112): a slider sets how many textboxes exist (keyed, so what was
 * typed stays when the count changes), and a button outside the region joins their texts.
 */
export function renderApp(): gr.Blocks {
  return new gr.Blocks({ title: "Dynamic boxes" }, () => {
    const count = new gr.Slider({ label: "How many boxes", minimum: 0, maximum: 6, step: 1, value: 2, elemId: "count" });
    const join = new gr.Button("Join", { elemId: "join" });
    const joined = new gr.Textbox({ label: "Joined", elemId: "joined" });
    gr.render([count], (n: number) => {
      const boxes = Array.from({ length: n }, (_, i) => new gr.Textbox({ label: `Box ${i + 1}`, key: `box-${i}`, elemId: `box-${i}` }));
      join.click((...texts: unknown[]) => texts.slice(0, -1).join(" "), boxes, joined);
    });
  });
}
