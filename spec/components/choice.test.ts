import { Checkbox, CheckboxGroup, Dropdown, Radio } from "../../src/components/choice";
import { accept, constructionError, rejection } from "./helpers";

describe("Checkbox", () => {
  it("is Gradio's checkbox, false by default", () => {
    const c = new Checkbox({ label: "Agree" });
    expect(c.type).toBe("checkbox");
    expect(Checkbox.events).toEqual(["change", "input", "select"]);
    expect(typeof c.input).toBe("function");
    expect(c.value).toBe(false);
    expect(new Checkbox({ value: true }).value).toBe(true);
  });

  it("keeps booleans and turns null into false", () => {
    const c = new Checkbox();
    expect(accept(c, true)).toBe(true);
    expect(accept(c, false)).toBe(false);
    expect(accept(c, null)).toBe(false);
  });

  it("rejects non-booleans without coercing them", () => {
    const c = new Checkbox();
    expect(rejection(c, "true")).toBe('a Checkbox holds true or false, got "true"');
    expect(rejection(c, 1)).toBe("a Checkbox holds true or false, got 1");
  });

  it("throws a TypeError for a non-boolean initial value", () => {
    expect(constructionError(() => new Checkbox({ value: "yes" as unknown as boolean }))).toMatch(
      /^Checkbox: invalid initial value: a Checkbox holds true or false, got "yes"$/,
    );
  });
});

describe("CheckboxGroup", () => {
  const FOOD = ["Cereal", "Milk", "Orange Juice", "Water"];

  it("refuses a list with holes, where each item must be a choice (S34)", () => {
    const g = new CheckboxGroup({ choices: FOOD });
    // eslint-disable-next-line no-sparse-arrays
    expect(rejection(g, ["Milk", , "Water"])).toMatch(/^value \[1\] is undefined/);
    expect(rejection(g, new Array(2 ** 26))).toMatch(/^value \[0\] is undefined/); // at its first hole, not its length
  });

  it("is Gradio's checkboxgroup, [] by default", () => {
    const g = new CheckboxGroup({ choices: FOOD });
    expect(g.type).toBe("checkboxgroup");
    expect(CheckboxGroup.events).toEqual(["change", "input", "select"]);
    expect(typeof g.select).toBe("function");
    expect(g.value).toEqual([]);
    expect(g.props.choices).toEqual(FOOD);
  });

  it("takes choices first, as in Gradio's positional form", () => {
    const g = new CheckboxGroup(["Cereal", "Milk"], { label: "Items", value: ["Milk"] });
    expect(g.props.choices).toEqual(["Cereal", "Milk"]);
    expect(g.props.label).toBe("Items");
    expect(g.value).toEqual(["Milk"]);
  });

  it("copies the choices it is given, so later changes to the caller's array do not leak in", () => {
    const choices = ["a", "b"];
    const g = new CheckboxGroup({ choices });
    choices.push("c");
    expect(g.props.choices).toEqual(["a", "b"]);
  });

  it("accepts lists of choices, stored as the same array", () => {
    const g = new CheckboxGroup({ choices: FOOD });
    const picked = ["Milk", "Water"];
    expect(accept(g, picked)).toBe(picked);
    expect(accept(g, [])).toEqual([]);
  });

  it("turns null into []", () => {
    const g = new CheckboxGroup({ choices: FOOD });
    expect(accept(g, null)).toEqual([]);
  });

  it("rejects choices it does not have, naming the index and its choices", () => {
    const g = new CheckboxGroup({ choices: ["Cereal", "Milk"] });
    expect(rejection(g, ["Milk", "Oat"])).toBe('value [1] "Oat" is not one of the choices: "Cereal", "Milk"');
  });

  it("rejects non-arrays and non-string, non-number items", () => {
    const g = new CheckboxGroup({ choices: FOOD });
    expect(rejection(g, "Milk")).toBe('a CheckboxGroup holds a list of choices, got "Milk"');
    expect(rejection(g, [{}])).toBe("value [0] is an object; choices are strings or numbers");
  });

  it("rejects a choice listed twice, naming both indexes (Gradio's frontend cannot send one)", () => {
    const g = new CheckboxGroup<string | number>({ choices: ["Milk", "Water", 1, "1"] });
    expect(rejection(g, ["Milk", "Water", "Milk"])).toBe('value [2] "Milk" is selected twice (also value [0]); each choice can be selected once');
    expect(rejection(g, new Array(130_000).fill("Milk"))).toMatch(/^value \[1\] "Milk" is selected twice/);
    expect(accept(g, [1, "1"])).toEqual([1, "1"]); // strict: the number and the text are two choices
  });

  it("checks against the props it is given, not the template's", () => {
    const g = new CheckboxGroup({ choices: ["a", "b"] });
    const session = { ...g.props, choices: ["x", "y"] };
    expect(accept(g, ["x"], session)).toEqual(["x"]);
    expect(rejection(g, ["a"], session)).toBe('value [0] "a" is not one of the choices: "x", "y"');
  });

  it("stores the value of [label, value] pairs, and accepts numbers", () => {
    const g = new CheckboxGroup<number>({ choices: [["One", 1], ["Two", 2]] });
    expect(accept(g, [2, 1])).toEqual([2, 1]);
    expect(rejection(g, ["One"])).toBe('value [0] "One" is not one of the choices: 1, 2');
    // Strict: the text "1" is not the number 1.
    expect(rejection(g, ["1"])).toBe('value [0] "1" is not one of the choices: 1, 2');
  });

  it("cuts long choice lists in messages", () => {
    const many = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const g = new CheckboxGroup({ choices: many });
    expect(rejection(g, ["zz"])).toBe(
      'value [0] "zz" is not one of the choices: "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", ... (12 in all)',
    );
  });

  it("throws a TypeError for an initial value outside its choices", () => {
    expect(constructionError(() => new CheckboxGroup({ label: "Cart", choices: ["a"], value: ["b"] }))).toBe(
      'CheckboxGroup "Cart": invalid initial value: value [0] "b" is not one of the choices: "a"',
    );
  });

  it("throws a TypeError for malformed choices", () => {
    expect(constructionError(() => new CheckboxGroup({ choices: [["a", "b", "c"]] as never }))).toMatch(
      /^CheckboxGroup: choices\[0\] must be a string, a number or a \[label, value\] pair/,
    );
    expect(constructionError(() => new CheckboxGroup({ choices: "abc" as never }))).toBe(
      "CheckboxGroup: choices must be an array; got a string.",
    );
    expect(constructionError(() => new CheckboxGroup({ choices: null as never }))).toBe("CheckboxGroup: choices must be an array; got null.");
  });
});

