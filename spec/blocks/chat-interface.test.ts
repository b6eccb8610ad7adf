import * as gr from "blockstate";
import { flush } from "blockstate/testing";
import { BrowserStateCipher, defaultSecret, defaultStorageKey } from "../../src/storage";

type Chat = gr.ChatInterface;

async function open(chat: Chat, options: gr.ConnectOptions = {}) {
  const app = chat.launch();
  return { app, s: await app.connect(options) };
}

async function send(s: gr.Session, chat: Chat, text: string) {
  await s.input(chat.textbox, text);
  return s.submit(chat.textbox);
}

/** Lets the session's runs make progress until `done()` holds (bounded, never timed). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await flush();
  expect(done()).toBe(true);
}

const echo = (message: string) => `You said: ${message}`;

function errors(s: gr.Session): string[] {
  return s.messages.filter((m) => m.type === "error").map((m) => (m as gr.AlertMessage).message);
}

describe("ChatInterface layout (S100)", () => {
  it("is a Blocks with a Chatbot, a Textbox and a stop Button; the title is the Blocks' title", () => {
    const chat = new gr.ChatInterface({ fn: echo, title: "Echo" });
    expect(chat).toBeInstanceOf(gr.Blocks);
    expect(chat.chatbot).toBeInstanceOf(gr.Chatbot);
    expect(chat.textbox).toBeInstanceOf(gr.Textbox);
    expect(chat.stopButton).toBeInstanceOf(gr.Button);
    expect(chat.options.title).toBe("Echo");
    expect(chat.submitDependency.apiName).toBe("chat");
    expect(chat.savedConversations).toBeUndefined();
  });

  it("lays out the saved conversations beside the chat, and additional inputs in an accordion", () => {
    const chat = new gr.ChatInterface({ fn: echo, saveHistory: true, additionalInputs: "text" });
    const shape = (nodes: readonly gr.LayoutNode[]): unknown[] => nodes.map((n) => (n.children.length ? { [n.block.type]: shape(n.children) } : n.block.type));
    expect(shape(chat.layout)).toEqual([{ row: [{ column: ["button", "radio"] }, { column: ["chatbot", "textbox", "button", { accordion: ["textbox"] }] }] }]);
  });

  it("keeps each session's history, and a reload starts empty (S1, S12)", async () => {
    const chat = new gr.ChatInterface({ fn: echo });
    const { app, s } = await open(chat);
    const other = await app.connect();
    await send(s, chat, "hi");
    expect(s.get(chat.chatbot)).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "You said: hi" },
    ]);
    expect(other.get(chat.chatbot)).toEqual([]);
    const again = await s.reload();
    expect(again.get(chat.chatbot)).toEqual([]);
  });
});

describe("ChatInterface with a Chatbot or Textbox of its own (Gradio's chatbot=, textbox=)", () => {
  it("uses the given components in its layout, and sets its examples and editable on the Chatbot", async () => {
    const chatbot = new gr.Chatbot({ height: 600, label: "Assistant" });
    const textbox = new gr.Textbox({ placeholder: "Ask me anything", label: "Ask" });
    const chat = new gr.ChatInterface({ fn: echo, chatbot, textbox, examples: ["Hi"], editable: true });
    expect(chat.chatbot).toBe(chatbot);
    expect(chat.textbox).toBe(textbox);
    expect(chatbot.props).toMatchObject({ height: 600, label: "Assistant", examples: [{ text: "Hi" }], editable: "user" });
    const column = chat.layout[0].children[0];
    expect(column.children.map((n) => n.block)).toEqual([chatbot, textbox, chat.stopButton]);
    const { s } = await open(chat);
    await send(s, chat, "hello");
    expect(s.get(chatbot)).toEqual([
      { role: "user", content: "hello" },
      { role: "assistant", content: "You said: hello" },
    ]);
  });

  it("starts the API's history from the value of the Chatbot it was given (Gradio's chatbot_state)", async () => {
    const seen: unknown[] = [];
    const welcome = { role: "assistant" as const, content: "Welcome!" };
    const chat = new gr.ChatInterface({ fn: (_m: string, history: gr.ChatbotMessage[]) => (seen.push(history), "ok"), chatbot: new gr.Chatbot({ value: [welcome] }) });
    const { s } = await open(chat);
    const [, history] = (await s.call("chat", "hi")) as [string, gr.ChatbotMessage[]];
    expect(seen).toEqual([[welcome]]);
    expect(history.map((m) => m.content)).toEqual(["Welcome!", "hi", "ok"]);
  });

  it("moves a Chatbot made earlier in the app's build into its layout, as Gradio unrenders and renders it", () => {
    let chatbot!: gr.Chatbot;
    let chat!: gr.ChatInterface;
    const demo = new gr.Blocks(() => {
      new gr.Row(() => {
        chatbot = new gr.Chatbot({ height: 300 });
        new gr.Markdown("beside");
      });
      chat = new gr.ChatInterface({ fn: echo, chatbot });
    });
    const shape = (nodes: readonly gr.LayoutNode[]): unknown[] => nodes.map((n) => (n.children.length ? { [n.block.type]: shape(n.children) } : n.block.type));
    expect(shape(demo.layout)).toEqual([{ row: ["markdown"] }, { row: [{ column: ["chatbot", "textbox", "button"] }] }]);
    expect(chat.chatbot).toBe(chatbot);
  });

  it("refuses a chatbot or textbox of the wrong kind or of another app, and a placeholder beside a textbox", () => {
    expect(() => new gr.ChatInterface({ fn: echo, chatbot: new gr.Textbox() as never })).toThrow("ChatInterface: chatbot must be a gr.Chatbot; got Textbox.");
    expect(() => new gr.ChatInterface({ fn: echo, textbox: new gr.Textbox(), placeholder: "x" })).toThrow(
      "ChatInterface: placeholder is for the Textbox it makes; give it to your textbox instead.",
    );
    let taken!: gr.Chatbot;
    new gr.Blocks(() => void (taken = new gr.Chatbot()));
    expect(() => new gr.ChatInterface({ fn: echo, chatbot: taken })).toThrow(/Chatbot .* is already part of another Blocks/);
    expect(() => new gr.ChatInterface({ fn: echo, chatbot: new gr.Chatbot({ value: [{ role: "user", content: "x" }] }), editable: true })).not.toThrow();
  });
});

describe("ChatInterface submit (S101)", () => {
  it("does nothing for an empty or blank message", async () => {
    const fn = jest.fn(echo);
    const chat = new gr.ChatInterface({ fn });
    const { s } = await open(chat);
    expect((await send(s, chat, "")).status).toBe("complete");
    expect((await send(s, chat, "  \n\t")).status).toBe("complete");
    expect(fn).not.toHaveBeenCalled();
    expect(s.get(chat.chatbot)).toEqual([]);
    expect(s.get(chat.textbox)).toBe("  \n\t");
  });

  it("clears the textbox, appends the message and calls fn with the history before it", async () => {
    const calls: unknown[][] = [];
    const chat = new gr.ChatInterface({
      fn: (message: string, history: gr.ChatbotMessage[]) => {
        calls.push([message, history]);
        return `#${history.length}`;
      },
    });
    const { s } = await open(chat);
    await send(s, chat, "one");
    await send(s, chat, "two");
    expect(s.get(chat.textbox)).toBe("");
    expect(calls).toEqual([
      ["one", []],
      ["two", [{ role: "user", content: "one" }, { role: "assistant", content: "#0" }]],
    ]);
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["one", "#0", "two", "#2"]);
  });

  it("gives fn a copy of the history, so changing it changes nothing", async () => {
    const chat = new gr.ChatInterface({
      fn: (_: string, history: gr.ChatbotMessage[]) => {
        for (const m of history) m.content = "changed";
        return "ok";
      },
    });
    const { s } = await open(chat);
    await send(s, chat, "a");
    await send(s, chat, "b");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "ok", "b", "ok"]);
  });

  it("normalises replies: a ChatMessage (role default assistant, metadata kept), a list, null", async () => {
    const replies: unknown[] = [
      { content: "thinking", metadata: { title: "Thought" } },
      ["a", { role: "system", content: "b" }],
      null,
    ];
    const chat = new gr.ChatInterface({ fn: () => replies.shift() });
    const { s } = await open(chat);
    await send(s, chat, "1");
    await send(s, chat, "2");
    await send(s, chat, "3");
    expect(s.get(chat.chatbot)).toEqual([
      { role: "user", content: "1" },
      { role: "assistant", content: "thinking", metadata: { title: "Thought" } },
      { role: "user", content: "2" },
      { role: "assistant", content: "a" },
      { role: "system", content: "b" },
      { role: "user", content: "3" },
    ]);
  });

  it("follows fn's promise as await does: a then of the promise's own is never called (#11)", async () => {
    const hostile = (value: string) => Object.assign(Promise.resolve(value), { then: () => undefined }); // never calls back
    const chat = new gr.ChatInterface({
      fn: function* (m: string) {
        yield hostile(`Echo: ${m}`);
      },
    });
    const { s } = await open(chat);
    expect((await send(s, chat, "hi")).status).toBe("complete");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["hi", "Echo: hi"]);
  });

  it("awaits an async fn", async () => {
    const chat = new gr.ChatInterface({ fn: async (m: string) => m.toUpperCase() });
    const { s } = await open(chat);
    await send(s, chat, "hey");
    expect(s.get(chat.chatbot).at(-1)).toEqual({ role: "assistant", content: "HEY" });
  });

  it("keeps the user's message and appends no reply when fn throws; the error reaches the session", async () => {
    const chat = new gr.ChatInterface({
      fn: () => {
        throw new gr.Error("model offline");
      },
    });
    const { s } = await open(chat);
    const result = await send(s, chat, "hi");
    expect(result.status).toBe("error");
    expect(s.get(chat.chatbot)).toEqual([{ role: "user", content: "hi" }]);
    expect(errors(s)).toEqual(["model offline"]);
  });

  it("fails the turn, naming the reply, for a reply that is not a string or message", async () => {
    const chat = new gr.ChatInterface({ fn: () => 42 });
    const { s } = await open(chat);
    const result = await send(s, chat, "hi");
    expect(result.status).toBe("error");
    expect(result.error?.message).toMatch(/^ChatInterface fn: a reply must be a string, a ChatMessage .* got 42\.$/);
    expect(s.get(chat.chatbot)).toEqual([{ role: "user", content: "hi" }]);
  });

  it("fails the turn with an EventError naming the reply for a wrong or unreadable one, which users see; the next turn works", async () => {
    const unreadable = {
      get role(): string {
        throw new Error("role getter");
      },
      content: "x",
    };
    for (const [bad, code, message] of [
      [5, "invalid_output", /^ChatInterface fn: a reply must be a string, a ChatMessage .* got 5\.$/],
      [["fine", 5], "invalid_output", /got 5\.$/],
      [unreadable, "unreadable_value", /^ChatInterface fn returned a reply that could not be read \(role getter\)\.$/],
    ] as const) {
      const chat = new gr.ChatInterface({ fn: (m: string) => (m === "bad" ? (bad as never) : "fine") });
      const { s } = await open(chat);
      const result = await send(s, chat, "bad");
      expect(result.error).toBeInstanceOf(gr.EventError);
      expect(result.error).toMatchObject({ code, message: expect.stringMatching(message) });
      expect(errors(s)).toEqual([result.error!.message]); // shown as it is, not the generic message
      expect(s.get(chat.chatbot)).toEqual([{ role: "user", content: "bad" }]);
      expect((await send(s, chat, "ok")).status).toBe("complete");
    }
  });

  it("fails the turn, naming the path, for a reply whose metadata is no JSON data; the history stays and later turns and retry work", async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const [metadata, message] of [
      [deep, /too deep/],
      [{ log: revoked.proxy }, /revoked Proxy/],
      [{ tokens: 12n }, /metadata\.tokens is a bigint/],
    ] as const) {
      const chat = new gr.ChatInterface({ fn: (m: string) => (m === "bad" ? { content: "answer", metadata } : `fine ${m}`) });
      const { s } = await open(chat);
      const result = await send(s, chat, "bad");
      expect(result.error).toBeInstanceOf(gr.EventError);
      expect(result.error!.message).toMatch(message);
      expect(result.error!.message).toMatch(/Chatbot/);
      expect(s.get(chat.chatbot)).toEqual([{ role: "user", content: "bad" }]);
      expect((await send(s, chat, "hello")).status).toBe("complete");
      expect(s.get(chat.chatbot).at(-1)).toEqual({ role: "assistant", content: "fine hello" });
      expect((await s.trigger(chat.chatbot, "retry")).status).toBe("complete");
    }
  });

  it("passes the event context after the additional inputs", async () => {
    let hash: unknown;
    const chat = new gr.ChatInterface({
      fn: (_m: string, _h: unknown, ctx: gr.EventContext) => {
        hash = ctx.sessionHash;
        return "ok";
      },
    });
    const { s } = await open(chat);
    await send(s, chat, "hi");
    expect(hash).toBe(s.sessionHash);
  });

  it("answers session.call and session.run with (message, ...additionalInputValues), continuing the session's history", async () => {
    const calls: unknown[][] = [];
    const chat = new gr.ChatInterface({
      fn: (message: string, history: gr.ChatbotMessage[], style: string) => {
        calls.push([message, history.length, style]);
        return [`${style}${message}`, history.length];
      },
      additionalInputs: ["text"],
      additionalOutputs: [new gr.Number()],
    });
    const { s } = await open(chat);
    expect(await s.call("chat", "a", "> ")).toEqual(["", [{ role: "user", content: "a" }, { role: "assistant", content: "> a" }], 0]);
    const run = s.run("chat", ["b", "! "]);
    const end = await run.done;
    expect(end.status).toBe("complete");
    expect(end.outputs).toEqual(["", s.get(chat.chatbot), 2]);
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "> a", "b", "! b"]);
    // A UI turn continues the same conversation, and the API then continues it.
    await send(s, chat, "c");
    await s.call("chat", "d", "");
    expect(calls).toEqual([
      ["a", 0, "> "],
      ["b", 2, "! "],
      ["c", 4, ""],
      ["d", 6, ""],
    ]);
  });

  it("answers session.call under apiName (default \"chat\")", async () => {
    const chat = new gr.ChatInterface({ fn: echo, apiName: "talk" });
    const { s } = await open(chat);
    const [text, history] = await s.call("talk", "hi");
    expect(text).toBe("");
    expect(history).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "You said: hi" },
    ]);
  });
});

describe("ChatInterface turns waiting in the queue (S101, S60)", () => {
  /**
   * A ChatInterface whose fn records its calls and holds the message "block" until `release()`:
   * while it runs, every other session's turn waits in the queue (one group, limit 1).
   */
  function blocking() {
    const calls: [string, string[]][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const chat = new gr.ChatInterface({
      fn: async (message: string, history: gr.ChatbotMessage[]) => {
        calls.push([message, history.map((m) => m.content)]);
        if (message === "block") await gate;
        return `echo ${message}`;
      },
    });
    return { chat, calls, release: () => release() };
  }

  /** Session `a` runs "block", so that what `b` starts next waits in the queue. */
  async function busy(chat: Chat, calls: unknown[]) {
    const { app, s: a } = await open(chat);
    const b = await app.connect();
    const blocked = send(a, chat, "block");
    await until(() => calls.length === 1);
    return { a, b, blocked };
  }

  it("a queued submit clears the textbox and shows the message at once; a draft typed meanwhile is not sent", async () => {
    const { chat, calls, release } = blocking();
    const { a, b, blocked } = await busy(chat, calls);
    await b.input(chat.textbox, "hello");
    const submitted = b.submit(chat.textbox);
    await until(() => b.get(chat.chatbot).length === 1);
    expect(b.get(chat.chatbot)).toEqual([{ role: "user", content: "hello" }]);
    expect(b.get(chat.textbox)).toBe("");
    await b.input(chat.textbox, "draft of my next question");
    expect(calls).toEqual([["block", []]]); // b's turn is still waiting
    release();
    expect((await blocked).status).toBe("complete");
    expect((await submitted).status).toBe("complete");
    expect(calls).toEqual([
      ["block", []],
      ["hello", []],
    ]);
    expect(b.get(chat.chatbot)).toEqual([
      { role: "user", content: "hello" },
      { role: "assistant", content: "echo hello" },
    ]);
    expect(b.get(chat.textbox)).toBe("draft of my next question");
    expect(a.get(chat.chatbot).map((m) => m.content)).toEqual(["block", "echo block"]);
  });

  it("undo while a submit waits in the queue does not change what fn receives", async () => {
    const { chat, calls, release } = blocking();
    const { app } = await open(chat);
    const b = await app.connect();
    await send(b, chat, "one");
    const a = await app.connect();
    const blocked = send(a, chat, "block");
    await until(() => calls.length === 2);
    await b.input(chat.textbox, "two");
    const submitted = b.submit(chat.textbox);
    await until(() => b.get(chat.chatbot).length === 3);
    // Both undos are unqueued: they run while "two" waits.
    expect((await b.trigger(chat.chatbot, "undo")).status).toBe("complete");
    expect((await b.trigger(chat.chatbot, "undo")).status).toBe("complete");
    expect([b.get(chat.chatbot), b.get(chat.textbox)]).toEqual([[], "one"]);
    release();
    await blocked;
    expect((await submitted).status).toBe("complete");
    expect(calls.at(-1)).toEqual(["two", ["one", "echo one"]]);
    // The reply is shown after the history it answers.
    expect(b.get(chat.chatbot).map((m) => m.content)).toEqual(["one", "echo one", "two", "echo two"]);
  });

  it("while a turn is pending, another submit or retry of that session does nothing", async () => {
    const { chat, calls, release } = blocking();
    const { b, blocked } = await busy(chat, calls);
    const first = send(b, chat, "first");
    await until(() => b.get(chat.chatbot).length === 1);
    const second = send(b, chat, "second");
    const retried = b.trigger(chat.chatbot, "retry");
    await until(() => b.get(chat.textbox) === "second");
    expect(b.get(chat.chatbot)).toEqual([{ role: "user", content: "first" }]);
    release();
    await Promise.all([blocked, first, second, retried]);
    expect(calls).toEqual([
      ["block", []],
      ["first", []],
    ]);
    expect(b.get(chat.chatbot).map((m) => m.content)).toEqual(["first", "echo first"]);
    expect(b.get(chat.textbox)).toBe("second");
    // The session's next turn starts normally.
    await send(b, chat, "third");
    expect(calls.at(-1)).toEqual(["third", ["first", "echo first"]]);
  });

  it("the stop button cancels a turn still waiting in the queue; the message stays and fn is never called", async () => {
    const { chat, calls, release } = blocking();
    const { b, blocked } = await busy(chat, calls);
    const waiting = send(b, chat, "never");
    await until(() => b.get(chat.chatbot).length === 1);
    await b.click(chat.stopButton);
    expect((await waiting).status).toBe("cancelled");
    release();
    await blocked;
    await b.idle();
    expect(calls).toEqual([["block", []]]);
    expect(b.get(chat.chatbot)).toEqual([{ role: "user", content: "never" }]);
    await send(b, chat, "again");
    expect(calls.at(-1)).toEqual(["again", ["never"]]);
  });

  it("a turn whose queued step a close cancelled is over: reconnected, the session's next submit answers the new message (S13)", async () => {
    const { chat, calls, release } = blocking();
    const { app, s: a } = await open(chat);
    const b = await app.connect();
    const blocked = send(a, chat, "block");
    await until(() => calls.length === 1);
    const waiting = send(b, chat, "lost");
    await until(() => b.get(chat.chatbot).length === 1);
    await b.close(); // cancels the queued step; S13: nothing chained to it runs
    expect((await waiting).status).toBe("cancelled");
    const again = await app.connect({ sessionHash: b.sessionHash });
    expect(again).toBe(b); // reopened, its State intact
    expect(again.get(chat.chatbot)).toEqual([{ role: "user", content: "lost" }]);
    release();
    await blocked;
    expect((await send(again, chat, "new")).status).toBe("complete");
    expect(calls.at(-1)).toEqual(["new", ["lost"]]);
    expect(again.get(chat.chatbot).map((m) => m.content)).toEqual(["lost", "new", "echo new"]);
  });
});

