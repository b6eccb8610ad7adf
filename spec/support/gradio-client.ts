/**
 * `client.close()` of `@gradio/client` aborts the client's own event-stream fetch, and on
 * Node 24 the client logs that AbortError with `console.error`. Call this at the top of a spec
 * file that closes clients: it drops just those lines; everything else the client logs stays
 * visible.
 */
export function quietClientAborts(): void {
  const consoleError = console.error;
  beforeAll(() => {
    jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      if ((args[0] as { name?: unknown } | null)?.name === "AbortError") return;
      consoleError(...args);
    });
  });
  afterAll(() => jest.restoreAllMocks());
}
