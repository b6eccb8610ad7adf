/**
 * Shared helpers for the component unit tests: components are built outside any Blocks (so
 * they stay unregistered) and `_normalize` (what the engine calls: `null` clears, the rest goes
 * to `_check`) is called directly.
 */
import { ValueRejection } from "../../src/blocks/props";
import type { Component, Props } from "../../src/components/component";

/**
 * Runs `component._normalize(value, props)` and returns the rejection's reason. Fails the test when
 * the value is accepted or when anything other than a {@link ValueRejection} is thrown.
 */
export function rejection(component: Component<any>, value: unknown, props: Props = component.props): string {
  let accepted: unknown;
  try {
    accepted = component._normalize(value, props);
  } catch (e) {
    expect(e).toBeInstanceOf(ValueRejection);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected; it was accepted as ${JSON.stringify(accepted)}`);
}

/** The TypeError thrown by `build`, failing the test when nothing or something else is thrown. */
export function constructionError(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(TypeError);
    return (e as Error).message;
  }
  throw new Error("expected the constructor to throw a TypeError");
}

/**
 * `component._normalize(value, props)` through the base type, so components whose `_check` ignores
 * props can be called uniformly. `props` defaults to the template's.
 */
export function accept<T>(component: Component<T>, value: unknown, props: Props = component.props): T {
  return component._normalize(value, props);
}