describe("ChatInterface streaming (S102, S103)", () => {
  it("replaces the turn's reply with each yield of a sync or async generator", async () => {
    const fns = [
      function* (message: string) {
        yield "Thinking...";
        yield `You said: ${message}`;
      },
      async function* (message: string) {
        yield "Thinking...";
        await Promise.resolve();
        yield `You said: ${message}`;
      },
    ];
    for (const fn of fns) {
      const chat = new gr.ChatInterface({ fn });
      const { s } = await open(chat);
      const seen: string[][] = [];
      const sub = s.value$(chat.chatbot).subscribe((h) => seen.push(h.map((m) => m.content)));
      await send(s, chat, "hi");
      sub.unsubscribe();
      expect(seen).toEqual([[], ["hi"], ["hi", "Thinking..."], ["hi", "You said: hi"]]);
    }
  });

  it("awaits a promise yielded by a sync generator, as for await does", async () => {
    const chat = new gr.ChatInterface({
      fn: function* (message: string) {
        yield Promise.resolve(`Echo: ${message}`);
      },
    });
    const { s } = await open(chat);
    expect((await send(s, chat, "hi")).status).toBe("complete");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["hi", "Echo: hi"]);
  });

  it("a sync generator's turn is written without waiting for promises, and its yields are each a change", async () => {
    const chat = new gr.ChatInterface({
      fn: function* () {
        for (let i = 1; i <= 3; i++) yield "x".repeat(i);
      },
    });
    const { s } = await open(chat);
    let changes = 0;
    s.value$(chat.chatbot).subscribe(() => changes++);
    await s.input(chat.textbox, "go");
    const submitted = s.submit(chat.textbox);
    // The whole stream ran in the submit's own turn (no promise between yields).
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["go", "xxx"]);
    expect(changes).toBe(1 + 1 + 3);
    expect((await submitted).status).toBe("complete");
  });

  it("the stop button cancels the run: the reply so far stays and the generator is closed", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let closed = false;
    const chat = new gr.ChatInterface({
      fn: async function* () {
        try {
          yield "partial";
          await gate;
          yield "never shown";
        } finally {
          closed = true;
        }
      },
    });
    const { s } = await open(chat);
    await s.input(chat.textbox, "hi");
    const running = s.submit(chat.textbox);
    await until(() => s.get(chat.chatbot).length === 2);
    await s.click(chat.stopButton);
    release();
    expect((await running).status).toBe("cancelled");
    await until(() => closed);
    expect(s.get(chat.chatbot)).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "partial" },
    ]);
  });
});

