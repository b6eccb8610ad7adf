/**
 * The seed apps the bench drives, built exactly as the seed documents and spec/ do.
 *
 * @packageDocumentation
 */
import * as gr from "../src/index";
import * as cartExample from "../examples/cart";

/** Seed 002's cart app (`examples/cart.ts`): 3 components, 1 State `[]`. */
export function cartApp(options: gr.BlocksOptions = {}) {
  const { demo, cart, itemsToAdd, addItemsButton, cartSize } = cartExample.create(options);
  return { demo, cart, items: itemsToAdd, add: addItemsButton, size: cartSize };
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