describe("Radio", () => {
  it("is Gradio's radio, null by default", () => {
    const r = new Radio(["S", "M", "L"], { label: "Size" });
    expect(r.type).toBe("radio");
    expect(Radio.events).toEqual(["change", "input", "select"]);
    expect(r.value).toBeNull();
    expect(r.props.choices).toEqual(["S", "M", "L"]);
  });

  it("holds one of its choices, or null", () => {
    const r = new Radio({ choices: ["S", "M"], value: "M" });
    expect(r.value).toBe("M");
    expect(accept(r, "S")).toBe("S");
    expect(accept(r, null)).toBeNull();
    expect(accept(r, undefined)).toBeNull();
  });

  it("rejects values outside the current choices and non-scalars", () => {
    const r = new Radio({ choices: ["S", "M"] });
    expect(rejection(r, "XL")).toBe('"XL" is not one of the choices: "S", "M"');
    expect(rejection(r, ["S"])).toBe("the value is an array; choices are strings or numbers");
    expect(accept(r, "XL", { ...r.props, choices: ["XL"] })).toBe("XL");
  });

  it("stores pair values and numbers", () => {
    const r = new Radio<number>({ choices: [["low", 1], ["high", 10]] });
    expect(accept(r, 10)).toBe(10);
    expect(rejection(r, "high")).toBe('"high" is not one of the choices: 1, 10');
  });
});