describe("ChatInterface stop (S103, S39)", () => {
  it("stops an async fn: its signal fires, its late reply is discarded, the user's message stays", async () => {
    let release!: (text: string) => void;
    let aborted = false;
    const chat = new gr.ChatInterface({
      fn: (_m: string, _h: unknown, ctx: gr.EventContext) => {
        ctx.signal.addEventListener("abort", () => (aborted = true));
        return new Promise<string>((resolve) => (release = resolve));
      },
    });
    const { s } = await open(chat);
    await s.input(chat.textbox, "hi");
    const running = s.submit(chat.textbox);
    await until(() => release !== undefined);
    await s.click(chat.stopButton);
    release("too late");
    expect((await running).status).toBe("cancelled");
    expect(aborted).toBe(true);
    await s.idle();
    expect(s.get(chat.chatbot)).toEqual([{ role: "user", content: "hi" }]);
  });

  it("with saveHistory, a stopped reply is saved as far as it got", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const chat = new gr.ChatInterface({
      fn: async function* () {
        yield "partial";
        await gate;
        yield "rest";
      },
      saveHistory: true,
    });
    const { s } = await open(chat);
    await s.input(chat.textbox, "hi");
    const running = s.submit(chat.textbox);
    await until(() => s.get(chat.chatbot).length === 2);
    await s.click(chat.stopButton);
    release();
    await running;
    expect(s.get(chat.savedConversations!)).toEqual([
      [
        { role: "user", content: "hi" },
        { role: "assistant", content: "partial" },
      ],
    ]);
  });
});

