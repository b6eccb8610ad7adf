/**
 * A small, safe Markdown subset for the reference renderer (Markdown components and chat
 * messages): headings, paragraphs, line breaks, `-`/`*` and numbered lists, fenced code blocks,
 * inline code, bold, italic and `http(s)`/`mailto` links.
 *
 * Safety comes from the order of work: every piece of source text is HTML-escaped *before* any
 * tag is added, and the only tags added are the fixed ones below. Raw HTML in the source is
 * therefore shown as text, and a link target, escaped and limited to safe schemes, cannot leave
 * its attribute. Browser-safe, no dependencies.
 *
 * @packageDocumentation
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for use in HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Bold, italic and links on text that is already escaped. */
function emphasis(escaped: string): string {
  return escaped
    .replace(/\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
    .replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, "$1<em>$2</em>");
}

/** One line of inline Markdown: code spans are kept verbatim, the rest gets emphasis and links. */
export function inlineToHtml(text: string): string {
  const parts = text.split(/(`[^`\n]+`)/);
  let html = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    // split() with a capture group puts the code spans at odd indices.
    html += i % 2 === 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : emphasis(escapeHtml(part));
  }
  return html;
}

/**
 * Converts the Markdown subset to HTML that is safe to assign to `innerHTML`.
 *
 * @example
 * ```ts
 * markdownToHtml("# Hi\n**bold** <script>") // '<h1>Hi</h1><p><strong>bold</strong> &lt;script&gt;</p>'
 * ```
 */
export function markdownToHtml(source: string): string {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { tag: "ul" | "ol"; items: string[] } | undefined;

  const endParagraph = () => {
    if (paragraph.length) out.push(`<p>${paragraph.map(inlineToHtml).join("<br>")}</p>`);
    paragraph = [];
  };
  const endList = () => {
    if (list) out.push(`<${list.tag}>${list.items.map((item) => `<li>${inlineToHtml(item)}</li>`).join("")}</${list.tag}>`);
    list = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*```/.exec(line);
    if (fence) {
      endParagraph();
      endList();
      const code: string[] = [];
      while (++i < lines.length && !/^\s*```/.test(lines[i])) code.push(lines[i]);
      out.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      endParagraph();
      endList();
      const level = heading[1].length;
      out.push(`<h${level}>${inlineToHtml(heading[2])}</h${level}>`);
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item) {
      endParagraph();
      const tag = item[1] ? "ul" : "ol";
      if (list && list.tag !== tag) endList();
      (list ??= { tag, items: [] }).items.push(item[3]);
      continue;
    }
    if (line.trim() === "") {
      endParagraph();
      endList();
      continue;
    }
    endList();
    paragraph.push(line);
  }
  endParagraph();
  endList();
  return out.join("");
}
