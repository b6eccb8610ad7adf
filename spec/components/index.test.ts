import * as components from "../../src/components";

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
      ["Chatbot", "chatbot", ["change", "select", "like", "clear"]],
      ["Timer", "timer", ["tick"]],
    ];
    for (const [name, type, events] of table) {
      const Class = components[name] as unknown as (new () => { type: string }) & { events: readonly string[] };
      const instance = new Class();
      expect([name, instance.type, Class.events]).toEqual([name, type, events]);
      expect(instance).toBeInstanceOf(components.Component);
      for (const event of events) expect([name, event, typeof (instance as unknown as Record<string, unknown>)[event]]).toEqual([name, event, "function"]);
    }
  });
});
