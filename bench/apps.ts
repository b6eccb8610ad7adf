/**
 * The seed apps the bench drives, built exactly as the seed documents and spec/ do.
 *
 * @packageDocumentation
 */
import * as gr from "../src/index";

/** Seed 002's cart app (spec/runtime/smoke.test.ts): 3 components, 1 State `[]`. */
export function cartApp(options: gr.BlocksOptions = {}) {
  let cart!: gr.State<string[]>;
  let items!: gr.CheckboxGroup;
  let add!: gr.Button;
  let size!: InstanceType<typeof gr.Number>;
  const demo = new gr.Blocks(options, () => {
    cart = new gr.State<string[]>([]);
    items = new gr.CheckboxGroup({ choices: ["Cereal", "Milk", "Orange Juice", "Water"] });
    add = new gr.Button("Add Items");
    add.click((newItems, previous) => [...previous, ...newItems], [items, cart], cart);
    size = new gr.Number({ label: "Cart Size" });
    cart.change((c) => c.length, cart, size);
  });
  return { demo, cart, items, add, size };
}

/** The counter app: click → State → `.change` → Number. */
export function counterApp() {
  let count!: gr.State<number>;
  let btn!: gr.Button;
  let num!: InstanceType<typeof gr.Number>;
  const demo = new gr.Blocks(() => {
    count = new gr.State(0);
    btn = new gr.Button("+1");
    num = new gr.Number();
    btn.click((c) => c + 1, count, count);
    count.change((c) => c, count, num);
  });
  return { demo, count, btn, num };
}
