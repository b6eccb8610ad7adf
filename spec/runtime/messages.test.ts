import * as gr from "blockstate";
import { MESSAGE_MAX_CHARS, MESSAGE_REPLAY, MESSAGE_REPLAY_CHARS, MessageLog, type AlertMessage, type Message } from "../../src/runtime/messages";

const MB = 1_000_000;

/** The characters of the alerts a session keeps, as MessageLog counts them. */
function keptChars(messages: readonly Message[]): number {
  return messages.reduce((n, m) => n + ("message" in m ? m.message.length + (m.title?.length ?? 0) : 0), 0);
}

describe("the message log is bounded in characters, not only in count", () => {
  it("keeps little of 100 invalid 1 MB inputs: the rejected values are quoted by a short prefix", async () => {
    let group!: gr.CheckboxGroup, box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      group = new gr.CheckboxGroup({ choices: ["Milk"], label: "Items" });
      box = new gr.Textbox({ maxLength: 10 });
    });
    const s = await demo.launch().connect();
    for (let i = 0; i < 50; i++) {
      const big = String(i).padEnd(MB, "x");
      expect((await s.input(group, [big])).status).toBe("error");
      expect((await s.input(box, big)).status).toBe("error");
    }
    expect(s.messages).toHaveLength(MESSAGE_REPLAY);
    // Each message quotes its value in ~200 characters (plus the sentence around it).
    for (const m of s.messages) expect((m as AlertMessage).message.length).toBeLessThan(600);
    expect(keptChars(s.messages)).toBeLessThan(MESSAGE_REPLAY_CHARS);
  });

  it("an error for a 1 MB string quotes at most 200 characters of it", async () => {
    let group!: gr.CheckboxGroup, box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      group = new gr.CheckboxGroup({ choices: ["Milk"], label: "Items" });
      box = new gr.Textbox({ maxLength: 10, label: "Name" });
    });
    const s = await demo.launch().connect();
    const big = "y".repeat(MB);
    for (const result of [await s.input(box, big), await s.input(group, [big])]) {
      const text = result.error!.message;
      const quoted = text.match(/y+/g)!;
      expect(Math.max(...quoted.map((q) => q.length))).toBeLessThanOrEqual(200);
      expect(text.length).toBeLessThan(800);
    }
    expect(s.messages.at(-1)).toMatchObject({ type: "error", message: expect.stringMatching(/^CheckboxGroup "Items" rejected the input \["y{190,}/) });
  });

  it("cuts a handler's 1 MB gr.Error to MESSAGE_MAX_CHARS in the log; the run's error keeps it whole", async () => {
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      btn.click(() => {
        throw new gr.Error("z".repeat(MB), { title: "t".repeat(MB) });
      });
    });
    const s = await demo.launch().connect();
    const result = await s.click(btn);
    expect(result.error!.message).toHaveLength(MB);
    const logged = s.messages.at(-1) as AlertMessage;
    expect(logged.message).toBe(`${"z".repeat(MESSAGE_MAX_CHARS - 1)}…`);
    expect(logged.title).toBe(`${"t".repeat(MESSAGE_MAX_CHARS - 1)}…`);
    for (let i = 0; i < 99; i++) await s.click(btn);
    expect(keptChars(s.messages)).toBeLessThanOrEqual(MESSAGE_REPLAY_CHARS);
    expect(s.messages.length).toBe(Math.floor(MESSAGE_REPLAY_CHARS / (2 * MESSAGE_MAX_CHARS)));
  });
});

describe("other messages quote client values by a short prefix", () => {
  it("an unknown event name from the client", async () => {
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      btn.click(() => undefined);
    });
    const s = await demo.launch().connect();
    const result = await s.dispatch({ id: btn.id, event: "e".repeat(MB) });
    expect(result.error?.message).toMatch(/has no "e{60,199}…/); // a short prefix (dispatch cuts names to 64)
    expect(result.error!.message.length).toBeLessThan(400);
  });

  it("a BrowserState value that is not JSON, under a 1 MB key", async () => {
    let bs!: gr.BrowserState, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      bs = new gr.BrowserState<unknown>(null);
      btn = new gr.Button();
      btn.click(() => ({ ["k".repeat(MB)]: () => 1 }), undefined, bs);
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    const error = s.messages.find((m) => m.type === "error") as AlertMessage;
    expect(error.message).toMatch(/not JSON-serialisable: key "k{190,199}… is a function/);
    expect(error.message.length).toBeLessThan(600);
  });
});

describe("MessageLog", () => {
  const alert = (message: string): AlertMessage => ({ type: "info", message });

  it("drops the oldest alerts beyond MESSAGE_REPLAY_CHARS", () => {
    const log = new MessageLog();
    const size = MESSAGE_MAX_CHARS;
    const fits = MESSAGE_REPLAY_CHARS / size;
    for (let i = 0; i < fits + 3; i++) log.push(alert(String(i).padEnd(size, ".")));
    expect(log.recent()).toHaveLength(fits);
    expect(log.recent()[0].message.startsWith("3.")).toBe(true);
    log.push(alert("short"));
    expect(log.recent()).toHaveLength(fits);
    expect(log.recent().at(-1)!.message).toBe("short");
  });

  it("sends live subscribers the cut alert too, and cuts a non-string message", async () => {
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      btn.click(() => {
        gr.Info("a".repeat(MESSAGE_MAX_CHARS + 1));
        gr.Info({ text: "b".repeat(MB) } as unknown as string);
      });
    });
    const s = await demo.launch().connect();
    const seen: Message[] = [];
    s.messages$.subscribe((m) => void (m.type === "info" && seen.push(m)));
    await s.click(btn);
    expect(seen).toEqual(s.messages);
    expect((seen[0] as AlertMessage).message).toHaveLength(MESSAGE_MAX_CHARS);
    expect((seen[1] as AlertMessage).message).toMatch(/^\{"text":"b+…$/);
    expect((seen[1] as AlertMessage).message).toHaveLength(MESSAGE_MAX_CHARS);
    const log = new MessageLog();
    log.push({ type: "error", message: "c".repeat(MB), title: null as unknown as string });
    expect(log.recent().at(-1)).toEqual({ type: "error", message: `${"c".repeat(MESSAGE_MAX_CHARS - 1)}…`, title: null });
  });
});
