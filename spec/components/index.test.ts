import * as components from "../../src/components";
import * as gr from "../../src/index";
import { Component } from "blockstate/blocks";

describe("components/index", () => {
  it("exports every component with its Gradio type name and events", () => {
    const table: [keyof typeof components, string, string[]][] = [
      ["Textbox", "textbox", ["change", "input", "submit", "focus", "blur", "select"]],
      ["Markdown", "markdown", ["change"]],
      ["HTML", "html", ["change", "click"]],
      ["NumberBox", "number", ["change", "input", "submit", "focus", "blur"]],
      ["Slider", "slider", ["change", "input", "release"]],
      ["Button", "button", ["click"]],
      ["ClearButton", "clearbutton", ["click"]],
      ["Checkbox", "checkbox", ["change", "input", "select"]],
      ["CheckboxGroup", "checkboxgroup", ["change", "input", "select"]],
      ["Radio", "radio", ["change", "input", "select"]],
      ["Dropdown", "dropdown", ["change", "input", "select", "focus", "blur"]],
      ["Label", "label", ["change", "select"]],
      ["JSONView", "json", ["change"]],
      ["Chatbot", "chatbot", ["change", "select", "like", "retry", "undo", "edit", "option_select", "example_select", "clear"]],
      ["Timer", "timer", ["tick"]],
    ];
    for (const [name, type, events] of table) {
      const Class = components[name] as unknown as (new () => { type: string }) & { events: readonly string[] };
      const instance = new Class();
      expect([name, instance.type, Class.events]).toEqual([name, type, events]);
      expect(instance).toBeInstanceOf(Component);
      for (const event of events) expect([name, event, typeof (instance as unknown as Record<string, unknown>)[event]]).toEqual([name, event, "function"]);
    }
  });
});

describe("component constructors", () => {
  it("refuse props that are not an object with a message naming the component and the value", () => {
    const table: [keyof typeof components, string][] = [
      ["Textbox", "Textbox"],
      ["NumberBox", "Number"],
      ["Slider", "Slider"],
      ["Checkbox", "Checkbox"],
      ["Label", "Label"],
      ["JSONView", "JSON"],
      ["Chatbot", "Chatbot"],
    ];
    for (const [name, shown] of table) {
      const Class = components[name] as unknown as new (props: unknown) => unknown;
      for (const [props, described] of [["x", '"x"'], [5, "5"], [null, "null"]] as const) {
        expect(() => new Class(props)).toThrow(new TypeError(`${shown}: expected its props as an object, such as { value, label }, got ${described}.`));
      }
    }
  });

  it("that take their text or interval first refuse props that are not an object", () => {
    expect(() => new components.Button("Add", "primary" as never)).toThrow(
      new TypeError('Button: expected its props as an object, such as { value, label }, got "primary".'),
    );
    expect(() => new components.Markdown("# Hi", null as never)).toThrow(/^Markdown: expected its props as an object/);
    expect(() => new components.Timer(1, "fast" as never)).toThrow(
      new TypeError('Timer: expected its props as an object, such as { value, label }, got "fast".'),
    );
    expect(new components.Button("Add", { variant: "primary" }).value).toBe("Add");
  });

  it("with choices refuse a first argument that is neither the choices nor the props", () => {
    for (const name of ["CheckboxGroup", "Radio", "Dropdown"] as const) {
      const Class = components[name] as unknown as new (props: unknown) => unknown;
      for (const [props, described] of [["x", '"x"'], [5, "5"], [null, "null"]] as const) {
        expect(() => new Class(props)).toThrow(new TypeError(`${name}: expected its choices (an array) or its props (an object), got ${described}.`));
      }
      expect(() => new Class(["a", "b"])).not.toThrow();
    }
  });

  it("keep a copy of an object value: the caller's object and the value getter's stay theirs (S1, S2)", () => {
    const given = [{ role: "user" as const, content: "hi" }];
    const chatbot = new components.Chatbot({ value: given });
    given.push({ role: "user", content: "mutated after construction" });
    (chatbot.value as unknown[]).push({ role: "user", content: "mutated through the getter" });
    expect(chatbot.value).toEqual([{ role: "user", content: "hi" }]);
  });

  it("clear to their empty value when a handler returns null (S34), except a Timer, which has none", async () => {
    const made: [Component<unknown>, unknown][] = [];
    let btn!: gr.Button, timer!: gr.Timer;
    const demo = new gr.Blocks(() => {
      const add = <T>(c: Component<T>, empty: unknown) => made.push([c as Component<unknown>, empty]);
      add(new gr.Textbox({ value: "typed" }), "");
      add(new gr.Markdown("# Title"), "");
      add(new gr.HTML("<b>x</b>"), "");
      add(new gr.NumberBox({ value: 5 }), null);
      add(new gr.Slider({ minimum: 2, maximum: 10, value: 7 }), 2);
      add(new gr.Button("Go"), "Run");
      add(new gr.ClearButton([], { value: "Reset" }), "Clear");
      add(new gr.Checkbox({ value: true }), false);
      add(new gr.CheckboxGroup(["a", "b"], { value: ["a"] }), []);
      add(new gr.Radio(["a", "b"], { value: "a" }), null);
      add(new gr.Dropdown(["a", "b"], { value: ["a"], multiselect: true }), []);
      add(new gr.Label({ value: "cat" }), null);
      add(new gr.JSONView({ value: { a: 1 } }), null);
      add(new gr.Chatbot({ value: [{ role: "user", content: "hi" }] }), []);
      btn = new gr.Button("Clear all");
      btn.click(() => made.map(() => null), [], made.map(([c]) => c));
      timer = new gr.Timer(2);
      new gr.Button("Stop").click(() => null, [], timer);
    });
    const session = await demo.launch().connect();
    expect(made.map(([c]) => session.get(c))).not.toEqual(made.map(([, empty]) => empty));
    expect((await session.click(btn)).status).toBe("complete");
    expect(made.map(([c]) => [c.describe(), session.get(c)])).toEqual(made.map(([c, empty]) => [c.describe(), empty]));
    const stop = demo._blocksById.find((b) => b instanceof gr.Button && b.value === "Stop") as gr.Button;
    const result = await session.click(stop);
    expect(result.error?.message).toMatch(/returned an invalid value for Timer #\d+: null \(a Timer's value is its interval in seconds/);
    expect(session.get(timer)).toBe(2);
  });
});
