import { HTML, Markdown, Textbox } from "../../src/components/text";
import { accept, constructionError, rejection } from "./helpers";

describe("Textbox", () => {
  it("is Gradio's textbox with its events", () => {
    const box = new Textbox();
    expect(box.type).toBe("textbox");
    expect(Textbox.events).toEqual(["change", "input", "submit", "focus", "blur", "select"]);
    expect(typeof box.submit).toBe("function");
    expect(box.value).toBe("");
    expect(box.id).toBe(-1); // built outside a Blocks: unregistered
  });

  it("turns null and undefined into an empty string", () => {
    const box = new Textbox();
    expect(accept(box, null)).toBe("");
    expect(accept(box, undefined)).toBe("");
  });

  it("keeps strings and writes numbers and booleans as text", () => {
    const box = new Textbox();
    expect(accept(box, "hello")).toBe("hello");
    expect(accept(box, 3.5)).toBe("3.5");
    expect(accept(box, false)).toBe("false");
    expect(accept(box, 10n ** 4299n)).toBe(`1${"0".repeat(4299)}`);
  });

  it("rejects a bigint of more than 4,300 digits, as Python's str() does, without printing it", () => {
    expect(rejection(new Textbox(), 1n << (1n << 24n))).toBe("Textbox takes a bigint of at most 4300 digits as text (as Python's str() does), got one of about 5050446");
  });

  it("rejects objects and arrays, saying what it got", () => {
    const box = new Textbox();
    expect(rejection(box, [1, 2])).toBe("Textbox expects text, got an array");
    expect(rejection(box, { a: 1 })).toBe("Textbox expects text, got object");
  });

  it("enforces maxLength from the props it is given (per-session props)", () => {
    const box = new Textbox({ maxLength: 3 });
    expect(accept(box, "abc")).toBe("abc");
    expect(rejection(box, "abcd")).toMatch(/longer than maxLength 3/);
    expect(accept(box, "abcd", { ...box.props, maxLength: 10 })).toBe("abcd");
  });

  it("stores props with defaults and freezes them", () => {
    const box = new Textbox({ label: "Status", placeholder: "..." });
    expect(box.props).toMatchObject({ label: "Status", placeholder: "...", lines: 1, type: "text" });
    expect(Object.isFrozen(box.props)).toBe(true);
    expect(box.describe()).toBe('Textbox "Status"');
  });

  it("throws a TypeError for an invalid initial value", () => {
    const message = constructionError(() => new Textbox({ label: "Name", value: ["x"] as unknown as string }));
    expect(message).toBe('Textbox "Name": invalid initial value: Textbox expects text, got an array');
  });

  it("throws a TypeError for prop values of the wrong kind, naming the prop and the value (BaseProps too)", () => {
    expect(constructionError(() => new Textbox({ label: "Name", maxLength: -1 }))).toBe(
      'Textbox "Name": maxLength must be a whole number (0 or more) or null; got -1.',
    );
    expect(constructionError(() => new Textbox({ visible: "false" as never }))).toBe('Textbox: visible must be true, false or "hidden"; got "false".');
    expect(constructionError(() => new Textbox({ lines: 0 }))).toMatch(/^Textbox: lines must be a whole number from 1; got 0\.$/);
    expect(constructionError(() => new Textbox({ type: "tel" as never }))).toMatch(/^Textbox: type must be "text", "password" or "email"; got "tel"\.$/);
    expect(constructionError(() => new Textbox({ elemClasses: "wide" as never }))).toMatch(/^Textbox: elemClasses must be a list of strings; got "wide"\.$/);
    expect(new Textbox({ label: "Name", maxLength: 0, info: null as never, interactive: null as never }).props).toMatchObject({ maxLength: 0 });
  });

  it("throws a TypeError for a prop its class does not have, as Gradio refuses an unknown keyword (and gr.update, S74)", () => {
    expect(constructionError(() => new Textbox({ lable: "Name" } as never))).toMatch(/^Textbox: unknown prop "lable" \(did you mean "label"\? its props are .*\)\.$/);
    expect(constructionError(() => new Textbox({ minimum: 0 } as never))).toMatch(/^Textbox: unknown prop "minimum" \(its props are /);
  });
});

describe("Markdown and HTML", () => {
  it("take their text first, then props", () => {
    const md = new Markdown("# Hi", { visible: false });
    expect(md.type).toBe("markdown");
    expect(md.value).toBe("# Hi");
    expect(md.props.visible).toBe(false);
    const html = new HTML({ value: "<b>hi</b>" });
    expect(html.type).toBe("html");
    expect(html.value).toBe("<b>hi</b>");
  });

  it("have Gradio's events", () => {
    expect(Markdown.events).toEqual(["change"]);
    expect(HTML.events).toEqual(["change", "click"]);
  });

  it("turn null into an empty string and reject objects", () => {
    const md = new Markdown();
    expect(accept(md, null)).toBe("");
    expect(rejection(md, {})).toBe("Markdown expects text, got object");
    const html = new HTML();
    expect(accept(html, 7)).toBe("7");
    expect(rejection(html, [])).toBe("HTML expects text, got an array");
  });
});