describe("ChatInterface Chatbot events (S104)", () => {
  function counting() {
    let n = 0;
    return new gr.ChatInterface({ fn: (m: string, h: gr.ChatbotMessage[]) => `${m}:${h.length}:${++n}`, editable: true });
  }

  it("retry replaces the last reply, calling fn with the last user message and the history before it", async () => {
    const calls: unknown[] = [];
    let n = 0;
    const chat = new gr.ChatInterface({
      fn: (m: string, h: gr.ChatbotMessage[]) => {
        calls.push([m, h.length]);
        return `reply ${++n}`;
      },
    });
    const { s } = await open(chat);
    await send(s, chat, "a");
    await send(s, chat, "b");
    expect((await s.trigger(chat.chatbot, "retry")).status).toBe("complete");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "reply 1", "b", "reply 3"]);
    expect(calls.at(-1)).toEqual(["b", 2]);
  });

  it("retry keeps an earlier user message that got no reply in the history it gives fn (S104)", async () => {
    let calls = 0;
    const seen: [string, string[]][] = [];
    const chat = new gr.ChatInterface({
      fn: (message: string, history: gr.ChatbotMessage[]) => {
        seen.push([message, history.map((m) => m.content)]);
        if (++calls === 1) throw new gr.Error("model unavailable"); // "a" stays, unanswered
        return `reply to ${message}`;
      },
    });
    const { s } = await open(chat);
    await send(s, chat, "a");
    await send(s, chat, "b");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "b", "reply to b"]);
    expect((await s.trigger(chat.chatbot, "retry")).status).toBe("complete");
    expect(seen.at(-1)).toEqual(["b", ["a"]]);
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "b", "reply to b"]);
  });

  it("retry shows the history without the old reply while fn runs", async () => {
    let release!: () => void;
    let calls = 0;
    const chat = new gr.ChatInterface({
      fn: async () => {
        if (calls++ === 1) await new Promise<void>((resolve) => (release = resolve));
        return `reply ${calls}`;
      },
    });
    const { s } = await open(chat);
    await send(s, chat, "a");
    const retrying = s.trigger(chat.chatbot, "retry");
    await until(() => release !== undefined);
    expect(s.get(chat.chatbot)).toEqual([{ role: "user", content: "a" }]);
    release();
    await retrying;
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "reply 2"]);
  });

  it("undo removes the last user message (and user messages right before it) and what follows, back into the textbox", async () => {
    const chat = new gr.ChatInterface({ fn: () => null });
    const { s } = await open(chat);
    await send(s, chat, "a");
    await send(s, chat, "b");
    await send(s, chat, "c");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "b", "c"]);
    expect((await s.trigger(chat.chatbot, "undo")).status).toBe("complete");
    expect(s.get(chat.chatbot)).toEqual([]);
    expect(s.get(chat.textbox)).toBe("c");
  });

  it("undo of a normal turn keeps the earlier turns", async () => {
    const chat = counting();
    const { s } = await open(chat);
    await send(s, chat, "a");
    await send(s, chat, "b");
    await s.trigger(chat.chatbot, "undo");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "a:0:1"]);
    expect(s.get(chat.textbox)).toBe("b");
  });

  it("clear empties the history", async () => {
    const chat = counting();
    const { s } = await open(chat);
    await send(s, chat, "a");
    await s.trigger(chat.chatbot, "clear");
    expect(s.get(chat.chatbot)).toEqual([]);
  });

  it("edit sets that user message, drops what follows and runs fn from there", async () => {
    const chat = counting();
    const { s } = await open(chat);
    await send(s, chat, "a");
    await send(s, chat, "b");
    await s.trigger(chat.chatbot, "edit", { index: 0, value: "A" });
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["A", "A:0:3"]);
    expect(chat.chatbot.props.editable).toBe("user");
  });

  it("retry and undo on an empty history fail with a clear error and change nothing", async () => {
    const chat = counting();
    const { s } = await open(chat);
    await s.input(chat.textbox, "draft");
    for (const event of ["retry", "undo"]) {
      const result = await s.trigger(chat.chatbot, event);
      expect(result.status).toBe("error");
      expect(result.error).toBeInstanceOf(gr.Error);
      expect(result.error?.message).toBe(`ChatInterface ${event}: nothing to ${event}; the history has no user message (0 messages).`);
    }
    expect(s.get(chat.chatbot)).toEqual([]);
    expect(s.get(chat.textbox)).toBe("draft");
    expect(errors(s)).toHaveLength(2);
  });

  it("edit of an index out of range, of an assistant message, or with blank text fails and changes nothing", async () => {
    const chat = counting();
    const { s } = await open(chat);
    await send(s, chat, "a");
    const before = s.get(chat.chatbot);
    const cases: [unknown, RegExp][] = [
      [{ index: 5, value: "x" }, /^ChatInterface edit: index 5 is not a message of the history \(2 messages\)\.$/],
      [{ index: -1, value: "x" }, /index -1 is not a message/],
      [{ index: "0", value: "x" }, /index "0" is not a message/],
      [undefined, /index undefined is not a message/],
      [{ index: 1, value: "x" }, /^ChatInterface edit: message \[1\] is from the assistant; only user messages can be edited\.$/],
      [{ index: 0, value: " " }, /the new text must be a non-blank string; got " "/],
    ];
    for (const [data, message] of cases) {
      const result = await s.trigger(chat.chatbot, "edit", data);
      expect(result.status).toBe("error");
      expect(result.error?.message).toMatch(message);
      expect(s.get(chat.chatbot)).toBe(before);
    }
  });

  it("edit does nothing without editable: true", async () => {
    const fn = jest.fn(echo);
    const chat = new gr.ChatInterface({ fn });
    const { s } = await open(chat);
    await send(s, chat, "a");
    await s.trigger(chat.chatbot, "edit", { index: 0, value: "A" });
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["a", "You said: a"]);
    expect(chat.chatbot.props.editable).toBeUndefined();
  });

  it("option_select sends the option's value as a message", async () => {
    const chat = new gr.ChatInterface({ fn: echo });
    const { s } = await open(chat);
    await s.trigger(chat.chatbot, "option_select", { index: 0, value: "Yes" });
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["Yes", "You said: Yes"]);
    expect((await s.trigger(chat.chatbot, "option_select", { index: 0 })).error?.message).toMatch(/option's value must be a non-blank string; got undefined/);
  });
});

