/**
 * What a shared store (docs/08) saves of a session and loads into one resumed in another
 * process: its State and component values and its props, by block id, with the times its
 * States were written (S21) and, for a closed session, when it closed (S20).
 *
 * @packageDocumentation
 */
import { describeValue } from "../core/errors";
import { UNSET, peekCell, placeCell } from "../core/dataflow";
import { Cell, LayoutBlock, rejectionReason, type AnyCell } from "../blocks/block";
import { Component, type Props } from "../components/component";
import type { Session } from "./session";
import type { SessionImage } from "./store";

/** @internal What a shared store saves of `session`: State and component values (those `keep` accepts), and props, by id. */
export function sessionImage(session: Session, keep: (cell: AnyCell) => boolean): SessionImage {
  const app = session.app;
  const values: [number, unknown][] = [];
  const props: [number, Props][] = [];
  for (const cell of app.blocks._cells) {
    const value = peekCell(session, cell._id);
    if ((cell.kind === "state" || cell.kind === "component") && value !== UNSET && keep(cell)) values.push([cell._id, value]);
  }
  const byId = session._propsById;
  const blocks = app.blocks._blocksById;
  if (byId) for (let id = 0; id < blocks.length; id++) if (byId[id]) props.push([id, byId[id]!]);
  const image = { values, props, writtenAt: app._lifecycle.writtenAt(session) };
  const closedAt = app._lifecycle.closedAt(session);
  return closedAt === undefined ? image : { ...image, closedAt };
}

/**
 * @internal Sets what {@link sessionImage} saved, in a session resumed in this process. Saved
 * values may come from another app or version on the same store (cells are matched by id), so
 * each is checked as a listener's output is (S34): props only for a component or layout
 * container, with names its class has and values it takes; a value only for a State or component, which checks it
 * under the loaded props, and must be comparable when the cell is watched. What fails stays
 * at its default, and the rest loads: never throws for what the image holds.
 *
 * @returns what was left out, one clause each (naming the cell and quoting the value).
 */
export function loadSessionImage(session: Session, image: SessionImage): string[] {
  const app = session.app;
  const blocks = app.blocks._blocksById;
  const left: string[] = [];
  const name = (id: number) => (blocks[id] ? blocks[id]!.describe() : `block ${id} (not in this app)`);
  for (const [id, props] of image.props) {
    const block = blocks[id];
    const target = block instanceof Component || block instanceof LayoutBlock ? block : undefined;
    if (!target) {
      left.push(`props ${describeValue(props)} for ${name(id)}`);
      continue;
    }
    const known = (target.constructor as unknown as { propNames: readonly string[] }).propNames;
    const unknown = Object.keys(props).find((key) => !known.includes(key));
    if (unknown !== undefined) {
      left.push(`props ${describeValue(props)} for ${name(id)} (no prop ${JSON.stringify(unknown)})`);
      continue;
    }
    try {
      target._checkProps(props); // their values too, as an update's (S74)
    } catch (e) {
      left.push(`props ${describeValue(props)} for ${name(id)}, which it refuses: ${rejectionReason(e)}`);
      continue;
    }
    (session._propsById ??= [])[id] = Object.freeze(props);
  }
  const writtenAt = new Map(image.writtenAt);
  for (const [id, saved] of image.values) {
    const cell = blocks[id];
    if (!(cell instanceof Cell) || (cell.kind !== "state" && cell.kind !== "component")) {
      left.push(`the value ${describeValue(saved)} for ${name(id)}, which holds no session value`);
      continue;
    }
    try {
      placeCell(session, cell._node, cell._normalize(saved, session._propsOf(cell)));
    } catch (e) {
      // Refused by its component, or too deep to compare for a watched cell.
      left.push(`the value ${describeValue(saved)} for ${cell.describe()}, which it refuses: ${rejectionReason(e)}`);
      continue;
    }
    if (cell.kind === "state") app._lifecycle.slotWritten(session, cell, writtenAt.get(id));
  }
  return left;
}
