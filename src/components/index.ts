/**
 * Every component. The base class (`Component`, `propNames`) is in "blockstate/blocks".
 *
 * @packageDocumentation
 */
export type { BaseProps, ComponentProps, Props } from "./component";
export { Textbox, Markdown, HTML, type TextboxProps } from "./text";
export { NumberBox, type NumberProps } from "./number";
export { Slider, type SliderProps } from "./slider";
export { Button, type ButtonProps } from "./button";
export { ClearButton } from "./clear-button";
export {
  Checkbox,
  CheckboxGroup,
  Radio,
  Dropdown,
  type CheckboxProps,
  type CheckboxGroupProps,
  type RadioProps,
  type DropdownProps,
  type DropdownOptions,
  type MultiselectGiven,
  type DropdownValue,
  type Choice,
  type ChoiceProps,
  type ChoiceValue,
} from "./choice";
export {
  Label,
  JSONView,
  type LabelProps,
  type LabelValue,
  type LabelConfidence,
  type LabelInput,
  type JSONProps,
} from "./display";
export { Chatbot, type ChatbotProps, type ChatMessage, type ChatbotMessage, type ChatExample, type ChatRole, type ChatTuple } from "./chatbot";
export { Timer, type TimerProps } from "./timer";
export { Dataset, type DatasetProps } from "./dataset";
