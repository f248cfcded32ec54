/** Calls onLine for each complete line of a child's output stream, without its newline. */
export function forEachLine(
  stream: NodeJS.ReadableStream | null,
  onLine: (line: string) => void,
): void {
  let partial = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}
