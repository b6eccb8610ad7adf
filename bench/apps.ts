/**
 * The seed apps the bench drives, built exactly as the seed documents and spec/ do.
 *
 * @packageDocumentation
 */
import * as gr from "../src/index";
import * as cartExample from "../examples/cart";
import { buildCounterApp, buildGlobalCounterApp } from "./engine-apps";

/** Seed 002's cart app (`examples/cart.ts`): 3 components, 1 State `[]`. */
export function cartApp(options: gr.BlocksOptions = {}) {
  const { demo, cart, itemsToAdd, addItemsButton, cartSize } = cartExample.create(options);
  return { demo, cart, items: itemsToAdd, add: addItemsButton, size: cartSize };
}

/** The counter app (click → State → `.change` → Number), built with this engine. */
export function counterApp() {
  return buildCounterApp(gr);
}

/** The Global counter (click → Global → `.change` → Number in every session), built with this engine. */
export function globalCounterApp() {
  return buildGlobalCounterApp(gr);
}
