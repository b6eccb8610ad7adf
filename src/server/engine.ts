/**
 * @internal What the server checks before a session exists: API input values against the
 * template (so that bad input creates no session). Everything else goes through the public
 * API (`session.run`, `visibleError`).
 *
 * @packageDocumentation
 */
import { EventError, describeValue } from "../core/errors";
import { rejectionReason, type Dependency } from "../blocks/block";
import { apiInputs } from "../runtime/handle";

/**
 * Checks API input values (counts, and each component's value under its template props, S34)
 * as `session.run` will.
 *
 * @throws EventError (`invalid_input`) naming the listener and the counts, or the component and the value.
 */
export function checkInputs(dep: Dependency, values: readonly unknown[]): void {
  apiInputs(dep, values, (component, value) => {
    try {
      return component._normalize(value, component.props);
    } catch (e) {
      const why = rejectionReason(e);
      throw new EventError(`${component.describe()} rejected the input ${describeValue(value)} for ${dep.describe()}: ${why}.`, "invalid_input");
    }
  });
}
