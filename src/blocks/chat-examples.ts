/**
 * A ChatInterface's examples (S105, Gradio's `examples`, `example_labels`): checking them, and
 * the `gr.Examples` under the chat for examples that give additional inputs values.
 *
 * @packageDocumentation
 */
import { describeValue, isArraySafe } from "../core/errors";
import type { AnyCell } from "./block";
import { Examples } from "./examples";
import type { ChatExample } from "../components/chatbot";
import { Component } from "../components/component";
import type { Textbox } from "../components/text";

/** @internal A ChatInterface's examples, checked: the Chatbot's, or rows for a `gr.Examples`. */
export interface ChatExamples {
  /** The messages, in order (with their labels), shown by the Chatbot when `rows` is undefined. */
  messages: ChatExample[];
  /** `[message, ...additionalInputValues]` per example, when some gives an additional input a value. */
  rows: unknown[][] | undefined;
  /** `exampleLabels`, as given. */
  labels: readonly string[] | undefined;
}

/**
 * @internal Checks `examples` and `exampleLabels` (S105): messages, or `[message, ...values]`
 * lists with at most a value per additional input. (Gradio wants lists whenever there are
 * additional inputs; a message alone here is a list of one.)
 *
 * @throws TypeError naming the example or label at fault.
 */
export function checkExamples(examples: unknown, labels: unknown, inputs: number): ChatExamples {
  if (examples == null) return { messages: [], rows: undefined, labels: undefined };
  if (!isArraySafe(examples)) throw new TypeError(`ChatInterface: examples must be a list; got ${describeValue(examples)}.`);
  const items = examples.map((example: unknown, i): readonly unknown[] => {
    const item = isArraySafe(example) ? example : [example];
    if (typeof item[0] !== "string" || item.length > inputs + 1) {
      const lists = inputs > 0 ? `[message, ...additionalInputValues] lists (at most ${inputs + 1} items)` : "[message] lists";
      throw new TypeError(`ChatInterface: examples must be messages (strings) or ${lists}; examples[${i}] is ${describeValue(example)}.`);
    }
    return item;
  });
  if (labels != null && (!isArraySafe(labels) || labels.length !== items.length || !labels.every((l) => typeof l === "string"))) {
    throw new TypeError(`ChatInterface: exampleLabels must be one string per example (${items.length}); got ${describeValue(labels)}.`);
  }
  const messages = items.map((item, i): ChatExample => (labels ? { text: item[0] as string, displayText: (labels as string[])[i] } : { text: item[0] as string }));
  const valued = items.some((item) => item.slice(1).some((v) => v != null));
  return { messages, rows: valued ? items.map((item) => Array.from({ length: inputs + 1 }, (_, i) => item[i] ?? null)) : undefined, labels: (labels as string[] | null) ?? undefined };
}

/**
 * @internal The `gr.Examples` of examples that give additional inputs values (Gradio's footer): of the
 * Textbox and the additional inputs some example gives a value (an input no example fills is
 * not one of its columns, as Gradio's Examples leaves it out), with the examples' labels if
 * given (Gradio shows them on the Chatbot only).
 *
 * @throws TypeError when an example gives a value to an additional input that is no component (a State).
 */
export function examplesOf(rows: readonly unknown[][], labels: readonly string[] | undefined, textbox: Textbox, additionalInputs: readonly AnyCell[]): Examples {
  const columns = [0];
  additionalInputs.forEach((cell, i) => {
    if (!rows.some((row) => row[i + 1] != null)) return;
    if (!(cell instanceof Component)) throw new TypeError(`ChatInterface: examples give additionalInputs[${i}] (${cell.describe()}) values; only components can be filled in by examples.`);
    columns.push(i + 1);
  });
  const inputs = columns.map((c) => (c === 0 ? textbox : (additionalInputs[c - 1] as Component<unknown>)));
  return new Examples({ examples: rows.map((row) => columns.map((c) => row[c])), inputs, exampleLabels: labels });
}
