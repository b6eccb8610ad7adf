/**
 * `gr.Dataset`: a table of samples the user picks one of (what `gr.Examples` shows).
 *
 * @packageDocumentation
 */
import type { EventListener } from "../blocks/block";
import { checkProp, isCount, isTextList, orNull, reject, show } from "../blocks/props";
import { Component, propNames, type ComponentProps, type Props } from "./component";
import { checkJsonValue } from "./json-check";

/** Props of {@link Dataset}. */
export interface DatasetProps extends ComponentProps<number | null> {
  /**
   * The type names of the components the samples are values of, one per column (Gradio's
   * `components`, given here as names: `["textbox", "number"]`); metadata for renderers.
   */
  components?: readonly string[];
  /** The samples: one list of values per sample, one value per column. Default `[]`. */
  samples?: readonly (readonly unknown[])[];
  /** Column headers, one per component (default: none). */
  headers?: readonly string[];
  /** How many samples a page shows (metadata for renderers). Default 10. */
  samplesPerPage?: number;
  /** A label per sample, shown instead of its values (Gradio's `sample_labels`); `null` for none. */
  sampleLabels?: readonly string[] | null;
}

/**
 * `gr.Dataset`: a list of samples; its value is the index of one (Gradio's `type="index"`), `null`
 * (the default) for none. A click on a sample is its `click` event with data `{ index }`, which
 * first makes that index the value (as Gradio's page does), so a listener with the Dataset as
 * input gets it; an index it refuses fails the event (an API client sends the index as the
 * listener's input instead):
 *
 * ```ts
 * await session.trigger(dataset, "click", { index: 1 });
 * ```
 *
 * Accepted (S34): an integer from 0 to the number of samples less one. Props are checked at
 * construction and by `gr.update`: `samples` a list of lists of JSON data (as a JSON
 * component's value: no functions, bigints, cycles, ...), `components` and `headers` lists
 * of strings, `samplesPerPage` a positive integer, `sampleLabels` a list of strings (one per
 * sample) or `null`.
 *
 * @throws TypeError at construction for an invalid prop or value.
 */
export class Dataset extends Component<number | null> {
  readonly type: string = "dataset";
  static override readonly events: readonly string[] = ["click", "select"];
  static override readonly propNames = propNames<DatasetProps>({ components: true, samples: true, headers: true, samplesPerPage: true, sampleLabels: true });
  /** Fires when the user clicks a sample (event data: `{ index }`). */
  declare readonly click: EventListener;
  /** Fires when the user selects a sample (event data: `{ index, value }`, the sample's values). */
  declare readonly select: EventListener;

  constructor(props: DatasetProps = {}) {
    super();
    this._init(props, { components: [], samples: [], headers: [], samplesPerPage: 10, sampleLabels: null });
  }

  /** @internal {@link Component._checkProps}, and the samples, their columns and labels. */
  override _checkProps(props: Props): void {
    super._checkProps(props);
    checkProp(props, "components", "a list of component type names", isTextList);
    checkProp(props, "headers", "a list of strings", isTextList);
    checkProp(props, "samplesPerPage", "a whole number above 0", (v) => isCount(v) && v > 0);
    checkProp(props, "samples", "a list of samples, each a list of values", (v) => Array.isArray(v) && v.every(Array.isArray));
    // Renderers and Gradio's clients get the samples as JSON (S34).
    if (props.samples !== undefined) checkJsonValue(props.samples, "samples");
    checkProp(props, "sampleLabels", "a list of strings or null", orNull(isTextList));
    const labels = props.sampleLabels as readonly string[] | null | undefined;
    const samples = props.samples as readonly unknown[] | undefined;
    if (labels && samples && labels.length !== samples.length) {
      reject(`sampleLabels must give one label per sample (${samples.length}); got ${labels.length}`);
    }
  }

  /** @internal A click or select on a sample (`{ index }`) makes it the value, as Gradio's page does. */
  override _eventValue(event: string, data: unknown): unknown {
    if ((event !== "click" && event !== "select") || data === null || typeof data !== "object" || !("index" in data)) return undefined;
    return (data as { index: unknown }).index;
  }

  /** @internal */
  _emptyValue(): null {
    return null;
  }

  /** @internal */
  _check(value: unknown, props: Props): number {
    const count = (props.samples as readonly unknown[]).length;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= count) {
      const range = count === 0 ? "and it has no samples" : `from 0 to ${count - 1}`;
      reject(`a Dataset's value is the index of a sample, ${range}; got ${show(value)}`);
    }
    return value as number;
  }
}
