/**
 * Rejection reasons quote a value by a short prefix (describeValue's 200 characters), whatever
 * its size: a session keeps its messages, so a reason quoting a whole 1 MB value would be kept.
 */
import type { Component } from "../../src/components/component";
import { Chatbot, Checkbox, CheckboxGroup, Dropdown, JSONView, Label, Radio, Textbox, Timer } from "../../src/components";
import { rejection } from "./helpers";

const BIG = "w".repeat(1_000_000);

describe("rejection reasons quote at most 200 characters of a 1 MB string", () => {
  const cases: [string, Component<any>, unknown][] = [
    ["Checkbox", new Checkbox(), BIG],
    ["CheckboxGroup, not a choice", new CheckboxGroup({ choices: ["Milk"] }), [BIG]],
    ["CheckboxGroup, a choice list of 1 MB choices", new CheckboxGroup({ choices: [BIG, `${BIG}2`] }), ["Milk"]],
    ["Radio", new Radio({ choices: ["Milk"] }), BIG],
    ["Dropdown", new Dropdown({ choices: ["Milk"] }), BIG],
    ["multiselect Dropdown", new Dropdown({ choices: ["Milk"], multiselect: true }), BIG],
    ["Textbox maxLength", new Textbox({ maxLength: 3 }), BIG],
    ["Timer", new Timer(), BIG],
    ["Chatbot role", new Chatbot(), [{ role: BIG, content: "x" }]],
    ["Label key", new Label(), { label: "x", [BIG]: 1 }],
    ["Label confidence", new Label(), { [BIG]: "high" }],
    ["JSON path of a long identifier key", new JSONView(), { [BIG]: () => 1 }],
    ["JSON path of a long odd key", new JSONView(), { [`${BIG} `]: () => 1 }],
  ];
  it.each(cases)("%s", (_name, component, value) => {
    const reason = rejection(component, value);
    const longest = Math.max(0, ...(reason.match(/w+/g) ?? []).map((run) => run.length));
    expect(longest).toBeLessThanOrEqual(200);
    expect(reason.length).toBeLessThan(1_000);
  });
});