describe("ChatInterface examples (S105)", () => {
  it("shows the examples on the Chatbot; example_select { index } submits one", async () => {
    const chat = new gr.ChatInterface({ fn: echo, examples: ["Hello", "What can you do?"] });
    expect(chat.chatbot.props.examples).toEqual([{ text: "Hello" }, { text: "What can you do?" }]);
    const { s } = await open(chat);
    expect((await s.trigger(chat.chatbot, "example_select", { index: 1, value: { text: "What can you do?" } })).status).toBe("complete");
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["What can you do?", "You said: What can you do?"]);
  });

  it("fails for an index that is not an example, changing nothing", async () => {
    const chat = new gr.ChatInterface({ fn: echo, examples: ["Hello"] });
    const { s } = await open(chat);
    const result = await s.trigger(chat.chatbot, "example_select", { index: 1 });
    expect(result.error?.message).toBe("ChatInterface example_select: index 1 is not one of the 1 examples.");
    expect(s.get(chat.chatbot)).toEqual([]);
  });

  it("refuses examples that are not messages or [message, ...values] lists", () => {
    expect(() => new gr.ChatInterface({ fn: echo, examples: [1] as never })).toThrow("ChatInterface: examples must be messages (strings) or [message] lists; examples[0] is 1.");
    expect(() => new gr.ChatInterface({ fn: echo, examples: "Hi" as never })).toThrow('ChatInterface: examples must be a list; got "Hi".');
    const { proxy, revoke } = Proxy.revocable<string[]>([], {});
    revoke();
    expect(() => new gr.ChatInterface({ fn: echo, examples: proxy })).toThrow(/^ChatInterface: examples must be a list; got /);
    expect(() => new gr.ChatInterface({ fn: echo, examples: ["Hi"], exampleLabels: proxy })).toThrow(/^ChatInterface: exampleLabels must be one string per example \(1\); got /);
    // With additional inputs, at most a value per input.
    const slider = () => new gr.Slider({ minimum: 0, maximum: 1, label: "Temperature" });
    expect(() => new gr.ChatInterface({ fn: echo, additionalInputs: [slider()], examples: [["Hi", 0.5, 1]] })).toThrow(
      /examples must be messages \(strings\) or \[message, \.\.\.additionalInputValues\] lists \(at most 2 items\); examples\[0\] is \["Hi", ?0\.5, ?1\]/,
    );
    expect(() => new gr.ChatInterface({ fn: echo, additionalInputs: [slider()], examples: [[2]] })).toThrow(/examples\[0\] is \[2\]/);
    expect(() => new gr.ChatInterface({ fn: echo, examples: ["Hi"], exampleLabels: ["a", "b"] })).toThrow('ChatInterface: exampleLabels must be one string per example (1); got ["a","b"].');
    expect(() => new gr.ChatInterface({ fn: echo, examples: ["Hi"], runExamplesOnClick: "no" as never })).toThrow('ChatInterface: runExamplesOnClick must be true or false; got "no".');
  });

  it("shows exampleLabels on the Chatbot instead of the messages (Gradio's example_labels); a pick still sends the message", async () => {
    const chat = new gr.ChatInterface({ fn: echo, examples: ["Tell me a joke about cats"], exampleLabels: ["Cat joke"] });
    expect(chat.chatbot.props.examples).toEqual([{ text: "Tell me a joke about cats", displayText: "Cat joke" }]);
    const { s } = await open(chat);
    await s.trigger(chat.chatbot, "example_select", { index: 0 });
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["Tell me a joke about cats", "You said: Tell me a joke about cats"]);
  });

  it("with runExamplesOnClick: false, a pick only puts the message in the Textbox (Gradio's example_populated)", async () => {
    let calls = 0;
    const chat = new gr.ChatInterface({ fn: (m: string) => (calls++, echo(m)), examples: ["Hello"], runExamplesOnClick: false });
    const { s } = await open(chat);
    expect((await s.trigger(chat.chatbot, "example_select", { index: 0 })).status).toBe("complete");
    expect([s.get(chat.textbox), s.get(chat.chatbot), calls]).toEqual(["Hello", [], 0]);
    await s.submit(chat.textbox);
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["Hello", "You said: Hello"]);
    expect((await s.trigger(chat.chatbot, "example_select", { index: 3 })).error?.message).toBe("ChatInterface example_select: index 3 is not one of the 1 examples.");
  });

  it("takes [message, ...additional input values] examples; with values, shows them in a gr.Examples that fills in the Textbox and those inputs", async () => {
    const temperature = new gr.Slider({ minimum: 0, maximum: 1, value: 0.7, label: "Temperature" });
    const system = new gr.Textbox({ value: "Be brief.", label: "System" });
    const chat = new gr.ChatInterface({
      fn: (message: string, _history: gr.ChatbotMessage[], t: number, sys: string) => `${sys} (${t}) ${message}`,
      additionalInputs: [temperature, system],
      examples: [
        ["Hello", 0.2],
        ["Bonjour", null, "Answer in French."],
      ],
    });
    expect(chat.chatbot.props.examples).toBeUndefined(); // under the chat, not in the Chatbot
    const handler = chat.examplesHandler!;
    expect(handler.inputs).toEqual([chat.textbox, temperature, system]);
    expect(handler.examples).toEqual([
      ["Hello", 0.2, null],
      ["Bonjour", null, "Answer in French."],
    ]);
    const { s } = await open(chat);
    expect(s.props(handler.dataset).sampleLabels).toBeNull();
    const labelled = new gr.ChatInterface({ fn: echo, additionalInputs: [new gr.Slider({ label: "T" })], examples: [["Hi", 0.2]], exampleLabels: ["Greet"] });
    expect(labelled.examplesHandler!.dataset.props.sampleLabels).toEqual(["Greet"]);
    await s.trigger(handler.dataset, "click", { index: 1 });
    // A null clears its input, as gr.Examples does (the Slider's empty value is its minimum).
    expect([s.get(chat.textbox), s.get(temperature), s.get(system)]).toEqual(["Bonjour", 0, "Answer in French."]);
    expect(s.get(chat.chatbot)).toEqual([]); // filled in, not sent (Gradio's Examples do not run on click)
    await s.submit(chat.textbox);
    expect(s.get(chat.chatbot).at(-1)!.content).toBe("Answer in French. (0) Bonjour");
    await s.trigger(handler.dataset, "click", { index: 0 });
    expect([s.get(chat.textbox), s.get(temperature), s.get(system)]).toEqual(["Hello", 0.2, ""]);
  });

  it("keeps list examples whose values are all null on the Chatbot, and leaves an input no example fills out of the gr.Examples", async () => {
    const history = () => new gr.State<string[]>([]);
    const temperature = new gr.Slider({ minimum: 0, maximum: 1, value: 0.7, label: "Temperature" });
    const onChatbot = new gr.ChatInterface({ fn: echo, additionalInputs: [temperature], examples: [["Hello"], ["Hi", null], "Hey"] });
    expect([onChatbot.chatbot.props.examples, onChatbot.examplesHandler]).toEqual([[{ text: "Hello" }, { text: "Hi" }, { text: "Hey" }], undefined]);
    const chat = new gr.ChatInterface({ fn: echo, additionalInputs: [history(), new gr.Slider({ label: "T" })], examples: [["Hi", null, 0.5]] });
    expect(chat.examplesHandler!.inputs.map((c) => c.describe())).toEqual([chat.textbox.describe(), 'Slider "T"']);
    expect(() => new gr.ChatInterface({ fn: echo, additionalInputs: [history()], examples: [["Hi", ["x"]]] })).toThrow(
      /ChatInterface: examples give additionalInputs\[0\] \(State #\d+\) values; only components can be filled in by examples\./,
    );
  });
});

