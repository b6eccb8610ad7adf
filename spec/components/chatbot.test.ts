import { Chatbot, type ChatbotMessage } from "../../src/components/chatbot";
import { accept, constructionError, rejection } from "./helpers";

describe("Chatbot", () => {
  it("is Gradio's chatbot with its events, [] by default, in the messages format", () => {
    const c = new Chatbot({ height: 400 });
    expect(c.type).toBe("chatbot");
    expect(Chatbot.events).toEqual(["change", "select", "like", "retry", "undo", "edit", "option_select", "example_select", "clear"]);
    expect(typeof c.like).toBe("function");
    expect(c.value).toEqual([]);
    expect(c.props).toMatchObject({ type: "messages", height: 400 });
  });

  it("takes a height of pixels, a CSS length or null (Gradio's height: int | str | None), and nothing else", () => {
    for (const height of [300, "50vh", null]) expect(new Chatbot({ height }).props.height).toBe(height);
    expect(constructionError(() => new Chatbot({ height: true as never }))).toBe("Chatbot: height must be a number, a CSS length or null; got true.");
  });

  it("returns the same array for a valid messages history", () => {
    const c = new Chatbot();
    const history: ChatbotMessage[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi", metadata: { title: "greeting" } },
      { role: "assistant", content: "Hello" },
    ];
    expect(accept(c, history)).toBe(history);
    const empty: ChatbotMessage[] = [];
    expect(accept(c, empty)).toBe(empty);
  });

  it("turns null into []", () => {
    const c = new Chatbot();
    expect(accept(c, null)).toEqual([]);
  });

  it("converts legacy tuples into a new messages array, skipping null sides", () => {
    const c = new Chatbot();
    const tuples = [
      ["Hi", "Hello!"],
      ["How are you?", null],
      [null, "Still there?"],
    ];
    const messages = accept(c, tuples);
    expect(messages).not.toBe(tuples);
    expect(messages).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: "How are you?" },
      { role: "assistant", content: "Still there?" },
    ]);
  });

  it("converts tuples given as the initial value", () => {
    expect(new Chatbot({ value: [["a", "b"]] }).value).toEqual([
      { role: "user", content: "a" },
      { role: "assistant", content: "b" },
    ]);
  });

  it("rejects a bad role, naming the message", () => {
    const c = new Chatbot();
    const history = [
      { role: "user", content: "1" },
      { role: "assistant", content: "2" },
      { role: "user", content: "3" },
      { role: "bot", content: "4" },
    ];
    expect(rejection(c, history)).toBe('message [3] has role "bot"; expected "user", "assistant" or "system"');
    expect(rejection(c, [{ content: "x" }])).toBe('message [0] has no role; expected "user", "assistant" or "system"');
  });

  it("rejects other malformed messages, naming the index", () => {
    const c = new Chatbot();
    expect(rejection(c, "hello")).toBe("a Chatbot holds a list of messages, got a string");
    expect(rejection(c, [{ role: "user", content: "a" }, "b"])).toBe("message [1] is a string; expected { role, content }");
    expect(rejection(c, [{ role: "user", content: 5 }])).toBe("message [0] has content a number; expected a string");
    expect(rejection(c, [{ role: "user", content: "a", metadata: [] }])).toBe("message [0] has metadata an array; expected an object");
  });

  it("rejects a message whose metadata or further keys are not JSON data, naming the path (they go to renderers as JSON)", () => {
    const c = new Chatbot();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    const with_ = (extra: Record<string, unknown>) => [{ role: "user", content: "hi" }, { role: "assistant", content: "ok", ...extra }];
    expect(rejection(c, with_({ metadata: { tokens: 12n } }))).toMatch(/message \[1\]\.metadata\.tokens is a bigint/);
    expect(rejection(c, with_({ metadata: cycle }))).toMatch(/message \[1\]\.metadata\.self refers back to message \[1\]\.metadata \(a cycle\)/);
    expect(rejection(c, with_({ metadata: deep }))).toMatch(/too deep/);
    expect(rejection(c, with_({ options: [{ value: () => 1 }] }))).toMatch(/message \[1\]\.options\[0\]\.value is a function/);
    expect(rejection(c, with_({ metadata: { seen: new Set([1]) } }))).toMatch(/message \[1\]\.metadata\.seen is a Set/);
    // Plain extra keys and metadata of JSON data are kept.
    const fine = with_({ metadata: { title: "Thinking", log: ["a", 1, null] }, options: [{ value: "yes" }] });
    expect(accept(c, fine)).toBe(fine);
  });

  it("rejects malformed tuples and mixed formats", () => {
    const c = new Chatbot();
    expect(rejection(c, [["a", "b"], ["c"]])).toBe("pair [1] has 1 items; expected [userText, botText]");
    expect(rejection(c, [["a", 3]])).toBe("pair [0] has a number as its bot text; expected a string or null");
    expect(rejection(c, [["a", "b"], { role: "user", content: "c" }])).toMatch(/^pair \[1\] is an object, but item \[0\] is a \[user, bot\] pair/);
    expect(rejection(c, [{ role: "user", content: "c" }, ["a", "b"]])).toMatch(/^message \[1\] is a \[user, bot\] pair/);
  });

  it("throws a TypeError for type: tuples and for an invalid initial value", () => {
    expect(constructionError(() => new Chatbot({ type: "tuples" as never }))).toMatch(/^Chatbot: type "tuples" is not supported/);
    expect(constructionError(() => new Chatbot({ label: "Chat", value: [{ role: "bot", content: "x" }] as never }))).toBe(
      'Chatbot "Chat": invalid initial value: message [0] has role "bot"; expected "user", "assistant" or "system"',
    );
  });
});