describe("Dropdown", () => {
  it("is Gradio's dropdown with its events", () => {
    const d = new Dropdown({ choices: ["a", "b"] });
    expect(d.type).toBe("dropdown");
    expect(Dropdown.events).toEqual(["change", "input", "select", "focus", "blur"]);
    expect(typeof d.blur).toBe("function");
    expect(d.props).toMatchObject({ multiselect: false, allowCustomValue: false, maxChoices: null });
  });

  it("selects the first choice by default, as Gradio does; value: null selects nothing", () => {
    expect(new Dropdown(["a", "b"]).value).toBe("a");
    expect(new Dropdown<number>({ choices: [["One", 1]] }).value).toBe(1);
    expect(new Dropdown({ choices: ["a", "b"], value: null }).value).toBeNull();
    expect(new Dropdown().value).toBeNull();
    expect(new Dropdown({ choices: ["a"], multiselect: true }).value).toEqual([]);
  });

  it("does not record the implicit first choice as a given value (instance as update, S33)", () => {
    expect(new Dropdown(["a", "b"])._given.hasValue).toBe(false);
  });

  it("holds one choice or null", () => {
    const d = new Dropdown({ choices: ["a", "b"] });
    expect(accept(d, "b")).toBe("b");
    expect(accept(d, null)).toBeNull();
    expect(rejection(d, "c")).toBe('"c" is not one of the choices: "a", "b"');
    expect(rejection(d, ["a"])).toBe("a Dropdown without multiselect holds one choice, got an array");
  });

  it("with multiselect holds a list (null becomes [], same array kept)", () => {
    const d = new Dropdown({ choices: ["a", "b", "c"], multiselect: true });
    const picked = ["c", "a"];
    expect(accept(d, picked)).toBe(picked);
    expect(accept(d, null)).toEqual([]);
    expect(rejection(d, "a")).toBe('a multiselect Dropdown holds a list of choices, got "a"');
    expect(rejection(d, ["a", "z"])).toBe('value [1] "z" is not one of the choices: "a", "b", "c"');
  });

  it("enforces maxChoices with multiselect", () => {
    const d = new Dropdown({ choices: ["a", "b", "c"], multiselect: true, maxChoices: 2 });
    expect(accept(d, ["a", "b"])).toEqual(["a", "b"]);
    expect(rejection(d, ["a", "b", "c"])).toBe("3 choices selected; maxChoices is 2");
  });

  it("accepts values outside the choices with allowCustomValue, still only strings and numbers", () => {
    const d = new Dropdown({ choices: ["a"], allowCustomValue: true });
    expect(accept(d, "zebra")).toBe("zebra");
    expect(accept(d, 42)).toBe(42);
    expect(rejection(d, true)).toBe("the value is a boolean; choices are strings or numbers");
    const multi = new Dropdown({ choices: ["a"], allowCustomValue: true, multiselect: true });
    expect(accept(multi, ["a", "new"])).toEqual(["a", "new"]);
  });

  it("with multiselect rejects a choice listed twice, custom values too", () => {
    const d = new Dropdown({ choices: ["a", "b"], multiselect: true });
    expect(rejection(d, ["a", "b", "b"])).toBe('value [2] "b" is selected twice (also value [1]); each choice can be selected once');
    const custom = new Dropdown({ choices: ["a"], multiselect: true, allowCustomValue: true });
    expect(rejection(custom, ["new", "a", "new"])).toBe('value [2] "new" is selected twice (also value [0]); each choice can be selected once');
  });

  it("reads multiselect, allowCustomValue and choices from the props it is given", () => {
    const d = new Dropdown({ choices: ["a"] });
    expect(accept(d, ["x"], { ...d.props, choices: ["x"], multiselect: true })).toEqual(["x"]);
    expect(accept(d, "free", { ...d.props, allowCustomValue: true })).toBe("free");
  });

  it("throws a TypeError for an invalid initial value", () => {
    expect(constructionError(() => new Dropdown({ choices: ["a"], value: "b" }))).toBe(
      'Dropdown: invalid initial value: "b" is not one of the choices: "a"',
    );
  });

  it("throws a TypeError for malformed choices or options, naming the prop", () => {
    expect(constructionError(() => new Dropdown({ label: "Pick", choices: [{}] as never }))).toBe(
      'Dropdown "Pick": choices[0] must be a string, a number or a [label, value] pair; got an object.',
    );
    expect(constructionError(() => new Dropdown({ choices: [[1, "a"]] as never }))).toMatch(/^Dropdown: choices\[0\] must be/);
    expect(constructionError(() => new Dropdown({ multiselect: "yes" as never }))).toBe('Dropdown: multiselect must be true or false; got "yes".');
    expect(constructionError(() => new Dropdown({ maxChoices: -1 }))).toBe("Dropdown: maxChoices must be a whole number (0 or more) or null; got -1.");
    expect(constructionError(() => new Radio(["a"], { visible: 0 as never }))).toBe('Radio: visible must be true, false or "hidden"; got 0.');
  });
});

describe("choice value types", () => {
  it("type values as strings by default, numbers on request, lists with multiselect: true", () => {
    // These assignments are the test: `tsc -p .` (part of `npm test`) fails if the types drift.
    const one = new Dropdown(["a"]);
    const single: string | null = accept(one, "a");
    const multi = new Dropdown({ choices: ["a", "b"], multiselect: true });
    const list: string[] = accept(multi, ["b"]);
    const group: number[] = accept(new CheckboxGroup<number>({ choices: [1, 2] }), [2]);
    expect([single, list, group]).toEqual(["a", ["b"], [2]]);
  });
});