describe("ChatInterface saveHistory (S106)", () => {
  function saving() {
    return new gr.ChatInterface({ fn: echo, saveHistory: true });
  }
  const titles = (s: gr.Session, chat: Chat) => s.props(chat.conversationList!).choices;

  it("saves the conversation after each turn; New chat starts an empty one; the list survives a reload", async () => {
    const chat = saving();
    const storage = new gr.MemoryStorage();
    const { s } = await open(chat, { storage });
    await send(s, chat, "first chat");
    expect(s.get(chat.savedConversations!)).toEqual([s.get(chat.chatbot)]);
    await s.click(chat.newChatButton!);
    expect(s.get(chat.chatbot)).toEqual([]);
    await send(s, chat, "second chat");
    expect(s.get(chat.savedConversations!).map((h) => h[0].content)).toEqual(["second chat", "first chat"]);
    expect(titles(s, chat)).toEqual([
      ["second chat", 0],
      ["first chat", 1],
    ]);
    const again = await s.reload();
    expect(again.get(chat.chatbot)).toEqual([]);
    expect(again.get(chat.savedConversations!).map((h) => h.length)).toEqual([2, 2]);
    expect(titles(again, chat)).toEqual([
      ["second chat", 0],
      ["first chat", 1],
    ]);
  });

  it("saved conversations forged in storage that are not histories start the session from none, with a warning; turns and New chat work", async () => {
    for (const forged of [["not a history"], [[{ role: "user" }]], { not: "a list" }, [[null]]]) {
      const chat = saving();
      const app = chat.launch();
      const storage = new gr.MemoryStorage();
      // The entry's key and secret are derived (S93): anyone can write an authentic one.
      const key = defaultStorageKey(app._browserStates.appId, 0);
      storage.setItem(key, await new BrowserStateCipher(defaultSecret(app._browserStates.appId, 0), { kdf: "hkdf" }).encrypt(forged, key));
      const s = await app.connect({ storage });
      expect(s.get(chat.savedConversations!)).toEqual([]);
      const warnings = s.messages.filter((m) => m.type === "warning").map((m) => (m as gr.AlertMessage).message);
      expect(warnings).toEqual([expect.stringMatching(/could not be read from browser storage \((the saved conversations are|saved conversation \[0\] is not a list)/)]);
      expect(errors(s)).toEqual([]);
      expect((await send(s, chat, "hello")).status).toBe("complete");
      expect((await s.click(chat.newChatButton!)).status).toBe("complete");
      expect(s.get(chat.savedConversations!)).toHaveLength(1);
      await app.close();
    }
  });

  it("selecting a saved conversation loads it; continuing it updates that entry in place", async () => {
    const chat = saving();
    const { s } = await open(chat);
    await send(s, chat, "old");
    await s.click(chat.newChatButton!);
    await send(s, chat, "new");
    await s.trigger(chat.conversationList!, "select", { index: 1 });
    expect(s.get(chat.chatbot).map((m) => m.content)).toEqual(["old", "You said: old"]);
    await send(s, chat, "more");
    expect(s.get(chat.savedConversations!).map((h) => h.map((m) => m.content))).toEqual([
      ["new", "You said: new"],
      ["old", "You said: old", "more", "You said: more"],
    ]);
  });

  it("New chat saves a conversation not saved yet, and does not save an empty one", async () => {
    const chat = saving();
    const { s } = await open(chat);
    await s.click(chat.newChatButton!);
    expect(s.get(chat.savedConversations!)).toEqual([]);
    // An undone turn is still saved as what remains: nothing, so nothing is added.
    await send(s, chat, "a");
    await s.trigger(chat.chatbot, "undo");
    await s.click(chat.newChatButton!);
    expect(s.get(chat.savedConversations!).map((h) => h.map((m) => m.content))).toEqual([["a", "You said: a"]]);
  });

  it("clear removes the current conversation's saved entry", async () => {
    const chat = saving();
    const { s } = await open(chat);
    await send(s, chat, "keep");
    await s.click(chat.newChatButton!);
    await send(s, chat, "drop");
    await s.trigger(chat.chatbot, "clear");
    expect(s.get(chat.chatbot)).toEqual([]);
    expect(s.get(chat.savedConversations!).map((h) => h[0].content)).toEqual(["keep"]);
    expect(titles(s, chat)).toEqual([["keep", 0]]);
  });

  it("selecting an index that is not saved fails and changes nothing", async () => {
    const chat = saving();
    const { s } = await open(chat);
    await send(s, chat, "a");
    const before = s.get(chat.chatbot);
    const result = await s.trigger(chat.conversationList!, "select", { index: 3 });
    expect(result.error?.message).toBe("ChatInterface conversation select: index 3 is not one of the 1 saved conversations.");
    expect(s.get(chat.chatbot)).toBe(before);
  });
});

describe("ChatInterface additional inputs and outputs, options (S107)", () => {
  it("passes additionalInputs after the history and writes additionalOutputs", async () => {
    const temperature = new gr.Slider({ minimum: 0, maximum: 1, value: 0.7, label: "Temperature" });
    const tokens = new gr.Number({ label: "Tokens" });
    const chat = new gr.ChatInterface({
      fn: (message: string, _h: unknown, t: number, style: string) => [`${style}${message}@${t}`, message.length],
      additionalInputs: [temperature, "text"],
      additionalOutputs: [tokens],
    });
    expect(chat.additionalInputs[0]).toBe(temperature);
    expect(chat.additionalInputs[1]).toBeInstanceOf(gr.Textbox);
    expect(chat.additionalOutputs).toEqual([tokens]);
    const { s } = await open(chat);
    await s.input(temperature, 0.2);
    await s.input(chat.additionalInputs[1] as gr.Textbox, "> ");
    await send(s, chat, "hey");
    expect(s.get(chat.chatbot).at(-1)?.content).toBe("> hey@0.2");
    expect(s.get(tokens)).toBe(3);
  });

  it("shows an additional output where a later .render() in the build puts it (Gradio's chatinterface_artifacts demo)", async () => {
    const layoutOf = (demo: gr.Blocks) => {
      const tree = (nodes: readonly gr.LayoutNode[]): unknown[] => nodes.map((n) => (n.children.length ? [n.block.type, tree(n.children)] : n.block.type));
      return tree(demo.layout);
    };
    const reply = (m: string) => [`Here is ${m}`, `print("${m}")`];
    // Made outside the build: the ChatInterface shows it in its column until it is rendered elsewhere.
    const outside = new gr.Textbox({ label: "Code" });
    let chat!: gr.ChatInterface;
    const demo = new gr.Blocks(() => {
      new gr.Row(() => {
        new gr.Column(() => void (chat = new gr.ChatInterface({ fn: reply, additionalOutputs: [outside] })));
        new gr.Column(() => {
          new gr.Markdown("Code Artifacts");
          outside.render();
        });
      });
    });
    expect(layoutOf(demo)).toEqual([["row", [["column", [["row", [["column", ["chatbot", "textbox", "button"]]]]]], ["column", ["markdown", "textbox"]]]]]);
    const s = await demo.launch().connect();
    await send(s, chat, "hi");
    expect(s.get(outside)).toBe('print("hi")');
    // Made in the build and unrendered (Gradio's render=False): shown nowhere until rendered.
    let hidden!: gr.Textbox;
    const other = new gr.Blocks(() => {
      hidden = new gr.Textbox({ label: "Code" }).unrender();
      new gr.ChatInterface({ fn: reply, additionalOutputs: [hidden] });
    });
    expect(other.layout.flatMap(function all(n): unknown[] { return [n.block, ...n.children.flatMap(all)]; })).not.toContain(hidden);
  });

  it("keeps a Chatbot or Textbox it was given in its layout: a later .render() of it does nothing", () => {
    let chatbot!: gr.Chatbot, textbox!: gr.Textbox, chat!: gr.ChatInterface;
    const demo = new gr.Blocks(() => {
      chatbot = new gr.Chatbot({ label: "Mine" }).unrender();
      textbox = new gr.Textbox({ label: "Ask" }).unrender();
      chat = new gr.ChatInterface({ fn: echo, chatbot, textbox });
      new gr.Row(() => {
        chatbot.render();
        textbox.render();
      });
    });
    const column = demo.layout[0].children[0];
    expect(column.children.map((n) => n.block)).toEqual([chat.chatbot, chat.textbox, chat.stopButton]);
    expect(demo.layout[1].children).toEqual([]);
  });

  it("puts a State additional output made outside the build nowhere in the layout, also when rendered later", () => {
    const total = new gr.State(0);
    const demo = new gr.Blocks(() => {
      new gr.ChatInterface({ fn: (m: string) => [m, 1], additionalOutputs: [total] });
      new gr.Row(() => void total.render());
    });
    const ids = (nodes: readonly { id: number; children: readonly unknown[] }[]): number[] => nodes.flatMap((n) => [n.id, ...ids(n.children as never)]);
    expect(ids(demo.config().layout)).not.toContain(total.id);
  });

  it("leaves an additional output it placed free again when its build fails: a later build places it once", () => {
    const out = new gr.Textbox({ label: "Code" });
    expect(() => new gr.ChatInterface({ fn: echo, additionalInputs: [new gr.State(0)], additionalOutputs: [out], examples: [["hi", 1]] })).toThrow(/only components/);
    let row!: gr.Row;
    new gr.Blocks(() => {
      row = new gr.Row(() => void out.render());
      new gr.Column(() => void out.render());
    });
    expect(row._children).toContain(out);
  });

  it("puts an unrendered additional input in the Additional Inputs accordion, as Gradio's, below the examples' gr.Examples", () => {
    let system!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      system = new gr.Textbox({ label: "System" }).unrender();
      new gr.ChatInterface({ fn: echo, additionalInputs: [system], examples: [["Hi", "Be brief."]] });
    });
    const column = demo.layout[0].children[0];
    expect(column.children.map((n) => n.block.type)).toEqual(["chatbot", "textbox", "button", "dataset", "accordion"]);
    expect(column.children[4].children.map((n) => n.block)).toEqual([system]);
  });

  it("sets a given Chatbot's examples to its own, or to none (as Gradio): the Chatbot's own would be picked with nothing listening", () => {
    const own = () => new gr.Chatbot({ examples: [{ text: "own" }] });
    expect(new gr.ChatInterface({ fn: echo, chatbot: own() }).chatbot.props.examples).toBeUndefined();
    const withRows = new gr.ChatInterface({ fn: echo, chatbot: own(), additionalInputs: [new gr.Textbox({ label: "Sys" })], examples: [["Hi", "x"]] });
    expect(withRows.chatbot.props.examples).toBeUndefined();
    expect(new gr.ChatInterface({ fn: echo, chatbot: own(), examples: ["Hello"] }).chatbot.props.examples).toEqual([{ text: "Hello" }]);
  });

  it("streams [reply, ...values] with additionalOutputs", async () => {
    const count = new gr.Number();
    const chat = new gr.ChatInterface({
      fn: function* (m: string) {
        yield ["..", 1];
        yield [m, 2];
      },
      additionalOutputs: count,
    });
    const { s } = await open(chat);
    await send(s, chat, "x");
    expect([s.get(chat.chatbot).at(-1)?.content, s.get(count)]).toEqual(["x", 2]);
  });

  it("fails the turn when fn does not return [reply, ...values] with additionalOutputs", async () => {
    const chat = new gr.ChatInterface({ fn: () => "just text", additionalOutputs: [new gr.Number()] });
    const { s } = await open(chat);
    const result = await send(s, chat, "x");
    expect(result.error?.message).toBe('ChatInterface fn: with 1 additionalOutputs it must return [reply, ...values] (2 items); got "just text".');
    expect(s.get(chat.chatbot)).toEqual([{ role: "user", content: "x" }]);
  });

  it("applies concurrencyLimit and showProgress to the listeners that call fn", () => {
    const chat = new gr.ChatInterface({ fn: echo, concurrencyLimit: 3, showProgress: "minimal", examples: ["a"], editable: true });
    const callers = chat.dependencies.filter((d) => d.options.concurrencyId !== undefined);
    // Each trigger's queued step, after its unqueued step (S101), and the API listener.
    expect(callers.map((d) => d.parent?.dependency.triggers[0].event ?? d.apiName).sort()).toEqual(["chat", "edit", "example_select", "option_select", "retry", "submit"]);
    for (const d of callers) {
      expect(d.options).toMatchObject({ concurrencyLimit: 3, showProgress: "minimal", concurrencyId: "chat-interface", queue: true });
      expect(d.parent?.dependency.options.queue ?? false).toBe(false);
    }
    // The stop button cancels them all.
    const stop = chat.dependencies.find((d) => d.triggers[0]?.block === chat.stopButton)!;
    expect(new Set(stop.options.cancels)).toEqual(new Set(callers));
  });

  it("refuses unknown options with the nearest name, and bad values", () => {
    expect(() => new gr.ChatInterface({ fn: echo, additional_inputs: [] } as never)).toThrow(
      /^ChatInterface: unknown option "additional_inputs" \(did you mean "additionalInputs"\?\); the options are fn, additionalInputs/,
    );
    expect(() => new gr.ChatInterface({ fn: echo, saveHistroy: true } as never)).toThrow(/unknown option "saveHistroy" \(did you mean "saveHistory"\?\)/);
    expect(() => new gr.ChatInterface({ fn: echo, queue: false } as never)).toThrow(/unknown option "queue"/);
    expect(() => new gr.ChatInterface({ fn: "echo" } as never)).toThrow('ChatInterface: fn must be a function; got "echo".');
    expect(() => new gr.ChatInterface({ fn: echo, editable: "yes" } as never)).toThrow('ChatInterface: editable must be true or false; got "yes".');
    // @ts-expect-error not a shortcut (refused at run time too)
    expect(() => new gr.ChatInterface({ fn: echo, additionalInputs: ["txt"] })).toThrow(/^ChatInterface additionalInputs: unknown shortcut "txt"/);
    expect(() => new gr.ChatInterface({ fn: echo, additionalInputs: [42 as never] })).toThrow(
      "ChatInterface additionalInputs: expected a component, a State or a shortcut string; got 42.",
    );
    expect(() => new gr.ChatInterface({ fn: echo, concurrencyLimit: 0 })).toThrow(/concurrencyLimit must be a positive integer/);
  });
});

describe("Chatbot events", () => {
  it("a plain Chatbot has Gradio's events, each usable as a trigger", async () => {
    const events = ["retry", "undo", "edit", "like", "option_select", "example_select", "clear", "change", "select"] as const;
    let chatbot!: gr.Chatbot, log!: gr.State<string[]>;
    const demo = new gr.Blocks(() => {
      chatbot = new gr.Chatbot();
      log = new gr.State<string[]>([]);
      for (const event of events) chatbot[event]((l: string[], ctx: gr.EventContext) => [...l, `${event}:${JSON.stringify(ctx.event ?? null)}`], log, log);
    });
    const s = await demo.launch().connect();
    for (const event of events) await s.trigger(chatbot, event, { index: 1 });
    expect(s.get(log)).toEqual(events.map((e) => `${e}:{"index":1}`));
  });
});
