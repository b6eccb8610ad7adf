import * as gr from "blockstate";
import { apiInfo, gradioConfig } from "blockstate/server";

/** A ChatInterface inside a larger app, as Gradio apps write `with gr.Blocks(): gr.ChatInterface(fn)`. */
describe("a Blocks made inside another's build (Gradio renders it into that one)", () => {
  const echo = (message: string) => `You said: ${message}`;
  const shape = (nodes: readonly gr.LayoutNode[]): unknown[] => nodes.map((n) => (n.children.length ? { [n.block.type]: shape(n.children) } : n.block.type));

  async function send(s: gr.Session, chat: gr.ChatInterface, text: string) {
    await s.input(chat.textbox, text);
    return s.submit(chat.textbox);
  }

  it("puts a ChatInterface's parts in the outer app, where it was made, and the outer app runs them", async () => {
    let chat!: gr.ChatInterface;
    let title!: gr.Markdown;
    let after!: gr.Button;
    const demo = new gr.Blocks(() => {
      title = new gr.Markdown("# Support");
      new gr.Column(() => {
        chat = new gr.ChatInterface({ fn: echo });
      });
      after = new gr.Button("Done");
    });
    expect(chat.nested).toBe(true);
    expect(demo.nested).toBe(false);
    expect(chat.chatbot.id).toBeGreaterThan(title.id);
    expect(chat.chatbot.id).toBeLessThan(after.id);
    expect(demo.blocks[chat.chatbot.id]).toBe(chat.chatbot);
    expect(demo.dependencies).toContain(chat.submitDependency);
    expect(shape(demo.layout)).toEqual(["markdown", { column: [{ row: [{ column: ["chatbot", "textbox", "button"] }] }] }, "button"]);
    // What it made, listed by its own getters too.
    expect(chat.blocks).toContain(chat.textbox);
    expect(chat.blocks).not.toContain(title);
    expect(chat.dependencies).toContain(chat.submitDependency);
    expect(shape(chat.layout)).toEqual([{ row: [{ column: ["chatbot", "textbox", "button"] }] }]);

    const s = await demo.launch().connect();
    expect(await send(s, chat, "hi")).toEqual({ status: "complete" });
    expect(s.get(chat.chatbot)).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "You said: hi" },
    ]);
    const [, history] = (await s.call("chat", "again")) as [string, gr.ChatbotMessage[]];
    expect(history.slice(2)).toEqual([
      { role: "user", content: "again" },
      { role: "assistant", content: "You said: again" },
    ]);
  });

  it("runs a nested Blocks' load listeners (a ChatInterface's saved conversations) when the outer app's session starts", async () => {
    let chat!: gr.ChatInterface;
    let loaded!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      new gr.Blocks((inner) => {
        loaded = new gr.Textbox();
        inner.load(() => "loaded", undefined, loaded);
      });
      chat = new gr.ChatInterface({ fn: echo, saveHistory: true });
    });
    const storage = new gr.MemoryStorage();
    const s = await demo.launch().connect({ storage });
    expect(s.get(loaded)).toBe("loaded");
    await send(s, chat, "first chat");
    const again = await s.reload();
    expect(again.get(loaded)).toBe("loaded");
    // The list of saved conversations is filled by the ChatInterface's `load` listener.
    expect(again.props(chat.conversationList!).choices).toEqual([["first chat", 0]]);
  });

  it("runs a nested Blocks' unload listeners when a session of the outer app closes", async () => {
    const closed: string[] = [];
    const demo = new gr.Blocks(() => {
      new gr.Button("Outer");
      new gr.Blocks((inner) => {
        new gr.Button("Inner");
        inner.unload((ctx) => void closed.push(ctx.sessionHash));
      });
    });
    const s = await demo.launch().connect();
    await s.close();
    expect(closed).toEqual([s.sessionHash]);
  });

  it("gives two ChatInterfaces in one app their own API names and concurrency groups", async () => {
    let first!: gr.ChatInterface;
    let second!: gr.ChatInterface;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const demo = new gr.Blocks(() => {
      first = new gr.ChatInterface({ fn: async (m: string) => (await held, `first: ${m}`), concurrencyLimit: 1 });
      second = new gr.ChatInterface({ fn: (m: string) => `second: ${m}`, concurrencyLimit: 1 });
    });
    expect([first.submitDependency.apiName, second.submitDependency.apiName]).toEqual(["chat", "chat_1"]);
    expect([first.submitDependency.options.concurrencyId, second.submitDependency.options.concurrencyId]).toEqual(["chat-interface", "chat-interface_1"]);
    const app = demo.launch();
    const [a, b] = [await app.connect(), await app.connect()];
    const waiting = send(a, first, "hi");
    // The first chat's group is busy; the second's is another group, so it answers now.
    expect(await send(b, second, "hello")).toEqual({ status: "complete" });
    expect(b.get(second.chatbot)[1]).toEqual({ role: "assistant", content: "second: hello" });
    release();
    expect(await waiting).toEqual({ status: "complete" });
    expect(a.get(first.chatbot)[1]).toEqual({ role: "assistant", content: "first: hi" });
  });

  it("puts an Interface in the outer app, with components made outside it rendered in place", async () => {
    const name = new gr.Textbox({ label: "Name" });
    let greet!: gr.Interface;
    const demo = new gr.Blocks(() => {
      new gr.Markdown("Greeter");
      greet = new gr.Interface({ fn: (n: string) => `Hello ${n}`, inputs: name, outputs: "text" });
    });
    expect(name.id).toBeGreaterThan(0);
    expect(demo.blocks[name.id]).toBe(name);
    const s = await demo.launch().connect();
    expect(await s.call("predict", "Ada")).toEqual(["Hello Ada"]);
    expect(greet.nested).toBe(true);
  });

  it("is no app of its own: launch(), config() and render() elsewhere say to use the outer Blocks", () => {
    let chat!: gr.ChatInterface;
    const demo = new gr.Blocks(() => {
      chat = new gr.ChatInterface({ fn: echo });
      expect(chat.render()).toBe(chat); // made here: part of this build already
    });
    expect(() => chat.launch()).toThrow(
      "ChatInterface.launch(): this ChatInterface was made inside the build of another Blocks, which holds its parts; call launch() on that Blocks.",
    );
    expect(() => chat.config()).toThrow(/^ChatInterface\.config\(\): this ChatInterface was made inside the build of another Blocks/);
    expect(() => gradioConfig(chat, { apiPrefix: "/gradio_api", showError: false })).toThrow(/^ChatInterface\.gradioConfig\(blocks\): this ChatInterface was made inside the build of another Blocks/);
    expect(() => apiInfo(chat)).toThrow(/^ChatInterface\.apiInfo\(blocks\): this ChatInterface was made inside/);
    expect(demo.config().dependencies.length).toBe(demo.dependencies.length);
    const alone = new gr.ChatInterface({ fn: echo });
    expect(() => new gr.Blocks(() => void alone.render())).toThrow(
      "ChatInterface.render(): a Blocks built on its own (or in another app's build) cannot be rendered into another; make it inside this build instead (new gr.ChatInterface(...) in the build function).",
    );
    expect(() => alone.render()).toThrow("ChatInterface.render() must be called inside a Blocks build.");
  });

  it("leaves the outer app as it was when the nested build throws, even if the outer build goes on", async () => {
    const foreign = new gr.Textbox();
    new gr.Blocks(() => foreign.render()); // part of another app: the ChatInterface refuses it
    const reusable = new gr.Number({ label: "Temperature" });
    let before!: gr.Button;
    let after!: gr.Button;
    let caught: unknown;
    const chained: string[] = [];
    const demo = new gr.Blocks(() => {
      before = new gr.Button("Before");
      const first = before.click(() => undefined);
      try {
        new gr.Blocks(() => {
          new gr.Markdown("half made");
          reusable.render();
          first.then(() => void chained.push("from the failed build"));
          new gr.ChatInterface({ fn: echo, additionalInputs: [foreign] });
        });
      } catch (e) {
        caught = e;
      }
      after = new gr.Button("After");
      first.then(() => void chained.push("kept"));
    });
    expect(String(caught)).toMatch(/part of another Blocks|not part of/);
    expect(demo.blocks.map((b) => b.id)).toEqual([0, 1]);
    expect([before.id, after.id]).toEqual([0, 1]);
    expect(shape(demo.layout)).toEqual(["button", "button"]);
    expect(demo.dependencies.map((d) => d.id)).toEqual([0, 1]);
    expect(reusable.id).toBe(-1); // free again: another build can render it
    const other = new gr.Blocks(() => reusable.render());
    expect(other.blocks).toEqual([reusable]);
    const s = await demo.launch().connect();
    await s.click(before);
    expect(chained).toEqual(["kept"]);
  });

  it("lists in its layout what it made, also when it moved a Chatbot made before it; a failed build puts that Chatbot back", () => {
    let chatbot!: gr.Chatbot;
    let chat!: gr.ChatInterface;
    const foreign = new gr.Textbox();
    new gr.Blocks(() => foreign.render());
    const demo = new gr.Blocks(() => {
      chatbot = new gr.Chatbot();
      new gr.Markdown("after the chatbot");
      try {
        new gr.ChatInterface({ fn: echo, chatbot, additionalInputs: [foreign] });
      } catch {
        // the chatbot was moved before the build failed
      }
      chat = new gr.ChatInterface({ fn: echo, chatbot });
    });
    expect(shape(chat.layout)).toEqual([{ row: [{ column: ["chatbot", "textbox", "button"] }] }]);
    expect(shape(demo.layout)).toEqual(["markdown", { row: [{ column: ["chatbot", "textbox", "button"] }] }]);

    let kept!: gr.Chatbot;
    const failed = new gr.Blocks(() => {
      kept = new gr.Chatbot();
      new gr.Markdown("after");
      try {
        new gr.ChatInterface({ fn: echo, chatbot: kept, additionalInputs: [foreign] });
      } catch {
        // put back where it was
      }
    });
    expect(failed.layout.map((n) => n.block)).toEqual([kept, failed.blocks[1]]);
  });

  it("refuses cancels and .then of a listener its failed build made (its id is another listener's now)", () => {
    let stale!: gr.Dependency;
    const build = (use: (d: gr.Dependency) => void) =>
      new gr.Blocks(() => {
        try {
          new gr.Blocks(() => {
            stale = new gr.Button("B").click(() => undefined);
            throw new Error("boom");
          });
        } catch {
          // the outer build goes on
        }
        new gr.Button("C").click(function kept() {});
        use(stale);
      });
    expect(() => build((d) => void new gr.Button("Stop").click(() => undefined, undefined, undefined, { cancels: [d] }))).toThrow(/cancels must list listeners of the same Blocks/);
    expect(() => build((d) => void d.then(() => undefined))).toThrow(/a chained listener must be registered in the build of its parent's Blocks/);
  });

  it("empties a container its failed build made, so that rendering it again brings none of the freed blocks", () => {
    let column!: gr.Column;
    new gr.Blocks(() => {
      try {
        new gr.Blocks(() => {
          column = new gr.Column(() => void new gr.Textbox());
          throw new Error("boom");
        });
      } catch {
        // the outer build goes on
      }
    });
    const again = new gr.Blocks(() => void column.render());
    expect(again.layout).toEqual([{ block: column, children: [] }]);
  });

  it("leaves a ChatInterface's additional inputs made earlier in the app where they are, with no empty Accordion (as Gradio)", async () => {
    let chat!: gr.ChatInterface;
    let temperature!: gr.Slider;
    const demo = new gr.Blocks(() => {
      temperature = new gr.Slider({ minimum: 0, maximum: 1, value: 0.5, label: "Temperature" });
      chat = new gr.ChatInterface({ fn: (m: string, _h: unknown, t: number) => `${m} @ ${t}`, additionalInputs: [temperature, "text"] });
      new gr.ChatInterface({ fn: (m: string, _h: unknown, t: number) => `${m} @ ${t}`, additionalInputs: [temperature] });
    });
    expect(shape(demo.layout)).toEqual([
      "slider",
      { row: [{ column: ["chatbot", "textbox", "button", { accordion: ["textbox"] }] }] },
      { row: [{ column: ["chatbot", "textbox", "button"] }] },
    ]);
    expect(chat.additionalInputs[0]).toBe(temperature);
    const s = await demo.launch().connect();
    await s.input(chat.textbox, "hi");
    await s.submit(chat.textbox);
    expect(s.get(chat.chatbot)[1]).toEqual({ role: "assistant", content: "hi @ 0.5" });
  });

  it("refuses deleteCache on a nested Blocks (an option of the app) and a Blocks made in a gr.render function", async () => {
    expect(() => new gr.Blocks(() => void new gr.ChatInterface({ fn: echo, deleteCache: [60, 60] }))).toThrow(
      "ChatInterface: deleteCache is an option of the app: give it to the outermost Blocks (this one is made inside its build and becomes part of it).",
    );
    const demo = new gr.Blocks(() => {
      const n = new gr.Number({ value: 1 });
      gr.render([n], () => void new gr.ChatInterface({ fn: echo }));
    });
    const s = await demo.launch({ showError: true }).connect();
    await s.idle();
    expect(s.messages.filter((m) => m.type === "error").map((m) => (m as gr.AlertMessage).message).join("\n")).toMatch(
      /ChatInterface cannot be made inside a gr\.render function: make it in the Blocks' build, or its parts in the render\./,
    );
  });

  it("puts a Blocks made in a nested Blocks' build in the outermost one", () => {
    let inner!: gr.Blocks;
    let deepest!: gr.Blocks;
    let box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      inner = new gr.Blocks(() => {
        deepest = new gr.Blocks(() => {
          box = new gr.Textbox();
        });
      });
    });
    expect([inner.nested, deepest.nested]).toEqual([true, true]);
    expect(inner.blocks).toEqual([box]);
    expect(demo.blocks).toEqual([box]);
    expect(shape(demo.layout)).toEqual(["textbox"]);
  });
});
